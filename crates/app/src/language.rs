//! Reading Japanese (形態素解析) for the rules that judge language: one analyser per
//! process (lindera over IPADIC, `morph`), loaded at start from the configured
//! dictionary directory — built there first from Debian's `mecab-ipadic` sources when
//! it is missing — and the commitment checks' second opinion on objectivity, learned from
//! the labelled examples as the analyser reads them (`domain::commitment::learned`).
//! Without the dictionary the checks fall back to their word lists, and [`status`] says
//! so (the server prints it at start).

use domain::commitment::Check;
use domain::commitment::learned::{self, Model};
use domain::morpheme::{Analyse, Morpheme};
use std::path::Path;
use std::sync::OnceLock;

static READER: OnceLock<morph::Analyser> = OnceLock::new();
/// The second opinion on objectivity, learned at load from the labelled examples
/// (`domain::commitment::learned`) as the analyser reads them.
static MODEL: OnceLock<Model> = OnceLock::new();

/// What the checks read with, as said at start and by `kyoritsu commitment check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The dictionary is loaded (in `millis` milliseconds).
    Loaded { millis: u128 },
    /// No dictionary: the word lists decide, and why.
    WordLists { why: String },
}

/// Loads the analyser from `dir`, building it from `source` first if needed. Once
/// loaded it stays for the life of the process; a failure leaves the word lists.
pub fn load(dir: &Path, source: &Path) -> Status {
    // One thread loads (and builds) at a time; the others then find it loaded.
    static LOADING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = LOADING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if READER.get().is_some() {
        return Status::Loaded { millis: 0 };
    }
    let started = std::time::Instant::now();
    match morph::Analyser::open_or_build(dir, source) {
        Ok(a) => {
            let _ = MODEL.set(Model::from_examples(&learned::examples(), &a));
            let _ = READER.set(a);
            Status::Loaded {
                millis: started.elapsed().as_millis(),
            }
        }
        Err(e) => Status::WordLists { why: e.to_string() },
    }
}

/// The analyser, when one is loaded.
pub fn reader() -> Option<&'static dyn Analyse> {
    READER.get().map(|a| a as &dyn Analyse)
}

/// Both commitment checks on `statement`, with the analyser when there is one.
pub fn check(statement: &str) -> Check {
    domain::commitment::check_read(statement, reader(), MODEL.get())
}

/// Both checks on a commitment as recorded, with its いつから date
/// (`domain::commitment::check_with_start`).
pub fn check_with_start(statement: &str, starts_on: Option<chrono::NaiveDate>) -> Check {
    domain::commitment::check_with_start_using(statement, starts_on, reader(), MODEL.get())
}

/// The morphemes the checks read `statement` as (none without the analyser).
pub fn morphemes(statement: &str) -> Vec<Morpheme> {
    reader()
        .map(|r| r.analyse(&domain::commitment::normalised(statement)))
        .unwrap_or_default()
}
