//! 社内公募 (internal postings): HR or a hiring manager publishes a posting; employees
//! browse and search them, save them and apply; the hiring side records each stage's
//! outcome with a reason. Every application that leaves this module has passed
//! `domain::policy::application_view` for the caller — lists, counts, exports and the
//! member page alike — so the applicant's current manager (and anyone above them) learns
//! nothing of it before the posting's reveal stage (DOMAIN.md "Three opportunities").

use crate::{Caller, Error};
use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::{AuditAction, detail};
use domain::policy::Relation;
use domain::policy::{self, ApplicationFacts, ApplicationView};
use domain::posting::{
    self, Applicant, ApplyRefusal, Outcome, Posting, PostingInput, PostingProblem, Progress,
    StageRefusal,
};
use domain::{PersonId, UserId};
use store::Store;
use store::postings::{Application, StageOutcome, StoredPosting};

/// Where the posting sits and who hires for it, as typed on the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    /// The department's code.
    pub department: String,
    /// The hiring manager's email (HR's choice); empty: the caller.
    pub hiring_manager: String,
}

/// What is wrong with a posting's placement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum PlacementProblem {
    DepartmentUnknown {
        code: String,
    },
    /// A manager publishes for their own organisation only.
    DepartmentOutsideOrganisation {
        code: String,
    },
    HiringManagerUnknown {
        email: String,
    },
}

/// Every problem of a posting as typed, at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Problems {
    pub posting: Vec<PostingProblem>,
    pub placement: Vec<PlacementProblem>,
}

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.posting.is_empty() && self.placement.is_empty()
    }
}

/// The facts the policy needs about one application, for the caller.
async fn facts(
    store: &Store,
    caller: &Caller,
    a: &Application,
    p: &StoredPosting,
) -> Result<ApplicationFacts, Error> {
    let tenant = caller.actor.tenant_id;
    let above = match caller.actor.person_id {
        Some(me) if me != a.person => {
            store.relation(tenant, Some(me), a.person).await? == Relation::InReportingLine
        }
        _ => false,
    };
    Ok(ApplicationFacts {
        tenant,
        applicant: a.person,
        hiring_manager: p.hiring_manager,
        actor_above_applicant: above,
        revealed: a
            .progress
            .revealed(p.posting.stages.len(), p.posting.reveal_at),
    })
}

/// How the caller sees an application, or None (then it does not exist for them).
pub async fn view_of(
    store: &Store,
    caller: &Caller,
    a: &Application,
    p: &StoredPosting,
) -> Result<Option<ApplicationView>, Error> {
    Ok(policy::application_view(
        &caller.actor,
        &facts(store, caller, a, p).await?,
    ))
}

/// Keeps only the applications the caller may see, each with how they see it.
async fn visible(
    store: &Store,
    caller: &Caller,
    applications: Vec<Application>,
    posting_of: impl Fn(i64) -> Option<StoredPosting>,
) -> Result<Vec<(Application, StoredPosting, ApplicationView)>, Error> {
    let mut out = Vec::new();
    for a in applications {
        let Some(p) = posting_of(a.posting_id) else {
            continue;
        };
        if let Some(v) = view_of(store, caller, &a, &p).await? {
            out.push((a, p, v));
        }
    }
    Ok(out)
}

/// A posting in a list, as the caller sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Listed {
    pub posting: StoredPosting,
    pub saved: bool,
    /// The caller's own application's progress.
    pub applied: Option<Progress>,
    /// The caller manages it (HR or its hiring manager).
    pub manages: bool,
    /// Applications the caller may see (only for those who manage it).
    pub applications: Option<usize>,
}

/// Which postings a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shelf {
    /// Open to applications today (and, for those who manage them, every one they manage).
    #[default]
    Open,
    /// The caller saved them.
    Saved,
    /// The caller manages them (HR: every posting).
    Managed,
}

