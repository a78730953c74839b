//! 社内FA (free-agent declarations): an eligible employee declares that they are open to
//! a move; hiring managers outside their department and reporting line browse the
//! declarations in force and ask for an interview; the declarant accepts or declines.
//! Every declaration and request that leaves this module has passed
//! `domain::policy::declaration_view` for the caller — lists, counts and the audit log
//! alike — so the declarant's own manager and department never learn of it.

use crate::{Caller, Error};
use chrono::{DateTime, NaiveDate, Utc};
use domain::audit::{AuditAction, detail};
use domain::fa::{self, DeclarationInput, DeclarationProblem, DeclareRefusal, InterviewStatus};
use domain::policy::{self, DeclarationFacts, DeclarationView, Relation};
use domain::{PersonId, UserId};
use store::Store;
use store::fa::{InterviewRequest, StoredDeclaration};

/// Why a declaration was not recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum NotDeclared {
    Problems(Vec<DeclarationProblem>),
    Refused(Vec<DeclareRefusal>),
}

async fn facts(
    store: &Store,
    caller: &Caller,
    d: &StoredDeclaration,
    today: NaiveDate,
) -> Result<DeclarationFacts, Error> {
    let tenant = caller.actor.tenant_id;
    let (above, same_department) = match caller.actor.person_id {
        Some(me) if me != d.person => {
            let above =
                store.relation(tenant, Some(me), d.person).await? == Relation::InReportingLine;
            let mine = store
                .person(tenant, me)
                .await?
                .and_then(|p| p.department_id);
            (above, mine.is_some() && mine == d.department_id)
        }
        _ => (false, false),
    };
    Ok(DeclarationFacts {
        tenant,
        declarant: d.person,
        actor_above_declarant: above,
        actor_in_declarants_department: same_department,
        active: d.active(today),
    })
}

/// How the caller sees a declaration, or None (then it does not exist for them).
pub async fn view_of(
    store: &Store,
    caller: &Caller,
    d: &StoredDeclaration,
    today: NaiveDate,
) -> Result<Option<DeclarationView>, Error> {
    Ok(policy::declaration_view(
        &caller.actor,
        &facts(store, caller, d, today).await?,
    ))
}

/// The caller declares: the declaration's id, or what is wrong (the form's problems,
/// or the rules' refusals — each with the rule named).
pub async fn declare(
    store: &Store,
    caller: &Caller,
    input: &DeclarationInput,
    now: DateTime<Utc>,
) -> Result<Result<i64, NotDeclared>, Error> {
    let tenant = caller.actor.tenant_id;
    let me = caller.actor.person_id.ok_or(Error::Forbidden)?;
    let today = domain::japan_time::japan_date(now);
    if let Err(r) = eligibility(store, caller, today).await? {
        return Ok(Err(NotDeclared::Refused(r)));
    }
    let declaration = match input.parse() {
        Ok(d) => d,
        Err(p) => return Ok(Err(NotDeclared::Problems(p))),
    };
    let calendar = store.tenant(tenant).await?.settings.calendar;
    let id = store
        .add_declaration(
            tenant,
            me,
            &declaration,
            (today, fa::expires_on(&calendar, today)),
            now,
        )
        .await?;
    caller
        .record(
            store,
            AuditAction::DeclarationChanged,
            ("fa_declaration", id),
            detail("fa_declared", &[]),
        )
        .await?;
    Ok(Ok(id))
}

/// Why the caller may not declare today (said before anything is typed).
pub async fn eligibility(
    store: &Store,
    caller: &Caller,
    today: NaiveDate,
) -> Result<Result<(), Vec<DeclareRefusal>>, Error> {
    let tenant = caller.actor.tenant_id;
    let Some(me) = caller.actor.person_id else {
        return Ok(Err(Vec::new()));
    };
    let active = store
        .declarations_of(tenant, me)
        .await?
        .into_iter()
        .find(|d| d.active(today))
        .map(|d| d.expires_on);
    Ok(fa::may_declare(
        store.posting_eligibility(tenant).await?,
        store.in_department_since(tenant, me).await?,
        active,
        today,
    ))
}

