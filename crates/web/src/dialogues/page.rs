//! The dialogue page: everything the caller may see of one dialogue (`app::dialogues::view`), as one page with its sections.

use super::*;

pub struct NoteView {
    pub id: i64,
    pub body: String,
    pub visibility: &'static str,
    pub visibility_label: String,
    pub carry_over: &'static str,
    pub carry_label: String,
    pub category: String,
    pub category_label: String,
    pub revision: i64,
    pub after_close: bool,
    pub updated: String,
    /// (revision, text, written at) of earlier wordings.
    pub history: Vec<(i64, String, String)>,
}

pub struct Carried {
    pub from: String,
    pub label: String,
    pub body: String,
}

pub struct TopicView {
    pub wanted: String,
    pub body: String,
}

pub struct Suggestion {
    pub label: String,
    pub covered: bool,
    pub questions: Vec<String>,
}

pub struct ConsentView {
    /// `given`, `refused`, `withdrawn`
    pub status: &'static str,
    pub status_label: String,
    pub withheld: String,
    /// The consultant recorded it; the employee has not confirmed it yet.
    pub awaits_confirmation: bool,
    /// (when, what, withheld topics)
    pub events: Vec<(String, String, String)>,
}

/// The add-note form as typed, or an edit that could not be saved.
#[derive(Default)]
pub struct NoteDraft {
    pub body: String,
    pub visibility: String,
    pub carry_over: String,
    pub category: String,
    pub error: Option<String>,
    /// Set when the draft belongs to an existing item (edit).
    pub note_id: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "dialogues/page.html")]