/// Does `text` hold every word of `query` (Japanese: every CJK bigram; folded to one
/// width and to katakana, so 営業 finds 営業企画 and えいぎょう does not need kanji)?
pub fn matches(query: &str, text: &str) -> bool {
    let wanted = search::terms(&search::fold(query));
    if wanted.is_empty() {
        return true;
    }
    let have: std::collections::HashSet<String> =
        search::terms(&search::fold(text)).into_iter().collect();
    wanted.iter().all(|w| have.contains(w))
}

fn searchable(p: &StoredPosting) -> String {
    let q = &p.posting;
    format!(
        "{} {} {} {} {} {} {} {}",
        q.title,
        p.department_name,
        q.grades.join(" "),
        q.work,
        q.required,
        q.welcome,
        q.criteria,
        p.hiring_manager_name
    )
}

/// The postings on a shelf matching `query`, for the caller.
pub async fn browse(
    store: &Store,
    caller: &Caller,
    shelf: Shelf,
    query: &str,
    today: NaiveDate,
) -> Result<Vec<Listed>, Error> {
    let tenant = caller.actor.tenant_id;
    let saved = match caller.actor.person_id {
        Some(me) => store.saved_postings(tenant, me).await?,
        None => Vec::new(),
    };
    let mine = match caller.actor.person_id {
        Some(me) => store.applications_of(tenant, me).await?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for p in store.postings(tenant).await? {
        let manages = policy::may_manage_posting(&caller.actor, tenant, p.hiring_manager);
        let is_saved = saved.contains(&p.id);
        let shown = match shelf {
            Shelf::Open => p.accepts(today) || (manages && p.withdrawn_at.is_none()),
            Shelf::Saved => is_saved,
            Shelf::Managed => manages,
        };
        // Employees never see a posting before it opens, unless they manage it.
        if !shown || (!manages && p.posting.opens_on > today) || !matches(query, &searchable(&p)) {
            continue;
        }
        let applications = if manages {
            let all = store.applications_to(tenant, p.id).await?;
            let pp = p.clone();
            Some(
                visible(store, caller, all, |_| Some(pp.clone()))
                    .await?
                    .len(),
            )
        } else {
            None
        };
        out.push(Listed {
            applied: mine
                .iter()
                .find(|a| a.posting_id == p.id)
                .map(|a| a.progress),
            saved: is_saved,
            manages,
            applications,
            posting: p,
        });
    }
    Ok(out)
}

/// A posting the caller may read: every employee reads an opened one; those who manage it
/// read it before it opens too.
pub async fn open_posting(
    store: &Store,
    caller: &Caller,
    id: i64,
    today: NaiveDate,
) -> Result<StoredPosting, Error> {
    let tenant = caller.actor.tenant_id;
    let p = store
        .posting(tenant, id)
        .await?
        .ok_or(Error::NotFound("posting"))?;
    if p.posting.opens_on > today
        && !policy::may_manage_posting(&caller.actor, tenant, p.hiring_manager)
    {
        return Err(Error::NotFound("posting"));
    }
    Ok(p)
}

async fn place(
    store: &Store,
    caller: &Caller,
    at: &Placement,
) -> Result<Result<(i64, UserId), Vec<PlacementProblem>>, Error> {
    let tenant = caller.actor.tenant_id;
    let mut problems = Vec::new();
    let code = at.department.trim();
    let department = store.department_by_code(tenant, code).await?;
    match department {
        None => problems.push(PlacementProblem::DepartmentUnknown { code: code.into() }),
        Some(d) if !caller.actor.has(domain::Role::Hr) => {
            // A manager's own organisation: their department and those below it.
            let own = match caller.actor.person_id {
                Some(me) => store
                    .person(tenant, me)
                    .await?
                    .and_then(|p| p.department_id),
                None => None,
            };
            let path = store.department_path(tenant, d).await?;
            if !own.is_some_and(|o| path.iter().any(|x| x.id == o)) {
                problems
                    .push(PlacementProblem::DepartmentOutsideOrganisation { code: code.into() });
            }
        }
        Some(_) => {}
    }
    let email = at.hiring_manager.trim();
    let hiring = if email.is_empty() || !caller.actor.has(domain::Role::Hr) {
        Some(caller.actor.user_id)
    } else {
        let found = match domain::EmailAddress::parse(email) {
            Ok(address) => store.user_by_email(tenant, &address).await?,
            Err(_) => None,
        };
        match found {
            Some(u) if !u.disabled => Some(u.id),
            _ => {
                problems.push(PlacementProblem::HiringManagerUnknown {
                    email: email.into(),
                });
                None
            }
        }
    };
    Ok(match (department, hiring, problems.is_empty()) {
        (Some(d), Some(h), true) => Ok((d, h)),
        _ => Err(problems),
    })
}

async fn checked(
    store: &Store,
    caller: &Caller,
    input: &PostingInput,
    at: &Placement,
) -> Result<Result<(Posting, i64, UserId), Problems>, Error> {
    let parsed = input.parse();
    let placed = place(store, caller, at).await?;
    Ok(match (parsed, placed) {
        (Ok(p), Ok((d, h))) => Ok((p, d, h)),
        (p, d) => Err(Problems {
            posting: p.err().unwrap_or_default(),
            placement: d.err().unwrap_or_default(),
        }),
    })
}

/// Publishes a posting: its id, or every problem of the form.
pub async fn publish(
    store: &Store,
    caller: &Caller,
    input: &PostingInput,
    at: &Placement,
    now: DateTime<Utc>,
) -> Result<Result<i64, Problems>, Error> {
    let tenant = caller.actor.tenant_id;
    if !policy::may_publish_posting(&caller.actor, tenant) {
        return Err(Error::Forbidden);
    }
    let (posting, department, hiring) = match checked(store, caller, input, at).await? {
        Ok(x) => x,
        Err(p) => return Ok(Err(p)),
    };
    let id = store
        .add_posting(
            tenant,
            &posting,
            department,
            hiring,
            caller.actor.user_id,
            now,
        )
        .await?;
    caller
        .record(
            store,
            AuditAction::PostingChanged,
            ("posting", id),
            detail("posting_published", &[]),
        )
        .await?;
    Ok(Ok(id))
}

/// Edits a posting (its hiring side). Its stages cannot change once someone applied: the
/// applications stand at stages by number.
pub async fn edit(
    store: &Store,
    caller: &Caller,
    id: i64,
    input: &PostingInput,
    at: &Placement,
    now: DateTime<Utc>,
) -> Result<Result<(), Problems>, Error> {
    let tenant = caller.actor.tenant_id;
    let before = store
        .posting(tenant, id)
        .await?
        .ok_or(Error::NotFound("posting"))?;
    if !policy::may_manage_posting(&caller.actor, tenant, before.hiring_manager) {
        return Err(Error::NotFound("posting"));
    }
    let (posting, department, hiring) = match checked(store, caller, input, at).await? {
        Ok(x) => x,
        Err(p) => return Ok(Err(p)),
    };
    if posting.stages != before.posting.stages
        && !store.applications_to(tenant, id).await?.is_empty()
    {
        return Ok(Err(Problems {
            posting: vec![PostingProblem::StagesFixed],
            placement: Vec::new(),
        }));
    }
    // A manager who edits keeps hiring for it; HR may name another.
    let hiring = if caller.actor.has(domain::Role::Hr) {
        hiring
    } else {
        before.hiring_manager
    };
    store
        .update_posting(tenant, id, &posting, department, hiring, now)
        .await?;
    caller
        .record(
            store,
            AuditAction::PostingChanged,
            ("posting", id),
            detail("posting_edited", &[]),
        )
        .await?;
    Ok(Ok(()))
}

/// Takes a posting down before its close date.
pub async fn take_down(
    store: &Store,
    caller: &Caller,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let tenant = caller.actor.tenant_id;
    let p = store
        .posting(tenant, id)
        .await?
        .ok_or(Error::NotFound("posting"))?;
    if !policy::may_manage_posting(&caller.actor, tenant, p.hiring_manager) {
        return Err(Error::NotFound("posting"));
    }
    let done = store.withdraw_posting(tenant, id, now).await?;
    if done {
        caller
            .record(
                store,
                AuditAction::PostingChanged,
                ("posting", id),
                detail("posting_taken_down", &[]),
            )
            .await?;
    }
    Ok(done)
}

/// Saves or unsaves a posting for the caller.
pub async fn save(
    store: &Store,
    caller: &Caller,
    id: i64,
    saved: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let today = domain::japan_time::japan_date(now);
    let p = open_posting(store, caller, id, today).await?;
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    store
        .set_posting_saved(caller.actor.tenant_id, p.id, me, saved, now)
        .await?;
    Ok(())
}

/// Why the caller may not apply, before they type anything (the page says it next to
/// the form); empty when they may.
pub async fn eligibility(
    store: &Store,
    caller: &Caller,
    p: &StoredPosting,
    motivation: &str,
    today: NaiveDate,
) -> Result<Result<(), Vec<ApplyRefusal>>, Error> {
    let tenant = caller.actor.tenant_id;
    let Some(me) = caller.actor.person_id else {
        return Ok(Err(Vec::new()));
    };
    if !policy::may_apply_to_posting(&caller.actor, tenant) {
        return Ok(Err(Vec::new()));
    }
    let person = store
        .person(tenant, me)
        .await?
        .ok_or(Error::NotFound("person"))?;
    let own_manager_hires = match person.manager_id {
        Some(m) => store
            .account_of_person(tenant, PersonId(m))
            .await?
            .is_some_and(|(u, _)| u == p.hiring_manager),
        None => false,
    };
    let already = store
        .applications_of(tenant, me)
        .await?
        .iter()
        .any(|a| a.posting_id == p.id);
    let who = Applicant {
        grade: &person.grade,
        in_role_since: store.in_department_since(tenant, me).await?,
        own_department: person.department_id == Some(p.department_id),
        own_manager_hires,
        already_applied: already,
    };
    let rules = store.posting_eligibility(tenant).await?;
    let mut result = posting::may_apply(&p.posting, rules, &who, motivation, today);
    if p.withdrawn_at.is_some() {
        let mut r = result.err().unwrap_or_default();
        r.retain(|x| !matches!(x, ApplyRefusal::Closed { .. }));
        r.insert(
            0,
            ApplyRefusal::Closed {
                closed_on: p.posting.closes_on.min(today),
            },
        );
        result = Err(r);
    }
    Ok(result)
}

/// The caller applies with `motivation`: the application's id, or every reason not.
pub async fn apply(
    store: &Store,
    caller: &Caller,
    id: i64,
    motivation: &str,
    now: DateTime<Utc>,
) -> Result<Result<i64, Vec<ApplyRefusal>>, Error> {
    let tenant = caller.actor.tenant_id;
    let today = domain::japan_time::japan_date(now);
    let p = open_posting(store, caller, id, today).await?;
    if let Err(r) = eligibility(store, caller, &p, motivation, today).await? {
        return Ok(Err(r));
    }
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    let Some(application) = store
        .add_application(tenant, p.id, me, motivation.trim(), now)
        .await?
    else {
        return Ok(Err(vec![ApplyRefusal::AlreadyApplied]));
    };
    caller
        .record(
            store,
            AuditAction::ApplicationChanged,
            ("application", application),
            detail("application_made", &[]),
        )
        .await?;
    Ok(Ok(application))
}

/// One application as the caller may see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Seen {
    pub application: Application,
    pub posting: StoredPosting,
    pub view: ApplicationView,
    /// The outcomes recorded so far, reasons included — empty for the line above, who
    /// sees the stage and the outcome only.
    pub outcomes: Vec<StageOutcome>,
}

