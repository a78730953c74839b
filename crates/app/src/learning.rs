//! 学ぶ (learning): the course catalogue HR keeps and everyone searches; completions the
//! employee records, with the employee's and their manager's notes on using them at work
//! (seen by the person, those above them and HR: `policy::may_see_learning`); and
//! certification subsidies — claimed with the receipt under the company's rules, decided
//! by HR (never their own), paid — seen by the claimant and HR only
//! (`policy::may_see_subsidy`), in no list, count or audit view of anyone else.

use crate::{Caller, Error};
use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::{AuditAction, detail};
use domain::learning::{
    self, ClaimInput, ClaimProblem, ClaimStatus, CompletionProblem, CourseInput, CourseProblem,
    SubsidyRules,
};
use domain::policy::{self, Relation};
use domain::side_job::{Decision, DecisionRefusal};
use domain::{PersonId, Role};
use store::Store;
use store::learning::{Completion, Receipt, StoredClaim, StoredCourse};

fn hr_only(caller: &Caller) -> Result<(), Error> {
    if caller.actor.has(Role::Hr) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

// ----- the catalogue -----

/// The catalogue as the caller searches it: a keyword (Japanese, width and kana folded)
/// over title, provider, description and tags, and a tag. Retired courses only for HR
/// when asked.
pub async fn courses(
    store: &Store,
    caller: &Caller,
    q: &str,
    tag: &str,
    with_retired: bool,
) -> Result<Vec<StoredCourse>, Error> {
    let with_retired = with_retired && caller.actor.has(Role::Hr);
    let tag = domain::import::values::normalise(tag);
    Ok(store
        .courses(caller.actor.tenant_id)
        .await?
        .into_iter()
        .filter(|c| with_retired || !c.retired)
        .filter(|c| tag.is_empty() || c.course.tags.contains(&tag))
        .filter(|c| {
            let text = format!(
                "{} {} {} {}",
                c.course.title,
                c.course.provider,
                c.course.description,
                c.course.tags.join(" ")
            );
            q.trim().is_empty() || crate::postings::matches(q, &text)
        })
        .collect())
}

/// HR adds a course (or, with `id`, changes one).
pub async fn save_course(
    store: &Store,
    caller: &Caller,
    id: Option<i64>,
    input: &CourseInput,
    now: DateTime<Utc>,
) -> Result<Result<i64, Vec<CourseProblem>>, Error> {
    hr_only(caller)?;
    let tenant = caller.actor.tenant_id;
    let course = match input.check() {
        Ok(c) => c,
        Err(p) => return Ok(Err(p)),
    };
    let (id, key) = match id {
        Some(id) => {
            if !store.update_course(tenant, id, &course, now).await? {
                return Err(Error::NotFound("course"));
            }
            (id, "course_edited")
        }
        None => (
            store
                .add_course(tenant, &course, caller.actor.user_id, now)
                .await?,
            "course_added",
        ),
    };
    caller
        .record(
            store,
            AuditAction::LearningChanged,
            ("course", id),
            detail(key, &[]),
        )
        .await?;
    Ok(Ok(id))
}

/// HR retires a course (kept for the completions that name it) or offers it again.
pub async fn set_retired(
    store: &Store,
    caller: &Caller,
    id: i64,
    retired: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    hr_only(caller)?;
    if !store
        .set_course_retired(caller.actor.tenant_id, id, retired, now)
        .await?
    {
        return Err(Error::NotFound("course"));
    }
    let key = if retired {
        "course_retired"
    } else {
        "course_offered"
    };
    caller
        .record(
            store,
            AuditAction::LearningChanged,
            ("course", id),
            detail(key, &[]),
        )
        .await?;
    Ok(())
}

// ----- completions -----

/// Why a completion was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotRecorded {
    Problem(CompletionProblem),
    /// The same course on the same day is recorded already.
    Already,
}

