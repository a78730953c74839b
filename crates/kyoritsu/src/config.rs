//! Configuration: built-in defaults, then `kyoritsu.toml` (or `--config FILE`), then
//! `KYORITSU_*` environment variables, then command-line flags. See
//! `kyoritsu.example.toml` for every key, annotated.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// Every setting, with its default.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://path` (created if absent) or `postgres://user:pass@host/db`.
    pub database_url: String,
    /// Address to listen on.
    pub bind: String,
    pub port: u16,
    /// `Secure` cookies. Unset: on, except when serving on a loopback address.
    pub secure_cookies: Option<bool>,
    /// Minutes without a request before a session ends.
    pub session_idle_minutes: i64,
    /// Hours after sign-in when a session ends regardless of activity.
    pub session_absolute_hours: i64,
    /// `text` or `json`.
    pub log_format: String,
    /// tracing filter, e.g. `info` or `kyoritsu=debug,info`.
    pub log: String,
    /// Employees in the company `serve --demo` generates when the database is empty.
    pub demo_employees: usize,
    /// AES-256 key (32 bytes in base64) sealing note texts at rest; `kyoritsu notes
    /// new-key` prints one. Unset with SQLite: kept in a file beside the database
    /// (`<database file>.key`), created on first use. Required with PostgreSQL.
    pub note_key: Option<String>,
    /// Earlier note keys, still opening texts sealed before a rotation (see `kyoritsu
    /// notes rekey`).
    pub note_previous_keys: Vec<String>,
    /// The product's address as people reach it, for links in emails. Unset: built from
    /// `bind` and `port`.
    pub public_url: Option<String>,
    /// SMTP server for the outbox, as lettre reads it: `smtp://host:25`
    /// (`?tls=required` for STARTTLS) or `smtps://user:password@host:465`. Unset: emails
    /// stay queued until it is set.
    pub smtp_url: Option<String>,
    /// The sender of every email.
    pub mail_from: String,
    /// Hosts (`host` or `host:port`) besides Slack's and Teams' own that people's chat
    /// webhooks may point at, over any scheme: a company's relay, a test receiver.
    pub webhook_hosts: Vec<String>,
    /// Seconds between the background worker's passes (follow-ups, reminders, outbox).
    pub worker_interval_seconds: u64,
    /// The IPADIC dictionary the commitment checks read Japanese with (lindera's format),
    /// built there at first start from `dictionary_source` when it is missing.
    pub dictionary_dir: String,
    /// IPADIC's sources, as Debian's `mecab-ipadic` package installs them (EUC-JP).
    /// Neither there nor built: the checks fall back to their word lists, and the
    /// server says so at start.
    pub dictionary_source: String,
    /// Pretend the time is this (RFC 3339) when the server starts, and run on from there.
    /// For tests and for demos of what happens later; never set it in production.
    pub now: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://kyoritsu.db".into(),
            bind: "127.0.0.1".into(),
            port: 8080,
            secure_cookies: None,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            log_format: "text".into(),
            log: "info".into(),
            demo_employees: 1000,
            note_key: None,
            note_previous_keys: Vec::new(),
            public_url: None,
            smtp_url: None,
            mail_from: "Kyoritsu <no-reply@kyoritsu.invalid>".into(),
            webhook_hosts: Vec::new(),
            worker_interval_seconds: 30,
            dictionary_dir: "kyoritsu-ipadic".into(),
            dictionary_source: "/usr/share/mecab/dic/ipadic".into(),
            now: None,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The database URL may hold a password: never print it whole.
        f.debug_struct("Config")
            .field(
                "database_url",
                &store::db_url_for_display(&self.database_url),
            )
            .field("bind", &self.bind)
            .field("port", &self.port)
            .field("secure_cookies", &self.secure_cookies)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("session_absolute_hours", &self.session_absolute_hours)
            .field("log_format", &self.log_format)
            .field("log", &self.log)
            .field("demo_employees", &self.demo_employees)
            .field("note_key", &self.note_key.as_ref().map(|_| "***"))
            .field(
                "note_previous_keys",
                &format!("{} key(s)", self.note_previous_keys.len()),
            )
            .field("public_url", &self.public_url)
            // The SMTP URL may hold a password.
            .field(
                "smtp_url",
                &self.smtp_url.as_deref().map(store::db_url_for_display),
            )
            .field("mail_from", &self.mail_from)
            .field("webhook_hosts", &self.webhook_hosts)
            .field("worker_interval_seconds", &self.worker_interval_seconds)
            .field("dictionary_dir", &self.dictionary_dir)
            .field("dictionary_source", &self.dictionary_source)
            .field("now", &self.now)
            .finish()
    }
}

