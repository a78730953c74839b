//! A feedback report (面談所感) as a document: its four parts with their titles, and the
//! page that shows it — the manager reading it (`reports`) and the consultant previewing
//! exactly that (`dialogues`) render the same template.

use super::auth::Page;
use super::shell::Shell;
use askama::Template;
use askama_web::WebTemplate;
use domain::feedback::Parts;

/// One part as shown: its title and text.
pub struct PartView {
    pub key: &'static str,
    pub title: String,
    pub text: String,
}

pub fn part_views(page: &Page, parts: &Parts) -> Vec<PartView> {
    Parts::KEYS
        .into_iter()
        .map(|k| PartView {
            key: k,
            title: page.t(&format!("report.part.{k}")),
            text: parts.get(k).to_string(),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "shared/report.html")]
pub struct ReportPage {
    pub shell: Shell,
    pub preview: bool,
    pub dialogue_id: i64,
    pub report_id: i64,
    pub subject: String,
    pub kind: String,
    pub held_on: String,
    pub author: String,
    pub parts: Vec<PartView>,
    pub sent: Option<String>,
    pub acknowledged: Option<String>,
    pub support: String,
    pub blocked: Vec<String>,
    pub may_acknowledge: bool,
    pub may_print: bool,
    /// For the consultant's preview: each withheld topic to tick as absent before sending.
    pub withheld: Vec<String>,
    /// When the employee withdrew consent after it was sent (the employee and the author
    /// are told; the manager gets the withdrawn page instead).
    pub retracted: Option<String>,
}