/// An application the caller may see; NotFound otherwise (its existence stays unknown).
pub async fn open_application(store: &Store, caller: &Caller, id: i64) -> Result<Seen, Error> {
    let tenant = caller.actor.tenant_id;
    let a = store
        .application(tenant, id)
        .await?
        .ok_or(Error::NotFound("application"))?;
    let p = store
        .posting(tenant, a.posting_id)
        .await?
        .ok_or(Error::NotFound("application"))?;
    let view = view_of(store, caller, &a, &p)
        .await?
        .ok_or(Error::NotFound("application"))?;
    let mut seen = Seen {
        outcomes: Vec::new(),
        application: a,
        posting: p,
        view,
    };
    if view == ApplicationView::LineAbove {
        // Which posting, the stage and the outcome — not the applicant's or the hiring
        // side's words.
        seen.application.motivation.clear();
    } else {
        seen.outcomes = store
            .application_outcomes(tenant, &seen.application)
            .await?;
        if view == ApplicationView::Hiring {
            caller
                .record(
                    store,
                    AuditAction::ConfidentialRead,
                    ("application", id),
                    detail("application_read", &[]),
                )
                .await?;
        }
    }
    Ok(seen)
}

/// A posting's applications the caller may see (its hiring side; HR).
pub async fn applications_to(
    store: &Store,
    caller: &Caller,
    p: &StoredPosting,
) -> Result<Vec<(Application, ApplicationView)>, Error> {
    let tenant = caller.actor.tenant_id;
    if !policy::may_manage_posting(&caller.actor, tenant, p.hiring_manager) {
        return Ok(Vec::new());
    }
    let all = store.applications_to(tenant, p.id).await?;
    Ok(visible(store, caller, all, |_| Some(p.clone()))
        .await?
        .into_iter()
        .map(|(a, _, v)| (a, v))
        .collect())
}

