//! The participant's own path (マイキャリア).

use super::*;

#[derive(Template, WebTemplate)]
#[template(path = "programmes/my_path.html")]
pub(super) struct MyPathPage {
    pub(super) shell: Shell,
    pub(super) programme: Programme,
    /// (content type, file name)
    pub(super) file: Option<(String, String)>,
    /// A 1on1 cadence programme: my months as (month, "met/reports").
    pub(super) cadence: Option<Vec<(String, String)>>,
    /// A cross-1on1 programme: my pairs made by it, as sentences.
    pub(super) cross: Option<Vec<String>>,
    pub(super) pre_learning_done: bool,
    /// (step key, state key, detail)
    pub(super) steps: Vec<(&'static str, &'static str, String)>,
    /// 研修後アンケート, once placed in a session.
    pub(super) feedback: Option<FeedbackCard>,
}

/// The person behind the signed-in user, who must be in the programme.
pub(super) async fn me_in(state: &AppState, auth: &Auth, id: i64) -> Result<PersonId, AppError> {
    let me = auth.actor.person_id.ok_or_else(AppError::forbidden)?;
    let participant = state.store.is_participant(auth.tenant(), id, me).await?;
    // Someone else's programme is simply not there for them.
    domain::policy::authorize(
        &auth.actor,
        Action::FollowOwnProgramme {
            tenant: auth.tenant(),
            participant,
        },
    )
    .map_err(|_| AppError::not_found())?;
    Ok(me)
}

/// A participant's steps with what each needs, for マイキャリア and its summary.
pub async fn path_of(
    state: &AppState,
    page: &Page,
    tenant: TenantId,
    programme: &Programme,
    me: PersonId,
) -> Result<Vec<(&'static str, &'static str, String)>, AppError> {
    let cal = state.store.tenant(tenant).await?.settings.calendar;
    let progress = state
        .store
        .programme_progress(tenant, programme, &cal, state.clock.now())
        .await?;
    let Some((p, pr)) = progress.into_iter().find(|(p, _)| p.person == me) else {
        return Err(AppError::not_found());
    };
    let session = match p.session {
        Some(sid) => state.store.training_session(tenant, sid).await?,
        None => None,
    };
    Ok(pr
        .path()
        .into_iter()
        .map(|(step, st)| {
            let detail = match step {
                Step::Training => match &session {
                    Some(s) => page.lang.catalog().format(
                        "programme.path.session",
                        &[("when", &fmt_when(s)), ("place", &s.place)],
                    ),
                    None => page.t("programme.path.no_session"),
                },
                Step::Interview if pr.interviews > 0 => {
                    page.tf("programme.path.interviews", "n", pr.interviews)
                }
                Step::PreLearning => p
                    .pre_learning_done_at
                    .map(|at| page.tf("programme.path.done_on", "date", jst(at).date()))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            (step.key(), state_key(st), detail)
        })
        .collect())
}

/// GET /my/programmes/{id}
pub(super) async fn my_path(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<MyPathPage, AppError> {
    let me = me_in(&state, &auth, id).await?;
    let programme = load(&state, &auth, id).await?;
    render_my_path(&state, &page, &auth, me, programme, None).await
}

/// The participant's path, with the post-training form as typed after a refusal.
pub(super) async fn render_my_path(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    me: PersonId,
    programme: Programme,
    typed: Option<(&FormData, Vec<String>)>,
) -> Result<MyPathPage, AppError> {
    let id = programme.id;
    let steps = path_of(state, page, auth.tenant(), &programme, me).await?;
    let feedback = card(state, page, auth.tenant(), &programme, me, typed).await?;
    let file = state
        .store
        .pre_learning_file_info(auth.tenant(), id)
        .await?
        .map(|f| (f.content_type, f.file_name));
    let cadence = if programme.template == Kind::OneOnOneCadence {
        let me_only: Vec<_> = state
            .store
            .participants(auth.tenant(), id)
            .await?
            .into_iter()
            .filter(|p| p.person == me)
            .collect();
        let rows = cadence_of(
            &state.store,
            auth.tenant(),
            &programme,
            &me_only,
            state.clock.today(),
        )
        .await?;
        Some(
            rows.first()
                .map(|c| {
                    c.cadence
                        .months
                        .iter()
                        .zip(&c.cadence.met)
                        .map(|(m, n)| {
                            (
                                page.tf("programme.month", "m", chrono::Datelike::month(m)),
                                format!("{n}/{}", c.cadence.reports),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        )
    } else {
        None
    };
    let cross = if programme.template == Kind::CrossOneOnOne {
        let caller = auth.caller(&crate::Origin::default());
        Some(
            app::pairs::mine(&state.store, &caller)
                .await?
                .into_iter()
                .filter(|p| p.programme == Some(id) && p.status.is_open())
                .map(|p| {
                    if p.partner == auth.user.id {
                        page.tf("programme.cross.my_partner_of", "name", &p.subject_name)
                    } else {
                        page.tf("programme.cross.my_partner", "name", &p.partner_name)
                    }
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(MyPathPage {
        feedback,
        file,
        cadence,
        cross,
        shell: page.shell(Some(auth), "/my"),
        pre_learning_done: steps.first().is_some_and(|s| s.1 == "done"),
        programme,
        steps,
    })
}

/// POST /my/programmes/{id}/pre-learning — the participant has read it.
pub(super) async fn pre_learning_done(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let me = me_in(&state, &auth, id).await?;
    state
        .store
        .mark_pre_learning_done(auth.tenant(), id, me, state.clock.now())
        .await?;
    set_flash(
        &page.session,
        "success",
        page.t("programme.pre_learning_marked"),
    )
    .await?;
    Ok(Redirect::to(&format!("/my/programmes/{id}")).into_response())
}
