//! The command line: one binary is the server and the admin tool.
//! Errors are printed in plain words and end with a non-zero exit code.

use crate::config::Config;
use crate::demo::{self, DEMO_PASSWORD};
use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use domain::audit::AuditAction;
use domain::{EmailAddress, PersonId, Role, TenantSlug};
use indicatif::{ProgressBar, ProgressStyle};
use rand::RngCore;
use std::io::{IsTerminal, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use store::Store;
use store::audit::NewAuditEntry;
use store::tenants::Tenant;
use store::users::NewUser;

/// `println!` that ends the program quietly when standard output is closed early
/// (`kyoritsu cohort … | head`) instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod consultants;
mod identity;

#[derive(Parser)]
#[command(
    name = "kyoritsu",
    version,
    about = "Kyoritsu (キャリア共律): career co-autonomy platform — server and admin tool"
)]
struct Cli {
    /// Database URL: sqlite://FILE or postgres://… [env: KYORITSU_DATABASE_URL] [default: sqlite://kyoritsu.db]
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Tenant (company code); defaults to the only tenant when there is exactly one
    #[arg(long, global = true)]
    tenant: Option<String>,
    /// Configuration file [default: ./kyoritsu.toml if present]
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Default, ValueEnum)]
enum OutputFormat {
    #[default]
    Text,
    Json,
}