/// The caller records that they completed a course of the catalogue.
pub async fn record_completion(
    store: &Store,
    caller: &Caller,
    course: i64,
    completed_on: &str,
    now: DateTime<Utc>,
) -> Result<Result<i64, NotRecorded>, Error> {
    let tenant = caller.actor.tenant_id;
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    let c = store
        .course(tenant, course)
        .await?
        .filter(|c| !c.retired)
        .ok_or(Error::NotFound("course"))?;
    let today = domain::japan_time::japan_date(now);
    let on = match learning::completed_on(completed_on, today) {
        Ok(d) => d,
        Err(p) => return Ok(Err(NotRecorded::Problem(p))),
    };
    let Some(id) = store
        .add_completion(tenant, me, c.id, on, caller.actor.user_id, now)
        .await?
    else {
        return Ok(Err(NotRecorded::Already));
    };
    caller
        .record(
            store,
            AuditAction::LearningChanged,
            ("completion", id),
            detail("completion_recorded", &[]),
        )
        .await?;
    Ok(Ok(id))
}

/// A completion the caller may see; NotFound otherwise.
pub async fn open_completion(
    store: &Store,
    caller: &Caller,
    id: i64,
) -> Result<(Completion, Relation), Error> {
    let tenant = caller.actor.tenant_id;
    let c = store
        .completion(tenant, id)
        .await?
        .ok_or(Error::NotFound("completion"))?;
    let relation = store
        .relation(tenant, caller.actor.person_id, c.person)
        .await?;
    if !policy::may_see_learning(&caller.actor, tenant, relation) {
        return Err(Error::NotFound("completion"));
    }
    Ok((c, relation))
}

/// Who writes which note on a completion: the person their own, their direct manager
/// the manager's; nobody else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UseNoteBy {
    Employee,
    Manager,
}

/// Which note the caller writes on someone's completion, if any.
pub async fn note_writer(
    store: &Store,
    caller: &Caller,
    person: PersonId,
) -> Result<Option<UseNoteBy>, Error> {
    let Some(me) = caller.actor.person_id else {
        return Ok(None);
    };
    if me == person {
        return Ok(Some(UseNoteBy::Employee));
    }
    let direct = store
        .person(caller.actor.tenant_id, person)
        .await?
        .and_then(|p| p.manager_id)
        == Some(me.0);
    Ok(direct.then_some(UseNoteBy::Manager))
}

