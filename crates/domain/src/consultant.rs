//! キャリアコンサルタントのプロフィール: what a consultant (external, or internal with an
//! employee record) tells employees about themselves so they can choose one
//! (DOMAIN.md: Consultant matching). The consultant maintains it; [`parse_profile`]
//! checks a whole form at once and names every field that is wrong.

use serde::Serialize;

/// What employees may want to talk about, and what consultants know well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// 転職
    JobChange,
    /// 独立・起業
    Independence,
    /// 育児・介護との両立
    CareAndWork,
    /// ミドルシニア
    MiddleSenior,
    /// 管理職
    Management,
    /// 若手
    EarlyCareer,
    /// 異動
    Transfer,
    /// 学び直し
    Relearning,
    /// メンタル不調の手前
    BeforeBurnout,
    /// 定年後の働き方
    AfterRetirement,
}

impl Theme {
    pub const ALL: [Theme; 10] = [
        Theme::JobChange,
        Theme::Independence,
        Theme::CareAndWork,
        Theme::MiddleSenior,
        Theme::Management,
        Theme::EarlyCareer,
        Theme::Transfer,
        Theme::Relearning,
        Theme::BeforeBurnout,
        Theme::AfterRetirement,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Theme::JobChange => "job_change",
            Theme::Independence => "independence",
            Theme::CareAndWork => "care_and_work",
            Theme::MiddleSenior => "middle_senior",
            Theme::Management => "management",
            Theme::EarlyCareer => "early_career",
            Theme::Transfer => "transfer",
            Theme::Relearning => "relearning",
            Theme::BeforeBurnout => "before_burnout",
            Theme::AfterRetirement => "after_retirement",
        }
    }

    pub fn parse(key: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// How a consultant works in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// 聴く
    Listen,
    /// 一緒に考える
    ThinkTogether,
    /// 助言する
    Advise,
}

impl Style {
    pub const ALL: [Style; 3] = [Style::Listen, Style::ThinkTogether, Style::Advise];

    pub fn key(self) -> &'static str {
        match self {
            Style::Listen => "listen",
            Style::ThinkTogether => "think_together",
            Style::Advise => "advise",
        }
    }

    pub fn parse(key: &str) -> Option<Style> {
        Style::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// An age band, given only if the consultant wants it shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    Twenties,
    Thirties,
    Forties,
    Fifties,
    SixtiesAndOver,
}

impl AgeBand {
    pub const ALL: [AgeBand; 5] = [
        AgeBand::Twenties,
        AgeBand::Thirties,
        AgeBand::Forties,
        AgeBand::Fifties,
        AgeBand::SixtiesAndOver,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AgeBand::Twenties => "twenties",
            AgeBand::Thirties => "thirties",
            AgeBand::Forties => "forties",
            AgeBand::Fifties => "fifties",
            AgeBand::SixtiesAndOver => "sixties_and_over",
        }
    }

    pub fn parse(key: &str) -> Option<AgeBand> {
        AgeBand::ALL.into_iter().find(|a| a.key() == key)
    }
}

/// A gender, given only if the consultant wants it shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Woman,
    Man,
    Other,
}

impl Gender {
    pub const ALL: [Gender; 3] = [Gender::Woman, Gender::Man, Gender::Other];

    pub fn key(self) -> &'static str {
        match self {
            Gender::Woman => "woman",
            Gender::Man => "man",
            Gender::Other => "other",
        }
    }

    pub fn parse(key: &str) -> Option<Gender> {
        Gender::ALL.into_iter().find(|g| g.key() == key)
    }
}

pub const MAX_NAME_CHARS: usize = 60;
pub const MAX_MESSAGE_CHARS: usize = 1000;
/// Certifications, industries, job families, languages: free text of this length.
pub const MAX_LIST_CHARS: usize = 400;
pub const MAX_YEARS: u8 = 60;
pub const MAX_CAPACITY: u16 = 200;

