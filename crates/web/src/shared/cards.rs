//! Small views of things more than one feature lists: a dialogue's line, a follow-up due
//! on a commitment, a role-model story as the viewer may see it. Presentation only: what
//! may be shown was decided by the policy before (and, for stories, by
//! `app::role_models::view_of` here).

use super::auth::{Auth, Page};
use super::time::when;
use domain::policy::StoryView;
use store::dialogues::Dialogue;
use store::role_models::Story;

/// One dialogue in a list.
pub struct Row {
    pub id: i64,
    pub when: String,
    pub kind: String,
    pub subject: String,
    pub facilitator: String,
    pub state_key: &'static str,
    pub state: String,
    pub place: String,
}

pub fn row(page: &Page, d: &Dialogue) -> Row {
    Row {
        id: d.id,
        when: when(d.starts_at),
        kind: page.t(&format!("dialogue.kind.{}", d.kind.key())),
        subject: d.subject_name.clone(),
        facilitator: d.facilitator_name.clone(),
        state_key: d.state.key(),
        state: page.t(&format!("dialogue.state.{}", d.state.key())),
        place: d.place.clone(),
    }
}

/// A follow-up due on a commitment (始めましたか？).
pub struct CheckIn {
    pub dialogue_id: i64,
    pub action: String,
    pub starts_on: String,
    pub subject: String,
}

/// A story as a page shows it, already cut to what the viewer may see.
pub struct StoryCard {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// The colleague's name, or empty when they chose not to be named.
    pub name: String,
    pub anchor_key: String,
    pub theme_keys: Vec<String>,
    pub outcome_key: String,
    pub consent_key: &'static str,
    /// The viewer is the colleague or the writer (sees the consent state).
    pub full: bool,
}

/// The story as `auth` may see it, or nothing.
pub fn card(s: &Story, auth: &Auth) -> Option<StoryCard> {
    Some(card_as(s, app::role_models::view_of(&auth.actor, s)?))
}

/// The story as the policy's `view` of it lets it be shown.
pub fn card_as(s: &Story, view: StoryView) -> StoryCard {
    let name = match view {
        StoryView::Full | StoryView::Published { named: true } => s.subject_name.clone(),
        StoryView::Published { named: false } => String::new(),
    };
    StoryCard {
        id: s.id,
        title: s.title.clone(),
        body: s.body.clone(),
        name,
        anchor_key: s.anchor.map(|a| a.key().to_string()).unwrap_or_default(),
        theme_keys: s.themes.iter().map(|t| t.key().to_string()).collect(),
        outcome_key: s.outcome.key().to_string(),
        consent_key: s.consent.key(),
        full: view == StoryView::Full,
    }
}