/// The person or their manager notes how the learning will be used at work.
pub async fn note_use(
    store: &Store,
    caller: &Caller,
    id: i64,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Result<UseNoteBy, CompletionProblem>, Error> {
    let tenant = caller.actor.tenant_id;
    let (c, _) = open_completion(store, caller, id).await?;
    let by = note_writer(store, caller, c.person)
        .await?
        .ok_or(Error::Forbidden)?;
    let note = match learning::use_note(text) {
        Ok(n) => n,
        Err(p) => return Ok(Err(p)),
    };
    match by {
        UseNoteBy::Employee => store.set_employee_use(tenant, &c, &note, now).await?,
        UseNoteBy::Manager => {
            store
                .set_manager_use(tenant, &c, &note, caller.actor.user_id, now)
                .await?
        }
    }
    caller
        .record(
            store,
            AuditAction::LearningChanged,
            ("completion", id),
            detail("completion_use_noted", &[]),
        )
        .await?;
    Ok(Ok(by))
}

/// The caller's own completions.
pub async fn my_completions(store: &Store, caller: &Caller) -> Result<Vec<Completion>, Error> {
    match caller.actor.person_id {
        Some(me) => Ok(store.completions_of(caller.actor.tenant_id, &[me]).await?),
        None => Ok(Vec::new()),
    }
}

/// The completions of the people below the caller (direct reports first by date).
pub async fn members_completions(store: &Store, caller: &Caller) -> Result<Vec<Completion>, Error> {
    let tenant = caller.actor.tenant_id;
    let Some(me) = caller.actor.person_id else {
        return Ok(Vec::new());
    };
    let below: Vec<PersonId> = store
        .reports_of(tenant, me)
        .await?
        .into_iter()
        .map(|(_, p)| PersonId(p.id))
        .collect();
    Ok(store
        .completions_of(tenant, &below)
        .await?
        .into_iter()
        .filter(|_| policy::may_see_learning(&caller.actor, tenant, Relation::InReportingLine))
        .collect())
}

/// A person's completions, if the caller may see their learning; none otherwise.
pub async fn completions_of_person(
    store: &Store,
    caller: &Caller,
    person: PersonId,
) -> Result<Vec<Completion>, Error> {
    let tenant = caller.actor.tenant_id;
    let relation = store
        .relation(tenant, caller.actor.person_id, person)
        .await?;
    if !policy::may_see_learning(&caller.actor, tenant, relation) {
        return Ok(Vec::new());
    }
    Ok(store.completions_of(tenant, &[person]).await?)
}

/// Every completion (HR).
pub async fn all_completions(store: &Store, caller: &Caller) -> Result<Vec<Completion>, Error> {
    hr_only(caller)?;
    Ok(store.all_completions(caller.actor.tenant_id).await?)
}

/// Completions of the caller's direct reports with no note from the caller yet (a
/// manager's home).
pub async fn waiting_for_manager(store: &Store, caller: &Caller) -> Result<usize, Error> {
    let tenant = caller.actor.tenant_id;
    let Some(me) = caller.actor.person_id else {
        return Ok(0);
    };
    let direct: Vec<PersonId> = store
        .reports_of(tenant, me)
        .await?
        .into_iter()
        .filter(|(depth, _)| *depth == 1)
        .map(|(_, p)| PersonId(p.id))
        .collect();
    Ok(store
        .completions_of(tenant, &direct)
        .await?
        .iter()
        .filter(|c| c.manager_use.is_empty())
        .count())
}

// ----- certification subsidies -----

/// A claim the caller may see; NotFound otherwise.
pub async fn open_claim(store: &Store, caller: &Caller, id: i64) -> Result<StoredClaim, Error> {
    let tenant = caller.actor.tenant_id;
    let c = store
        .claim(tenant, id)
        .await?
        .ok_or(Error::NotFound("subsidy claim"))?;
    if !policy::may_see_subsidy(&caller.actor, tenant, c.person) {
        return Err(Error::NotFound("subsidy claim"));
    }
    Ok(c)
}

/// A receipt as uploaded (name and bytes), checked here by its content.
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The claim's estimated amount, or the cap used up; the receipt checked.
async fn checked(
    store: &Store,
    caller: &Caller,
    person: PersonId,
    input: &ClaimInput,
    receipt: Option<&Upload>,
    receipt_required: bool,
    (except, now): (Option<i64>, DateTime<Utc>),
) -> Result<Result<(learning::Claim, i32, u32, Option<&'static str>), Vec<ClaimProblem>>, Error> {
    let tenant = caller.actor.tenant_id;
    let rules = store.subsidy_rules(tenant).await?;
    let today = domain::japan_time::japan_date(now);
    let checked = input.check(&rules, today);
    let kind = match receipt {
        Some(r) if !(r.bytes.is_empty() && r.name.is_empty()) => {
            Some(learning::receipt_kind(&r.name, &r.bytes))
        }
        _ => None,
    };
    let mut problems = match &checked {
        Ok(_) => Vec::new(),
        Err(p) => p.clone(),
    };
    match kind {
        Some(Err(refusal)) => problems.push(ClaimProblem::Receipt { refusal }),
        None if receipt_required => problems.push(ClaimProblem::ReceiptMissing),
        _ => {}
    }
    let (Ok(claim), true) = (checked, problems.is_empty()) else {
        return Ok(Err(problems));
    };
    let settings = store.tenant(tenant).await?.settings;
    let fy = settings.calendar.fiscal_year_of(claim.exam_on).0;
    let already = store.approved_in_fy(tenant, person, fy, except).await?;
    let certification = rules
        .find(&claim.certification)
        .ok_or(Error::NotFound("certification"))?;
    let amount = rules.subsidy(certification, claim.fee_yen, already);
    if amount == 0 {
        return Ok(Err(vec![ClaimProblem::CapReached {
            cap: rules.cap_per_fy,
        }]));
    }
    Ok(Ok((claim, fy, amount, kind.and_then(Result::ok))))
}

/// The caller claims a subsidy for an exam they took, with the receipt.
pub async fn claim(
    store: &Store,
    caller: &Caller,
    input: &ClaimInput,
    receipt: &Upload,
    now: DateTime<Utc>,
) -> Result<Result<i64, Vec<ClaimProblem>>, Error> {
    let tenant = caller.actor.tenant_id;
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    let (claim, fy, amount, kind) =
        match checked(store, caller, me, input, Some(receipt), true, (None, now)).await? {
            Ok(c) => c,
            Err(p) => return Ok(Err(p)),
        };
    let content_type = kind.ok_or(Error::Forbidden)?;
    let id = store
        .add_claim(
            tenant,
            me,
            &claim,
            fy,
            amount,
            Receipt {
                name: &receipt.name,
                content_type,
                bytes: receipt.bytes.clone(),
            },
            now,
        )
        .await?;
    caller
        .record(
            store,
            AuditAction::LearningChanged,
            ("subsidy_claim", id),
            detail("subsidy_claimed", &[]),
        )
        .await?;
    Ok(Ok(id))
}

/// The claimant sends a claim again after HR asked for changes (a new receipt optional).
pub async fn resubmit_claim(
    store: &Store,
    caller: &Caller,
    id: i64,
    input: &ClaimInput,
    receipt: Option<&Upload>,
    now: DateTime<Utc>,
) -> Result<Result<(), Vec<ClaimProblem>>, Error> {
    let tenant = caller.actor.tenant_id;
    let current = open_claim(store, caller, id).await?;
    if caller.actor.person_id != Some(current.person)
        || current.status != ClaimStatus::ChangesRequested
    {
        return Err(Error::Forbidden);
    }
    let (claim, fy, amount, kind) = match checked(
        store,
        caller,
        current.person,
        input,
        receipt,
        false,
        (Some(id), now),
    )
    .await?
    {
        Ok(c) => c,
        Err(p) => return Ok(Err(p)),
    };
    let receipt = match (receipt, kind) {
        (Some(r), Some(content_type)) => Some(Receipt {
            name: &r.name,
            content_type,
            bytes: r.bytes.clone(),
        }),
        _ => None,
    };
    store
        .resubmit_claim(tenant, &current, &claim, fy, amount, receipt, now)
        .await?;
    caller
        .record(
            store,
            AuditAction::LearningChanged,
            ("subsidy_claim", id),
            detail("subsidy_claimed", &[]),
        )
        .await?;
    Ok(Ok(()))
}

/// Why HR's decision was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotDecided {
    Refused(DecisionRefusal),
    /// Approving would pay nothing: the person's cap for the year is used up.
    CapUsed,
}