/// A consultant's profile as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub display_name: String,
    /// Reading of the name in katakana (hiragana typed is folded to katakana).
    pub kana: String,
    /// 国家資格キャリアコンサルタント登録番号: eight digits.
    pub registration_number: String,
    pub certifications: String,
    pub years_of_practice: u8,
    pub themes: Vec<Theme>,
    pub industries: String,
    pub job_families: String,
    pub age_band: Option<AgeBand>,
    pub gender: Option<Gender>,
    pub style: Style,
    pub message: String,
    pub languages: String,
    /// Sessions a month they take on.
    pub capacity_per_month: u16,
}

/// The profile form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileInput {
    pub display_name: String,
    pub kana: String,
    pub registration_number: String,
    pub certifications: String,
    pub years_of_practice: String,
    pub themes: Vec<String>,
    pub industries: String,
    pub job_families: String,
    pub age_band: String,
    pub gender: String,
    pub style: String,
    pub message: String,
    pub languages: String,
    pub capacity_per_month: String,
}

/// What is wrong with one field: (field, problem) — both keys for the message
/// `consultant.error.{field}.{problem}`.
pub type FieldError = (&'static str, &'static str);

/// The registration number as typed (full-width digits, 「第…号」, spaces and hyphens
/// allowed) as its eight digits.
pub fn parse_registration_number(raw: &str) -> Result<String, &'static str> {
    let folded = crate::import::values::normalise(raw);
    let digits: String = folded
        .trim()
        .trim_start_matches('第')
        .trim_end_matches('号')
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if digits.is_empty() {
        return Err("required");
    }
    if digits.len() != 8 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("format");
    }
    Ok(digits)
}

/// Hiragana folded to katakana; anything but kana, the long-vowel mark, middle dot and
/// spaces refused.
fn parse_kana(raw: &str) -> Result<String, &'static str> {
    let folded: String = crate::import::values::normalise(raw)
        .trim()
        .chars()
        .map(|c| match c {
            'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            other => other,
        })
        .collect();
    if folded.is_empty() {
        return Err("required");
    }
    if !folded
        .chars()
        .all(|c| matches!(c, 'ァ'..='ヺ' | 'ー' | '・' | ' ' | '\u{3000}'))
    {
        return Err("kana");
    }
    Ok(folded)
}

fn text(raw: &str, max: usize, required: bool) -> Result<String, &'static str> {
    let t = raw.trim().replace("\r\n", "\n");
    if required && t.is_empty() {
        return Err("required");
    }
    if t.chars().count() > max {
        return Err("too_long");
    }
    Ok(t)
}

fn number<T: std::str::FromStr + PartialOrd>(raw: &str, max: T) -> Result<T, &'static str> {
    let folded = crate::import::values::normalise(raw);
    let n: T = folded.trim().parse().map_err(|_| "number")?;
    if n > max {
        return Err("range");
    }
    Ok(n)
}

