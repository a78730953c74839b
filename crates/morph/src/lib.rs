//! Japanese morphological analysis (形態素解析) for the rules that judge language: lindera
//! over the IPADIC dictionary, built here from the sources Debian's `mecab-ipadic`
//! package installs (`/usr/share/mecab/dic/ipadic`, EUC-JP; lindera's builder decodes
//! them into a UTF-8 dictionary directory). Nothing is downloaded: lindera's `embed-*`
//! features stay off.
//!
//! [`Analyser::open`] loads a built dictionary (~46 MB on disk, tens of milliseconds);
//! [`build`] makes one (a few seconds); [`Analyser::open_or_build`] does the second
//! when the first finds nothing. Analysis never fails: text the analyser cannot read
//! answers no morphemes, and the callers fall back to their word lists.

use domain::morpheme::Morpheme;
use lindera::dictionary::{DictionaryBuilder, Metadata, load_fs_dictionary};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Where Debian's `mecab-ipadic` package puts the dictionary's sources.
pub const DEBIAN_SOURCE: &str = "/usr/share/mecab/dic/ipadic";

/// Why there is no analyser.
#[derive(Debug, thiserror::Error)]
pub enum DictError {
    /// No built dictionary at the path, and no sources to build one from.
    #[error(
        "no IPADIC dictionary at {dir} and no sources at {sources} to build one from \
         (install Debian's mecab-ipadic package: apt-get install mecab-ipadic)"
    )]
    Missing { dir: PathBuf, sources: PathBuf },
    /// A dictionary is there but could not be read.
    #[error("the dictionary at {dir} could not be read: {reason}")]
    Unreadable { dir: PathBuf, reason: String },
    /// Building from the sources failed.
    #[error("building the dictionary from {sources} failed: {reason}")]
    Build { sources: PathBuf, reason: String },
}

/// A loaded dictionary, ready to analyse text. Shared between threads.
pub struct Analyser {
    segmenter: Segmenter,
}

/// The file a built dictionary always has.
const MARKER: &str = "metadata.json";

/// Is there a built dictionary at `dir`?
pub fn is_built(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
}

/// Builds the dictionary from IPADIC's sources (`source`: its `*.csv`, `*.def`, in
/// EUC-JP) into `dir`, replacing what was there only once the new one is whole.
pub fn build(source: &Path, dir: &Path) -> Result<(), DictError> {
    let fail = |reason: String| DictError::Build {
        sources: source.to_path_buf(),
        reason,
    };
    if !source.join("matrix.def").is_file() {
        return Err(DictError::Missing {
            dir: dir.to_path_buf(),
            sources: source.to_path_buf(),
        });
    }
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| fail(e.to_string()))?;
    // Built beside its place under a name of its own (this process, this call), then
    // renamed in: two builds at once, in two processes or two threads of one, never
    // write into each other's files nor let anyone read a half-written dictionary.
    static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let staging = parent.join(format!(
        ".{}.building-{}-{}",
        dir.file_name().and_then(|n| n.to_str()).unwrap_or("dict"),
        std::process::id(),
        BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&staging);
    let metadata = Metadata {
        name: "ipadic".into(),
        encoding: "EUC-JP".into(),
        ..Metadata::default()
    };
    DictionaryBuilder::new(metadata)
        .build_dictionary(source, &staging)
        .map_err(|e| fail(e.to_string()))?;
    if is_built(dir) {
        // Someone else finished first: theirs is as good as ours.
        let _ = std::fs::remove_dir_all(&staging);
        return Ok(());
    }
    // A whole dictionary already in place is never removed (another process may be
    // reading it): only a leftover without its marker is cleared before a second try.
    let moved = std::fs::rename(&staging, dir).or_else(|e| {
        if is_built(dir) {
            return Ok(());
        }
        let _ = std::fs::remove_dir_all(dir);
        std::fs::rename(&staging, dir).map_err(|_| e)
    });
    let _ = std::fs::remove_dir_all(&staging);
    match moved {
        Ok(()) => Ok(()),
        Err(_) if is_built(dir) => Ok(()),
        Err(e) => Err(fail(e.to_string())),
    }
}

impl domain::morpheme::Analyse for Analyser {
    fn analyse(&self, text: &str) -> Vec<Morpheme> {
        Analyser::analyse(self, text)
    }
}

