//! The cross-1on1 programme's page part (部署を越えた1on1): the pairs it made and how many
//! of them have met, and HR pairing the rest of the cohort across departments — a plan
//! first (who meets whom, who is left out and why), made only on confirmation
//! (`app::cross_pairs`). Each side is told by a notice and chooses on their ペア page which
//! sections of their career sheet the partner sees (nothing until they do).

use super::*;
use app::cross_pairs::Plan;
use domain::dialogue::{DialogueKind, DialogueState};

/// A pair of the programme, as its card lists it.
pub struct PairLine {
    pub partner: String,
    pub subject: String,
    pub status: String,
    pub open: bool,
    /// Cross-department 1on1s the two have held.
    pub held: usize,
}

/// A planned pair: (partner, partner's department, subject, subject's department, shared
/// anchor label, refusal text).
pub type PlanLine = (String, String, String, String, String, String);

/// The plan as the card shows it.
pub struct PlanView {
    pub by_anchor: bool,
    pub pairs: Vec<PlanLine>,
    pub makeable: usize,
    /// (name, number, why)
    pub left_out: Vec<(String, String, String)>,
    pub already_paired: usize,
}

/// The card: the programme's pairs, and the plan when HR asked for one.
pub struct CrossView {
    pub pairs: Vec<PairLine>,
    pub open: usize,
    pub met: usize,
    pub plan: Option<PlanView>,
}

pub(super) fn plan_view(page: &Page, plan: &Plan, by_anchor: bool) -> PlanView {
    PlanView {
        by_anchor,
        pairs: plan
            .pairs
            .iter()
            .map(|p| {
                (
                    p.partner.name.clone(),
                    p.partner.department.clone(),
                    p.subject.name.clone(),
                    p.subject.department.clone(),
                    p.shared_anchor
                        .map(|a| page.t(&format!("anchor.{}", a.key())).to_string())
                        .unwrap_or_default(),
                    p.refused
                        .map(|r| page.t(&format!("pair.refused.{}", r.key())).to_string())
                        .unwrap_or_default(),
                )
            })
            .collect(),
        makeable: plan.makeable(),
        left_out: plan
            .left_out
            .iter()
            .map(|(s, why)| {
                (
                    s.name.clone(),
                    s.number.clone(),
                    page.t(&format!("programme.cross.left_out.{}", why.key()))
                        .to_string(),
                )
            })
            .collect(),
        already_paired: plan.already_paired,
    }
}

/// The programme's pairs and how many have met, for its page.
pub(super) async fn view(
    state: &AppState,
    page: &Page,
    tenant: TenantId,
    programme: &Programme,
    plan: Option<PlanView>,
) -> Result<CrossView, AppError> {
    let mut pairs = Vec::new();
    for p in state.store.pairs_of_programme(tenant, programme.id).await? {
        let held = state
            .store
            .dialogues_about(tenant, p.subject)
            .await?
            .iter()
            .filter(|d| {
                d.kind == DialogueKind::CrossOneOnOne
                    && d.facilitator == p.partner
                    && d.state == DialogueState::Held
            })
            .count();
        pairs.push(PairLine {
            partner: p.partner_name.clone(),
            subject: p.subject_name.clone(),
            status: page
                .t(&format!("pair.status.{}", p.status.key()))
                .to_string(),
            open: p.status.is_open(),
            held,
        });
    }
    Ok(CrossView {
        open: pairs.iter().filter(|p| p.open).count(),
        met: pairs.iter().filter(|p| p.held > 0).count(),
        pairs,
        plan,
    })
}

/// POST /programmes/{id}/pairs — without `confirm`, shows the plan on the programme page;
/// with it, makes the pairs the policy allows, tells both sides, and says how many.
pub(super) async fn pair_cohort(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let programme = load_open(&state, &auth, id).await?;
    let by_anchor = form.get("by_anchor") == "1";
    let caller = auth.caller(&origin);
    if form.get("confirm") != "1" {
        let Some(plan) = app::cross_pairs::plan(&state.store, &caller, id, by_anchor).await? else {
            return Err(AppError::not_found());
        };
        let typed = Typed {
            cross_plan: Some(plan_view(&page, &plan, by_anchor)),
            ..Typed::default()
        };
        return Ok(render_detail(&state, &page, &auth, programme, typed)
            .await?
            .into_response());
    }
    let Some((_, made)) = app::cross_pairs::make(&state.store, &caller, id, by_anchor).await?
    else {
        return Err(AppError::not_found());
    };
    for pair in &made {
        let partner = state.store.user(auth.tenant(), pair.partner).await?.email;
        let subject = state
            .store
            .account_of_person(auth.tenant(), pair.subject)
            .await?
            .map(|(_, e)| e);
        for (side, to) in [("partner", Some(partner)), ("subject", subject)] {
            let Some(to) = to else { continue };
            let queued = crate::shared::email::send_notice(
                &state,
                auth.tenant(),
                format!(
                    "pair-made-{}-{side}-{}",
                    pair.id,
                    pair.created_at.timestamp()
                ),
                to,
                "email.pair_made",
                &[("programme", &programme.name)],
                "/pairs",
            );
            queued.await?;
        }
    }
    set_flash(
        &page.session,
        "success",
        page.tf("programme.cross.made", "n", made.len()),
    )
    .await?;
    Ok(Redirect::to(&format!("/programmes/{id}#cross")).into_response())
}