/// HR decides a submitted claim (never their own); an approval fixes the amount under
/// the rules and what is already approved for the person that year.
pub async fn decide_claim(
    store: &Store,
    caller: &Caller,
    id: i64,
    decision: Decision,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Result<ClaimStatus, NotDecided>, Error> {
    let tenant = caller.actor.tenant_id;
    let current = open_claim(store, caller, id).await?;
    if !policy::may_decide_subsidy(&caller.actor, tenant, current.person) {
        return Err(Error::Forbidden);
    }
    let to = match learning::decide(current.status, decision, reason) {
        Ok(s) => s,
        Err(r) => return Ok(Err(NotDecided::Refused(r))),
    };
    let mut amount = current.amount_yen;
    if to == ClaimStatus::Approved {
        let rules = store.subsidy_rules(tenant).await?;
        let already = store
            .approved_in_fy(tenant, current.person, current.fiscal_year, Some(id))
            .await?;
        // A certification the company has since taken off its list keeps the rate it
        // was claimed under: the estimate.
        amount = match rules.find(&current.claim.certification) {
            Some(c) => rules.subsidy(c, current.claim.fee_yen, already),
            None => current
                .amount_yen
                .min(rules.cap_per_fy.saturating_sub(already)),
        };
        if amount == 0 {
            return Ok(Err(NotDecided::CapUsed));
        }
    }
    let by = Some(caller.actor.user_id);
    if !store
        .set_claim_status(tenant, &current, to, reason.trim(), amount, by, now)
        .await?
    {
        return Ok(Err(NotDecided::Refused(DecisionRefusal::NotWaiting)));
    }
    let key = match to {
        ClaimStatus::Approved => "subsidy_approved",
        ClaimStatus::ChangesRequested => "subsidy_changes",
        _ => "subsidy_refused",
    };
    caller
        .record(
            store,
            AuditAction::LearningChanged,
            ("subsidy_claim", id),
            detail(key, &[("n", &amount)]),
        )
        .await?;
    Ok(Ok(to))
}

/// Why a payment was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotPaid {
    NotApproved,
    DateInvalid,
    InFuture,
}

