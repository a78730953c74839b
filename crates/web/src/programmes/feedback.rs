//! 研修後アンケート: the participant's card on マイキャリア (answer once, after the session)
//! and HR's table beside the placement, by instructor style × participant segment.

use super::*;
use app::training_feedback::{FeedbackReport, Standing};
use domain::training_feedback::{Answer, Figures, STYLES, Topic};

/// The card on the participant's path.
pub struct FeedbackCard {
    /// open, given, not_yet or closed
    pub state: &'static str,
    pub detail: String,
    /// (value, label) for 1..=5
    pub useful_scale: Vec<(u8, String)>,
    pub fit_scale: Vec<(u8, String)>,
    /// As typed back after a refusal.
    pub useful: String,
    pub fit: String,
    /// (key, label, checked)
    pub topics: Vec<(&'static str, String, bool)>,
    pub errors: Vec<String>,
}

fn scale(page: &Page, which: &str) -> Vec<(u8, String)> {
    (1..=5u8)
        .map(|v| (v, page.t(&format!("training_feedback.{which}.{v}"))))
        .collect()
}

/// The card for `me`, or none when they are not placed in a training session.
pub(super) async fn card(
    state: &AppState,
    page: &Page,
    tenant: TenantId,
    programme: &Programme,
    me: PersonId,
    typed: Option<(&FormData, Vec<String>)>,
) -> Result<Option<FeedbackCard>, AppError> {
    let standing =
        app::training_feedback::standing(&state.store, tenant, programme, me, state.clock.now())
            .await?;
    let (state_key, detail) = match standing {
        Standing::NotPlaced => return Ok(None),
        Standing::NotYet { opens } => (
            "not_yet",
            page.tf(
                "training_feedback.opens",
                "when",
                crate::shared::time::when(opens),
            ),
        ),
        Standing::Open { until } => (
            "open",
            page.tf("training_feedback.until", "date", jst(until).date()),
        ),
        Standing::Given => ("given", page.t("training_feedback.given")),
        Standing::Closed => ("closed", page.t("training_feedback.closed")),
    };
    let (useful, fit, chosen, errors) = match typed {
        Some((f, errors)) => (
            f.get("useful").to_string(),
            f.get("fit").to_string(),
            f.get_all("topic").map(str::to_string).collect(),
            errors,
        ),
        None => (String::new(), String::new(), Vec::new(), Vec::new()),
    };
    Ok(Some(FeedbackCard {
        state: state_key,
        detail,
        useful_scale: scale(page, "useful_scale"),
        fit_scale: scale(page, "fit_scale"),
        useful,
        fit,
        topics: Topic::ALL
            .iter()
            .map(|t| {
                (
                    t.key(),
                    page.t(&format!("training_feedback.topic.{}", t.key())),
                    chosen.iter().any(|c| c == t.key()),
                )
            })
            .collect(),
        errors,
    }))
}

/// POST /my/programmes/{id}/training-feedback — the participant's answer, once.
pub(super) async fn give_feedback(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let me = me_in(&state, &auth, id).await?;
    let programme = load(&state, &auth, id).await?;
    let caller = auth.caller(&origin);
    let errors = match Answer::parse(form.get("useful"), form.get("fit"), form.get_all("topic")) {
        Ok(answer) => match app::training_feedback::give(
            &state.store,
            &caller,
            &programme,
            &answer,
            state.clock.now(),
        )
        .await?
        {
            Ok(()) => {
                set_flash(&page.session, "success", page.t("training_feedback.thanks")).await?;
                return Ok(
                    Redirect::to(&format!("/my/programmes/{id}#training-feedback")).into_response(),
                );
            }
            Err(r) => {
                // Nothing typed is lost that could be taken: say why on the page as it
                // now stands (the form is not there for those who cannot answer).
                set_flash(
                    &page.session,
                    "error",
                    page.t(&format!("training_feedback.refused.{}", r.key())),
                )
                .await?;
                return Ok(Redirect::to(&format!("/my/programmes/{id}")).into_response());
            }
        },
        Err(es) => es
            .iter()
            .map(|e| page.t(&format!("training_feedback.error.{}", e.key())))
            .collect(),
    };
    let view = render_my_path(&state, &page, &auth, me, programme, Some((&form, errors))).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response())
}

