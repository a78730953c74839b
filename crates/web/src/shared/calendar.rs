//! Calendar objects (RFC 5545, RFC 5546) of dialogues: the files people download, the
//! private feed, and the invitations e-mailed on booking and cancellation. They carry
//! the kind, the subject's name, the time and the place — never what was said. A
//! dialogue's UID never changes; its SEQUENCE rises with each change, so mail programs
//! move or remove the event they already hold.

use app::i18n::Lang;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::dialogue::DialogueState;
use icalendar::{Component, EventLike, Property};
use store::dialogues::Dialogue;

/// One dialogue as an event, in `lang`.
pub fn event(lang: Lang, d: &Dialogue) -> icalendar::Event {
    let c = lang.catalog();
    let mut e = icalendar::Event::new();
    // Dialogue ids are unique across tenants, so the UID is stable and unique.
    e.uid(&format!("dialogue-{}@kyoritsu", d.id))
        .summary(&format!(
            "{}：{}",
            c.get(&format!("dialogue.kind.{}", d.kind.key())),
            d.subject_name
        ))
        .starts(d.starts_at)
        .ends(d.ends_at())
        .class(icalendar::Class::Confidential);
    if !d.place.is_empty() {
        e.location(&d.place);
    }
    if d.state == DialogueState::Cancelled {
        e.status(icalendar::EventStatus::Cancelled);
    }
    e.done()
}

/// Someone the invitation names: (name, address).
pub type Party<'a> = (&'a str, &'a str);

/// The invitation of a dialogue as an attendee's mail program takes it: `REQUEST` while
/// it is scheduled, `CANCEL` once cancelled, with the SEQUENCE given, the facilitator as
/// organiser and everyone attending. Returns (method, iCalendar text).
pub fn invitation(
    lang: Lang,
    d: &Dialogue,
    sequence: i64,
    organizer: Party<'_>,
    attendees: &[Party<'_>],
) -> (&'static str, String) {
    let method = if d.state == DialogueState::Cancelled {
        "CANCEL"
    } else {
        "REQUEST"
    };
    let mut e = event(lang, d);
    e.sequence(u32::try_from(sequence).unwrap_or(0));
    let mut org = Property::new("ORGANIZER", format!("mailto:{}", organizer.1));
    org.add_parameter("CN", organizer.0);
    e.append_property(org);
    for (name, address) in attendees {
        let mut a = Property::new("ATTENDEE", format!("mailto:{address}"));
        a.add_parameter("CN", name)
            .add_parameter("ROLE", "REQ-PARTICIPANT")
            .add_parameter("PARTSTAT", "NEEDS-ACTION");
        e.append_multi_property(a);
    }
    let mut cal = icalendar::Calendar::new();
    cal.append_property(Property::new("METHOD", method));
    cal.push(e.done());
    (method, cal.done().to_string())
}

/// A calendar as a download (or a feed a calendar program subscribes to).
pub fn ics_response(cal: icalendar::Calendar, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        cal.to_string(),
    )
        .into_response()
}