/// The caller's own applications, with their postings.
pub async fn mine(
    store: &Store,
    caller: &Caller,
) -> Result<Vec<(Application, StoredPosting)>, Error> {
    let tenant = caller.actor.tenant_id;
    let Some(me) = caller.actor.person_id else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for a in store.applications_of(tenant, me).await? {
        if let Some(p) = store.posting(tenant, a.posting_id).await? {
            out.push((a, p));
        }
    }
    Ok(out)
}

/// A person's applications the caller may see (the member page: their line above sees
/// the revealed ones only; HR all).
pub async fn of_person(
    store: &Store,
    caller: &Caller,
    person: PersonId,
) -> Result<Vec<(Application, StoredPosting, ApplicationView)>, Error> {
    let tenant = caller.actor.tenant_id;
    let postings = store.postings(tenant).await?;
    let all = store.applications_of(tenant, person).await?;
    let mut out = visible(store, caller, all, |id| {
        postings.iter().find(|p| p.id == id).cloned()
    })
    .await?;
    for (a, _, v) in &mut out {
        if *v == ApplicationView::LineAbove {
            a.motivation.clear();
        }
    }
    Ok(out)
}

/// Every application the caller may see (HR's export and list), with its posting.
pub async fn all_visible(
    store: &Store,
    caller: &Caller,
) -> Result<Vec<(Application, StoredPosting, ApplicationView)>, Error> {
    let tenant = caller.actor.tenant_id;
    let postings = store.postings(tenant).await?;
    let all = store.all_applications(tenant).await?;
    visible(store, caller, all, |id| {
        postings.iter().find(|p| p.id == id).cloned()
    })
    .await
}