#[derive(Args, Clone, Copy, Default)]
struct FormatArg {
    /// Output format
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web application (migrates the database first)
    Serve {
        /// Fill an empty database with the generated demo company and print the demo accounts
        #[arg(long)]
        demo: bool,
        /// Address to listen on [default: 127.0.0.1]
        #[arg(long)]
        bind: Option<String>,
        /// Port to listen on [default: 8080]
        #[arg(long)]
        port: Option<u16>,
    },
    /// Apply pending database migrations
    Migrate,
    /// Generate the demo company in a new tenant named `demo`
    DemoData {
        /// Number of employees
        #[arg(long, default_value_t = 1000)]
        employees: usize,
        /// Random seed (same seed and date, same company)
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Ten fiscal years behind the company: career interviews, 1on1s, commitments,
        /// concern themes and a 5-supports survey each year
        #[arg(long)]
        history: bool,
        #[command(flatten)]
        format: FormatArg,
    },
    /// List the people in a milestone cohort of a fiscal year, by the tenant's age rule
    Cohort {
        /// Fiscal year, named by the year it starts in (FY2026 = 2026-04-01 .. 2027-03-31 by default)
        #[arg(long)]
        fy: i32,
        /// People who turn this age during the fiscal year
        #[arg(
            long,
            conflicts_with = "years_since_hire",
            required_unless_present = "years_since_hire"
        )]
        turns: Option<i32>,
        /// People who reach this many years since hire during the fiscal year
        #[arg(long)]
        years_since_hire: Option<i32>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Import data into the tenant
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export data from the tenant
    #[command(subcommand)]
    Export(ExportCommand),
    /// Manage users
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage tenants (companies)
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Note encryption keys (面談記録の暗号鍵).
    #[command(subcommand)]
    Notes(NotesCommand),
    /// Commitments (行動計画・コミット).
    #[command(subcommand)]
    Commitment(CommitmentCommand),
    /// The Career Anchor inventory (キャリア・アンカー).
    #[command(subcommand)]
    Anchors(AnchorsCommand),
    /// Cohort programmes (節目プログラム).
    #[command(subcommand)]
    Programme(ProgrammeCommand),
    /// Career consultants (キャリアコンサルタント): proposals and profile imports.
    #[command(subcommand)]
    Consultants(ConsultantsCommand),
    /// Single sign-on with the company's OpenID Connect provider (シングルサインオン).
    #[command(subcommand)]
    Sso(SsoCommand),
    /// SCIM 2.0 provisioning at /scim/v2 (Entra ID, Okta): the company's bearer token.
    #[command(subcommand)]
    Scim(ScimCommand),
    /// Write one tenant's data, whole, in the backup format (to standard output, or
    /// --output FILE). Confidential texts stay sealed: keep the note key with the backup.
    Backup {
        /// Write to this file instead of standard output
        #[arg(long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Recreate a tenant from a backup file, all or nothing — also into the other engine
    /// (the way from the embedded SQLite to PostgreSQL). The target needs the source's
    /// note key (note_key, or for SQLite the <database>.key file).
    Restore {
        /// The backup file (`-` for standard input)
        file: PathBuf,
        /// Replace a tenant of the same code that exists in the target database
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        format: FormatArg,
    },
    /// The autonomy rate (キャリア自律率) of a fiscal year, by the tenant's definition:
    /// population, autonomous people, the rate, and how many meet each condition.
    Autonomy {
        #[arg(long)]
        fy: i32,
        /// Only this department and those below it (its code).
        #[arg(long)]
        department: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// The KPI dashboard's figures (面談実施率, 1on1実施率, キャリア自律率, …) of a fiscal
    /// year for the whole company or one department and its sub-units, every figure under
    /// the anonymity rule exactly as the dashboard shows it.
    Kpi {
        #[arg(long)]
        fy: i32,
        /// This department and its sub-units (its code) instead of the whole company.
        #[arg(long)]
        department: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
}

#[derive(Subcommand)]
enum ScimCommand {
    /// Make the company's SCIM bearer token and print it once (any earlier one stops)
    Token {
        #[command(flatten)]
        format: FormatArg,
    },
    /// Stop the company's SCIM token
    Revoke,
}

#[derive(Subcommand)]
enum SsoCommand {
    /// Set (or change) the company's provider. Every problem is named and nothing
    /// changes unless all is well. Audited.
    Set {
        /// The provider's issuer URL (HTTPS; plain HTTP on the loopback only)
        #[arg(long)]
        issuer: String,
        /// The client id registered at the provider
        #[arg(long)]
        client_id: String,
        /// A file holding the client secret (kept sealed under the note key)
        #[arg(long)]
        client_secret_file: PathBuf,
        /// The ID token claim carrying the e-mail address
        #[arg(long, default_value = "email")]
        email_claim: String,
        /// Make an employee's account at the first sign-in of a current person of the
        /// employee master who has none
        #[arg(long)]
        create_users: bool,
        /// Passwords stop working, but for the break-glass admin's
        #[arg(long)]
        sso_only: bool,
        /// The break-glass admin's address (default: the one set before, else the
        /// earliest admin with a password)
        #[arg(long)]
        break_glass: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Print the company's provider settings (never the secret) and the redirect URI
    Show {
        #[command(flatten)]
        format: FormatArg,
    },
    /// Remove the company's provider: passwords work again
    Remove,
}

#[derive(Subcommand)]
enum ConsultantsCommand {
    /// Print the ten consultants proposed to an employee from their values diagnosis
    /// (価値観診断), with scores and reasons, as the employee's page shows them.
    Propose {
        /// The employee's number (社員番号).
        #[arg(long)]
        employee: String,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Import consultants' profiles from a CSV (UTF-8 or Shift_JIS) or XLSX file, all
    /// or nothing: one row per consultant, headers メールアドレス, 表示名, よみがな, 登録番号,
    /// その他の資格, 経験年数, 得意なテーマ, 経験のある業界, 経験のある職種, 年代, 性別,
    /// 相談の進め方, メッセージ, 言語, ひと月の受け入れ数 (or their English field names).
    /// Accounts are found by e-mail or made without a password.
    Import {
        /// The file.
        file: PathBuf,
        /// The XLSX sheet to read (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// Language of the problems: ja or en.
        #[arg(long, default_value = "ja")]
        lang: String,
        #[command(flatten)]
        format: FormatArg,
    },
}

#[derive(Subcommand)]
enum CommitmentCommand {
    /// Check statements for objectivity (客観性) and a start (開始時期): one statement per
    /// line on stdin; prints, per line, whether each check passes, why not, and a
    /// rephrasing from the statement's own words.
    Check {
        #[command(flatten)]
        format: FormatArg,
        /// Language of the explanations: ja or en.
        #[arg(long, default_value = "ja")]
        lang: String,
        /// Also show the words the checks judged on: each morpheme's surface, lemma and
        /// part of speech (`tokens` in JSON).
        #[arg(long)]
        explain: bool,
    },
}

#[derive(Subcommand)]
enum ProgrammeCommand {
    /// Run the placement of the session's programme exactly as the 全員を配置する button
    /// does (hand-made placements kept; fewest instructor mismatches; workshop groups by
    /// dominant Career Anchor) and print it for this session: who is placed, mismatches
    /// and why, the groups, and the programme-wide shortfall. Writes nothing unless
    /// `--apply` is given.
    Assign {
        /// The training session's id (shown in its roster's address).
        #[arg(long)]
        session: i64,
        /// Save the placement, as the button does.
        #[arg(long)]
        apply: bool,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Print a programme's figures: the funnel with counts and rates, interviews to
    /// commitment, start adherence, behaviour change (hidden below the anonymity k) and
    /// the cohort's anchor mix.
    Report {
        /// The programme's id (shown in its page's address).
        #[arg(long)]
        id: i64,
        #[command(flatten)]
        format: FormatArg,
    },
}

#[derive(Subcommand)]
enum AnchorsCommand {
    /// Score answer sheets given as JSON on stdin: one sheet or an array of them, each
    /// `{"ratings": [40 ratings 1–6] or {"1": 5, …}, "picks": [three statement numbers]}`.
    /// Prints each anchor's score (total / 5) and the dominant anchor(s), ties as ties.
    /// Any invalid sheet: nothing is printed but the reasons, and the exit code is 1.
    Score {
        #[command(flatten)]
        format: FormatArg,
    },
}

#[derive(Subcommand)]
enum NotesCommand {
    /// Print a new random key (32 bytes, base64) for `note_key`.
    NewKey,
    /// Seal every note text again under the current `note_key`. Rotate by making the new
    /// key `note_key`, listing the old one in `note_previous_keys`, running this, then
    /// removing the old key.
    Rekey {
        #[command(flatten)]
        format: FormatArg,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import the employee master from CSV (UTF-8 or Shift_JIS) or XLSX: all or nothing
    Employees {
        /// The file to import
        file: PathBuf,
        /// Check and show the changes without writing anything
        #[arg(long)]
        dry_run: bool,
        /// The file is the whole company: people missing from it are marked as leavers (退職)
        #[arg(long)]
        full: bool,
        /// CSV encoding instead of detecting it: utf-8 or shift_jis
        #[arg(long)]
        encoding: Option<String>,
        /// XLSX sheet to read [default: the first]
        #[arg(long)]
        sheet: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Export the employee master with the headers the import reads (.csv or .xlsx by the file name)
    Employees {
        /// The file to write (.csv or .xlsx)
        file: PathBuf,
        /// CSV encoding: utf-8 (with a BOM, for Excel) or shift_jis
        #[arg(long, default_value = "utf-8")]
        encoding: String,
        #[command(flatten)]
        format: FormatArg,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user; the password is read from standard input, or generated and printed once
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Role: employee, consultant, instructor, mentor, hr, admin (repeat for several)
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Link the account to this person of the employee master
        #[arg(long)]
        employee_number: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// List users
    List {
        #[command(flatten)]
        format: FormatArg,
    },
    /// Disable a user: their sessions and tokens stop working at once
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Re-enable a disabled user
    Enable {
        #[arg(long)]
        email: String,
    },
    /// Invite people to set their own password by e-mail (the running server's worker
    /// sends the mail; each link works for 7 days): every current person of a
    /// department (and those below it) without an account, or one address — a current
    /// person of the employee master, or an account that has no password yet
    Invite {
        /// The department's code (`*` for the whole company)
        #[arg(long, required_unless_present = "email", conflicts_with = "email")]
        department: Option<String>,
        /// One address
        #[arg(long)]
        email: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user and print it (shown only this once)
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for
        #[arg(long, default_value = "cli")]
        label: String,
        /// read (GET only) or write
        #[arg(long, default_value = "write")]
        scope: String,
        /// Days until it stops working (default: never)
        #[arg(long)]
        expires_in_days: Option<u32>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Revoke a token by id, or every token of a user with --email
    Revoke {
        /// Token id (see `token list`)
        id: Option<i64>,
        #[arg(long, conflicts_with = "id")]
        email: Option<String>,
    },
    /// List tokens (never their secrets)
    List {
        #[arg(long)]
        email: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Create a tenant
    Create {
        /// Company code: lowercase letters, digits and '-'
        #[arg(long)]
        slug: String,
        /// Company name
        #[arg(long)]
        name: String,
        #[command(flatten)]
        format: FormatArg,
    },
    /// List tenants
    List {
        #[command(flatten)]
        format: FormatArg,
    },
}

/// Runs the command line and maps errors to a message and exit code 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    init_logging(&config, matches!(cli.command, Command::Serve { .. }));
    for var in Config::unknown_env_vars() {
        tracing::warn!(variable = %var, "unknown KYORITSU_* environment variable ignored (typo?)");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(config: &Config, serving: bool) {
    let default = if serving {
        config.log.clone()
    } else {
        format!("warn,{}", config.log.replace("info", "warn"))
    };
    let filter = tracing_subscriber::EnvFilter::new(default);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open(config: &Config, cli_url: Option<&str>) -> Result<Store> {
    let url = cli_url
        .map(str::to_string)
        .unwrap_or_else(|| config.database_url.clone());
    let keys = note_keys(config, &url)?;
    Ok(Store::open_migrated(&url).await?.with_note_keys(keys))
}

/// The keys sealing note texts: `note_key` (+ previous keys) from the configuration, or
/// for SQLite a key file beside the database, created on first use with owner-only
/// permissions. PostgreSQL without `note_key` gets no key: reading or writing a note
/// then fails with a message naming the setting.
fn note_keys(config: &Config, url: &str) -> Result<store::crypto::NoteKeys> {
    use store::crypto::NoteKeys;
    if let Some(k) = &config.note_key {
        return NoteKeys::parse(k, &config.note_previous_keys)
            .map_err(|e| anyhow!("note_key: {e}"));
    }
    let Some(path) = sqlite_key_file(url) else {
        return Ok(NoteKeys::default());
    };
    let key = match std::fs::read_to_string(&path) {
        Ok(k) => k,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let k = NoteKeys::generate();
            write_private(&path, &k)
                .with_context(|| format!("cannot create the note key file {}", path.display()))?;
            tracing::info!(file = %path.display(), "created a note encryption key");
            k
        }
        Err(e) => {
            return Err(anyhow!(
                "cannot read the note key file {}: {e}",
                path.display()
            ));
        }
    };
    NoteKeys::parse(&key, &config.note_previous_keys)
        .map_err(|e| anyhow!("the note key file {}: {e}", path.display()))
}

/// `sqlite://data/k.db?mode=rwc` → `data/k.db.key`; None for in-memory databases.
fn sqlite_key_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path.starts_with(':') {
        return None;
    }
    Some(PathBuf::from(format!("{path}.key")))
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

async fn tenant(store: &Store, slug: Option<&str>) -> Result<Tenant> {
    Ok(store.resolve_tenant(slug).await?)
}

fn print_json(value: &impl serde::Serialize) -> Result<()> {
    out!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn cli_audit(tenant: &Tenant, action: AuditAction) -> NewAuditEntry {
    NewAuditEntry::new(Some(tenant.id), action)
        .actor(None, "cli")
        .origin(Some("cli".into()), None)
}

async fn run(cli: Cli, config: Config) -> Result<()> {
    let url = cli.database_url.as_deref();
    let tenant_arg = cli.tenant.as_deref();
    match cli.command {
        Command::Serve { demo, bind, port } => serve(config, url, demo, bind, port).await,
        Command::Migrate => {
            let store = Store::connect(url.unwrap_or(&config.database_url)).await?;
            let applied = store::migrations::run(&store).await?;
            if applied.is_empty() {
                out!(
                    "The database is up to date (schema version {}).",
                    store::migrations::latest_version()
                );
            } else {
                out!(
                    "Applied migrations {:?}; schema version {}.",
                    applied,
                    store::migrations::latest_version()
                );
            }
            Ok(())
        }
        Command::DemoData {
            employees,
            seed,
            history,
            format,
        } => {
            let store = open(&config, url).await?;
            // The demo's commitments are judged as the server would judge them.
            say_dictionary(&config);
            let started = Instant::now();
            let text = !matches!(format.format, OutputFormat::Json);
            let (t, accounts) = generate_demo(&store, employees, seed, text, history).await?;
            let past = if history {
                let cal = store.tenant(t.id).await?.settings.calendar;
                let step = |s: &str| {
                    if text {
                        eprintln!("history: {s} ({:.0} s)", started.elapsed().as_secs_f64());
                    }
                };
                Some(
                    demo::history::seed(&store, t.id, &cal, web_today(), &step)
                        .await
                        .context("the demo's history could not be written")?,
                )
            } else {
                None
            };
            let secs = started.elapsed().as_secs_f64();
            match format.format {
                OutputFormat::Json => print_json(&serde_json::json!({
                    "tenant": t.slug, "employees": employees.max(demo::MIN_EMPLOYEES), "seconds": secs,
                    "password": DEMO_PASSWORD, "accounts": accounts, "history": past,
                })),
                OutputFormat::Text => {
                    out!(
                        "Created tenant '{}' with {} employees in {:.1} s.",
                        t.slug,
                        employees.max(demo::MIN_EMPLOYEES),
                        secs
                    );
                    print_accounts(&accounts);
                    Ok(())
                }
            }
        }
        Command::Cohort {
            fy,
            turns,
            years_since_hire,
            format,
        } => {
            let store = open(&config, url).await?;
            let t = tenant(&store, tenant_arg).await?;
            cohort(&store, &t, fy, turns, years_since_hire, format.format).await
        }
        Command::Import(ImportCommand::Employees {
            file,
            dry_run,
            full,
            encoding,
            sheet,
            format,
        }) => {
            let store = open(&config, url).await?;
            let t = tenant(&store, tenant_arg).await?;
            import_employees(
                &store,
                &t,
                &file,
                store::imports::ImportOptions { full, dry_run },
                encoding,
                sheet,
                format.format,
            )
            .await
        }
        Command::Export(ExportCommand::Employees {
            file,
            encoding,
            format,
        }) => {
            let store = open(&config, url).await?;
            let t = tenant(&store, tenant_arg).await?;
            export_employees(&store, &t, &file, &encoding, format.format).await
        }
        Command::User(cmd) => user_command(&config, url, tenant_arg, cmd).await,
        Command::Token(cmd) => token_command(&config, url, tenant_arg, cmd).await,
        Command::Tenant(cmd) => tenant_command(&config, url, cmd).await,
        Command::Autonomy {
            fy,
            department,
            format,
        } => {
            let store = open(&config, url).await?;
            let t = tenant(&store, tenant_arg).await?;
            let report = autonomy_report(&store, &t, fy, department.as_deref()).await?;
            match format.format {
                OutputFormat::Json => print_json(&report)?,
                OutputFormat::Text => {
                    out!(
                        "FY{fy}{}: {} of {} people are career-autonomous ({:.1} %)",
                        department.map(|d| format!(" ({d})")).unwrap_or_default(),
                        report.autonomous,
                        report.population,
                        report.rate * 100.0
                    );
                    out!(
                        "  performance above the bar: {}  vision of {}+ years: {}  practising a commitment: {}",
                        report.conditions.performance,
                        report.definition.min_horizon_years,
                        report.conditions.vision,
                        report.conditions.practice
                    );
                }
            }
            Ok(())
        }
        Command::Kpi {
            fy,
            department,
            format,
        } => {
            let store = open(&config, url).await?;
            let t = tenant(&store, tenant_arg).await?;
            kpi_report(&store, &t, fy, department.as_deref(), format.format).await
        }
        Command::Commitment(CommitmentCommand::Check {
            format,
            lang,
            explain,
        }) => {
            if let app::language::Status::WordLists { why } = app::language::load(
                std::path::Path::new(&config.dictionary_dir),
                std::path::Path::new(&config.dictionary_source),
            ) {
                eprintln!("Note: checking with the word lists only — {why}.");
            }
            commitment_check(format.format, &lang, explain)
        }
        Command::Anchors(AnchorsCommand::Score { format }) => anchors_score(format.format),
        Command::Programme(ProgrammeCommand::Assign {
            session,
            apply,
            format,
        }) => {
            let store = open(&config, url).await?;
            let t = tenant(&store, tenant_arg).await?;
            programme_assign(&store, &t, session, apply, format.format).await
        }
        Command::Consultants(ConsultantsCommand::Import {
            file,
            sheet,
            lang,
            format,
        }) => {
            let store = open(&config, url).await?;
            let t = tenant(&store, tenant_arg).await?;
            let lang = app::i18n::Lang::parse(&lang)
                .ok_or_else(|| anyhow!("--lang: ja or en, not '{lang}'"))?;
            consultants::import(
                &store,
                &t,
                &file,
                sheet,
                lang,
                matches!(format.format, OutputFormat::Json),
            )
            .await
        }
        Command::Scim(cmd) => {
            let store = open(&config, url).await?;
            let t = tenant(&store, tenant_arg).await?;
            match cmd {
                ScimCommand::Token { format } => {
                    identity::scim_token(
                        &store,
                        &t,
                        &config.public_url(),
                        matches!(format.format, OutputFormat::Json),
                    )
                    .await
                }
                ScimCommand::Revoke => identity::scim_revoke(&store, &t).await,
            }
        }
        Command::Sso(cmd) => {
            let store = open(&config, url).await?;
            let t = tenant(&store, tenant_arg).await?;
            let public_url = config.public_url();
            match cmd {
                SsoCommand::Set {
                    issuer,
                    client_id,
                    client_secret_file,
                    email_claim,
                    create_users,
                    sso_only,
                    break_glass,
                    format,
                } => {
                    identity::set(
                        &store,
                        &t,
                        identity::SetArgs {
                            issuer: &issuer,
                            client_id: &client_id,
                            client_secret_file: &client_secret_file,
                            email_claim: Some(&email_claim),
                            create_users,
                            sso_only,
                            break_glass: break_glass.as_deref(),
                        },
                        &public_url,
                        matches!(format.format, OutputFormat::Json),
                    )
                    .await
                }
                SsoCommand::Show { format } => {
                    identity::show_settings(
                        &store,
                        &t,
                        &public_url,
                        matches!(format.format, OutputFormat::Json),
                    )
                    .await
                }
                SsoCommand::Remove => identity::remove(&store, &t).await,
            }
        }
        Command::Consultants(ConsultantsCommand::Propose { employee, format }) => {
            let store = open(&config, url).await?;
            let t = tenant(&store, tenant_arg).await?;
            let now = config
                .start_time()
                .map_err(|e| anyhow!(e))?
                .unwrap_or_else(chrono::Utc::now);
            consultants::propose(
                &store,
                &t,
                &employee,
                now,
                matches!(format.format, OutputFormat::Json),
            )
            .await
        }
        Command::Programme(ProgrammeCommand::Report { id, format }) => {
            let store = open(&config, url).await?;
            let t = tenant(&store, tenant_arg).await?;
            let now = config
                .start_time()
                .map_err(|e| anyhow!(e))?
                .unwrap_or_else(chrono::Utc::now);
            programme_report(&store, &t, id, now, format.format).await
        }
        Command::Backup { output, format } => {
            let store = open(&config, url).await?;
            let t = tenant(&store, tenant_arg).await?;
            backup(&store, &t, output, format.format).await
        }
        Command::Restore {
            file,
            replace,
            format,
        } => {
            let store = open(&config, url).await?;
            restore(&store, &file, replace, format.format).await
        }
        Command::Notes(NotesCommand::NewKey) => {
            out!("{}", store::crypto::NoteKeys::generate());
            Ok(())
        }
        Command::Notes(NotesCommand::Rekey { format }) => {
            let store = open(&config, url).await?;
            let Some(current) = store.note_keys().current_id().map(str::to_string) else {
                bail!("no note key is configured: set note_key (KYORITSU_NOTE_KEY) to the new key");
            };
            let count = store.rekey_notes().await?;
            match format.format {
                OutputFormat::Json => {
                    print_json(&serde_json::json!({"resealed": count, "key_id": current}))?
                }
                OutputFormat::Text => {
                    out!("Sealed {count} text(s) again under key {current}.")
                }
            }
            Ok(())
        }
    }
}

async fn programme_assign(
    store: &Store,
    t: &Tenant,
    session: i64,
    apply: bool,
    format: OutputFormat,
) -> Result<()> {
    let Some(s) = store.training_session(t.id, session).await? else {
        bail!("no training session {session} in tenant '{}'", t.slug);
    };
    let programme = store
        .programme(t.id, s.programme)
        .await?
        .ok_or_else(|| anyhow!("the session's programme is missing"))?;
    let plan = app::programmes::plan(store, t.id, &programme).await?;
    if apply {
        let placement: Vec<store::programmes::Placement> = plan
            .people
            .iter()
            .map(|p| (p.person, p.session, p.group))
            .collect();
        store.save_placement(t.id, programme.id, &placement).await?;
    }
    let here: Vec<&app::programmes::Placed> = plan
        .people
        .iter()
        .filter(|p| p.session == Some(session))
        .collect();
    let groups = plan
        .groups
        .iter()
        .find(|g| g.session == session)
        .ok_or_else(|| anyhow!("the session is missing from its programme"))?;
    let number = |i: &usize| plan.people[*i].employee_number.clone();
    let mismatched = plan.people.iter().filter(|p| p.mismatched).count();
    let placed = plan.people.iter().filter(|p| p.session.is_some()).count();
    match format {
        OutputFormat::Json => print_json(&serde_json::json!({
            "programme": programme.id,
            "applied": apply,
            "session": {
                "id": s.id, "starts_at": s.starts_at, "ends_at": s.ends_at, "place": s.place,
                "capacity": s.capacity, "instructor": s.instructor_name, "style": s.style,
            },
            "participants": here.iter().map(|p| serde_json::json!({
                "employee_number": p.employee_number, "name": p.name, "segment": p.segment,
                "pinned": p.pinned, "mismatched": p.mismatched, "group": p.group,
                "dominant_anchors": p.anchors,
            })).collect::<Vec<_>>(),
            "groups": groups.groups.iter().map(|g| serde_json::json!({
                "number": g.number,
                "members": g.members.iter().map(number).collect::<Vec<_>>(),
                "anchors": g.anchors, "homogeneity": g.homogeneity,
            })).collect::<Vec<_>>(),
            "without_anchors": groups.without_anchors.iter().map(number).collect::<Vec<_>>(),
            "grouping_impossible": groups.impossible,
            "group_sizes": {"min": plan.group_min, "max": plan.group_max},
            "programme_wide": {
                "participants": plan.people.len(), "placed": placed, "unplaced": plan.unplaced,
                "mismatched": mismatched,
                "shortfalls": plan.shortfalls.iter().map(|(st, people, seats)| serde_json::json!({
                    "segment": st, "people": people, "seats": seats,
                })).collect::<Vec<_>>(),
            },
        })),
        OutputFormat::Text => {
            out!(
                "Session {} ({}, {} seats, {} {}): {} placed{}",
                s.id,
                s.place,
                s.capacity,
                s.instructor_name,
                s.style.key(),
                here.len(),
                if apply { " — saved" } else { "" }
            );
            for p in &here {
                out!(
                    "{}\t{}\t{}\tgroup {}{}{}",
                    p.employee_number,
                    p.name,
                    p.segment.key(),
                    p.group.map(|g| g.to_string()).unwrap_or_else(|| "-".into()),
                    if p.pinned { "\tby hand" } else { "" },
                    if p.mismatched { "\tMISMATCH" } else { "" }
                );
            }
            for g in &groups.groups {
                out!(
                    "group {}: {} people, anchors {}, homogeneity {:.0}%",
                    g.number,
                    g.members.len(),
                    g.anchors
                        .iter()
                        .map(|a| a.key())
                        .collect::<Vec<_>>()
                        .join(", "),
                    g.homogeneity * 100.0
                );
            }
            if !groups.without_anchors.is_empty() {
                out!(
                    "not grouped (no Career Anchor result): {}",
                    groups
                        .without_anchors
                        .iter()
                        .map(number)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            if groups.impossible {
                out!(
                    "no grouping of {} people into groups of {}-{} exists",
                    here.len(),
                    plan.group_min,
                    plan.group_max
                );
            }
            out!(
                "Programme {}: {placed} of {} placed, {} unplaced, {mismatched} mismatched",
                programme.id,
                plan.people.len(),
                plan.unplaced
            );
            for (st, people, seats) in &plan.shortfalls {
                out!(
                    "  {} participants: {people}, seats left with {} instructors: {seats}",
                    st.key(),
                    st.key()
                );
            }
            Ok(())
        }
    }
}

async fn kpi_report(
    store: &Store,
    t: &Tenant,
    fy: i32,
    department: Option<&str>,
    format: OutputFormat,
) -> Result<()> {
    if !(2000..=2100).contains(&fy) {
        bail!("--fy must be a fiscal year between 2000 and 2100");
    }
    let Some(d) = app::kpi::for_operator(store, t.id, fy, department, chrono::Utc::now()).await?
    else {
        bail!(
            "no department with code '{}' in tenant '{}'",
            department.unwrap_or_default(),
            t.slug
        );
    };
    match format {
        OutputFormat::Json => print_json(&d),
        OutputFormat::Text => {
            let name = |l: &app::org_report::RowLabel| match l {
                app::org_report::RowLabel::Unit { code, name, .. } => format!("{code} {name}"),
                _ => "(company)".to_string(),
            };
            out!("KPI FY{fy} (k = {}; hidden figures shown as -)", d.k);
            for row in std::iter::once(&d.total).chain(&d.rows) {
                out!("{}", name(&row.label));
                for f in &row.figures {
                    let value = match (f.value, f.kpi.unit()) {
                        (Some(v), domain::kpi::Unit::Share) => format!("{:.1}%", v * 100.0),
                        (Some(v), _) => format!("{v:.2}"),
                        (None, _) => "-".to_string(),
                    };
                    let people = f.people.map(|n| format!("  ({n})")).unwrap_or_default();
                    out!("  {:<24} {:>8}{people}", f.kpi.key(), value);
                }
            }
            Ok(())
        }
    }
}

async fn programme_report(
    store: &Store,
    t: &Tenant,
    id: i64,
    now: chrono::DateTime<chrono::Utc>,
    format: OutputFormat,
) -> Result<()> {
    let Some(programme) = store.programme(t.id, id).await? else {
        bail!("no programme {id} in tenant '{}'", t.slug);
    };
    let report = app::programmes::report(store, t.id, &programme, now).await?;
    match format {
        OutputFormat::Json => print_json(&report),
        OutputFormat::Text => {
            out!("{} (FY{})", report.name, report.fiscal_year);
            for s in &report.funnel {
                out!(
                    "  {:<12} {:>6}  {:>5.1}%",
                    s.stage.key(),
                    s.count,
                    s.rate * 100.0
                );
            }
            if report.left > 0 {
                out!("  left the company: {}", report.left);
            }
            let dist: Vec<String> = report
                .sessions_to_commitment
                .iter()
                .map(|(n, c)| format!("{n}: {c}"))
                .collect();
            out!("Interviews to commitment: {}", dist.join(", "));
            if let Some(m) = report.mean_sessions_to_commitment {
                out!("  mean {m:.1}");
            }
            out!("Start adherence: {:.1}%", report.start_adherence * 100.0);
            match report.behaviour.shares {
                Some(sh) => out!(
                    "Behaviour change ({} evaluated): remarkable {:.1}%, changed {:.1}%, trying {:.1}%, none {:.1}%",
                    report.evaluated,
                    sh[0] * 100.0,
                    sh[1] * 100.0,
                    sh[2] * 100.0,
                    sh[3] * 100.0
                ),
                None => out!(
                    "Behaviour change: hidden (fewer than {} evaluated, or a cell would identify people)",
                    report.anonymity_k
                ),
            }
            let mix: Vec<String> = report
                .anchor_mix
                .iter()
                .map(|a| {
                    format!(
                        "{} {}",
                        a.anchor.key(),
                        a.count
                            .map(|c| c.to_string())
                            .unwrap_or_else(|| format!("<{}", report.anonymity_k))
                    )
                })
                .collect();
            out!("Anchor mix: {}", mix.join(", "));
            for y in &report.autonomy {
                let rate = |r: Option<f64>| {
                    r.map(|r| format!("{:.1}%", r * 100.0))
                        .unwrap_or_else(|| format!("hidden (<{})", report.anonymity_k))
                };
                out!(
                    "Autonomy FY{}: cohort {} of {} people, company {}",
                    y.fiscal_year,
                    rate(y.cohort_rate),
                    y.cohort_population,
                    rate(y.company_rate)
                );
            }
            Ok(())
        }
    }
}

async fn cohort(
    store: &Store,
    t: &Tenant,
    fy: i32,
    turns: Option<i32>,
    years: Option<i32>,
    format: OutputFormat,
) -> Result<()> {
    let cal = t.settings.calendar;
    let fy = domain::calendar::FiscalYear(fy);
    let (people, range, what) = match (turns, years) {
        (Some(age), _) => {
            if !(0..=130).contains(&age) {
                bail!("--turns must be an age between 0 and 130");
            }
            let range = cal.birth_range_turning(age, fy);
            (
                store.people_born_between(t.id, range.clone()).await?,
                range,
                format!("turning {age}"),
            )
        }
        (None, Some(n)) => {
            if !(1..=80).contains(&n) {
                bail!("--years-since-hire must be between 1 and 80");
            }
            let range = cal.birth_range_turning(n, fy);
            (
                store.people_hired_between(t.id, range.clone()).await?,
                range,
                format!("reaching {n} years since hire"),
            )
        }
        (None, None) => bail!("say which cohort: --turns AGE or --years-since-hire N"),
    };
    let fy_range = cal.range(fy);
    match format {
        OutputFormat::Json => print_json(&serde_json::json!({
            "fiscal_year": fy.0,
            "fy_start": fy_range.start(), "fy_end": fy_range.end(),
            "age_rule": cal.age_rule.as_str(),
            "date_range": {"from": range.start(), "to": range.end()},
            "count": people.len(),
            "people": people.iter().map(|p| serde_json::json!({
                "employee_number": p.employee_number, "name": p.name,
                "birth_date": p.birth_date, "hire_date": p.hire_date,
            })).collect::<Vec<_>>(),
        })),
        OutputFormat::Text => {
            out!(
                "FY{} ({} .. {}), {what}: {} people (dates {} .. {}, {} rule)",
                fy.0,
                fy_range.start(),
                fy_range.end(),
                people.len(),
                range.start(),
                range.end(),
                cal.age_rule.as_str()
            );
            for p in &people {
                let date = if turns.is_some() {
                    p.birth_date
                } else {
                    p.hire_date
                };
                out!(
                    "{}\t{}\t{}",
                    p.employee_number,
                    p.name,
                    date.map(|d| d.to_string()).unwrap_or_default()
                );
            }
            Ok(())
        }
    }
}

async fn import_employees(
    store: &Store,
    t: &Tenant,
    file: &std::path::Path,
    opts: store::imports::ImportOptions,
    encoding: Option<String>,
    sheet: Option<String>,
    format: OutputFormat,
) -> Result<()> {
    use domain::import::{employees, table};
    let json_out = matches!(format, OutputFormat::Json);
    let encoding = match encoding {
        Some(e) => Some(
            table::TextEncoding::parse(&e)
                .ok_or_else(|| anyhow!("unknown encoding '{e}': use utf-8 or shift_jis"))?,
        ),
        None => None,
    };
    let spinner = if json_out {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner()
    };
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner.set_message(format!("reading {}", file.display()));
    let started = std::time::Instant::now();
    let read_opts = table::ReadOptions {
        encoding,
        sheet,
        ..Default::default()
    };
    // The size is checked before the file is read: a file over the limit costs nothing.
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    let read = if size > read_opts.limits.file_bytes as u64 {
        Err(table::FileError::TooLarge {
            limit: read_opts.limits.file_bytes,
        })
    } else {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        table::read_table(&bytes, &read_opts)
    };
    let table = match read {
        Ok(t) => t,
        Err(e) => {
            spinner.finish_and_clear();
            if json_out {
                print_json(
                    &serde_json::json!({"ok": false, "file_error": {"code": e.code(), "message": e.to_string()}}),
                )?;
            }
            bail!("{}: {e}; nothing was imported", file.display());
        }
    };
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis(),
        rows = table.rows.len(),
        "file read"
    );
    spinner.set_message(format!("checking {} rows", table.rows.len()));
    let mut existing = store.existing_reporting_lines(t.id).await?;
    existing.rating_scale = Some(t.settings.rating_scale.clone());
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis(),
        "stored reporting lines read"
    );
    // The table is given to the reader, which lets each row go once read: the file's
    // text and the records are never held in full at once.
    let table_source = table.source.clone();
    let parsed = employees::parse_employees_owned(table, &existing, opts.full);
    drop(existing);
    tracing::debug!(elapsed_ms = started.elapsed().as_millis(), "rows checked");
    let source = match &table_source {
        table::Source::Csv { encoding, bom } => format!(
            "csv {}{}",
            encoding.as_str(),
            if *bom { " bom" } else { "" }
        ),
        table::Source::Xlsx { sheet } => format!("xlsx {sheet}"),
    };
    let report_problems = |problems: &[employees::Problem]| {
        for p in problems {
            eprintln!(
                "  line {}, {} '{}': {}",
                p.line, p.column, p.value, p.message
            );
        }
    };
    let refuse = |problems: &[employees::Problem]| -> Result<()> {
        spinner.finish_and_clear();
        if json_out {
            print_json(
                &serde_json::json!({"ok": false, "errors": problems, "warnings": parsed.warnings}),
            )?;
        } else {
            eprintln!("{} problem(s) in {}:", problems.len(), file.display());
            report_problems(problems);
        }
        bail!("nothing was imported: fix the problems above and import the file again")
    };
    if !parsed.errors.is_empty() {
        return refuse(&parsed.errors);
    }
    spinner.set_message(if opts.dry_run {
        "computing the changes".to_string()
    } else {
        format!("writing {} people", parsed.records.len())
    });
    let meta = store::imports::ImportMeta {
        actor_user_id: None,
        actor_email: "cli".into(),
        file_name: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        source: source.clone(),
    };
    // Writing is the long part: a bar of the people and ratings written so far.
    let bar_style = ProgressStyle::with_template(
        "{spinner} writing [{bar:40}] {pos}/{len} people and ratings ({eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    let on_progress = |p: store::people::LoadProgress| {
        if spinner.length() != Some(p.rows_total) {
            spinner.set_style(bar_style.clone());
            spinner.set_length(p.rows_total);
        }
        spinner.set_position(p.rows_done);
    };
    let summary = match store
        .import_employees_with_progress(
            t.id,
            &parsed.records,
            &parsed.columns,
            opts,
            &meta,
            &on_progress,
        )
        .await?
    {
        store::imports::ImportOutcome::Done(s) => s,
        store::imports::ImportOutcome::Rejected(problems) => return refuse(&problems),
    };
    spinner.finish_and_clear();
    if !opts.dry_run {
        store
            .append_audit(
                cli_audit(t, AuditAction::Import)
                    .target("import", summary.import_id.unwrap_or_default())
                    .detail(domain::audit::detail(
                        "import",
                        &[
                            ("file", &meta.file_name),
                            ("rows", &summary.rows),
                            ("added", &summary.added_count),
                            ("updated", &summary.updated_count),
                            ("left", &summary.marked_left_count),
                        ],
                    )),
            )
            .await?;
    }
    if json_out {
        let mut v = serde_json::to_value(&summary)?;
        v["ok"] = true.into();
        v["source"] = source.into();
        v["warnings"] = serde_json::to_value(&parsed.warnings)?;
        return print_json(&v);
    }
    if !parsed.warnings.is_empty() {
        eprintln!("Warnings:");
        report_problems(&parsed.warnings);
    }
    let verb = if opts.dry_run {
        "Would import"
    } else {
        "Imported"
    };
    out!(
        "{verb} {} rows from {} ({source}): {} added, {} updated, {} unchanged, {} marked as leavers, {} departments created.",
        summary.rows,
        file.display(),
        summary.added_count,
        summary.updated_count,
        summary.unchanged_count,
        summary.marked_left_count,
        summary.departments_created_count
    );
    if summary.accounts_disabled_count > 0 {
        out!(
            "{} accounts of leavers {} disabled: their sessions and tokens stop at once.",
            summary.accounts_disabled_count,
            if opts.dry_run { "would be" } else { "were" }
        );
    }
    for u in summary.updated.iter().take(20) {
        out!("  updated {}: {}", u.employee_number, u.fields.join(", "));
    }
    if opts.dry_run {
        out!("Dry run: nothing was written.");
    }
    Ok(())
}

async fn export_employees(
    store: &Store,
    t: &Tenant,
    file: &std::path::Path,
    encoding: &str,
    format: OutputFormat,
) -> Result<()> {
    use domain::import::{export, table::TextEncoding};
    let encoding = TextEncoding::parse(encoding)
        .ok_or_else(|| anyhow!("unknown encoding '{encoding}': use utf-8 or shift_jis"))?;
    let xlsx = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let (rows, years) = store.export_people(t.id).await?;
    let bytes = if xlsx {
        export::to_xlsx(&rows, &years, &export::Selection::ALL)?
    } else {
        export::to_csv(&rows, &years, &export::Selection::ALL, encoding)?
    };
    std::fs::write(file, &bytes).with_context(|| format!("cannot write {}", file.display()))?;
    let kind = if xlsx {
        "xlsx".to_string()
    } else {
        format!("csv {}", encoding.as_str())
    };
    store
        .append_audit(
            cli_audit(t, AuditAction::Export)
                .target("people", kind.clone())
                .detail(format!("{} people to {}", rows.len(), file.display())),
        )
        .await?;
    match format {
        OutputFormat::Json => print_json(
            &serde_json::json!({"file": file, "format": kind, "people": rows.len(), "rating_years": years, "bytes": bytes.len()}),
        ),
        OutputFormat::Text => {
            out!(
                "Exported {} people to {} ({kind}).",
                rows.len(),
                file.display()
            );
            Ok(())
        }
    }
}

/// What `kyoritsu autonomy` prints.
#[derive(serde::Serialize)]
pub struct AutonomyReport {
    pub fiscal_year: i32,
    pub department: Option<String>,
    pub population: u64,
    pub autonomous: u64,
    pub rate: f64,
    pub conditions: AutonomyConditions,
    /// The fiscal year whose ratings decided performance.
    pub rating_year: Option<i32>,
    pub definition: domain::autonomy::Definition,
}

#[derive(serde::Serialize)]
pub struct AutonomyConditions {
    pub performance: u64,
    pub vision: u64,
    pub practice: u64,
}

/// The autonomy figures of a fiscal year (shared by the CLI and tests).
pub async fn autonomy_report(
    store: &Store,
    t: &Tenant,
    fy: i32,
    department: Option<&str>,
) -> Result<AutonomyReport> {
    let y = match store
        .autonomy_summary(
            t.id,
            fy,
            &t.settings.calendar,
            department,
            &t.settings.rating_scale,
        )
        .await
    {
        Err(store::StoreError::NotFound) => {
            bail!("no department has the code '{}'", department.unwrap_or(""))
        }
        other => other?,
    };
    let s = y.summary;
    Ok(AutonomyReport {
        fiscal_year: fy,
        department: department.map(str::to_string),
        population: s.population,
        autonomous: s.autonomous,
        rate: s.rate(),
        conditions: AutonomyConditions {
            performance: s.performance,
            vision: s.vision,
            practice: s.practice,
        },
        rating_year: y.rating_year,
        definition: y.definition,
    })
}

/// `kyoritsu commitment check`: reads statements from stdin, one per line (blank lines
/// are skipped), and checks each. JSON output is one object per line.
/// `kyoritsu anchors score`: answer sheets on stdin → profiles.
fn anchors_score(format: OutputFormat) -> Result<()> {
    use domain::anchor::{AnswerSheet, SheetError, score};
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("cannot read the answer sheets from stdin")?;
    let value: serde_json::Value =
        serde_json::from_str(&input).map_err(|e| anyhow!("the input is not JSON: {e}"))?;
    let (many, sheets) = match value {
        serde_json::Value::Array(v) => (true, v),
        other => (false, vec![other]),
    };
    let raw = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let mut profiles = Vec::new();
    let mut problems = Vec::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let ratings = sheet.get("ratings");
        let rating = |n: usize| match ratings {
            Some(serde_json::Value::Array(a)) => raw(a.get(n - 1)),
            Some(serde_json::Value::Object(o)) => raw(o.get(&n.to_string())),
            _ => String::new(),
        };
        let picks: Vec<String> = match sheet.get("picks") {
            Some(serde_json::Value::Array(a)) => a.iter().map(|p| raw(Some(p))).collect(),
            _ => Vec::new(),
        };
        match AnswerSheet::parse(rating, &picks) {
            Ok(s) => profiles.push(score(&s)),
            Err(errors) => {
                for e in errors {
                    let why = match e {
                        SheetError::Missing { numbers } => format!(
                            "statements {} have no rating",
                            numbers
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        SheetError::OutOfRange { number, value } => {
                            format!("statement {number} is rated '{value}'; ratings are 1 to 6")
                        }
                        SheetError::PickCount { picked } => {
                            format!("{picked} statements were picked as most true; pick exactly 3")
                        }
                        SheetError::BadPick { value } => format!(
                            "the pick '{value}' is not a statement number 1–40 (or is picked twice)"
                        ),
                    };
                    problems.push(format!("sheet {}: {why}", i + 1));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(anyhow!("nothing was scored:\n  {}", problems.join("\n  ")));
    }
    match format {
        OutputFormat::Json => {
            let shown: Vec<serde_json::Value> = profiles
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "scores": p.totals.iter().map(|(a, _)| (a.key().to_string(), serde_json::json!(p.score(*a)))).collect::<serde_json::Map<_, _>>(),
                        "totals": p.totals.iter().map(|(a, t)| (a.key().to_string(), serde_json::json!(t))).collect::<serde_json::Map<_, _>>(),
                        "dominant": p.dominant.iter().map(|a| a.key()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let out = if many {
                serde_json::Value::Array(shown)
            } else {
                shown.into_iter().next().unwrap_or_default()
            };
            out!("{}", serde_json::to_string_pretty(&out)?);
        }
        OutputFormat::Text => {
            let c = app::i18n::Lang::Ja.catalog();
            for (i, p) in profiles.iter().enumerate() {
                if many {
                    out!("# {}", i + 1);
                }
                for (a, _) in &p.totals {
                    let mark = if p.dominant.contains(a) { "◎" } else { "  " };
                    out!(
                        "{mark} {:.1}  {} ({})",
                        p.score(*a),
                        c.get(&format!("anchor.{}", a.key())),
                        a.key()
                    );
                }
            }
        }
    }
    Ok(())
}

fn commitment_check(format: OutputFormat, lang: &str, explain: bool) -> Result<()> {
    let lang = app::i18n::Lang::parse(lang)
        .ok_or_else(|| anyhow!("--lang must be ja or en, not '{lang}'"))?;
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("cannot read the statements from stdin")?;
    let c = lang.catalog();
    for line in input.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let check = app::language::check(line);
        let reasons = app::commitment_text::reasons(&check, lang);
        let suggestion = app::commitment_text::suggestion(&check, lang);
        let tokens: Vec<Token> = if explain {
            app::language::morphemes(line)
                .into_iter()
                .map(|m| Token {
                    pos: format!("{}-{}", m.pos, m.pos1),
                    surface: m.surface,
                    lemma: m.lemma,
                    known: m.known,
                })
                .collect()
        } else {
            Vec::new()
        };
        /// One morpheme the checks read (`--explain`).
        #[derive(serde::Serialize)]
        struct Token {
            surface: String,
            lemma: String,
            pos: String,
            known: bool,
        }
        match format {
            OutputFormat::Json => {
                /// One line of output, fields in the documented order.
                #[derive(serde::Serialize)]
                struct Line<'a> {
                    text: &'a str,
                    objective: bool,
                    has_start: bool,
                    passes: bool,
                    reasons: &'a [String],
                    suggestion: Option<&'a str>,
                    #[serde(skip_serializing_if = "Option::is_none")]
                    tokens: Option<&'a [Token]>,
                }
                out!(
                    "{}",
                    serde_json::to_string(&Line {
                        text: line,
                        objective: check.objective,
                        has_start: check.has_start,
                        passes: check.passes(),
                        reasons: &reasons,
                        suggestion: suggestion.as_deref(),
                        tokens: explain.then_some(tokens.as_slice()),
                    })?
                )
            }
            OutputFormat::Text => {
                let mark = |ok: bool| if ok { "○" } else { "×" };
                out!(
                    "{} {}\n  {} {} / {} {} — {}",
                    mark(check.passes()),
                    line,
                    c.get("commitment.check.objective"),
                    mark(check.objective),
                    c.get("commitment.check.has_start"),
                    mark(check.has_start),
                    c.get(if check.passes() {
                        "commitment.check.passes"
                    } else {
                        "commitment.check.fails"
                    })
                );
                for r in &reasons {
                    out!("  ・{r}");
                }
                if let Some(s) = &suggestion {
                    out!("  {}: {s}", c.get("commitment.check.suggestion"));
                }
                if explain {
                    let words: Vec<String> = tokens
                        .iter()
                        .map(|t| format!("{}({} {})", t.surface, t.lemma, t.pos))
                        .collect();
                    out!("  {}", words.join(" "));
                }
            }
        }
    }
    Ok(())
}

fn print_accounts(accounts: &[demo::DemoAccount]) {
    out!("Demo accounts (password for all: {DEMO_PASSWORD}):");
    for a in accounts {
        out!("  {:<11} {:<30} {}", a.role.as_str(), a.email, a.name);
    }
}

/// Generates the demo company into a new tenant `demo`, with a progress bar.
pub async fn create_demo(
    store: &Store,
    employees: usize,
    seed: u64,
    progress: bool,
) -> Result<(Tenant, Vec<demo::DemoAccount>)> {
    generate_demo(store, employees, seed, progress, false).await
}

/// [`create_demo`]; with `history` (`demo-data --history`) the programmes' ten years are
/// written whatever the company's size (otherwise only up to
/// [`demo::PROGRAMMES_UP_TO_EMPLOYEES`]).
async fn generate_demo(
    store: &Store,
    employees: usize,
    seed: u64,
    progress: bool,
    history: bool,
) -> Result<(Tenant, Vec<demo::DemoAccount>)> {
    let started = Instant::now();
    let slug = TenantSlug::parse("demo")?;
    if store.tenant_by_slug("demo").await?.is_some() {
        bail!(
            "a tenant named 'demo' already exists in this database; use a fresh database (e.g. --database-url sqlite://other.db)"
        );
    }
    let cal = domain::calendar::FiscalCalendar::default();
    let company = demo::generate(employees, seed, web_today(), &cal);
    let t = store
        .create_tenant(&slug, "共律テクノロジーズ株式会社（デモ）")
        .await?;
    let bar = if progress {
        ProgressBar::new(company.org.rows())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} generating the demo company [{bar:40}] {pos}/{len} rows ({eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let load = store
        .load_org(t.id, &company.org, &|p| bar.set_position(p.rows_done))
        .await;
    bar.finish_and_clear();
    if let Err(e) = load {
        bail!("the demo company could not be written: {e}");
    }
    let mut users = Vec::new();
    for a in &company.accounts {
        let person_id = match &a.employee_number {
            Some(n) => store
                .person_by_number(t.id, n)
                .await?
                .map(|p| PersonId(p.id)),
            None => None,
        };
        let user = store
            .create_user(
                t.id,
                NewUser {
                    email: EmailAddress::parse(&a.email)?,
                    name: a.name.clone(),
                    roles: a.roles.clone(),
                    person_id,
                    password: Some(DEMO_PASSWORD.into()),
                },
            )
            .await?;
        // The demo employee has written their career sheet twice, so the comparison
        // (変化を一緒にたどる) shows something.
        if let (Some(person), true) = (person_id, a.email.starts_with("employee@")) {
            for (base, sheet) in demo::career_sheet_versions().into_iter().enumerate() {
                store
                    .save_career_sheet(t.id, person, user.id, base as i64, &sheet)
                    .await?;
            }
        }
        users.push((a.role, user));
    }
    demo::seed_dialogues(store, t.id, &users)
        .await
        .context("the demo dialogues could not be written")?;
    demo::seed_pairs(store, t.id, &users)
        .await
        .context("the demo's pairs could not be written")?;
    demo::seed_requests(store, t.id, &users)
        .await
        .context("the demo's requests could not be written")?;
    demo::seed_consultant_profile(store, t.id, &users)
        .await
        .context("the demo consultant's profile could not be written")?;
    let numbers: Vec<String> = company
        .org
        .people
        .iter()
        .map(|p| p.employee_number.clone())
        .collect();
    let skip: Vec<PersonId> = users.iter().filter_map(|(_, u)| u.person_id).collect();
    // Consultant matching: the generated pool of consultants and their slots, and ten
    // colleagues who already chose one, held a session and rated it.
    let mut chose = Vec::new();
    for n in numbers.iter().skip(numbers.len() / 2).take(60) {
        if let Some(p) = store.person_by_number(t.id, n).await?
            && !skip.contains(&PersonId(p.id))
            && chose.len() < 10
        {
            chose.push(PersonId(p.id));
        }
    }
    let pool = demo::consultants::pool_size(employees);
    demo::consultants::seed(store, t.id, &users, &chose, pool, chrono::Utc::now())
        .await
        .context("the demo's consultants could not be written")?;
    // Role models: colleagues away from the demo accounts' own line.
    let mut colleagues = Vec::new();
    for n in numbers.iter().rev().take(40) {
        if let Some(p) = store.person_by_number(t.id, n).await?
            && !skip.contains(&PersonId(p.id))
            && colleagues.len() < 6
        {
            colleagues.push(PersonId(p.id));
        }
    }
    demo::seed_role_models(store, t.id, &users, &colleagues)
        .await
        .context("the demo's role models could not be written")?;
    // Internal postings (社内公募) with applications at every stage.
    let mut applicants = Vec::new();
    for n in numbers.iter().skip(numbers.len() / 3).take(80) {
        if let Some(p) = store.person_by_number(t.id, n).await?
            && !skip.contains(&PersonId(p.id))
            && applicants.len() < 8
        {
            applicants.push(PersonId(p.id));
        }
    }
    demo::postings::seed(store, t.id, &users, &applicants, chrono::Utc::now())
        .await
        .context("the demo's internal postings could not be written")?;
    demo::learning::seed(store, t.id, &users, &applicants, chrono::Utc::now())
        .await
        .context("the demo's courses and subsidies could not be written")?;
    // Career Anchor results: the demo employee and forty colleagues.
    let mut takers: Vec<PersonId> = users
        .iter()
        .filter(|(r, _)| *r == Role::Employee)
        .filter_map(|(_, u)| u.person_id)
        .collect();
    for n in numbers.iter().take(60) {
        if let Some(p) = store.person_by_number(t.id, n).await?
            && !skip.contains(&PersonId(p.id))
            && takers.len() < 41
        {
            takers.push(PersonId(p.id));
        }
    }
    demo::seed_anchor_results(store, t.id, &takers, web_today())
        .await
        .context("the demo's Career Anchor results could not be written")?;
    demo::seed_autonomy_history(store, t.id, &numbers, &skip, &cal, web_today())
        .await
        .context("the demo's autonomy history could not be written")?;
    if history || numbers.len() <= demo::PROGRAMMES_UP_TO_EMPLOYEES {
        demo::seed_programmes(store, t.id, &users, &cal, web_today())
            .await
            .context("the demo's programmes could not be written")?;
        if progress && history {
            eprintln!(
                "history: eleven years of milestone programmes ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
        demo::seed_cadence_programme(store, t.id, &users, &cal, web_today())
            .await
            .context("the demo's 1on1 programme could not be written")?;
        demo::seed_cross_programme(store, t.id, &users, &cal, web_today())
            .await
            .context("the demo's cross-department 1on1 programme could not be written")?;
    }
    // History: follow-ups that fell due before today were asked back then (no emails
    // now for them).
    let grace = store.check_in_grace_days(t.id).await?;
    for due in store
        .due_check_ins(t.id, web_today() - chrono::Duration::days(grace))
        .await?
    {
        store
            .ask_check_in(t.id, due.commitment_id, &[], chrono::Utc::now())
            .await?;
    }
    // Surveys: last year's, closed (the organisation report has figures), and this
    // year's, open (the demo accounts are asked to answer); the themes
    // raised in every held interview and consultation, written last so all are there.
    demo::surveys::seed(store, t.id, &users, chrono::Utc::now())
        .await
        .context("the demo's surveys could not be written")?;
    // A question of the company's own in the question bank (質問集).
    store
        .add_tenant_question(
            t.id,
            domain::question_bank::Category::Values,
            "当社の行動指針のうち、ご自身の仕事で一番大切にしているものはどれですか。",
            "Which of our company's principles matters most in your own work?",
        )
        .await?;
    // The demo's meetings were generated, not booked: nobody is sent invitations for them.
    store.mark_invitations_sent(t.id).await?;
    store
        .append_audit(
            cli_audit(&t, AuditAction::TenantCreated)
                .target("tenant", t.id)
                .detail("demo-data"),
        )
        .await?;
    Ok((t, company.accounts))
}

fn web_today() -> chrono::NaiveDate {
    domain::japan_time::japan_date(chrono::Utc::now())
}

/// Loads the Japanese dictionary for the commitment checks (building it on first start)
/// and says what the checks will read with.
fn say_dictionary(config: &Config) {
    match app::language::load(
        std::path::Path::new(&config.dictionary_dir),
        std::path::Path::new(&config.dictionary_source),
    ) {
        app::language::Status::Loaded { millis } => tracing::info!(
            dir = %config.dictionary_dir,
            millis,
            "the Japanese dictionary is loaded: the commitment checks read lemmas and parts of speech"
        ),
        app::language::Status::WordLists { why } => {
            eprintln!(
                "Note: the commitment checks use their word lists only — {why}. Everything \
                 else works as usual."
            );
            tracing::warn!(%why, "no Japanese dictionary: commitment checks fall back to word lists");
        }
    }
}

async fn serve(
    config: Config,
    url: Option<&str>,
    demo: bool,
    bind: Option<String>,
    port: Option<u16>,
) -> Result<()> {
    let mut config = config;
    if let Some(b) = bind {
        config.bind = b;
    }
    if let Some(p) = port {
        config.port = p;
    }
    let store = open(&config, url).await?;
    say_dictionary(&config);
    let clock = match config.start_time().map_err(|e| anyhow!(e))? {
        Some(at) => {
            out!("The clock starts at {at} (configuration 'now'); this is for tests and demos.");
            web::clock::Clock::starting_at(at)
        }
        None => web::clock::Clock::system(),
    };
    let mailer = match &config.smtp_url {
        Some(u) => Some(web::worker::Mailer::new(u, &config.mail_from).map_err(|e| anyhow!(e))?),
        None => {
            tracing::info!("smtp_url is not set: emails stay queued in the outbox");
            None
        }
    };
    if demo {
        match store.tenant_by_slug("demo").await? {
            Some(_) => {
                out!("Using the existing demo company.");
                let cal = domain::calendar::FiscalCalendar::default();
                print_accounts(
                    &demo::generate(config.demo_employees, 1, web_today(), &cal).accounts,
                );
            }
            None => {
                let (_, accounts) = create_demo(&store, config.demo_employees, 1, true).await?;
                print_accounts(&accounts);
            }
        }
    }
    let web_config = web::WebConfig {
        secure_cookies: config.secure_cookies(),
        idle_timeout: chrono::Duration::minutes(config.session_idle_minutes.max(1)),
        absolute_timeout: chrono::Duration::hours(config.session_absolute_hours.max(1)),
        public_url: config.public_url(),
        smtp_configured: mailer.is_some(),
        webhook_hosts: config.webhook_hosts.clone(),
    };
    let state = web::AppState::new(store.clone(), web_config).with_clock(clock);
    web::worker::Worker::new(state.clone(), mailer).spawn(std::time::Duration::from_secs(
        config.worker_interval_seconds.max(1),
    ));
    let app = web::router(state);
    let addr: SocketAddr = format!("{}:{}", config.bind, config.port)
        .parse()
        .with_context(|| {
            format!(
                "'{}:{}' is not an address to listen on",
                config.bind, config.port
            )
        })?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let shown = if config.bind == "0.0.0.0" {
        format!("http://127.0.0.1:{}", config.port)
    } else {
        format!("http://{addr}")
    };
    out!("Kyoritsu is running at {shown}/ (Ctrl+C to stop)");
    tracing::info!(%addr, "listening");
    let cleanup_store = store.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = store::sessions::delete_expired(&cleanup_store).await {
                tracing::warn!(error = %e, "could not delete expired sessions");
            }
        }
    });
    axum_serve(listener, app).await?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn axum_serve(listener: tokio::net::TcpListener, app: axum::Router) -> Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| anyhow!("server error: {e}"))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

fn read_password_or_generate() -> Result<(String, bool)> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut s = String::new();
        stdin
            .lock()
            .read_to_string(&mut s)
            .context("cannot read the password from standard input")?;
        let pw = s.lines().next().unwrap_or("").to_string();
        if !pw.is_empty() {
            if pw.chars().count() < 12 {
                bail!("the password must be at least 12 characters");
            }
            return Ok((pw, false));
        }
    }
    let mut b = [0u8; 12];
    rand::rng().fill_bytes(&mut b);
    let pw: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok((pw, true))
}

async fn find_user(store: &Store, t: &Tenant, email: &str) -> Result<store::users::User> {
    let e = EmailAddress::parse(email)?;
    store
        .user_by_email(t.id, &e)
        .await?
        .ok_or_else(|| anyhow!("no user with the email {e} in tenant '{}'", t.slug))
}

async fn user_command(
    config: &Config,
    url: Option<&str>,
    tenant_arg: Option<&str>,
    cmd: UserCommand,
) -> Result<()> {
    let store = open(config, url).await?;
    let t = tenant(&store, tenant_arg).await?;
    match cmd {
        UserCommand::Invite {
            department,
            email,
            format,
        } => invite_command(config, &store, &t, department, email, format).await,
        UserCommand::Create {
            email,
            name,
            roles,
            employee_number,
            format,
        } => {
            let email = EmailAddress::parse(&email)?;
            if name.trim().is_empty() {
                bail!("--name must not be empty");
            }
            let roles = roles
                .iter()
                .map(|r| Role::parse_assignable(r))
                .collect::<Result<Vec<_>, _>>()?;
            let person_id = match &employee_number {
                Some(n) => Some(PersonId(
                    store
                        .person_by_number(t.id, n)
                        .await?
                        .ok_or_else(|| anyhow!("no person has the employee number {n}"))?
                        .id,
                )),
                None => None,
            };
            let (password, generated) = read_password_or_generate()?;
            let user = store
                .create_user(
                    t.id,
                    NewUser {
                        email,
                        name,
                        roles,
                        person_id,
                        password: Some(password.clone()),
                    },
                )
                .await
                .map_err(|e| match e {
                    store::StoreError::Conflict(_) => anyhow!(
                        "a user with that email already exists in tenant '{}'",
                        t.slug
                    ),
                    other => other.into(),
                })?;
            let role_names: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
            store
                .append_audit(
                    cli_audit(&t, AuditAction::UserCreated)
                        .target("user", user.id)
                        .detail(role_names.join(",")),
                )
                .await?;
            match format.format {
                OutputFormat::Json => print_json(&serde_json::json!({
                    "id": user.id, "email": user.email, "name": user.name, "roles": role_names, "tenant": t.slug,
                    "password": if generated { Some(password) } else { None },
                })),
                OutputFormat::Text => {
                    out!(
                        "Created user {} ({}) with roles {} in tenant '{}'.",
                        user.email,
                        user.name,
                        role_names.join(", "),
                        t.slug
                    );
                    if generated {
                        out!("Generated password (shown only once): {password}");
                    }
                    Ok(())
                }
            }
        }
        UserCommand::List { format } => {
            let users = store.list_users(t.id).await?;
            match format.format {
                OutputFormat::Json => print_json(&users),
                OutputFormat::Text => {
                    for u in users {
                        let roles: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
                        out!(
                            "{:>5}  {:<32} {:<16} {}{}",
                            u.id,
                            u.email,
                            u.name,
                            roles.join(","),
                            if u.disabled { "  (disabled)" } else { "" }
                        );
                    }
                    Ok(())
                }
            }
        }
        UserCommand::Disable { email } => {
            let u = find_user(&store, &t, &email).await?;
            store.set_user_disabled(t.id, u.id, true).await?;
            store
                .append_audit(cli_audit(&t, AuditAction::UserDisabled).target("user", u.id))
                .await?;
            out!(
                "Disabled {}; their sessions and tokens no longer work.",
                u.email
            );
            Ok(())
        }
        UserCommand::Enable { email } => {
            let u = find_user(&store, &t, &email).await?;
            store.set_user_disabled(t.id, u.id, false).await?;
            store
                .append_audit(cli_audit(&t, AuditAction::UserEnabled).target("user", u.id))
                .await?;
            out!("Enabled {}.", u.email);
            Ok(())
        }
    }
}

async fn token_command(
    config: &Config,
    url: Option<&str>,
    tenant_arg: Option<&str>,
    cmd: TokenCommand,
) -> Result<()> {
    let store = open(config, url).await?;
    let t = tenant(&store, tenant_arg).await?;
    match cmd {
        TokenCommand::Create {
            email,
            label,
            scope,
            expires_in_days,
            format,
        } => {
            let u = find_user(&store, &t, &email).await?;
            if u.disabled {
                bail!("{} is disabled; enable the user first", u.email);
            }
            let scope = domain::account::TokenScope::parse(&scope)
                .ok_or_else(|| anyhow!("--scope must be read or write, not '{scope}'"))?;
            let expires = expires_in_days
                .map(|d| chrono::Utc::now() + chrono::Duration::days(i64::from(d.max(1))));
            let (token, secret) = store
                .create_token_with(t.id, u.id, &label, scope, expires)
                .await?;
            store
                .append_audit(
                    cli_audit(&t, AuditAction::TokenCreated)
                        .target("api_token", token.id)
                        .detail(format!("for {}", u.email)),
                )
                .await?;
            match format.format {
                OutputFormat::Json => print_json(
                    &serde_json::json!({"id": token.id, "token": secret, "email": u.email, "label": token.label}),
                ),
                OutputFormat::Text => {
                    out!("{secret}");
                    eprintln!(
                        "Token #{} for {} — store it now, it is shown only once.",
                        token.id, u.email
                    );
                    Ok(())
                }
            }
        }
        TokenCommand::Revoke { id, email } => {
            let ids: Vec<i64> = match (id, email) {
                (Some(id), _) => vec![id],
                (None, Some(e)) => {
                    let u = find_user(&store, &t, &e).await?;
                    store
                        .list_tokens(t.id, Some(u.id))
                        .await?
                        .into_iter()
                        .filter(|k| k.revoked_at.is_none())
                        .map(|k| k.id)
                        .collect()
                }
                (None, None) => {
                    bail!("say which token to revoke: an id, or --email for all of a user's tokens")
                }
            };
            for id in &ids {
                store.revoke_token(t.id, *id).await.map_err(|e| match e {
                    store::StoreError::NotFound => {
                        anyhow!("there is no token #{id} in tenant '{}'", t.slug)
                    }
                    other => other.into(),
                })?;
                store
                    .append_audit(cli_audit(&t, AuditAction::TokenRevoked).target("api_token", id))
                    .await?;
            }
            out!("Revoked {} token(s).", ids.len());
            Ok(())
        }
        TokenCommand::List { email, format } => {
            let user = match email {
                Some(e) => Some(find_user(&store, &t, &e).await?.id),
                None => None,
            };
            let tokens = store.list_tokens(t.id, user).await?;
            match format.format {
                OutputFormat::Json => print_json(&tokens),
                OutputFormat::Text => {
                    for k in tokens {
                        out!(
                            "{:>5}  user {:>5}  {:<16} created {}{}",
                            k.id,
                            k.user_id,
                            k.label,
                            k.created_at.format("%Y-%m-%d %H:%M"),
                            if k.revoked_at.is_some() {
                                "  (revoked)"
                            } else {
                                ""
                            }
                        );
                    }
                    Ok(())
                }
            }
        }
    }
}

async fn tenant_command(config: &Config, url: Option<&str>, cmd: TenantCommand) -> Result<()> {
    let store = open(config, url).await?;
    match cmd {
        TenantCommand::Create { slug, name, format } => {
            let slug = TenantSlug::parse(&slug)?;
            if name.trim().is_empty() {
                bail!("--name must not be empty");
            }
            let t = store
                .create_tenant(&slug, &name)
                .await
                .map_err(|e| match e {
                    store::StoreError::Conflict(_) => {
                        anyhow!("a tenant with the code '{slug}' already exists")
                    }
                    other => other.into(),
                })?;
            store
                .append_audit(cli_audit(&t, AuditAction::TenantCreated).target("tenant", t.id))
                .await?;
            match format.format {
                OutputFormat::Json => print_json(&t),
                OutputFormat::Text => {
                    out!("Created tenant '{}' ({}).", t.slug, t.name);
                    Ok(())
                }
            }
        }
        TenantCommand::List { format } => {
            let all = store.list_tenants().await?;
            match format.format {
                OutputFormat::Json => print_json(&all),
                OutputFormat::Text => {
                    if all.is_empty() {
                        out!(
                            "No tenants yet. Create one with `kyoritsu tenant create --slug CODE --name NAME` or `kyoritsu demo-data`."
                        );
                    }
                    for t in all {
                        out!("{:<20} {}", t.slug, t.name);
                    }
                    Ok(())
                }
            }
        }
    }
}

/// `kyoritsu backup`: the tenant to a file or standard output, a line per table on
/// standard error as it goes, the summary last.
async fn backup(
    store: &Store,
    t: &Tenant,
    output: Option<PathBuf>,
    format: OutputFormat,
) -> Result<()> {
    use std::io::Write as _;
    let progress = ProgressBar::new_spinner();
    progress.enable_steady_tick(std::time::Duration::from_millis(120));
    let report = |table: &str, rows: u64| progress.set_message(format!("{table}: {rows} rows"));
    let summary = match &output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            let s = store.backup_tenant(t.id, &mut w, &report).await?;
            w.into_inner()
                .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))?
                .sync_all()?;
            s
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            let s = store.backup_tenant(t.id, &mut w, &report).await?;
            w.flush()?;
            s
        }
    };
    progress.finish_and_clear();
    store
        .append_audit(
            cli_audit(t, AuditAction::Export)
                .target("tenant backup", &t.slug)
                .detail(format!("{} rows", summary.rows)),
        )
        .await?;
    let text = format!(
        "Backed up tenant {} ({} rows in {} tables){}.",
        summary.tenant,
        summary.rows,
        summary.tables.len(),
        output
            .as_ref()
            .map(|p| format!(" to {}", p.display()))
            .unwrap_or_default()
    );
    match (format, output.is_some()) {
        (OutputFormat::Json, true) => print_json(&summary)?,
        (OutputFormat::Json, false) => eprintln!("{}", serde_json::to_string(&summary)?),
        (OutputFormat::Text, _) => eprintln!("{text}"),
    }
    Ok(())
}

/// `kyoritsu restore`: a backup file (or standard input) into this database.
async fn restore(
    store: &Store,
    file: &std::path::Path,
    replace: bool,
    format: OutputFormat,
) -> Result<()> {
    let progress = ProgressBar::new_spinner();
    progress.enable_steady_tick(std::time::Duration::from_millis(120));
    let report = |table: &str, rows: u64| progress.set_message(format!("{table}: {rows} rows"));
    let summary = if file.as_os_str() == "-" {
        let stdin = std::io::stdin();
        store
            .restore_tenant(std::io::BufReader::new(stdin.lock()), replace, &report)
            .await
    } else {
        let f =
            std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        store
            .restore_tenant(std::io::BufReader::new(f), replace, &report)
            .await
    };
    progress.finish_and_clear();
    let summary = summary.map_err(|e| anyhow!("{}: {e}", file.display()))?;
    let t = tenant(store, Some(&summary.tenant)).await?;
    store
        .append_audit(
            cli_audit(&t, AuditAction::Restored)
                .target("tenant backup", file.display())
                .detail(format!(
                    "{} rows{}",
                    summary.rows,
                    if replace { ", replacing" } else { "" }
                )),
        )
        .await?;
    match format {
        OutputFormat::Json => print_json(&summary)?,
        OutputFormat::Text => out!(
            "Restored tenant {} from {} ({} rows in {} tables).",
            summary.tenant,
            file.display(),
            summary.rows,
            summary.tables.len()
        ),
    }
    Ok(())
}

/// `kyoritsu user invite`: the admin's invitation from the command line, as the web's.
async fn invite_command(
    config: &Config,
    store: &Store,
    t: &Tenant,
    department: Option<String>,
    email: Option<String>,
    format: FormatArg,
) -> Result<()> {
    use app::accounts::{By, InviteProblem as P, Invited};
    let by = By::operator(t.id);
    let now = chrono::Utc::now();
    let explain = |p: P| match p {
        P::Email => anyhow!("--email is not an e-mail address"),
        P::UnknownDepartment => anyhow!(
            "no department has the code {}",
            department.as_deref().unwrap_or_default()
        ),
        P::NotInMaster => {
            anyhow!("nobody current in the employee master has the address, and no account does")
        }
        P::AlreadyActive => anyhow!("the account has a password already"),
        P::Disabled => anyhow!("the account is disabled: enable it first"),
    };
    let done = match (&department, &email) {
        (Some(code), _) => {
            let scope = (code.trim() != "*").then_some(code.trim());
            app::accounts::invite_department(store, &by, scope, now)
                .await?
                .map_err(explain)?
        }
        (None, Some(address)) => Invited {
            sent: vec![
                app::accounts::invite_email(store, &by, address, now)
                    .await?
                    .map_err(explain)?,
            ],
            ..Default::default()
        },
        (None, None) => bail!("give --department or --email"),
    };
    web::shared::email::queue_invitations(store, &config.public_url(), t.id, &done.sent, now)
        .await?;
    match format.format {
        OutputFormat::Json => print_json(&serde_json::json!({
            "tenant": t.slug,
            "invited": done.sent.iter().map(|i| serde_json::json!({
                "user_id": i.user.0, "email": i.email, "name": i.name,
            })).collect::<Vec<_>>(),
            "no_email": done.no_email,
            "address_taken": done.address_taken,
        })),
        OutputFormat::Text => {
            out!(
                "Invited {} people in tenant '{}' (the running server e-mails each a link that works for {} days).",
                done.sent.len(),
                t.slug,
                domain::account::INVITATION_VALID_DAYS
            );
            for i in &done.sent {
                out!("  {} {}", i.email, i.name);
            }
            if !done.no_email.is_empty() {
                out!(
                    "Not invited, no e-mail address in the employee master: {}",
                    done.no_email.len()
                );
                for n in &done.no_email {
                    out!("  {} {}", n.employee_number, n.name);
                }
            }
            if !done.address_taken.is_empty() {
                out!(
                    "Not invited, the address is another account's: {}",
                    done.address_taken.len()
                );
                for n in &done.address_taken {
                    out!("  {} {}", n.employee_number, n.name);
                }
            }
            Ok(())
        }
    }
}
