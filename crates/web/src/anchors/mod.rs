//! キャリア・アンカー: the inventory on マイキャリア. The employee answers the 40
//! statements, picks the three most true, and sees their profile as a radar chart, the
//! dominant anchor(s) (ties as ties) and what each anchor means; every take is kept.
//! Only the person sees their own answers and profile here.

pub mod api;

use crate::shared::auth::{Auth, Page, set_flash};
use crate::shared::error::AppError;
use crate::shared::i18n::Lang;
use crate::shared::shell::Shell;
use crate::shared::time::when;
use crate::{AppState, FormData};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::PersonId;
use domain::anchor::{self, Anchor, AnswerSheet, PICKS, Profile, SheetError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/my/anchors", get(result_page).post(submit))
        .route("/my/anchors/take", get(take_page))
}

/// One statement on the form, with what was answered.
pub struct Item {
    pub number: usize,
    pub text: String,
    pub rating: Option<u8>,
    pub picked: bool,
    /// It has a problem (no rating, or out of range) after a refused submit.
    pub flagged: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "anchors/take.html")]
struct TakePage {
    shell: Shell,
    items: Vec<Item>,
    errors: Vec<String>,
    picks: usize,
}

impl TakePage {
    /// How many statements have a rating (the counter above the list).
    fn answered(&self) -> usize {
        self.items.iter().filter(|i| i.rating.is_some()).count()
    }
}

/// An anchor's line in the result.
pub struct Line {
    pub key: &'static str,
    pub score: String,
    pub dominant: bool,
}

/// A past take.
pub struct Past {
    pub at: String,
    pub dominant: Vec<&'static str>,
}

#[derive(Template, WebTemplate)]
#[template(path = "anchors/results.html")]
struct ResultPage {
    shell: Shell,
    taken: Option<String>,
    lines: Vec<Line>,
    dominant: Vec<&'static str>,
    chart: String,
    history: Vec<Past>,
}

async fn my_person(state: &AppState, auth: &Auth) -> Result<PersonId, AppError> {
    Ok(app::anchors::own_person(&state.store, &auth.actor).await?)
}

fn items(lang: Lang, sheet: Option<&FormData>, flagged: &[usize]) -> Vec<Item> {
    anchor::statements()
        .into_iter()
        .map(|s| Item {
            number: s.number,
            text: if lang == Lang::En { s.en } else { s.ja }.to_string(),
            rating: sheet.and_then(|f| f.get(&format!("r{}", s.number)).parse().ok()),
            picked: sheet.is_some_and(|f| f.get_all("picks").any(|p| p == s.number.to_string())),
            flagged: flagged.contains(&s.number),
        })
        .collect()
}

/// GET /my/anchors/take
async fn take_page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<TakePage, AppError> {
    my_person(&state, &auth).await?;
    Ok(TakePage {
        shell: page.shell(Some(&auth), "/my"),
        items: items(page.lang, None, &[]),
        errors: Vec::new(),
        picks: PICKS,
    })
}