/// HR records that an approved claim was paid on a day (not their own claim).
pub async fn mark_paid(
    store: &Store,
    caller: &Caller,
    id: i64,
    paid_on: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), NotPaid>, Error> {
    let tenant = caller.actor.tenant_id;
    let current = open_claim(store, caller, id).await?;
    if !policy::may_decide_subsidy(&caller.actor, tenant, current.person) {
        return Err(Error::Forbidden);
    }
    let today = domain::japan_time::japan_date(now);
    let on: NaiveDate = match learning::completed_on(paid_on, today) {
        Ok(d) => d,
        Err(CompletionProblem::InFuture) => return Ok(Err(NotPaid::InFuture)),
        Err(_) => return Ok(Err(NotPaid::DateInvalid)),
    };
    if current.status != ClaimStatus::Approved
        || !store.mark_claim_paid(tenant, id, on, now).await?
    {
        return Ok(Err(NotPaid::NotApproved));
    }
    caller
        .record(
            store,
            AuditAction::LearningChanged,
            ("subsidy_claim", id),
            detail("subsidy_paid", &[("n", &current.amount_yen)]),
        )
        .await?;
    Ok(Ok(()))
}

/// The claimant withdraws a claim that waits or asks for changes.
pub async fn withdraw_claim(
    store: &Store,
    caller: &Caller,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let tenant = caller.actor.tenant_id;
    let current = open_claim(store, caller, id).await?;
    if caller.actor.person_id != Some(current.person) {
        return Err(Error::Forbidden);
    }
    if !matches!(
        current.status,
        ClaimStatus::Submitted | ClaimStatus::ChangesRequested
    ) {
        return Ok(false);
    }
    let done = store
        .set_claim_status(
            tenant,
            &current,
            ClaimStatus::Withdrawn,
            "",
            current.amount_yen,
            None,
            now,
        )
        .await?;
    if done {
        caller
            .record(
                store,
                AuditAction::LearningChanged,
                ("subsidy_claim", id),
                detail("subsidy_withdrawn", &[]),
            )
            .await?;
    }
    Ok(done)
}

/// A claim's receipt (name, type, bytes) for the claimant or HR; HR's reading of
/// someone else's receipt is audited.
pub async fn receipt(
    store: &Store,
    caller: &Caller,
    id: i64,
) -> Result<(String, String, Vec<u8>), Error> {
    let tenant = caller.actor.tenant_id;
    let c = open_claim(store, caller, id).await?;
    let r = store
        .claim_receipt(tenant, id)
        .await?
        .ok_or(Error::NotFound("subsidy claim"))?;
    if caller.actor.person_id != Some(c.person) {
        caller
            .record(
                store,
                AuditAction::ConfidentialRead,
                ("subsidy_claim", id),
                detail("subsidy_receipt_read", &[]),
            )
            .await?;
    }
    Ok(r)
}