/// Checks the whole form: the profile, or every field that is wrong (nothing is saved
/// then). Optional fields left empty stay empty; an age band or gender not given is not
/// shown.
pub fn parse_profile(input: &ProfileInput) -> Result<Profile, Vec<FieldError>> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut take = |field: &'static str, r: Result<String, &'static str>| match r {
        Ok(v) => v,
        Err(e) => {
            errors.push((field, e));
            String::new()
        }
    };
    let display_name = take(
        "display_name",
        text(&input.display_name, MAX_NAME_CHARS, true),
    );
    let kana = take("kana", parse_kana(&input.kana));
    let registration_number = take(
        "registration_number",
        parse_registration_number(&input.registration_number),
    );
    let certifications = take(
        "certifications",
        text(&input.certifications, MAX_LIST_CHARS, false),
    );
    let industries = take("industries", text(&input.industries, MAX_LIST_CHARS, false));
    let job_families = take(
        "job_families",
        text(&input.job_families, MAX_LIST_CHARS, false),
    );
    let message = take("message", text(&input.message, MAX_MESSAGE_CHARS, true));
    let languages = take("languages", text(&input.languages, MAX_LIST_CHARS, false));
    let years_of_practice = match number::<u8>(&input.years_of_practice, MAX_YEARS) {
        Ok(n) => n,
        Err(e) => {
            errors.push(("years_of_practice", e));
            0
        }
    };
    let capacity_per_month = match number::<u16>(&input.capacity_per_month, MAX_CAPACITY) {
        Ok(n) => n,
        Err(e) => {
            errors.push(("capacity_per_month", e));
            0
        }
    };
    let mut themes: Vec<Theme> = input
        .themes
        .iter()
        .filter_map(|k| Theme::parse(k))
        .collect();
    themes.sort();
    themes.dedup();
    if !input.themes.iter().all(|k| Theme::parse(k).is_some()) {
        errors.push(("themes", "unknown"));
    } else if themes.is_empty() {
        errors.push(("themes", "required"));
    }
    let style = Style::parse(&input.style);
    if style.is_none() {
        errors.push(("style", "required"));
    }
    let optional = |raw: &str| raw.trim().is_empty();
    let age_band = AgeBand::parse(&input.age_band);
    if age_band.is_none() && !optional(&input.age_band) {
        errors.push(("age_band", "unknown"));
    }
    let gender = Gender::parse(&input.gender);
    if gender.is_none() && !optional(&input.gender) {
        errors.push(("gender", "unknown"));
    }
    match (errors.is_empty(), style) {
        (true, Some(style)) => Ok(Profile {
            display_name,
            kana,
            registration_number,
            certifications,
            years_of_practice,
            themes,
            industries,
            job_families,
            age_band,
            gender,
            style,
            message,
            languages,
            capacity_per_month,
        }),
        _ => Err(errors),
    }
}

/// Where the employee would like to talk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    Online,
    InPerson,
    /// Either suits them.
    Either,
}

impl Setting {
    pub const ALL: [Setting; 3] = [Setting::Online, Setting::InPerson, Setting::Either];

    pub fn key(self) -> &'static str {
        match self {
            Setting::Online => "online",
            Setting::InPerson => "in_person",
            Setting::Either => "either",
        }
    }

    pub fn parse(key: &str) -> Option<Setting> {
        Setting::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Themes an employee may pick for one diagnosis.
pub const MAX_DIAGNOSIS_THEMES: usize = 3;
pub const MAX_OWN_WORDS_CHARS: usize = 500;

/// The employee's values diagnosis (価値観診断) besides their anchor profile: the themes
/// they want to talk about, their own words (kept to them alone, sealed like notes),
/// and what they would prefer in a consultant. Every preference is optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    pub themes: Vec<Theme>,
    pub own_words: String,
    pub style: Option<Style>,
    pub age_band: Option<AgeBand>,
    pub gender: Option<Gender>,
    /// Someone who knows this industry (free words, optional).
    pub industry: String,
    pub setting: Setting,
}

/// The diagnosis form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiagnosisInput {
    pub themes: Vec<String>,
    pub own_words: String,
    pub style: String,
    pub age_band: String,
    pub gender: String,
    pub industry: String,
    pub setting: String,
}