pub(super) struct ShowPage {
    pub(super) shell: Shell,
    pub(super) d: Row,
    pub(super) duration: i64,
    pub(super) series: bool,
    pub(super) closed: bool,
    /// Its start time has come: it may be confirmed as held or missed.
    pub(super) started: bool,
    pub(super) role: &'static str,
    pub(super) consultant_session: bool,
    /// The employee may open their consultant's profile: the consultant's user id.
    pub(super) facilitator_profile: Option<i64>,
    pub(super) may_manage: bool,
    pub(super) may_calendar: bool,
    // the facilitator's preparation
    pub(super) sheet: Vec<(String, String)>,
    pub(super) sheet_horizon: Option<u8>,
    pub(super) sheet_saved: bool,
    /// A cross-department or mentor 1on1: the sheet shows only what the subject chose for
    /// the pair.
    pub(super) sheet_pair: bool,
    pub(super) carried: Vec<Carried>,
    /// The subject's applications in progress and recent learning, as far as the policy
    /// shows them to the facilitator: (what, where it stands, link).
    pub(super) prep_applications: Vec<(String, String, String)>,
    pub(super) prep_learning: Vec<(String, String, String)>,
    pub(super) topics: Vec<TopicView>,
    pub(super) suggestions: Vec<Suggestion>,
    pub(super) approach: Option<(String, String)>,
    // notes
    pub(super) notes: Vec<NoteView>,
    pub(super) draft: NoteDraft,
    pub(super) visibilities: Vec<(&'static str, String, String)>,
    pub(super) carry_options: Vec<(&'static str, String)>,
    pub(super) categories: Vec<(&'static str, String)>,
    pub(super) note_limit: usize,
    // consent
    pub(super) consent: Option<ConsentView>,
    pub(super) consent_error: Option<String>,
    /// The feedback report, once sent: (id, withdrawn since) — both parties are told what
    /// withdrawing consent would do to it, and the employee reads it.
    pub(super) sent_report: Option<(i64, bool)>,
    pub(super) withheld_limit: usize,
    // the employee
    pub(super) wanted_options: Vec<(&'static str, String)>,
    pub(super) topic_text: String,
    pub(super) topic_error: Option<String>,
    pub(super) topic_limit: usize,
    pub(super) rating: Option<i64>,
    pub(super) rating_options: Vec<(i64, String)>,
    pub(super) reflection: String,
    pub(super) reflection_error: Option<String>,
    // commitments (行動計画)
    pub(super) commitments: Vec<commitments::CommitmentView>,
    pub(super) commitment_form: commitments::CommitmentForm,
    /// What the facilitator may link a commitment to: (form value, words).
    pub(super) opportunity_choices: Vec<(String, String)>,
    pub(super) commitment_check: Option<commitments::CheckView>,
    pub(super) commitment_limit: usize,
    pub(super) milestone: bool,
    pub(super) milestone_number: usize,
    pub(super) outcome: Option<String>,
    pub(super) subject_id: i64,
    pub(super) status_options: Vec<(&'static str, String)>,
    pub(super) report: Option<report::DraftView>,
    pub(super) report_error: Option<String>,
    /// The vision recorded in this interview: (text, horizon) — facilitator and subject.
    pub(super) vision: Option<(String, i64)>,
    /// 相談テーマ, for the facilitator of a career interview or consultation:
    /// (key, label, ticked).
    pub(super) concerns: Option<Vec<(String, String, bool)>>,
    /// The vision form as typed, with its problem.
    pub(super) vision_form: (String, String, Option<String>),
    pub(super) mechanism: Option<worksheet::MechanismView>,
    /// The worksheet form as typed: (side, text, weight, error).
    pub(super) worksheet_form: (String, String, String, Option<String>),
    /// The consent form as typed: (agreed, withheld).
    pub(super) consent_typed: (String, String),
    /// Edit boxes as typed elsewhere on the page: note id → text, commitment id → action,
    /// commitment id → the reason given with its status.
    pub(super) note_edits: HashMap<i64, String>,
    pub(super) commitment_edits: HashMap<i64, String>,
    pub(super) reasons: HashMap<i64, String>,
}

impl ShowPage {
    /// Is the commitment form showing an edit of this commitment (after a problem)?
    fn editing(&self, id: &i64) -> bool {
        self.commitment_form.id == Some(*id)
    }

    fn rated(&self, n: &i64) -> bool {
        self.rating == Some(*n)
    }

    fn has_draft_for(&self, id: &i64) -> bool {
        self.draft.note_id == Some(*id)
    }

    /// The text of a note item's edit box: a refused edit, an edit typed elsewhere on
    /// the page, or the item as stored.
    fn edit_text(&self, n: &NoteView) -> String {
        if self.has_draft_for(&n.id) {
            return self.draft.body.clone();
        }
        self.note_edits
            .get(&n.id)
            .cloned()
            .unwrap_or_else(|| n.body.clone())
    }

    /// The action in a commitment's edit box, the same way.
    fn commitment_edit_text(&self, c: &commitments::CommitmentView) -> String {
        if self.editing(&c.id) {
            return self.commitment_form.action.clone();
        }
        self.commitment_edits
            .get(&c.id)
            .cloned()
            .unwrap_or_else(|| c.action.clone())
    }

    /// The reason in a commitment's status box, the same way.
    fn reason_text(&self, c: &commitments::CommitmentView) -> String {
        self.reasons
            .get(&c.id)
            .cloned()
            .unwrap_or_else(|| c.status_reason.clone())
    }
}

pub(super) fn visibility_label(page: &Page, v: Visibility) -> String {
    page.t(&format!("dialogue.visibility.{}", v.key()))
}

pub(super) async fn render_show(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    origin: &Origin,
    d: &Dialogue,
    role: DialogueRole,
    retry: Retry,
) -> Result<ShowPage, AppError> {
    // Everything confidential comes through the application layer, as the policy allows.
    let v = app::dialogues::view_of(
        &state.store,
        &auth.caller(origin),
        state.clock.today(),
        d.clone(),
        role,
        app::dialogues::Via::Page,
    )
    .await?;
    render_view(state, page, auth, v, retry).await
}

/// The page for what `app::dialogues::view` gave, with what was typed (`retry`): a
/// section's own problem where it has one, and what was typed in every other section.
pub(super) async fn render_view(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    v: app::dialogues::View,
    retry: Retry,
) -> Result<ShowPage, AppError> {
    let Retry {
        kept,
        draft,
        consent_error,
        topic_text,
        topic_error,
        reflection,
        commitment,
        vision,
        worksheet,
        report,
    } = retry;
    let role = v.role;
    let subject = role == DialogueRole::Subject;
    let role_key = match role {
        DialogueRole::Facilitator => "facilitator",
        DialogueRole::Subject => "subject",
        DialogueRole::SubjectsManager => "manager",
        DialogueRole::Scheduler => "scheduler",
        DialogueRole::Outsider => return Err(AppError::forbidden()),
    };
    let d = &v.dialogue;
    let note_views = v
        .notes
        .iter()
        .map(|r| {
            let n = &r.note;
            let category = n.question_category.clone().unwrap_or_default();
            NoteView {
                id: n.id,
                body: n.body.clone(),
                visibility: n.visibility.key(),
                visibility_label: visibility_label(page, n.visibility),
                carry_over: n.carry_over.key(),
                carry_label: page.t(&format!("dialogue.carry.{}", n.carry_over.key())),
                category_label: if category.is_empty() {
                    String::new()
                } else {
                    page.t(&format!("questions.category.{category}"))
                },
                category,
                revision: n.revision,
                after_close: n.after_close,
                updated: when(n.updated_at),
                history: r
                    .history
                    .iter()
                    .map(|h| (h.revision, h.body.clone(), when(h.replaced_at)))
                    .collect(),
            }
        })
        .collect();
    // The facilitator's preparation.
    let (mut sheet, mut sheet_horizon, mut sheet_saved) = (Vec::new(), None, false);
    let (mut carried, mut suggestions, mut approach) = (Vec::new(), Vec::new(), None);
    let (mut prep_applications, mut prep_learning) = (Vec::new(), Vec::new());
    if let Some(prep) = &v.preparation {
        for (a, p) in &prep.applications {
            let (_, stage) =
                crate::shared::applications::progress_text(page, &p.posting.stages, a.progress);
            prep_applications.push((
                p.posting.title.clone(),
                stage,
                format!("/postings/{}", p.id),
            ));
        }
        for c in &prep.learning {
            prep_learning.push((
                c.course_title.clone(),
                page.tf("learning.completed_at", "date", c.completed_on),
                format!("/opportunities/learning#completion-{}", c.id),
            ));
        }
        if let Some(shared) = &prep.sheet {
            sheet_saved = true;
            sheet_horizon = shared.vision_horizon_years;
            sheet = shared
                .sections
                .iter()
                .filter(|(_, e)| !e.text.is_empty())
                .map(|(s, e)| {
                    (
                        page.t(&format!("sheet.section.{}", s.key())),
                        e.text.clone(),
                    )
                })
                .collect();
        }
        for (from, n) in &prep.carried {
            carried.push(Carried {
                from: when(*from),
                label: page.t(&format!("dialogue.carry.{}", n.carry_over.key())),
                body: n.body.clone(),
            });
        }
        let own = state.store.tenant_questions(auth.tenant()).await?;
        let english = page.lang == crate::shared::i18n::Lang::En;
        let mut all: Vec<Suggestion> = Category::ALL
            .into_iter()
            .map(|c| Suggestion {
                label: page.t(&format!("questions.category.{}", c.key())),
                covered: prep.covered.iter().any(|k| k == c.key()),
                questions: BUILT_IN
                    .iter()
                    .filter(|b| b.category == c)
                    .map(|b| if english { b.en } else { b.ja }.to_string())
                    .chain(own.iter().filter(|q| q.category == c).map(|q| {
                        if english && !q.text_en.is_empty() {
                            q.text_en.clone()
                        } else {
                            q.text_ja.clone()
                        }
                    }))
                    .collect(),
            })
            .collect();
        // Categories not yet covered with this person come first.
        all.sort_by_key(|s| s.covered);
        suggestions = all;
        let tenure = prep.tenure_years;
        approach = dialogue::approach_for(tenure).map(|a| {
            let key = match a {
                Approach::Coaching => "coaching",
                Approach::Teaching => "teaching",
            };
            (
                page.t(&format!("dialogue.approach.{key}")),
                page.tf(
                    &format!("dialogue.approach.{key}_hint"),
                    "years",
                    tenure.unwrap_or_default(),
                ),
            )
        });
    }
    // The employee's topics: theirs to write, the facilitator's to read.
    let topics = v
        .topics
        .iter()
        .map(|t| TopicView {
            wanted: page.t(&format!("dialogue.wanted.{}", t.wanted.key())),
            body: t.body.clone(),
        })
        .collect();
    // Consent: the facilitator and the employee see it, and what became of the report.
    let sent_report = if v.parts.consent {
        state
            .store
            .report_of_dialogue(auth.tenant(), d.id)
            .await?
            .filter(|r| r.sent_at.is_some())
            .map(|r| (r.id, r.retracted_at.is_some()))
    } else {
        None
    };
    let consent = v.consent.as_ref().and_then(|cs| {
        cs.in_force.as_ref().map(|c| {
            let status = if c.withdrawn {
                "withdrawn"
            } else if c.agreed {
                "given"
            } else {
                "refused"
            };
            ConsentView {
                status,
                status_label: {
                    let label = page.t(&format!("dialogue.consent.status.{status}"));
                    if c.awaits_confirmation() {
                        page.tf("dialogue.consent.status_unconfirmed", "status", label)
                    } else {
                        label
                    }
                },
                withheld: c.withheld.clone(),
                awaits_confirmation: c.awaits_confirmation(),
                events: cs
                    .events
                    .iter()
                    .map(|e| {
                        let what = page.t(&format!("dialogue.consent.event.{}", e.event.key()));
                        let by = page.t(if e.by_subject {
                            "dialogue.consent.by_subject"
                        } else {
                            "dialogue.consent.by_facilitator"
                        });
                        (
                            when(e.recorded_at),
                            format!("{what}（{by}）"),
                            e.withheld.clone(),
                        )
                    })
                    .collect(),
            }
        })
    });
    let default_visibility = d.kind.default_visibility().key();
    // A section's own problem first; otherwise what was typed there.
    let blank = draft.note_id.is_none() && draft.error.is_none() && draft.body.is_empty();
    let mut draft = match kept.note {
        Some(typed) if blank => typed,
        _ => draft,
    };
    if draft.visibility.is_empty() {
        draft.visibility = default_visibility.into();
    }
    if draft.carry_over.is_empty() {
        draft.carry_over = CarryOver::None.key().into();
    }
    let commitments = commitments::views(state, page, auth, &v.commitments).await?;
    let opportunity_choices = if role == DialogueRole::Facilitator && v.parts.commitments {
        commitments::opportunity_choices(state, page, auth).await?
    } else {
        Vec::new()
    };
    let commitment_form = commitment.or(kept.commitment).unwrap_or_default();
    let commitment_check = (commitment_form.id.is_none() && !commitment_form.action.is_empty())
        .then(|| {
            commitments::CheckView::of(
                &commitment_form.action,
                NaiveDate::parse_from_str(commitment_form.starts_on.trim(), "%Y-%m-%d").ok(),
                page.lang,
            )
        });
    let milestone = d.kind == DialogueKind::MilestoneInterview;
    let milestone_number = if milestone && v.parts.commitments {
        commitments::milestone_session_number(&state.store, auth.tenant(), d).await?
    } else {
        0
    };
    let outcome = d
        .outcome
        .as_ref()
        .map(|o| page.t(&format!("commitment.outcome.{}", o.key())));
    let (reflection, reflection_error) = match (reflection, &kept.reflection) {
        (Some((t, e)), _) => (t, e),
        (None, Some((_, t))) => (t.clone(), None),
        (None, None) => (d.subject_reflection.clone().unwrap_or_default(), None),
    };
    let rating = kept
        .reflection
        .as_ref()
        .and_then(|(r, _)| r.parse().ok())
        .or(d.subject_rating);
    let topic_text = if topic_text.is_empty() {
        kept.topic.unwrap_or_default()
    } else {
        topic_text
    };
    let concerns = if role == DialogueRole::Facilitator && d.kind.is_consultant_session() {
        let caller = auth.caller(&crate::Origin::default());
        let list = app::concerns::list(&state.store, auth.tenant()).await?;
        let ticked = match kept.concerns.clone() {
            Some(t) => t,
            None => app::concerns::of_dialogue(&state.store, &caller, d.id).await?,
        };
        let ja = page.lang == crate::shared::i18n::Lang::Ja;
        Some(
            list.keys()
                .into_iter()
                .map(|k| {
                    let label = list.label(&k, page.lang.catalog(), ja);
                    let on = ticked.contains(&k);
                    (k, label, on)
                })
                .collect(),
        )
    } else {
        None
    };
    let facilitator_profile = if subject && d.kind.is_consultant_session() {
        let caller = auth.caller(&crate::Origin::default());
        app::consultants::profile_of(&state.store, &caller, d.facilitator)
            .await
            .is_ok()
            .then_some(d.facilitator.0)
    } else {
        None
    };
    Ok(ShowPage {
        facilitator_profile,
        shell: page.shell(Some(auth), if subject { "/my" } else { "/dialogues" }),
        d: row(page, d),
        duration: d.duration_minutes,
        series: d.series_id.is_some(),
        closed: d.is_closed(),
        started: state.clock.now() >= d.starts_at,
        role: role_key,
        consultant_session: d.kind.is_consultant_session(),
        may_manage: policy::may_manage_dialogue(role),
        may_calendar: policy::may_download_calendar(role),
        sheet,
        sheet_horizon,
        sheet_saved,
        sheet_pair: domain::pairing::PairKind::of_dialogue(v.dialogue.kind).is_some(),
        carried,
        prep_applications,
        prep_learning,
        topics,
        suggestions,
        approach,
        notes: note_views,
        draft,
        visibilities: Visibility::ALL
            .into_iter()
            .map(|v| {
                (
                    v.key(),
                    visibility_label(page, v),
                    page.t(&format!("dialogue.visibility_help.{}", v.key())),
                )
            })
            .collect(),
        carry_options: CarryOver::ALL
            .into_iter()
            .map(|c| (c.key(), page.t(&format!("dialogue.carry.{}", c.key()))))
            .collect(),
        categories: Category::ALL
            .into_iter()
            .map(|c| (c.key(), page.t(&format!("questions.category.{}", c.key()))))
            .collect(),
        note_limit: MAX_NOTE_CHARS,
        consent,
        consent_error,
        sent_report,
        consent_typed: kept.consent.unwrap_or_default(),
        withheld_limit: MAX_WITHHELD_CHARS,
        wanted_options: WantedResponse::ALL
            .into_iter()
            .map(|w| (w.key(), page.t(&format!("dialogue.wanted.{}", w.key()))))
            .collect(),
        topic_text,
        topic_error,
        topic_limit: MAX_TOPIC_CHARS,
        rating,
        rating_options: (1..=5)
            .map(|n| (n, page.t(&format!("dialogue.rating.{n}"))))
            .collect(),
        reflection,
        reflection_error,
        commitments,
        opportunity_choices,
        commitment_form,
        commitment_check,
        commitment_limit: domain::commitment::MAX_ACTION_CHARS,
        milestone,
        milestone_number,
        outcome,
        subject_id: d.subject.0,
        report_error: report
            .as_ref()
            .map(|(_, e)| e.clone())
            .filter(|e| !e.is_empty()),
        report: report::draft_view(
            state,
            page,
            auth,
            &v,
            report.map(|(p, _)| p).or(kept.report),
        )
        .await?,
        vision: d.vision.clone().zip(d.vision_horizon),
        concerns,
        mechanism: worksheet::view(state, page, auth, &v).await?,
        worksheet_form: match (worksheet, kept.worksheet) {
            (Some((side, text, weight, e)), _) => (side, text, weight, Some(e)),
            (None, Some((side, text, weight))) => (side, text, weight, None),
            (None, None) => ("merit".into(), String::new(), "3".into(), None),
        },
        vision_form: match (vision, kept.vision) {
            (Some((v, h, e)), _) => (v, h, Some(e)),
            (None, Some((v, h))) => (v, h, None),
            (None, None) => (
                d.vision.clone().unwrap_or_default(),
                d.vision_horizon.map(|h| h.to_string()).unwrap_or_default(),
                None,
            ),
        },
        note_edits: kept.note_edits,
        commitment_edits: kept.commitment_edits,
        reasons: kept.reasons,
        status_options: domain::commitment::Status::ALL
            .into_iter()
            .map(|st| (st.key(), page.t(&format!("commitment.status.{}", st.key()))))
            .collect(),
    })
}

/// GET /dialogues/{id}
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<ShowPage, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    render_show(&state, &page, &auth, &origin, &d, role, Retry::default()).await
}

/// POST /dialogues/{id}/keep — what Enter in a one-line field presses: nothing is saved;
/// the page comes back with everything as typed, and says so.
pub(super) async fn keep(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    let (d, role) = load(&state, &auth, id).await?;
    set_flash(&page.session, "info", page.t("dialogue.kept")).await?;
    let page = page.with_new_flash().await?;
    again(
        &state,
        &page,
        &auth,
        &origin,
        (&d, role),
        StatusCode::OK,
        Retry::keeping(&form, ""),
    )
    .await
}