/// The declarant withdraws their declaration in force.
pub async fn withdraw(
    store: &Store,
    caller: &Caller,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, Error> {
    let tenant = caller.actor.tenant_id;
    let today = domain::japan_time::japan_date(now);
    let d = open(store, caller, id, today).await?.0;
    if caller.actor.person_id != Some(d.person) {
        return Err(Error::Forbidden);
    }
    let done = store.withdraw_declaration(tenant, id, now).await?;
    if done {
        caller
            .record(
                store,
                AuditAction::DeclarationChanged,
                ("fa_declaration", id),
                detail("fa_withdrawn", &[]),
            )
            .await?;
    }
    Ok(done)
}

/// A declaration the caller may see, and how; NotFound otherwise.
pub async fn open(
    store: &Store,
    caller: &Caller,
    id: i64,
    today: NaiveDate,
) -> Result<(StoredDeclaration, DeclarationView), Error> {
    let d = store
        .declaration(caller.actor.tenant_id, id)
        .await?
        .ok_or(Error::NotFound("declaration"))?;
    let view = view_of(store, caller, &d, today)
        .await?
        .ok_or(Error::NotFound("declaration"))?;
    Ok((d, view))
}

/// The caller's own declarations (the latest first) with the requests made to each.
pub async fn mine(
    store: &Store,
    caller: &Caller,
) -> Result<Vec<(StoredDeclaration, Vec<InterviewRequest>)>, Error> {
    let tenant = caller.actor.tenant_id;
    let Some(me) = caller.actor.person_id else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for d in store.declarations_of(tenant, me).await? {
        let requests = store.interview_requests(tenant, &d).await?;
        out.push((d, requests));
    }
    Ok(out)
}

/// The declarations the caller may browse — in force, for a hiring manager; every one,
/// for HR — each with the caller's view and the requests they may see (a scout: their
/// own; HR: all).
pub async fn browse(
    store: &Store,
    caller: &Caller,
    today: NaiveDate,
) -> Result<Vec<(StoredDeclaration, DeclarationView, Vec<InterviewRequest>)>, Error> {
    let tenant = caller.actor.tenant_id;
    if !caller.actor.has(domain::Role::Hr) && !caller.actor.has(domain::Role::Manager) {
        return Ok(Vec::new());
    }
    let in_force = (!caller.actor.has(domain::Role::Hr)).then_some(today);
    let mut out = Vec::new();
    for d in store.declarations(tenant, in_force).await? {
        if let Some(view @ (DeclarationView::Scout | DeclarationView::Hr)) =
            view_of(store, caller, &d, today).await?
        {
            let mut requests = store.interview_requests(tenant, &d).await?;
            if view == DeclarationView::Scout {
                requests.retain(|r| r.from == caller.actor.user_id);
            }
            out.push((d, view, requests));
        }
    }
    Ok(out)
}

/// Why an interview request was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotRequested {
    MessageMissing,
    MessageTooLong,
    AlreadyRequested,
}

/// A hiring manager asks the declarant for an interview.
pub async fn request_interview(
    store: &Store,
    caller: &Caller,
    id: i64,
    message: &str,
    now: DateTime<Utc>,
) -> Result<Result<(i64, PersonId), NotRequested>, Error> {
    let tenant = caller.actor.tenant_id;
    let today = domain::japan_time::japan_date(now);
    let (d, view) = open(store, caller, id, today).await?;
    if view != DeclarationView::Scout {
        return Err(Error::Forbidden);
    }
    let message = message.trim();
    if message.is_empty() {
        return Ok(Err(NotRequested::MessageMissing));
    }
    if message.chars().count() > fa::MAX_MESSAGE {
        return Ok(Err(NotRequested::MessageTooLong));
    }
    let Some(r) = store
        .add_interview_request(tenant, &d, caller.actor.user_id, message, now)
        .await?
    else {
        return Ok(Err(NotRequested::AlreadyRequested));
    };
    caller
        .record(
            store,
            AuditAction::DeclarationChanged,
            ("fa_declaration", id),
            detail("fa_requested", &[]),
        )
        .await?;
    Ok(Ok((r, d.person)))
}

/// The declarant accepts or declines a waiting request: the hiring manager to tell, or
/// None when it was answered already.
pub async fn answer(
    store: &Store,
    caller: &Caller,
    request: i64,
    accept: bool,
    words: &str,
    now: DateTime<Utc>,
) -> Result<Option<UserId>, Error> {
    let tenant = caller.actor.tenant_id;
    let today = domain::japan_time::japan_date(now);
    let id = store
        .declaration_of_request(tenant, request)
        .await?
        .ok_or(Error::NotFound("request"))?;
    let (d, view) = open(store, caller, id, today)
        .await
        .map_err(|_| Error::NotFound("request"))?;
    if view != DeclarationView::Declarant {
        return Err(Error::NotFound("request"));
    }
    let status = if accept {
        InterviewStatus::Accepted
    } else {
        InterviewStatus::Declined
    };
    let words: String = words.trim().chars().take(fa::MAX_MESSAGE).collect();
    if !store
        .answer_interview_request(tenant, &d, request, status, &words, now)
        .await?
    {
        return Ok(None);
    }
    caller
        .record(
            store,
            AuditAction::DeclarationChanged,
            ("fa_declaration", id),
            detail("fa_answered", &[("event", &status.key())]),
        )
        .await?;
    Ok(store
        .interview_requests(tenant, &d)
        .await?
        .into_iter()
        .find(|r| r.id == request)
        .map(|r| r.from))
}

/// The declarations the caller may not see, by id (the audit log leaves out their
/// entries).
pub async fn hidden_from(
    store: &Store,
    caller: &Caller,
    today: NaiveDate,
) -> Result<Vec<i64>, Error> {
    let tenant = caller.actor.tenant_id;
    let mut out = Vec::new();
    for d in store.declarations(tenant, None).await? {
        if view_of(store, caller, &d, today).await?.is_none() {
            out.push(d.id);
        }
    }
    Ok(out)
}