impl Analyser {
    /// Loads the dictionary built at `dir`.
    pub fn open(dir: &Path) -> Result<Analyser, DictError> {
        if !is_built(dir) {
            return Err(DictError::Missing {
                dir: dir.to_path_buf(),
                sources: PathBuf::from(DEBIAN_SOURCE),
            });
        }
        let dictionary = load_fs_dictionary(dir).map_err(|e| DictError::Unreadable {
            dir: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        Ok(Analyser {
            segmenter: Segmenter::new(Mode::Normal, dictionary, None),
        })
    }

    /// Loads the dictionary at `dir`, building it first from `source` if there is none.
    pub fn open_or_build(dir: &Path, source: &Path) -> Result<Analyser, DictError> {
        if !is_built(dir) {
            build(source, dir)?;
        }
        Analyser::open(dir)
    }

    /// The morphemes of `text`, in order (none if the analyser cannot read it).
    pub fn analyse(&self, text: &str) -> Vec<Morpheme> {
        let Ok(mut tokens) = self.segmenter.segment(Cow::Borrowed(text)) else {
            return Vec::new();
        };
        tokens
            .iter_mut()
            .map(|t| {
                let surface = t.surface.to_string();
                let known = !t.word_id.is_unknown();
                let d: Vec<String> = t.details().into_iter().map(str::to_string).collect();
                let field = |i: usize| d.get(i).cloned().unwrap_or_else(|| "*".into());
                let lemma = d
                    .get(6)
                    .filter(|l| known && l.as_str() != "*")
                    .cloned()
                    .unwrap_or_else(|| surface.clone());
                Morpheme {
                    pos: field(0),
                    pos1: field(1),
                    pos2: field(2),
                    form: field(5),
                    lemma,
                    known,
                    surface,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// One dictionary for the tests of this process, built from Debian's sources
    /// (`scripts/test` installs the package).
    fn analyser() -> &'static Analyser {
        static A: OnceLock<Analyser> = OnceLock::new();
        A.get_or_init(|| {
            let dir =
                std::env::temp_dir().join(format!("kyoritsu-ipadic-test-{}", std::process::id()));
            let a = Analyser::open_or_build(&dir, Path::new(DEBIAN_SOURCE))
                .unwrap_or_else(|e| panic!("{e}"));
            let _ = std::fs::remove_dir_all(&dir);
            a
        })
    }

    fn lemmas(text: &str) -> Vec<(String, String)> {
        analyser()
            .analyse(text)
            .into_iter()
            .map(|m| (m.lemma, m.pos))
            .collect()
    }

    #[test]
    fn verbs_are_read_in_their_dictionary_form() {
        let words = lemmas("来週から、笑顔で挨拶するよう心がけます");
        assert!(
            words.contains(&("心がける".into(), "動詞".into())),
            "{words:?}"
        );
        assert!(words.contains(&("来週".into(), "名詞".into())), "{words:?}");
        let words = lemmas("次の定例会で、チェックリストを作って共有します");
        assert!(words.contains(&("作る".into(), "動詞".into())), "{words:?}");
    }

    #[test]
    fn unknown_words_and_odd_text_never_fail() {
        let a = analyser();
        for text in [
            "",
            " ",
            "ｱｲｳ\u{0}ｴｵ",
            "🙂🙂🙂",
            &"あ".repeat(20_000),
            "Kyoritsuで1on1",
        ] {
            let ms = a.analyse(text);
            assert!(
                ms.iter()
                    .all(|m| !m.lemma.is_empty() || m.surface.is_empty())
            );
        }
        let ms = a.analyse("ザザザビョーンをします");
        assert!(ms.iter().any(|m| !m.known), "{ms:?}");
    }

    #[test]
    fn two_builds_at_once_in_one_process_leave_one_whole_dictionary() {
        let name = format!("kyoritsu-ipadic-twice-{}", std::process::id());
        let dir = std::env::temp_dir().join(&name);
        let _ = std::fs::remove_dir_all(&dir);
        let builds: Vec<_> = (0..2)
            .map(|_| {
                let dir = dir.clone();
                std::thread::spawn(move || build(Path::new(DEBIAN_SOURCE), &dir))
            })
            .collect();
        for b in builds {
            b.join().expect("thread").unwrap_or_else(|e| panic!("{e}"));
        }
        let a = Analyser::open(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert!(a.analyse("面談を開きます").iter().all(|m| m.known));
        let left: Vec<_> = std::fs::read_dir(std::env::temp_dir())
            .expect("temp")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(&format!(".{name}.building")))
            .collect();
        assert!(left.is_empty(), "no staging left behind: {left:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_dictionary_says_what_to_install() {
        let nowhere = std::env::temp_dir().join("kyoritsu-no-dictionary-here");
        let err = Analyser::open_or_build(&nowhere, &nowhere.join("src"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("mecab-ipadic"), "{err}");
    }
}
