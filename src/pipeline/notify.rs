//! Telling people when a run needs them: a JSON POST to a webhook (Teams, Slack, a ticketing
//! system) when a run fails or finds new errors.
//!
//! ```yaml
//! notify:
//!   webhook:
//!     url_env: CSC_RETURNS_WEBHOOK_URL   # or url: https://… when the URL holds no secret
//!     on: [failure, new_errors]          # the default; `always` posts after every run
//!     auth: {type: bearer, token_env: HOOK_TOKEN}   # optional
//!     timeout_seconds: 10
//! ```
//!
//! The body is the run's record (counts, rule codes, snapshot ids: no child-level data, since a
//! webhook may leave the council's network) plus a `text` line that chat tools show as it is. A
//! notification that cannot be sent is reported on stderr and in the run log; it never changes the
//! run's exit code.

use std::time::Duration;

use reqwest::blocking::Client;
use serde::{Deserialize, Serialize};

use crate::ingest::fetch::{self, Auth};
use crate::pipeline::history::RunRecord;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyConfig {
    pub webhook: Webhook,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// The address, when it holds no secret.
    #[serde(default)]
    pub url: Option<String>,
    /// The environment variable holding the address (chat webhooks carry their token in it).
    #[serde(default)]
    pub url_env: Option<String>,
    #[serde(default)]
    pub auth: Option<Auth>,
    /// When to post.
    #[serde(default = "default_events")]
    pub on: Vec<Event>,
    #[serde(default = "default_timeout")]
    pub timeout_seconds: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// A return could not be snapshotted, the run could not start, or an earlier run was found
    /// interrupted.
    Failure,
    /// The data has errors that the previous run did not have.
    NewErrors,
    /// Every run that ran (not the skipped ones).
    Always,
}

fn default_events() -> Vec<Event> {
    vec![Event::Failure, Event::NewErrors]
}

fn default_timeout() -> f64 {
    10.0
}

impl NotifyConfig {
    pub fn check(&self) -> Result<(), String> {
        let hook = &self.webhook;
        match (&hook.url, &hook.url_env) {
            (Some(url), None) => {
                fetch::check_url("notify.webhook.url", url, hook.auth.is_some())?;
            }
            (None, Some(name)) if !name.is_empty() => {}
            _ => {
                return Err(
                    "`notify.webhook`: give either `url` or `url_env` (the environment variable \
                     holding the URL)"
                        .into(),
                );
            }
        }
        if let Some(auth) = &hook.auth {
            auth.check()
                .map_err(|e| e.replace("`auth.", "`notify.webhook.auth."))?;
        }
        if hook.on.is_empty() {
            return Err(
                "`notify.webhook.on` is empty: list failure, new_errors or always, or remove `notify`"
                    .into(),
            );
        }
        if !(hook.timeout_seconds > 0.0 && hook.timeout_seconds <= 300.0) {
            return Err(format!(
                "`notify.webhook.timeout_seconds` {} must be more than 0 and at most 300",
                hook.timeout_seconds
            ));
        }
        Ok(())
    }
}

impl Webhook {
    /// The events of this run the webhook listens for.
    pub fn due(&self, failed: bool, new_errors: usize) -> Vec<Event> {
        self.on
            .iter()
            .copied()
            .filter(|event| match event {
                Event::Failure => failed,
                Event::NewErrors => new_errors > 0,
                Event::Always => true,
            })
            .collect()
    }

    /// Posts the notice. One retry after a transient failure: a notice is small, and a run must
    /// not wait long on a chat server.
    pub fn send(&self, events: &[Event], text: &str, record: &RunRecord) -> Result<(), String> {
        let url = match (&self.url, &self.url_env) {
            (Some(url), _) => url.clone(),
            (None, Some(name)) => std::env::var(name).map_err(|_| {
                format!(
                    "the environment variable {name} (named by `notify.webhook.url_env`) is not set"
                )
            })?,
            (None, None) => unreachable!("checked at load"),
        };
        let url = fetch::check_url("notify.webhook.url_env", &url, self.auth.is_some())?;
        let shown = fetch::redact(&url);
        let timeout = Duration::from_secs_f64(self.timeout_seconds);
        let client = Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("csc-returns/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot start an HTTP client: {e}"))?;
        let body = serde_json::json!({
            "text": text,
            "events": events,
            "run": record,
        });
        let mut last = String::new();
        for attempt in 0..2 {
            if attempt > 0 {
                std::thread::sleep(Duration::from_secs(1));
            }
            let mut request = client.post(url.clone()).json(&body);
            if let Some(auth) = &self.auth {
                request = auth.apply(request)?;
            }
            match request.send() {
                Ok(response) if response.status().is_success() => return Ok(()),
                Ok(response) => {
                    let status = response.status();
                    last = format!("{shown} answered HTTP {status}");
                    if !(status.is_server_error() || status.as_u16() == 429) {
                        return Err(last);
                    }
                }
                Err(e) if e.is_connect() => {
                    last = format!("could not connect to {shown}: {}", e.without_url());
                }
                Err(e) => return Err(format!("{shown}: {}", e.without_url())),
            }
        }
        Err(last)
    }
}