/// The applications the caller may not see, by id: the audit log leaves out every entry
/// about them (who applied, who read it, each stage), so nobody learns of an application
/// there that the policy hides from them — the applicant's manager before the reveal
/// stage above all.
pub async fn hidden_from(store: &Store, caller: &Caller) -> Result<Vec<i64>, Error> {
    let tenant = caller.actor.tenant_id;
    let postings = store.postings(tenant).await?;
    let mut out = Vec::new();
    for a in store.all_applications(tenant).await? {
        let seen = match postings.iter().find(|p| p.id == a.posting_id) {
            Some(p) => view_of(store, caller, &a, p).await?.is_some(),
            None => false,
        };
        if !seen {
            out.push(a.id);
        }
    }
    Ok(out)
}

/// What came of recording a stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    Done(Progress),
    Refused(StageRefusal),
}

/// The hiring side records the outcome of stage `stage`, with the reason the applicant
/// will read.
pub async fn record(
    store: &Store,
    caller: &Caller,
    id: i64,
    (stage, outcome): (usize, Outcome),
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Recorded, Error> {
    let tenant = caller.actor.tenant_id;
    let seen = open_application(store, caller, id).await?;
    if seen.view != ApplicationView::Hiring {
        return Err(Error::Forbidden);
    }
    let before = seen.application.progress;
    let after = match before.record(seen.posting.posting.stages.len(), stage, outcome, reason) {
        Ok(p) => p,
        Err(r) => return Ok(Recorded::Refused(r)),
    };
    let key = match outcome {
        Outcome::Passed => "passed",
        Outcome::NotSelected => "not_selected",
    };
    if !store
        .record_application_stage(
            tenant,
            &seen.application,
            (before, after),
            (stage, key),
            reason.trim(),
            Some(caller.actor.user_id),
            now,
        )
        .await?
    {
        return Ok(Recorded::Refused(StageRefusal::OutOfOrder {
            current: None,
        }));
    }
    caller
        .record(
            store,
            AuditAction::ApplicationChanged,
            ("application", id),
            detail("application_stage", &[("n", &(stage + 1)), ("event", &key)]),
        )
        .await?;
    Ok(Recorded::Done(after))
}

/// The applicant takes their application back while it is considered.
pub async fn withdraw(
    store: &Store,
    caller: &Caller,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Recorded, Error> {
    let tenant = caller.actor.tenant_id;
    let seen = open_application(store, caller, id).await?;
    if seen.view != ApplicationView::Applicant {
        return Err(Error::Forbidden);
    }
    let before = seen.application.progress;
    let after = match before.withdraw() {
        Ok(p) => p,
        Err(r) => return Ok(Recorded::Refused(r)),
    };
    let stage = before.stage(seen.posting.posting.stages.len());
    if !store
        .record_application_stage(
            tenant,
            &seen.application,
            (before, after),
            (stage, "withdrawn"),
            reason.trim(),
            None,
            now,
        )
        .await?
    {
        return Ok(Recorded::Refused(StageRefusal::Finished));
    }
    caller
        .record(
            store,
            AuditAction::ApplicationChanged,
            ("application", id),
            detail("application_withdrawn", &[("n", &(stage + 1))]),
        )
        .await?;
    Ok(Recorded::Done(after))
}

/// Who is told of a change, by account: the applicant, and the hiring manager. Never the
/// line above: what they may see, they see on the member page.
pub async fn applicant_account(
    store: &Store,
    caller: &Caller,
    a: &Application,
) -> Result<Option<UserId>, Error> {
    Ok(store
        .account_of_person(caller.actor.tenant_id, a.person)
        .await?
        .map(|(u, _)| u))
}

/// Applications still being considered on the postings the caller hires for (their
/// home's to-do): only those the policy shows them as the hiring side.
pub async fn waiting_for_me(store: &Store, caller: &Caller) -> Result<usize, Error> {
    let tenant = caller.actor.tenant_id;
    let mut n = 0;
    for p in store.postings(tenant).await? {
        if p.hiring_manager != caller.actor.user_id {
            continue;
        }
        n += applications_to(store, caller, &p)
            .await?
            .iter()
            .filter(|(a, v)| *v == ApplicationView::Hiring && a.progress.is_open())
            .count();
    }
    Ok(n)
}

/// HR sets the company's rule on months in one's current department before applying to a
/// posting or declaring FA (0–120).
pub async fn set_eligibility(store: &Store, caller: &Caller, months: u32) -> Result<bool, Error> {
    let tenant = caller.actor.tenant_id;
    if !caller.actor.has(domain::Role::Hr) {
        return Err(Error::Forbidden);
    }
    if months > 120 {
        return Ok(false);
    }
    store
        .set_posting_eligibility(
            tenant,
            posting::Eligibility {
                min_months_in_role: months,
            },
        )
        .await?;
    caller
        .audit(
            store,
            store::audit::NewAuditEntry::new(Some(tenant), AuditAction::SettingsChanged)
                .detail(detail("posting_eligibility", &[("n", &months)])),
        )
        .await?;
    Ok(true)
}
