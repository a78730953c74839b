//! Notices in chat (チャットへの通知): Slack and Microsoft Teams incoming webhooks.
//!
//! A webhook posts into one channel or chat, seen by whoever is in it. Every notice the
//! product sends is about one person's own matters — an application's stage, an FA
//! request, a report about them — so a company-wide channel would tell colleagues what
//! the policy hides from them. The company therefore only decides which services may be
//! used; each person connects their own webhook (a private channel, or a chat with
//! themselves), and the message carries what waits and a link, never what was said.
//!
//! A webhook address is also where the server will send requests, so it is accepted only
//! on the services' own hosts over HTTPS ([`parse_webhook`]); a deployment may name more
//! hosts (its own relay, a test receiver).

use std::fmt;

/// A chat service with incoming webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatService {
    Slack,
    Teams,
}

impl ChatService {
    pub const ALL: [ChatService; 2] = [ChatService::Slack, ChatService::Teams];

    pub fn key(self) -> &'static str {
        match self {
            ChatService::Slack => "slack",
            ChatService::Teams => "teams",
        }
    }

    pub fn parse(s: &str) -> Option<ChatService> {
        Self::ALL.into_iter().find(|c| c.key() == s.trim())
    }

    /// Whether `host` is one of this service's webhook hosts.
    fn owns(self, host: &str) -> bool {
        match self {
            ChatService::Slack => host == "hooks.slack.com",
            // Office 365 connectors, and the Workflows (Power Automate) that replace them.
            ChatService::Teams => [
                ".webhook.office.com",
                ".logic.azure.com",
                ".powerplatform.com",
            ]
            .iter()
            .any(|suffix| host.ends_with(suffix)),
        }
    }

    /// The JSON a webhook of this service takes: the line of what waits, and its link.
    pub fn payload(self, text: &str, link: &str, open: &str) -> serde_json::Value {
        match self {
            ChatService::Slack => serde_json::json!({
                "text": format!("{text}\n<{link}|{open}>"),
                "unfurl_links": false,
            }),
            ChatService::Teams => serde_json::json!({
                "type": "message",
                "attachments": [{
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": {
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "body": [{ "type": "TextBlock", "text": text, "wrap": true }],
                        "actions": [{ "type": "Action.OpenUrl", "title": open, "url": link }],
                    },
                }],
            }),
        }
    }
}

impl fmt::Display for ChatService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The longest webhook address taken.
pub const MAX_URL_CHARS: usize = 2000;

/// Why a webhook address was refused (`chat.error.{key}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookProblem {
    /// Not an address at all, or too long.
    Malformed,
    /// Not HTTPS (on a host the deployment did not name).
    NotHttps,
    /// Not a host of the chosen service.
    WrongHost,
}

impl WebhookProblem {
    pub fn key(self) -> &'static str {
        match self {
            WebhookProblem::Malformed => "malformed",
            WebhookProblem::NotHttps => "not_https",
            WebhookProblem::WrongHost => "wrong_host",
        }
    }
}

/// Checks a webhook address for `service`: HTTPS on one of the service's hosts, or any
/// scheme on a host (`host` or `host:port`) the deployment named in `extra_hosts`.
/// Returns the address trimmed.
pub fn parse_webhook(
    service: ChatService,
    url: &str,
    extra_hosts: &[String],
) -> Result<String, WebhookProblem> {
    let url = url.trim();
    if url.is_empty() || url.chars().count() > MAX_URL_CHARS || url.chars().any(char::is_control) {
        return Err(WebhookProblem::Malformed);
    }
    let (scheme, rest) = url.split_once("://").ok_or(WebhookProblem::Malformed)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Err(WebhookProblem::Malformed);
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(WebhookProblem::Malformed);
    }
    let authority = authority.to_ascii_lowercase();
    if extra_hosts
        .iter()
        .any(|h| h.eq_ignore_ascii_case(&authority))
    {
        return Ok(url.to_string());
    }
    if scheme != "https" {
        return Err(WebhookProblem::NotHttps);
    }
    // A port other than the default is not the service's own address.
    if authority.contains(':') || !service.owns(&authority) {
        return Err(WebhookProblem::WrongHost);
    }
    Ok(url.to_string())
}

