//! Launching a programme from a template or a custom cohort rule (the cohort is frozen at launch).

use super::*;

/// The launch form as typed.
#[derive(Debug, Clone, Default)]
pub struct LaunchForm {
    pub name: String,
    pub fiscal_year: String,
    pub template: String,
    pub ages: String,
    pub tenures: String,
    pub department: String,
    pub grades: String,
    pub mandatory: bool,
    pub pre_learning: String,
    pub group_min: String,
    pub group_max: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "programmes/new.html")]
pub(super) struct NewPage {
    pub(super) shell: Shell,
    pub(super) form: LaunchForm,
    pub(super) templates: Vec<&'static str>,
    pub(super) errors: Vec<String>,
    /// The programme this launch would repeat: (id, name).
    pub(super) duplicate_of: Option<(i64, String)>,
    /// Who the rule selects, shown before anything is created.
    pub(super) preview: Option<CohortPreview>,
    /// Departments to pick from: (code, path of names).
    pub(super) departments: Vec<(String, String)>,
}

/// The department picker offers at most this many.
const DEPARTMENT_CHOICES: usize = 5000;

/// The cohort a launch would freeze, for HR to look at before confirming.
pub struct CohortPreview {
    pub count: usize,
    /// The first [`PREVIEW_PEOPLE`]: (employee number, name, department).
    pub people: Vec<(String, String, String)>,
    /// Current people the rule cannot judge: (employee number, name, why).
    pub gaps: Vec<(String, String, String)>,
    pub gaps_total: usize,
}

/// How many of the cohort the preview lists by name.
const PREVIEW_PEOPLE: usize = 50;

async fn preview(
    state: &AppState,
    page: &Page,
    tenant: TenantId,
    rule: &CohortRule,
    cal: &domain::calendar::FiscalCalendar,
    fy: i32,
) -> Result<Option<CohortPreview>, store::StoreError> {
    let cohort = state
        .store
        .cohort_of(tenant, rule, cal, domain::calendar::FiscalYear(fy))
        .await?;
    if cohort.is_empty() {
        return Ok(None);
    }
    let mut people = Vec::new();
    for id in cohort.iter().take(PREVIEW_PEOPLE) {
        if let Some(p) = state.store.person(tenant, *id).await? {
            people.push((
                p.employee_number,
                p.name,
                p.department_name.unwrap_or_default(),
            ));
        }
    }
    let (gaps, gaps_total) = state
        .store
        .cohort_gaps(tenant, rule, PREVIEW_PEOPLE)
        .await?;
    Ok(Some(CohortPreview {
        count: cohort.len(),
        people,
        gaps: gaps
            .into_iter()
            .map(|(n, name, why)| (n, name, page.t(&format!("programme.preview.gap.{why}"))))
            .collect(),
        gaps_total,
    }))
}

pub(super) fn hr(auth: &Auth) -> Result<(), AppError> {
    allow(
        auth,
        Action::ManageProgrammes {
            tenant: auth.tenant(),
        },
    )
}

/// GET /programmes/new
pub(super) async fn new_form(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
) -> Result<NewPage, AppError> {
    hr(&auth)?;
    let cal = state.store.tenant(auth.tenant()).await?.settings.calendar;
    let fy = cal.fiscal_year_of(state.clock.today()).0;
    Ok(NewPage {
        shell: page.shell(Some(&auth), "/programmes"),
        form: LaunchForm {
            name: page.tf("programme.default_name", "fy", fy),
            fiscal_year: fy.to_string(),
            template: Kind::MilestoneAge.key().into(),
            ages: "50".into(),
            mandatory: true,
            pre_learning: page.t("programme.default_pre_learning"),
            group_min: "4".into(),
            group_max: "6".into(),
            ..LaunchForm::default()
        },
        templates: Kind::ALL.iter().map(|t| t.key()).collect(),
        errors: Vec::new(),
        duplicate_of: None,
        preview: None,
        departments: state
            .store
            .department_choices(auth.tenant(), DEPARTMENT_CHOICES)
            .await?,
    })
}