/// The caller's own claims.
pub async fn my_claims(store: &Store, caller: &Caller) -> Result<Vec<StoredClaim>, Error> {
    match caller.actor.person_id {
        Some(me) => Ok(store.claims_of(caller.actor.tenant_id, me).await?),
        None => Ok(Vec::new()),
    }
}

/// Every claim HR may see (all but their own, which is theirs as a claimant).
pub async fn all_claims(store: &Store, caller: &Caller) -> Result<Vec<StoredClaim>, Error> {
    let tenant = caller.actor.tenant_id;
    if !caller.actor.has(Role::Hr) {
        return Ok(Vec::new());
    }
    Ok(store
        .claims(tenant)
        .await?
        .into_iter()
        .filter(|c| policy::may_see_subsidy(&caller.actor, tenant, c.person))
        .collect())
}

/// Claims waiting for a decision that the caller may decide, and approved ones waiting
/// to be paid (HR's home).
pub async fn waiting_claims(store: &Store, caller: &Caller) -> Result<(usize, usize), Error> {
    let tenant = caller.actor.tenant_id;
    let all = all_claims(store, caller).await?;
    let mine = |c: &&StoredClaim| policy::may_decide_subsidy(&caller.actor, tenant, c.person);
    Ok((
        all.iter()
            .filter(mine)
            .filter(|c| c.status == ClaimStatus::Submitted)
            .count(),
        all.iter()
            .filter(mine)
            .filter(|c| c.status == ClaimStatus::Approved)
            .count(),
    ))
}

/// What the caller has been approved (or paid) this fiscal year, and the cap.
pub async fn my_year(
    store: &Store,
    caller: &Caller,
    today: NaiveDate,
) -> Result<Option<(i32, u32, u32)>, Error> {
    let tenant = caller.actor.tenant_id;
    let Some(me) = caller.actor.person_id else {
        return Ok(None);
    };
    let fy = store
        .tenant(tenant)
        .await?
        .settings
        .calendar
        .fiscal_year_of(today)
        .0;
    let used = store.approved_in_fy(tenant, me, fy, None).await?;
    let cap = store.subsidy_rules(tenant).await?.cap_per_fy;
    Ok(Some((fy, used, cap)))
}

/// HR sets the company's subsidy rules.
pub async fn set_rules(store: &Store, caller: &Caller, rules: &SubsidyRules) -> Result<(), Error> {
    hr_only(caller)?;
    let tenant = caller.actor.tenant_id;
    store.set_subsidy_rules(tenant, rules).await?;
    caller
        .audit(
            store,
            store::audit::NewAuditEntry::new(Some(tenant), AuditAction::SettingsChanged).detail(
                detail(
                    "subsidy_rules",
                    &[
                        ("n", &rules.certifications.len()),
                        ("count", &rules.cap_per_fy),
                    ],
                ),
            ),
        )
        .await?;
    Ok(())
}

/// The claims and completions the caller may not see (the audit log leaves out their
/// entries): claims not their own unless HR; completions of people neither themselves nor
/// below them unless HR.
pub async fn hidden_from(store: &Store, caller: &Caller) -> Result<(Vec<i64>, Vec<i64>), Error> {
    let tenant = caller.actor.tenant_id;
    let (completions, claims) = store.learning_owners(tenant).await?;
    let claims = claims
        .into_iter()
        .filter(|(_, p)| !policy::may_see_subsidy(&caller.actor, tenant, PersonId(*p)))
        .map(|(id, _)| id)
        .collect();
    if caller.actor.has(Role::Hr) {
        return Ok((claims, Vec::new()));
    }
    let mut mine: std::collections::HashSet<i64> = std::collections::HashSet::new();
    if let Some(me) = caller.actor.person_id {
        mine.insert(me.0);
        for (_, p) in store.reports_of(tenant, me).await? {
            mine.insert(p.id);
        }
    }
    let completions = completions
        .into_iter()
        .filter(|(_, p)| !mine.contains(p))
        .map(|(id, _)| id)
        .collect();
    Ok((claims, completions))
}