/// One line of HR's table.
pub struct FeedbackRow {
    pub label: String,
    /// A crossed cell where the instructor's style is the participant's segment.
    pub matched: bool,
    /// A summary line (matched / not matched / all).
    pub summary: bool,
    /// (respondents, usefulness, fit, share suited), or None when hidden.
    pub figures: Option<(u64, String, String, String)>,
}

/// HR's view of one column (this programme, or the company's recent programmes).
pub struct FeedbackTable {
    pub title: String,
    pub rows: Vec<FeedbackRow>,
    /// (topic, count), when the column's total is shown.
    pub topics: Option<Vec<(String, u64)>>,
}

pub struct FeedbackView {
    pub participation: String,
    pub note: String,
    pub tables: Vec<FeedbackTable>,
}

fn figures(f: Option<Figures>) -> Option<(u64, String, String, String)> {
    f.map(|f| {
        (
            f.respondents,
            format!("{:.1}", f.useful),
            format!("{:.1}", f.fit),
            pct(f.suited),
        )
    })
}

fn style_short(page: &Page, s: Style) -> String {
    page.t(&format!("training_feedback.style.{}", s.key()))
}

/// HR's post-training tables for the programme page.
pub(super) async fn feedback_view(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    programme: &Programme,
) -> Result<FeedbackView, AppError> {
    let caller = auth.caller(&Origin::default());
    let FeedbackReport {
        participation,
        k,
        programmes,
        years,
        report,
    } = app::training_feedback::report(&state.store, &caller, programme, state.clock.now()).await?;
    let table = |unit: usize, title: String| {
        let mut rows: Vec<FeedbackRow> = STYLES
            .iter()
            .flat_map(|s| STYLES.iter().map(move |g| (*s, *g)))
            .map(|(s, g)| FeedbackRow {
                label: page.lang.catalog().format(
                    "training_feedback.cell",
                    &[
                        ("style", &style_short(page, s)),
                        ("segment", &style_short(page, g)),
                    ],
                ),
                matched: s == g,
                summary: false,
                figures: figures(report.cell(unit, Some(s), Some(g))),
            })
            .collect();
        for (key, f) in [
            ("matched", report.fit_holds(unit, true)),
            ("mismatched", report.fit_holds(unit, false)),
            ("all", report.cell(unit, None, None)),
        ] {
            rows.push(FeedbackRow {
                label: page.t(&format!("training_feedback.row.{key}")),
                matched: false,
                summary: true,
                figures: figures(f),
            });
        }
        FeedbackTable {
            title,
            rows,
            topics: report.topics(unit).map(|ts| {
                ts.into_iter()
                    .map(|(t, n)| (page.t(&format!("training_feedback.topic.{}", t.key())), n))
                    .collect()
            }),
        }
    };
    Ok(FeedbackView {
        participation: page.lang.catalog().format(
            "training_feedback.participation",
            &[
                ("answered", &participation.answered.to_string()),
                ("asked", &participation.asked.to_string()),
            ],
        ),
        note: page.tf("training_feedback.k_note", "k", k),
        tables: vec![
            table(
                FeedbackReport::THIS,
                page.t("training_feedback.this_programme"),
            ),
            table(
                FeedbackReport::COMPANY,
                page.lang.catalog().format(
                    "training_feedback.company",
                    &[
                        ("from", &years.0.to_string()),
                        ("to", &years.1.to_string()),
                        ("n", &programmes.to_string()),
                    ],
                ),
            ),
        ],
    })
}