/// Checks the diagnosis as a whole: one to three themes, the rest optional.
pub fn parse_diagnosis(input: &DiagnosisInput) -> Result<Diagnosis, Vec<FieldError>> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut themes: Vec<Theme> = input
        .themes
        .iter()
        .filter_map(|k| Theme::parse(k))
        .collect();
    themes.sort();
    themes.dedup();
    if !input.themes.iter().all(|k| Theme::parse(k).is_some()) {
        errors.push(("themes", "unknown"));
    } else if themes.is_empty() {
        errors.push(("themes", "required"));
    } else if themes.len() > MAX_DIAGNOSIS_THEMES {
        errors.push(("themes", "too_many"));
    }
    let own_words = match text(&input.own_words, MAX_OWN_WORDS_CHARS, false) {
        Ok(t) => t,
        Err(e) => {
            errors.push(("own_words", e));
            String::new()
        }
    };
    let industry = match text(&input.industry, MAX_LIST_CHARS, false) {
        Ok(t) => t,
        Err(e) => {
            errors.push(("industry", e));
            String::new()
        }
    };
    let optional = |raw: &str| raw.trim().is_empty();
    let style = Style::parse(&input.style);
    if style.is_none() && !optional(&input.style) {
        errors.push(("style", "unknown"));
    }
    let age_band = AgeBand::parse(&input.age_band);
    if age_band.is_none() && !optional(&input.age_band) {
        errors.push(("age_band", "unknown"));
    }
    let gender = Gender::parse(&input.gender);
    if gender.is_none() && !optional(&input.gender) {
        errors.push(("gender", "unknown"));
    }
    let setting = if optional(&input.setting) {
        Some(Setting::Either)
    } else {
        Setting::parse(&input.setting)
    };
    if setting.is_none() {
        errors.push(("setting", "unknown"));
    }
    match (errors.is_empty(), setting) {
        (true, Some(setting)) => Ok(Diagnosis {
            themes,
            own_words,
            style,
            age_band,
            gender,
            industry,
            setting,
        }),
        _ => Err(errors),
    }
}

/// Lengths a slot may have, in minutes.
pub const SLOT_MINUTES: [u32; 4] = [30, 45, 60, 90];
/// At most this many weeks of a weekly slot are added at once.
pub const MAX_SLOT_WEEKS: u32 = 12;
/// Slots are offered at most this many days ahead.
pub const MAX_SLOT_DAYS_AHEAD: i64 = 180;

/// The open-slot form (空き枠を追加) as typed: a date, a start time, a length, online or
/// in person, and for how many weeks it repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotInput {
    pub date: String,
    pub time: String,
    pub minutes: String,
    pub setting: String,
    pub weeks: String,
}

/// A slot as checked: start (Japan time), minutes, setting.
pub type NewSlot = (chrono::NaiveDateTime, u32, Setting);

/// Checks the slot form against `now` (Japan time): the slots it adds, weekly, or every
/// field that is wrong. A slot must start in the future and within
/// [`MAX_SLOT_DAYS_AHEAD`] days; a setting is online or in person (not "either").
pub fn parse_slots(
    input: &SlotInput,
    now: chrono::NaiveDateTime,
) -> Result<Vec<NewSlot>, Vec<FieldError>> {
    use chrono::{NaiveDate, NaiveTime};
    let mut errors: Vec<FieldError> = Vec::new();
    let date = NaiveDate::parse_from_str(input.date.trim(), "%Y-%m-%d").ok();
    if date.is_none() {
        errors.push((
            "date",
            if input.date.trim().is_empty() {
                "required"
            } else {
                "format"
            },
        ));
    }
    let time = NaiveTime::parse_from_str(input.time.trim(), "%H:%M").ok();
    if time.is_none() {
        errors.push((
            "time",
            if input.time.trim().is_empty() {
                "required"
            } else {
                "format"
            },
        ));
    }
    let minutes = input
        .minutes
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|m| SLOT_MINUTES.contains(m));
    if minutes.is_none() {
        errors.push(("minutes", "unknown"));
    }
    let setting = Setting::parse(input.setting.trim()).filter(|s| *s != Setting::Either);
    if setting.is_none() {
        errors.push(("setting", "required"));
    }
    let weeks = if input.weeks.trim().is_empty() {
        Some(1)
    } else {
        crate::import::values::normalise(&input.weeks)
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|w| (1..=MAX_SLOT_WEEKS).contains(w))
    };
    if weeks.is_none() {
        errors.push(("weeks", "range"));
    }
    let (Some(date), Some(time), Some(minutes), Some(setting), Some(weeks)) =
        (date, time, minutes, setting, weeks)
    else {
        return Err(errors);
    };
    let first = date.and_time(time);
    if first <= now {
        return Err(vec![("date", "past")]);
    }
    let last = first + chrono::Duration::weeks(i64::from(weeks) - 1);
    if last > now + chrono::Duration::days(MAX_SLOT_DAYS_AHEAD) {
        return Err(vec![("date", "too_far")]);
    }
    Ok((0..weeks)
        .map(|w| {
            (
                first + chrono::Duration::weeks(i64::from(w)),
                minutes,
                setting,
            )
        })
        .collect())
}