/// POST /my/anchors — scored and kept; a sheet with a problem comes back as answered,
/// with every problem named.
async fn submit(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    form: FormData,
) -> Result<Response, AppError> {
    my_person(&state, &auth).await?;
    let picks: Vec<String> = form.get_all("picks").map(str::to_string).collect();
    match AnswerSheet::parse(|n| form.get(&format!("r{n}")).to_string(), &picks) {
        Ok(sheet) => {
            app::anchors::keep(&state.store, &auth.actor, &sheet, state.clock.now()).await?;
            set_flash(&page.session, "success", page.t("anchors.saved")).await?;
            Ok(Redirect::to("/my/anchors").into_response())
        }
        Err(errors) => {
            let mut flagged = Vec::new();
            let texts = errors
                .iter()
                .map(|e| match e {
                    SheetError::Missing { numbers } => {
                        flagged.extend(numbers);
                        page.lang.catalog().format(
                            "anchors.error.missing",
                            &[
                                ("n", &numbers.len()),
                                (
                                    "numbers",
                                    &numbers
                                        .iter()
                                        .map(ToString::to_string)
                                        .collect::<Vec<_>>()
                                        .join("、"),
                                ),
                            ],
                        )
                    }
                    SheetError::OutOfRange { number, .. } => {
                        flagged.push(*number);
                        page.tf("anchors.error.range", "number", number)
                    }
                    SheetError::PickCount { picked: 0 } => page.t("anchors.error.picks_none"),
                    SheetError::PickCount { picked } => page.tf("anchors.error.picks", "n", picked),
                    SheetError::BadPick { .. } => page.t("anchors.error.bad_pick"),
                })
                .collect();
            let body = TakePage {
                shell: page.shell(Some(&auth), "/my"),
                items: items(page.lang, Some(&form), &flagged),
                errors: texts,
                picks: PICKS,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// GET /my/anchors — the latest profile and the history.
async fn result_page(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<ResultPage, AppError> {
    let takes = app::anchors::takes(&state.store, &auth.actor).await?;
    let latest = takes.first().map(|t| (t, anchor::score(&t.sheet)));
    let (lines, dominant, chart, taken) = match &latest {
        Some((t, p)) => (
            p.totals
                .iter()
                .map(|(a, _)| Line {
                    key: a.key(),
                    score: format!("{:.1}", p.score(*a)),
                    dominant: p.dominant.contains(a),
                })
                .collect(),
            p.dominant.iter().map(|a| a.key()).collect(),
            radar(&page, p),
            Some(when(t.taken_at)),
        ),
        None => (Vec::new(), Vec::new(), String::new(), None),
    };
    Ok(ResultPage {
        shell: page.shell(Some(&auth), "/my"),
        taken,
        lines,
        dominant,
        chart,
        // Every take but the latest (shown above).
        history: takes
            .get(1..)
            .unwrap_or_default()
            .iter()
            .map(|t| Past {
                at: when(t.taken_at),
                dominant: anchor::score(&t.sheet)
                    .dominant
                    .iter()
                    .map(|a| a.key())
                    .collect(),
            })
            .collect(),
    })
}

/// The profile as an SVG radar chart: one axis per anchor, 0 at the centre, the highest
/// possible score (8.4) at the rim.
fn radar(page: &Page, p: &Profile) -> String {
    const R: f64 = 110.0;
    const MAX: f64 = 8.4;
    let (cx, cy) = (170.0, 150.0);
    let n = Anchor::ALL.len() as f64;
    let point = |i: usize, r: f64| {
        let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n;
        (cx + r * angle.cos(), cy + r * angle.sin())
    };
    let mut svg = format!(
        r#"<svg viewBox="0 0 340 300" role="img" aria-label="{}" class="radar" data-testid="anchor-radar" xmlns="http://www.w3.org/2000/svg">"#,
        page.t("anchors.chart_label")
    );
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let pts: Vec<String> = (0..Anchor::ALL.len())
            .map(|i| {
                let (x, y) = point(i, R * ring);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        svg.push_str(&format!(
            r##"<polygon points="{}" fill="none" stroke="#d5dbe1" stroke-width="1"/>"##,
            pts.join(" ")
        ));
    }
    for (i, a) in Anchor::ALL.iter().enumerate() {
        let (x, y) = point(i, R);
        let (lx, ly) = point(i, R + 18.0);
        let anchor_pos = if (lx - cx).abs() < 5.0 {
            "middle"
        } else if lx > cx {
            "start"
        } else {
            "end"
        };
        svg.push_str(&format!(
            r##"<line x1="{cx}" y1="{cy}" x2="{x:.1}" y2="{y:.1}" stroke="#d5dbe1"/><text x="{lx:.1}" y="{:.1}" font-size="12" text-anchor="{anchor_pos}" fill="#4a5560">{}</text>"##,
            ly + 4.0,
            page.t(&format!("anchor.short.{}", a.key()))
        ));
    }
    let pts: Vec<String> = Anchor::ALL
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (x, y) = point(i, R * (p.score(*a) / MAX).clamp(0.0, 1.0));
            format!("{x:.1},{y:.1}")
        })
        .collect();
    svg.push_str(&format!(
        r##"<polygon points="{}" fill="currentColor" fill-opacity="0.25" stroke="currentColor" stroke-width="2" data-testid="anchor-profile"/></svg>"##,
        pts.join(" ")
    ));
    svg
}