/// POST /programmes/new — launches it, or gives the form back as typed with every problem.
pub(super) async fn create(
    State(state): State<AppState>,
    page: Page,
    auth: Auth,
    form: FormData,
) -> Result<Response, AppError> {
    hr(&auth)?;
    let tenant = auth.tenant();
    let typed = LaunchForm {
        name: form.get("name").trim().to_string(),
        fiscal_year: form.get("fiscal_year").trim().to_string(),
        template: form.get("template").to_string(),
        ages: form.get("ages").to_string(),
        tenures: form.get("tenures").to_string(),
        department: form.get("department").to_string(),
        grades: form.get("grades").to_string(),
        mandatory: form.get("mandatory") == "on",
        pre_learning: form.get("pre_learning").to_string(),
        group_min: form.get("group_min").trim().to_string(),
        group_max: form.get("group_max").trim().to_string(),
    };
    let mut errors = Vec::new();
    if typed.name.is_empty() {
        errors.push(page.t("programme.error.name"));
    }
    let fy = domain::import::values::normalise(&typed.fiscal_year)
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if fy.is_none() {
        errors.push(page.tf("programme.error.fiscal_year", "value", &typed.fiscal_year));
    }
    let sizes = (
        domain::import::values::normalise(&typed.group_min).parse::<usize>(),
        domain::import::values::normalise(&typed.group_max).parse::<usize>(),
    );
    let sizes = match sizes {
        (Ok(a), Ok(b)) if (2..=12).contains(&a) && a <= b && b <= 12 => Some((a, b)),
        _ => {
            errors.push(page.t("programme.error.group_sizes"));
            None
        }
    };
    let template = Kind::parse(&typed.template);
    let rule = match template {
        None => {
            errors.push(page.t("programme.error.template"));
            None
        }
        Some(k) => match CohortRule::parse(
            k,
            &typed.ages,
            &typed.tenures,
            &typed.department,
            &typed.grades,
        ) {
            Ok(r) => Some(r),
            Err(e) => {
                errors.push(rule_error(&page, &e));
                None
            }
        },
    };
    if let (Some(fy), Some(k), Some(rule), Some((min, max)), true) =
        (fy, template, rule, sizes, errors.is_empty())
    {
        let settings = state.store.tenant(tenant).await?.settings;
        let new = NewProgramme {
            fiscal_year: fy,
            name: typed.name.clone(),
            template: k,
            rule,
            mandatory: typed.mandatory,
            pre_learning: typed.pre_learning.trim().to_string(),
            group_min: min,
            group_max: max,
        };
        if let Some(first) = app::programmes::duplicate_of(&state.store, tenant, &new).await? {
            let p = NewPage {
                shell: page.shell(Some(&auth), "/programmes"),
                form: typed,
                templates: Kind::ALL.iter().map(|t| t.key()).collect(),
                errors: vec![page.t("programme.error.duplicate")],
                duplicate_of: Some((first.id, first.name)),
                preview: None,
                departments: state
                    .store
                    .department_choices(tenant, DEPARTMENT_CHOICES)
                    .await?,
            };
            return Ok((StatusCode::CONFLICT, p).into_response());
        }
        // First the cohort, to look at; the programme is created only once confirmed.
        if form.get("confirm") != "1" {
            match preview(&state, &page, tenant, &new.rule, &settings.calendar, fy).await {
                Ok(Some(p)) => {
                    let page = NewPage {
                        shell: page.shell(Some(&auth), "/programmes"),
                        form: typed,
                        templates: Kind::ALL.iter().map(|t| t.key()).collect(),
                        errors: Vec::new(),
                        duplicate_of: None,
                        preview: Some(p),
                        departments: state
                            .store
                            .department_choices(tenant, DEPARTMENT_CHOICES)
                            .await?,
                    };
                    return Ok(page.into_response());
                }
                Ok(None) => errors.push(page.t("programme.error.empty_cohort")),
                Err(store::StoreError::NotFound) => errors.push(page.tf(
                    "programme.error.department",
                    "code",
                    typed.department.trim(),
                )),
                Err(e) => return Err(e.into()),
            }
        }
        if errors.is_empty() {
            match state
                .store
                .create_programme(
                    tenant,
                    &new,
                    &settings.calendar,
                    auth.user.id,
                    state.clock.now(),
                )
                .await
            {
                Ok(Some((id, n))) => {
                    set_flash(
                        &page.session,
                        "success",
                        page.tf("programme.launched", "n", n),
                    )
                    .await?;
                    return Ok(Redirect::to(&format!("/programmes/{id}")).into_response());
                }
                Ok(None) => errors.push(page.t("programme.error.empty_cohort")),
                Err(store::StoreError::NotFound) => errors.push(page.tf(
                    "programme.error.department",
                    "code",
                    typed.department.trim(),
                )),
                Err(e) => return Err(e.into()),
            }
        }
    }
    let p = NewPage {
        shell: page.shell(Some(&auth), "/programmes"),
        form: typed,
        templates: Kind::ALL.iter().map(|t| t.key()).collect(),
        errors,
        duplicate_of: None,
        preview: None,
        departments: state
            .store
            .department_choices(tenant, DEPARTMENT_CHOICES)
            .await?,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
}

pub(super) fn rule_error(page: &Page, e: &domain::programme::RuleError) -> String {
    use domain::programme::RuleError::*;
    match e {
        NeedAge => page.t("programme.error.need_age"),
        NeedTenure => page.t("programme.error.need_tenure"),
        NoCondition => page.t("programme.error.no_condition"),
        NotANumber { value } => page.tf("programme.error.not_a_number", "value", value),
        OutOfRange { value, min, max } => page.lang.catalog().format(
            "programme.error.out_of_range",
            &[("value", value), ("min", min), ("max", max)],
        ),
    }
}