/// Do two periods (start, minutes) overlap? Touching ends do not.
pub fn overlaps(a: (chrono::NaiveDateTime, u32), b: (chrono::NaiveDateTime, u32)) -> bool {
    let end = |(s, m): (chrono::NaiveDateTime, u32)| s + chrono::Duration::minutes(i64::from(m));
    a.0 < end(b) && b.0 < end(a)
}

/// A profile photo may be this large.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;
/// And at most this many pixels on a side.
pub const MAX_PHOTO_SIDE: u32 = 4000;

/// Why a photo was refused (`consultant.photo_error.{key}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoRefusal {
    Empty,
    TooLarge,
    /// Not a PNG, JPEG or WebP image (by its content, whatever its name says).
    Kind,
    /// No size could be read, or a side over [`MAX_PHOTO_SIDE`].
    Dimensions,
}

impl PhotoRefusal {
    pub fn key(self) -> &'static str {
        match self {
            PhotoRefusal::Empty => "empty",
            PhotoRefusal::TooLarge => "too_large",
            PhotoRefusal::Kind => "kind",
            PhotoRefusal::Dimensions => "dimensions",
        }
    }
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|x| u32::from_be_bytes([x[0], x[1], x[2], x[3]]))
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 2)
        .map(|x| u32::from(u16::from_be_bytes([x[0], x[1]])))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 2)
        .map(|x| u32::from(u16::from_le_bytes([x[0], x[1]])))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 3)
        .map(|x| u32::from(x[0]) | u32::from(x[1]) << 8 | u32::from(x[2]) << 16)
}

/// The width and height a JPEG declares in its first start-of-frame segment.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    while at + 9 < b.len() {
        if b[at] != 0xFF {
            return None;
        }
        let marker = b[at + 1];
        let len = be16(b, at + 2)? as usize;
        // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            return Some((be16(b, at + 7)?, be16(b, at + 5)?));
        }
        at += 2 + len;
    }
    None
}

/// What a profile photo is, read from its content (never its name): the content type
/// and its size in pixels — a PNG's header, a JPEG's frame, a WebP's chunk. Anything
/// else, or a size that cannot be read, is refused.
pub fn photo_kind(bytes: &[u8]) -> Result<(&'static str, u32, u32), PhotoRefusal> {
    if bytes.is_empty() {
        return Err(PhotoRefusal::Empty);
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoRefusal::TooLarge);
    }
    let (kind, size) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        if bytes.get(12..16) != Some(b"IHDR") {
            return Err(PhotoRefusal::Kind);
        }
        ("image/png", be32(bytes, 16).zip(be32(bytes, 20)))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ("image/jpeg", jpeg_size(bytes))
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        let size = match bytes.get(12..16) {
            Some(b"VP8 ") => le16(bytes, 26)
                .zip(le16(bytes, 28))
                .map(|(w, h)| (w & 0x3FFF, h & 0x3FFF)),
            Some(b"VP8L") => bytes.get(21..25).map(|x| {
                let v = u32::from_le_bytes([x[0], x[1], x[2], x[3]]);
                ((v & 0x3FFF) + 1, ((v >> 14) & 0x3FFF) + 1)
            }),
            Some(b"VP8X") => le24(bytes, 24)
                .zip(le24(bytes, 27))
                .map(|(w, h)| (w + 1, h + 1)),
            _ => None,
        };
        ("image/webp", size)
    } else {
        return Err(PhotoRefusal::Kind);
    };
    match size {
        Some((w, h)) if w > 0 && h > 0 && w <= MAX_PHOTO_SIDE && h <= MAX_PHOTO_SIDE => {
            Ok((kind, w, h))
        }
        _ => Err(PhotoRefusal::Dimensions),
    }
}