const KNOWN_ENV: [&str; 19] = [
    "DATABASE_URL",
    "BIND",
    "PORT",
    "SECURE_COOKIES",
    "SESSION_IDLE_MINUTES",
    "SESSION_ABSOLUTE_HOURS",
    "LOG_FORMAT",
    "LOG",
    "DEMO_EMPLOYEES",
    "NOTE_KEY",
    "NOTE_PREVIOUS_KEYS",
    "PUBLIC_URL",
    "SMTP_URL",
    "MAIL_FROM",
    "WEBHOOK_HOSTS",
    "WORKER_INTERVAL_SECONDS",
    "DICTIONARY_DIR",
    "DICTIONARY_SOURCE",
    "NOW",
];

impl Config {
    /// Loads defaults → file → environment. A missing default file is fine; a missing
    /// file named with `--config` is an error.
    pub fn load(file: Option<&Path>) -> Result<Config, String> {
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(f) if !f.exists() => {
                return Err(format!(
                    "the configuration file {} does not exist",
                    f.display()
                ));
            }
            Some(f) => fig = fig.merge(Toml::file(f)),
            None => fig = fig.merge(Toml::file("kyoritsu.toml")),
        }
        let known: Vec<String> = KNOWN_ENV.iter().map(|k| k.to_ascii_lowercase()).collect();
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        fig = fig.merge(Env::prefixed("KYORITSU_").only(&known));
        fig.extract()
            .map_err(|e| format!("configuration error: {e}"))
    }

    /// `KYORITSU_*` variables that mean nothing to us (likely typos).
    pub fn unknown_env_vars() -> Vec<String> {
        std::env::vars()
            .filter_map(|(k, _)| k.strip_prefix("KYORITSU_").map(str::to_string))
            .filter(|k| !KNOWN_ENV.contains(&k.as_str()) && !k.starts_with("TEST_"))
            .map(|k| format!("KYORITSU_{k}"))
            .collect()
    }

    /// The product's address for links in emails.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_string(),
            None if self.bind == "0.0.0.0" || self.bind == "::" => {
                format!("http://127.0.0.1:{}", self.port)
            }
            None => format!("http://{}:{}", self.bind, self.port),
        }
    }

    /// The time the server should believe it is at start (`now`), if set.
    pub fn start_time(&self) -> Result<Option<chrono::DateTime<chrono::Utc>>, String> {
        self.now
            .as_deref()
            .map(|t| {
                chrono::DateTime::parse_from_rfc3339(t)
                    .map(|t| t.with_timezone(&chrono::Utc))
                    .map_err(|e| format!("now = '{t}' is not an RFC 3339 time: {e}"))
            })
            .transpose()
    }

    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies.unwrap_or_else(|| {
            let loopback = self
                .bind
                .parse::<std::net::IpAddr>()
                .map(|ip| ip.is_loopback())
                .unwrap_or(self.bind == "localhost");
            !loopback
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_masks_the_database_password() {
        let c = Config {
            database_url: "postgres://app:hunter2@db/k".into(),
            ..Config::default()
        };
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn cookies_are_secure_except_on_loopback() {
        assert!(!Config::default().secure_cookies());
        assert!(
            Config {
                bind: "0.0.0.0".into(),
                ..Config::default()
            }
            .secure_cookies()
        );
        assert!(
            Config {
                secure_cookies: Some(true),
                ..Config::default()
            }
            .secure_cookies()
        );
    }

    #[test]
    fn the_smtp_password_never_appears_in_debug_output() {
        let c = Config {
            smtp_url: Some("smtps://mailer:s3cr3tpass@mail.example.jp:465".into()),
            ..Config::default()
        };
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cr3tpass"), "{shown}");
    }

    #[test]
    fn note_keys_never_appear_in_debug_output() {
        let c = Config {
            note_key: Some("c2VjcmV0LWtleS1tYXRlcmlhbA==".into()),
            note_previous_keys: vec!["b2xkLXNlY3JldA==".into()],
            ..Config::default()
        };
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("c2VjcmV0") && !shown.contains("b2xk"),
            "{shown}"
        );
    }

    #[test]
    fn the_example_file_is_a_valid_configuration() {
        let text = include_str!("../../../kyoritsu.example.toml");
        let parsed: Result<Config, _> = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::string(text))
            .extract();
        assert!(parsed.is_ok(), "{parsed:?}");
    }
}
