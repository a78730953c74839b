//! Rosters (HR and the session's instructor) and the programme's exports to Excel and PDF, each audited.

use super::*;

/// A workshop group as the roster shows it: the anchor its members share most and how
/// many of them share it — never anyone's own result (the inventory promises that).
pub struct RosterGroup {
    pub number: i64,
    /// The most common dominant anchor in the group (ties joined); empty before the
    /// inventory.
    pub theme: String,
    pub homogeneity: String,
    /// (employee number, name)
    pub members: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "programmes/roster.html")]
pub(super) struct RosterPage {
    pub(super) shell: Shell,
    pub(super) programme_id: i64,
    pub(super) session_id: i64,
    pub(super) programme_name: String,
    pub(super) may_manage: bool,
    pub(super) when: String,
    pub(super) place: String,
    pub(super) instructor: String,
    pub(super) style_label: String,
    pub(super) capacity: usize,
    /// (number, name, department, segment, group)
    pub(super) people: Vec<(String, String, String, String, String)>,
    pub(super) groups: Vec<RosterGroup>,
    pub(super) ungrouped: Vec<String>,
}

/// GET /programmes/{id}/sessions/{sid} — who comes and the workshop groups, as saved by
/// the last placement. No notes, no ratings, no one's own anchors: the instructor sees
/// names, groups and the anchor each group shares.
pub(super) async fn roster(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<RosterPage, AppError> {
    roster_view(&state, &page, &auth, id, sid).await
}

/// The roster as printable rows: the header lines, the participants, the groups.
pub(super) fn roster_sheets(page: &Page, r: &RosterPage) -> Vec<(String, Vec<Vec<String>>)> {
    let mut people = vec![vec![
        page.t("field.employee_number"),
        page.t("field.name"),
        page.t("field.department"),
        page.t("roster.group_col"),
    ]];
    if r.may_manage {
        people[0].insert(3, page.t("programme.segment"));
    }
    for (number, name, dept, segment, group) in &r.people {
        let mut row = vec![number.clone(), name.clone(), dept.clone(), group.clone()];
        if r.may_manage {
            row.insert(3, segment.clone());
        }
        people.push(row);
    }
    let mut groups = vec![vec![
        page.t("roster.group_col"),
        page.t("roster.group_theme"),
        page.t("field.employee_number"),
        page.t("field.name"),
    ]];
    for g in &r.groups {
        for (number, name) in &g.members {
            groups.push(vec![
                g.number.to_string(),
                g.theme.clone(),
                number.clone(),
                name.clone(),
            ]);
        }
    }
    vec![
        (page.t("roster.sheet_people"), people),
        (page.t("roster.sheet_groups"), groups),
    ]
}

pub(super) use crate::shared::download::download;

pub(super) use crate::shared::download::XLSX;

/// GET /programmes/{id}/sessions/{sid}/roster.xlsx — the roster and groups for Excel.
pub(super) async fn roster_xlsx(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let r = roster_view(&state, &page, &auth, id, sid).await?;
    let bytes = domain::import::export::sheets_to_xlsx(&roster_sheets(&page, &r))
        .map_err(|e| AppError::internal("roster xlsx", e))?;
    audit_export(
        &state,
        &auth,
        &origin,
        &format!("training roster {sid} (xlsx)"),
    )
    .await?;
    Ok(download(XLSX, format!("roster-{sid}.xlsx"), bytes))
}

/// GET /programmes/{id}/sessions/{sid}/roster.pdf — the roster to print (IPAexGothic).
pub(super) async fn roster_pdf(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path((id, sid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    use crate::shared::pdf::Block;
    let r = roster_view(&state, &page, &auth, id, sid).await?;
    let title = format!("{} — {}", page.t("roster.title"), r.when);
    let mut blocks = vec![
        Block::Title(title.clone()),
        Block::Meta(format!(
            "{} / {} / {}（{}） / {}",
            r.programme_name,
            r.place,
            r.instructor,
            r.style_label,
            page.tf("roster.capacity", "n", r.capacity)
        )),
        Block::Heading(page.t("roster.groups")),
    ];
    if r.groups.is_empty() {
        blocks.push(Block::Text(page.t("roster.no_groups")));
    }
    for g in &r.groups {
        blocks.push(Block::Labelled(
            page.tf("roster.group", "n", g.number),
            format!(
                "{}\n{}",
                page.tf("roster.group_theme_of", "anchor", &g.theme),
                g.members
                    .iter()
                    .map(|(number, name)| format!("{name}（{number}）"))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        ));
    }
    if !r.ungrouped.is_empty() {
        blocks.push(Block::Text(page.tf(
            "roster.ungrouped",
            "names",
            r.ungrouped.join("、"),
        )));
    }
    blocks.push(Block::Heading(page.tf(
        "roster.people",
        "n",
        r.people.len(),
    )));
    for (number, name, dept, _, group) in &r.people {
        let group = if group.is_empty() {
            String::new()
        } else {
            format!(" / {}", page.tf("roster.group", "n", group))
        };
        blocks.push(Block::Text(format!("{number}　{name}　{dept}{group}")));
    }
    blocks.push(Block::Meta(page.t("roster.no_notes")));
    let pdf = crate::shared::pdf::render(&title, &blocks)
        .map_err(|e| AppError::internal("roster pdf", e))?;
    audit_export(
        &state,
        &auth,
        &origin,
        &format!("training roster {sid} (pdf)"),
    )
    .await?;
    Ok(download(
        "application/pdf",
        format!("roster-{sid}.pdf"),
        pdf,
    ))
}

pub(super) async fn audit_export(
    state: &AppState,
    auth: &Auth,
    origin: &Origin,
    what: &str,
) -> Result<(), AppError> {
    auth.audit(
        state,
        origin,
        store::audit::NewAuditEntry::new(Some(auth.tenant()), domain::audit::AuditAction::Export)
            .detail(what),
    )
    .await?;
    Ok(())
}

/// GET /programmes/{id}/export.xlsx — the dashboard's figures and every participant's
/// step statuses, for Excel (HR; audited).
pub(super) async fn export_xlsx(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    origin: Origin,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let programme = load(&state, &auth, id).await?;
    let d = render_detail(&state, &page, &auth, programme, Typed::default()).await?;
    let head = |keys: &[&str]| keys.iter().map(|k| page.t(k)).collect::<Vec<_>>();
    let mut funnel = vec![head(&[
        "programme.stage_col",
        "programmes.count",
        "programme.rate_col",
    ])];
    funnel.extend(
        d.stages
            .iter()
            .map(|(l, n, r)| vec![l.clone(), n.to_string(), r.clone()]),
    );
    let mut to_commit = vec![head(&["programme.sessions_col", "programmes.count"])];
    to_commit.extend(
        d.to_commit
            .iter()
            .map(|(n, c)| vec![n.to_string(), c.to_string()]),
    );
    to_commit.push(vec![page.tf("programme.adherence", "rate", &d.adherence)]);
    let mut behaviour = vec![head(&["behaviour.distribution_title", "programmes.count"])];
    behaviour.extend(d.behaviour.iter().map(|(l, v)| vec![l.clone(), v.clone()]));
    let mut mix = vec![head(&["programme.anchor_mix", "programmes.count"])];
    mix.extend(d.mix.iter().map(|(l, v)| vec![l.clone(), v.clone()]));
    let mut autonomy = vec![head(&[
        "autonomy.fy",
        "programme.autonomy_cohort",
        "programme.autonomy_company",
    ])];
    autonomy.extend(
        d.autonomy_rows
            .iter()
            .map(|(fy, c, a)| vec![fy.to_string(), c.clone(), a.clone()]),
    );
    let mut people = vec![
        [
            vec![
                page.t("field.employee_number"),
                page.t("field.name"),
                page.t("field.department"),
                page.t("programme.segment"),
            ],
            d.steps
                .iter()
                .map(|s| page.t(&format!("programme.step.{s}")))
                .collect(),
            vec![page.t("programme.session_col"), page.t("roster.group_col")],
        ]
        .concat(),
    ];
    for r in &d.rows {
        let mut row = vec![
            r.number.clone(),
            r.name.clone(),
            r.department.clone(),
            if r.left {
                page.t("programme.left")
            } else {
                r.segment.clone()
            },
        ];
        row.extend(
            r.steps
                .iter()
                .map(|(_, st)| page.t(&format!("programme.state.{st}"))),
        );
        row.push(r.session.clone());
        row.push(r.group.clone());
        people.push(row);
    }
    let sheets = vec![
        (page.t("programme.funnel"), funnel),
        (page.t("programme.sheet_interviews"), to_commit),
        (page.t("programme.sheet_behaviour"), behaviour),
        (page.t("programme.sheet_anchors"), mix),
        (page.t("programme.sheet_autonomy"), autonomy),
        (page.t("programme.sheet_people"), people),
    ];
    let bytes = domain::import::export::sheets_to_xlsx(&sheets)
        .map_err(|e| AppError::internal("programme xlsx", e))?;
    audit_export(&state, &auth, &origin, &format!("programme {id} (xlsx)")).await?;
    Ok(download(XLSX, format!("programme-{id}.xlsx"), bytes))
}

/// The roster page's data, for HR or the session's instructor.
pub(super) async fn roster_view(
    state: &AppState,
    page: &Page,
    auth: &Auth,
    id: i64,
    sid: i64,
) -> Result<RosterPage, AppError> {
    let tenant = auth.tenant();
    let app::programmes::Roster {
        programme,
        session,
        people: participants,
        themes,
        homogeneity,
        may_manage,
    } = app::programmes::roster(&state.store, &auth.actor, id, sid).await?;
    let mut by_group: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    let mut ungrouped = Vec::new();
    for (i, p) in participants.iter().enumerate() {
        match p.group_no {
            Some(g) => by_group.entry(g).or_default().push(i),
            None => ungrouped.push(p.name.clone()),
        }
    }
    let groups = by_group
        .into_iter()
        .map(|(number, members)| RosterGroup {
            number,
            theme: themes
                .get(&number)
                .map(|t| {
                    t.iter()
                        .map(|a| page.t(&format!("anchor.{}", a.key())))
                        .collect::<Vec<_>>()
                        .join("・")
                })
                .unwrap_or_default(),
            homogeneity: pct(homogeneity.get(&number).copied().unwrap_or(0.0)),
            members: members
                .iter()
                .map(|m| {
                    let p = &participants[*m];
                    (p.employee_number.clone(), p.name.clone())
                })
                .collect(),
        })
        .collect();
    let segment_of = if may_manage {
        Some(segments(&state.store, tenant, &programme).await?)
    } else {
        None
    };
    let people = participants
        .iter()
        .map(|p| {
            (
                p.employee_number.clone(),
                p.name.clone(),
                p.department.clone().unwrap_or_default(),
                segment_of
                    .as_ref()
                    .and_then(|s| s.get(&p.person.0))
                    .map(|s| page.t(&format!("training.style.{}", s.key())))
                    .unwrap_or_default(),
                p.group_no.map(|g| g.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    Ok(RosterPage {
        shell: page.shell(
            Some(auth),
            if segment_of.is_some() {
                "/programmes"
            } else {
                "/training"
            },
        ),
        programme_id: id,
        session_id: sid,
        programme_name: programme.name,
        may_manage: segment_of.is_some(),
        when: fmt_when(&session),
        place: session.place.clone(),
        instructor: session.instructor_name.clone(),
        style_label: page.t(&format!("training.style.{}", session.style.key())),
        capacity: session.capacity,
        people,
        groups,
        ungrouped,
    })
}