/// Themes as stored: keys joined by commas (unknown keys dropped when read back).
pub fn themes_to_text(themes: &[Theme]) -> String {
    themes.iter().map(|t| t.key()).collect::<Vec<_>>().join(",")
}

pub fn themes_from_text(text: &str) -> Vec<Theme> {
    text.split(',').filter_map(Theme::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProfileInput {
        ProfileInput {
            display_name: "田中 由紀".into(),
            kana: "たなか ゆき".into(),
            registration_number: "第１６０１２３４５号".into(),
            certifications: "2級キャリアコンサルティング技能士".into(),
            years_of_practice: "１２".into(),
            themes: vec!["care_and_work".into(), "middle_senior".into()],
            industries: "製造、小売".into(),
            job_families: "営業、人事".into(),
            age_band: "forties".into(),
            gender: String::new(),
            style: "listen".into(),
            message: "まずはゆっくりお話を伺います。".into(),
            languages: "日本語、英語".into(),
            capacity_per_month: "20".into(),
        }
    }

    #[test]
    fn slots_start_ahead_repeat_weekly_and_overlap_only_when_they_share_time() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("time");
        let ok = SlotInput {
            date: "2026-12-03".into(),
            time: "10:00".into(),
            minutes: "60".into(),
            setting: "online".into(),
            weeks: "３".into(),
        };
        let slots = parse_slots(&ok, now).expect("valid");
        assert_eq!(slots.len(), 3);
        assert_eq!(slots[2].0 - slots[0].0, chrono::Duration::weeks(2));
        let past = SlotInput {
            date: "2026-11-30".into(),
            ..ok.clone()
        };
        assert_eq!(parse_slots(&past, now), Err(vec![("date", "past")]));
        let far = SlotInput {
            date: "2027-06-30".into(),
            ..ok.clone()
        };
        assert_eq!(parse_slots(&far, now), Err(vec![("date", "too_far")]));
        let wrong = SlotInput {
            date: "3 December".into(),
            time: "25:00".into(),
            minutes: "50".into(),
            setting: "either".into(),
            weeks: "13".into(),
        };
        assert_eq!(
            parse_slots(&wrong, now),
            Err(vec![
                ("date", "format"),
                ("time", "format"),
                ("minutes", "unknown"),
                ("setting", "required"),
                ("weeks", "range")
            ])
        );
        let at = |h: u32, m: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 12, 3)
                .and_then(|d| d.and_hms_opt(h, m, 0))
                .expect("time")
        };
        assert!(overlaps((at(10, 0), 60), (at(10, 30), 30)));
        assert!(!overlaps((at(10, 0), 60), (at(11, 0), 30)), "touching ends");
        assert!(overlaps((at(10, 0), 90), (at(9, 0), 90)));
    }

    /// A 2×3 PNG's first bytes (signature and header chunk).
    pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    #[test]
    fn a_photo_is_known_by_its_content_and_its_size() {
        assert_eq!(photo_kind(&png(2, 3)), Ok(("image/png", 2, 3)));
        assert_eq!(photo_kind(&png(5000, 3)), Err(PhotoRefusal::Dimensions));
        assert_eq!(photo_kind(&png(0, 3)), Err(PhotoRefusal::Dimensions));
        let jpeg = [
            &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16][..],
            &[0; 14],
            &[0xFF, 0xC0, 0, 17, 8, 0, 40, 0, 30],
            &[0; 12],
        ]
        .concat();
        assert_eq!(photo_kind(&jpeg), Ok(("image/jpeg", 30, 40)));
        assert_eq!(photo_kind(b"GIF89a...."), Err(PhotoRefusal::Kind));
        assert_eq!(
            photo_kind(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Err(PhotoRefusal::Kind),
            "an SVG (which can carry script) is not a photo"
        );
        assert_eq!(photo_kind(b""), Err(PhotoRefusal::Empty));
        assert_eq!(
            photo_kind(&vec![0xFF; MAX_PHOTO_BYTES + 1]),
            Err(PhotoRefusal::TooLarge)
        );
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X".to_vec();
        webp.extend([10, 0, 0, 0, 0, 0, 0, 0]);
        webp.extend([99, 0, 0, 199, 0, 0]);
        assert_eq!(photo_kind(&webp), Ok(("image/webp", 100, 200)));
    }

    #[test]
    fn a_diagnosis_takes_one_to_three_themes_and_optional_preferences() {
        let ok = DiagnosisInput {
            themes: vec!["care_and_work".into(), "transfer".into()],
            own_words: "母の介護と転勤の両立".into(),
            ..DiagnosisInput::default()
        };
        let d = parse_diagnosis(&ok).expect("valid");
        assert_eq!(d.themes, vec![Theme::CareAndWork, Theme::Transfer]);
        assert_eq!(
            (d.style, d.gender, d.setting),
            (None, None, Setting::Either)
        );
        let none = DiagnosisInput {
            themes: vec![],
            ..ok.clone()
        };
        assert_eq!(parse_diagnosis(&none), Err(vec![("themes", "required")]));
        let four = DiagnosisInput {
            themes: ["job_change", "transfer", "relearning", "management"]
                .map(String::from)
                .to_vec(),
            ..ok.clone()
        };
        assert_eq!(parse_diagnosis(&four), Err(vec![("themes", "too_many")]));
        let wrong = DiagnosisInput {
            style: "shout".into(),
            setting: "moon".into(),
            own_words: "あ".repeat(MAX_OWN_WORDS_CHARS + 1),
            ..ok
        };
        let errors = parse_diagnosis(&wrong).expect_err("invalid");
        for e in [
            ("style", "unknown"),
            ("setting", "unknown"),
            ("own_words", "too_long"),
        ] {
            assert!(errors.contains(&e), "{e:?} in {errors:?}");
        }
    }

    #[test]
    fn a_profile_is_checked_as_a_whole_and_folded_to_one_form() {
        let p = parse_profile(&input()).expect("valid");
        assert_eq!(
            p.registration_number, "16012345",
            "full-width, 第…号 folded"
        );
        assert_eq!(p.kana, "タナカ ユキ", "hiragana folded to katakana");
        assert_eq!(p.years_of_practice, 12);
        assert_eq!(p.themes, vec![Theme::CareAndWork, Theme::MiddleSenior]);
        assert_eq!(p.age_band, Some(AgeBand::Forties));
        assert_eq!(p.gender, None, "not given, not shown");
        let bad = ProfileInput {
            registration_number: "1601234".into(),
            kana: "Tanaka".into(),
            years_of_practice: "たくさん".into(),
            themes: vec![],
            style: String::new(),
            gender: "unknown-key".into(),
            capacity_per_month: "999".into(),
            ..input()
        };
        let errors = parse_profile(&bad).expect_err("invalid");
        for e in [
            ("registration_number", "format"),
            ("kana", "kana"),
            ("years_of_practice", "number"),
            ("themes", "required"),
            ("style", "required"),
            ("gender", "unknown"),
            ("capacity_per_month", "range"),
        ] {
            assert!(errors.contains(&e), "{e:?} in {errors:?}");
        }
        assert_eq!(
            parse_registration_number("1601-2345"),
            Ok("16012345".into())
        );
        assert_eq!(parse_registration_number(""), Err("required"));
        assert_eq!(parse_registration_number("A6012345"), Err("format"));
        let unknown_theme = ProfileInput {
            themes: vec!["care_and_work".into(), "astrology".into()],
            ..input()
        };
        assert_eq!(
            parse_profile(&unknown_theme),
            Err(vec![("themes", "unknown")])
        );
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.key()), Some(t));
        }
        assert_eq!(
            themes_from_text(&themes_to_text(&Theme::ALL)),
            Theme::ALL.to_vec()
        );
    }
}