/// A webhook address as pages show it: the host and the last four characters, so the
/// secret part is never on a screen.
pub fn masked(url: &str) -> String {
    let host = url
        .split_once("://")
        .map(|(_, r)| r.split('/').next().unwrap_or_default())
        .unwrap_or_default();
    let tail: String = url
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{host}/…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_services_own_hosts_over_https_are_taken() {
        let none: Vec<String> = Vec::new();
        let slack = "https://hooks.slack.com/services/T000/B000/XXXXXXXX";
        assert_eq!(
            parse_webhook(ChatService::Slack, &format!(" {slack} "), &none),
            Ok(slack.to_string())
        );
        let teams = "https://acme.webhook.office.com/webhookb2/abc@def/IncomingWebhook/x/y";
        assert!(
            parse_webhook(ChatService::Teams, teams, &none).is_ok(),
            "an @ in the path is the connector's own"
        );
        let teams = "https://prod-01.japaneast.logic.azure.com:443/workflows/abc/triggers/manual";
        assert_eq!(
            parse_webhook(ChatService::Teams, teams, &none),
            Err(WebhookProblem::WrongHost),
            "a port is not the service's address"
        );
        let teams = "https://prod-01.japaneast.logic.azure.com/workflows/abc/triggers/manual";
        assert!(parse_webhook(ChatService::Teams, teams, &none).is_ok());
        assert_eq!(
            parse_webhook(ChatService::Teams, slack, &none),
            Err(WebhookProblem::WrongHost)
        );
        for (url, problem) in [
            (
                "http://hooks.slack.com/services/x",
                WebhookProblem::NotHttps,
            ),
            (
                "https://evil.example/hooks.slack.com",
                WebhookProblem::WrongHost,
            ),
            (
                "https://hooks.slack.com.evil.example/x",
                WebhookProblem::WrongHost,
            ),
            ("https://user@hooks.slack.com/x", WebhookProblem::Malformed),
            ("file:///etc/passwd", WebhookProblem::Malformed),
            ("hooks.slack.com/services/x", WebhookProblem::Malformed),
            ("https://hooks.slack.com/\nx", WebhookProblem::Malformed),
            ("", WebhookProblem::Malformed),
            ("http://127.0.0.1:9/hook", WebhookProblem::NotHttps),
            ("https://169.254.169.254/latest", WebhookProblem::WrongHost),
        ] {
            assert_eq!(
                parse_webhook(ChatService::Slack, url, &none),
                Err(problem),
                "{url}"
            );
        }
        let long = format!("https://hooks.slack.com/{}", "a".repeat(MAX_URL_CHARS));
        assert_eq!(
            parse_webhook(ChatService::Slack, &long, &none),
            Err(WebhookProblem::Malformed)
        );
    }

    #[test]
    fn a_host_the_deployment_names_is_taken_as_it_is() {
        let extra = vec!["127.0.0.1:4321".to_string()];
        assert!(parse_webhook(ChatService::Teams, "http://127.0.0.1:4321/teams", &extra).is_ok());
        assert_eq!(
            parse_webhook(ChatService::Teams, "http://127.0.0.1:4322/teams", &extra),
            Err(WebhookProblem::NotHttps)
        );
    }

    #[test]
    fn payloads_carry_the_line_and_the_link_in_each_services_shape() {
        let s = ChatService::Slack.payload(
            "1on1の依頼が届いています",
            "https://k.example/requests",
            "開く",
        );
        assert_eq!(
            s["text"],
            "1on1の依頼が届いています\n<https://k.example/requests|開く>"
        );
        let t = ChatService::Teams.payload(
            "1on1の依頼が届いています",
            "https://k.example/requests",
            "開く",
        );
        let card = &t["attachments"][0]["content"];
        assert_eq!(card["type"], "AdaptiveCard");
        assert_eq!(card["body"][0]["text"], "1on1の依頼が届いています");
        assert_eq!(card["actions"][0]["url"], "https://k.example/requests");
    }

    #[test]
    fn a_masked_address_keeps_the_host_and_four_characters() {
        assert_eq!(
            masked("https://hooks.slack.com/services/T000/B000/XXXXabcd"),
            "hooks.slack.com/…abcd"
        );
    }
}
