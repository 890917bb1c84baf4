//! Sources over HTTP(S): case-system report endpoints fetched at the start of a run.
//!
//! ```yaml
//! sources:
//!   - exports/header.csv                       # a local file, folder or pattern
//!   - url: https://reports.council.local/903/episodes
//!     file: episodes.csv                       # saved as; default: the URL's last segment
//!     auth: {type: bearer, token_env: CASE_SYSTEM_TOKEN}
//!     sha256: 9f86d0…                          # optional: the exact content expected
//!     timeout_seconds: 60                      # how long the server may stay silent
//!     retries: 3                               # extra attempts after a transient failure
//!     backoff_seconds: 2                       # first wait; doubles each retry
//! ```
//!
//! Only transient failures are retried, with exponential backoff: a connection that could not be
//! made, HTTP 429 and 5xx (a `Retry-After` in seconds is honoured). A refused credential, a wrong
//! address or a server that stops answering fails at once with a message saying what to fix.
//! Credentials come from environment variables the YAML names, never from the YAML, and are never
//! printed. TLS certificates are always verified, against the system's trusted roots (add a
//! council's own CA to the system store). A download goes to a temporary file, is checked (length
//! against Content-Length, not empty, sha256 when given) and only then replaces the previous
//! download under `<output>/downloads/`.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::Url;
use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::header::{CONTENT_LENGTH, HeaderName, HeaderValue, RETRY_AFTER};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::fsutil;
use crate::source::{SourceFormat, copy_hashing};

/// The longest wait between two attempts, whatever the backoff or the server asks.
const MAX_WAIT: Duration = Duration::from_secs(300);

/// One entry of a return's `sources`: a local path (file, folder or glob) or a URL.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceSpec {
    Local(String),
    Url(UrlSource),
}

impl From<String> for SourceSpec {
    fn from(path: String) -> Self {
        SourceSpec::Local(path)
    }
}

impl<'de> Deserialize<'de> for SourceSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SpecVisitor;

        impl<'de> Visitor<'de> for SpecVisitor {
            type Value = SourceSpec;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a path, a glob pattern, a URL, or {url: ..., auth: ...}")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<SourceSpec, E> {
                if is_url(text) {
                    let source = UrlSource::with_defaults(text.to_string());
                    source.check().map_err(E::custom)?;
                    Ok(SourceSpec::Url(source))
                } else {
                    Ok(SourceSpec::Local(text.to_string()))
                }
            }

            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<SourceSpec, M::Error> {
                let source = UrlSource::deserialize(de::value::MapAccessDeserializer::new(map))?;
                source.check().map_err(de::Error::custom)?;
                Ok(SourceSpec::Url(source))
            }
        }

        deserializer.deserialize_any(SpecVisitor)
    }
}

fn is_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrlSource {
    pub url: String,
    /// The file name to save the download as; its extension says how to read it.
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub auth: Option<Auth>,
    /// The SHA-256 the content must have (64 hex digits), for files that should not change.
    #[serde(default)]
    pub sha256: Option<String>,
    /// How long to wait for a connection, a response or the next piece of the body.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: f64,
    /// Attempts after the first when a failure is transient.
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// Wait before the first retry; each further retry waits twice as long as the one before.
    #[serde(default = "default_backoff")]
    pub backoff_seconds: f64,
}

fn default_timeout() -> f64 {
    60.0
}

fn default_retries() -> u32 {
    3
}

fn default_backoff() -> f64 {
    2.0
}

/// Credentials for a URL, each read from an environment variable when the run starts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer { token_env: String },
    /// HTTP basic authentication.
    Basic {
        username_env: String,
        password_env: String,
    },
    /// A named header (`X-API-Key`) carrying the value.
    Header { name: String, value_env: String },
}

impl Auth {
    fn variables(&self) -> Vec<(&'static str, &str)> {
        match self {
            Auth::Bearer { token_env } => vec![("auth.token_env", token_env)],
            Auth::Basic {
                username_env,
                password_env,
            } => vec![
                ("auth.username_env", username_env),
                ("auth.password_env", password_env),
            ],
            Auth::Header { value_env, .. } => vec![("auth.value_env", value_env)],
        }
    }

    /// Checks the names (not the values, which are read at run time).
    pub fn check(&self) -> Result<(), String> {
        for (option, name) in self.variables() {
            let valid = !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !valid {
                return Err(format!(
                    "`{option}` {name:?} is not an environment variable name (letters, digits and _): \
                     give the name of the variable that holds the secret, never the secret itself"
                ));
            }
        }
        if let Auth::Header { name, .. } = self
            && HeaderName::from_bytes(name.as_bytes()).is_err()
        {
            return Err(format!("`auth.name` {name:?} is not an HTTP header name"));
        }
        Ok(())
    }

    /// Adds the credentials to a request; a variable that is not set is a configuration error.
    pub fn apply(&self, request: RequestBuilder) -> Result<RequestBuilder, String> {
        let read = |option: &str, name: &str| {
            std::env::var(name).map_err(|_| {
                format!(
                    "the environment variable {name} (named by `{option}`) is not set; set it where \
                     csc-returns runs (for systemd, in the EnvironmentFile of the service)"
                )
            })
        };
        Ok(match self {
            Auth::Bearer { token_env } => request.bearer_auth(read("auth.token_env", token_env)?),
            Auth::Basic {
                username_env,
                password_env,
            } => request.basic_auth(
                read("auth.username_env", username_env)?,
                Some(read("auth.password_env", password_env)?),
            ),
            Auth::Header { name, value_env } => {
                let mut value = HeaderValue::from_str(&read("auth.value_env", value_env)?)
                    .map_err(|_| {
                        format!("the environment variable {value_env} holds characters an HTTP header cannot carry")
                    })?;
                value.set_sensitive(true);
                request.header(name.as_str(), value)
            }
        })
    }

    /// The variables the credentials come from, for messages.
    pub fn describe(&self) -> String {
        self.variables()
            .iter()
            .map(|(_, name)| format!("${name}"))
            .collect::<Vec<_>>()
            .join(" and ")
    }
}

/// Checks a URL for fetching or posting: http(s), no credentials in it, and none sent over plain
/// HTTP beyond this machine.
pub fn check_url(option: &str, text: &str, has_auth: bool) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("`{option}` {text:?} is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "`{option}` {text:?}: only http and https are supported"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "`{option}`: the URL holds a user name or password; put credentials in environment \
             variables named under `auth:` instead"
        ));
    }
    let host = url.host_str().unwrap_or_default();
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if has_auth && url.scheme() == "http" && !loopback {
        return Err(format!(
            "`{option}` {}: credentials would cross the network unencrypted; use https",
            redact(&url)
        ));
    }
    Ok(url)
}

/// A URL as it may be printed: without its query, which may carry a token.
pub fn redact(url: &Url) -> String {
    let mut shown = url.clone();
    let had_query = shown.query().is_some();
    shown.set_query(None);
    shown.set_fragment(None);
    let mut text = shown.to_string();
    if had_query {
        text.push_str("?…");
    }
    text
}

impl UrlSource {
    fn with_defaults(url: String) -> Self {
        UrlSource {
            url,
            file: None,
            auth: None,
            sha256: None,
            timeout_seconds: default_timeout(),
            retries: default_retries(),
            backoff_seconds: default_backoff(),
        }
    }

    /// Checks every option once, at load; errors name the option and the value.
    pub fn check(&self) -> Result<(), String> {
        if let Some(auth) = &self.auth {
            auth.check()?;
        }
        let url = check_url("url", &self.url, self.auth.is_some())?;
        let name = self.file_name_of(&url);
        if name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(format!("`file` {name:?} must be a plain file name"));
        }
        if SourceFormat::of_path(Path::new(&name)).is_none() {
            return Err(format!(
                "`file`: the download from {} would be saved as {name:?}, which has no .csv, .xlsx \
                 or .xml extension; set `file:` to the name to save it as (e.g. episodes.csv)",
                redact(&url)
            ));
        }
        if let Some(hash) = &self.sha256
            && !(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(format!("`sha256` {hash:?} is not 64 hexadecimal digits"));
        }
        if !(self.timeout_seconds > 0.0 && self.timeout_seconds <= 3600.0) {
            return Err(format!(
                "`timeout_seconds` {} must be more than 0 and at most 3600",
                self.timeout_seconds
            ));
        }
        if self.retries > 10 {
            return Err(format!("`retries` {} must be at most 10", self.retries));
        }
        if !(self.backoff_seconds >= 0.0 && self.backoff_seconds <= 300.0) {
            return Err(format!(
                "`backoff_seconds` {} must be between 0 and 300",
                self.backoff_seconds
            ));
        }
        Ok(())
    }

    fn parsed_url(&self) -> Url {
        Url::parse(&self.url).expect("checked at load")
    }

    fn file_name_of(&self, url: &Url) -> String {
        self.file.clone().unwrap_or_else(|| {
            url.path_segments()
                .and_then(|mut segments| segments.next_back())
                .unwrap_or_default()
                .to_string()
        })
    }

    /// The name the download is saved as.
    pub fn file_name(&self) -> String {
        self.file_name_of(&self.parsed_url())
    }

    /// The URL as it may be printed.
    pub fn shown(&self) -> String {
        redact(&self.parsed_url())
    }
}

/// Why a fetch failed, split by who must act.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The pipeline or its environment must change (credentials, address, pinned hash).
    #[error("{0}")]
    Config(String),
    /// The server or the network failed, after any retries.
    #[error("{0}")]
    Fault(String),
}

enum Attempt {
    Done(u64, String),
    Transient(String, Option<Duration>),
    Final(FetchError),
}

/// Downloads `source` to `target`: through a temporary file in `scratch`, checked, then renamed
/// over the previous download. `progress` hears about retries.
pub fn fetch(
    source: &UrlSource,
    target: &Path,
    scratch: &Path,
    mut progress: impl FnMut(&str),
) -> Result<(), FetchError> {
    let url = source.parsed_url();
    let shown = redact(&url);
    let timeout = Duration::from_secs_f64(source.timeout_seconds);
    let client = Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("csc-returns/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| FetchError::Fault(format!("cannot start an HTTP client: {e}")))?;
    fsutil::create_private_dir_all(scratch)
        .map_err(|e| FetchError::Fault(format!("creating {}: {e}", scratch.display())))?;
    let partial = scratch.join(format!("{}.part", source.file_name()));
    let attempts = source.retries + 1;
    let mut wait = Duration::from_secs_f64(source.backoff_seconds);
    for attempt in 1..=attempts {
        let mut request = client.get(url.clone());
        if let Some(auth) = &source.auth {
            request = auth.apply(request).map_err(FetchError::Config)?;
        }
        match attempt_once(request, source, &shown, &partial) {
            Attempt::Done(size, sha256) => {
                if let Some(expected) = &source.sha256
                    && !expected.eq_ignore_ascii_case(&sha256)
                {
                    let _ = std::fs::remove_file(&partial);
                    return Err(FetchError::Config(format!(
                        "{shown} sent content with SHA-256 {sha256}, not the {expected} that \
                         `sha256` expects; the previous download was kept. If the file changed on \
                         purpose, update `sha256`"
                    )));
                }
                return install(&partial, target).map(|()| {
                    progress(&format!("fetched {shown} ({size} bytes)"));
                });
            }
            Attempt::Final(error) => {
                let _ = std::fs::remove_file(&partial);
                return Err(error);
            }
            Attempt::Transient(why, asked) => {
                let _ = std::fs::remove_file(&partial);
                if attempt == attempts {
                    return Err(FetchError::Fault(format!(
                        "{shown}: {why}; gave up after {attempts} attempts (`retries: {}`). The \
                         previous snapshot is still current",
                        source.retries
                    )));
                }
                let pause = asked.unwrap_or(wait).min(MAX_WAIT);
                progress(&format!(
                    "{shown}: {why}; retrying in {:.1} s (attempt {} of {attempts})",
                    pause.as_secs_f64(),
                    attempt + 1
                ));
                std::thread::sleep(pause);
                wait = (wait * 2).min(MAX_WAIT);
            }
        }
    }
    unreachable!("the last attempt returns")
}

fn attempt_once(
    request: RequestBuilder,
    source: &UrlSource,
    shown: &str,
    partial: &Path,
) -> Attempt {
    let response = match request.send() {
        Ok(response) => response,
        Err(e) if e.is_connect() => {
            return Attempt::Transient(
                format!("could not connect ({})", error_chain(&e.without_url())),
                None,
            );
        }
        Err(e) if e.is_timeout() => return Attempt::Final(stalled(shown, source)),
        Err(e) => {
            return Attempt::Final(FetchError::Fault(format!(
                "{shown}: {}",
                error_chain(&e.without_url())
            )));
        }
    };
    let status = response.status();
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        return Attempt::Transient(format!("HTTP {status}"), retry_after(&response));
    }
    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        let what = match &source.auth {
            Some(auth) => format!(
                "refused the credentials from {}; check they are current and allowed to read this report",
                auth.describe()
            ),
            None => {
                "needs credentials; add `auth:` naming the environment variables that hold them"
                    .to_string()
            }
        };
        return Attempt::Final(FetchError::Config(format!(
            "{shown}: HTTP {status}: the server {what}"
        )));
    }
    if !status.is_success() {
        return Attempt::Final(FetchError::Config(format!(
            "{shown}: HTTP {status}; check the `url`"
        )));
    }
    let expected = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match save(response, partial) {
        Ok((size, sha256)) => {
            if let Some(expected) = expected
                && expected != size
            {
                return Attempt::Transient(
                    format!("the download stopped at {size} of {expected} bytes"),
                    None,
                );
            }
            if size == 0 {
                return Attempt::Final(FetchError::Fault(format!(
                    "{shown} sent an empty file; an empty export must not replace a good one. \
                     Check the report on the case system"
                )));
            }
            Attempt::Done(size, sha256)
        }
        Err(e) if e.kind() == io::ErrorKind::TimedOut || is_timeout(&e) => {
            Attempt::Final(stalled(shown, source))
        }
        Err(e) => Attempt::Transient(format!("the download broke off ({e})"), None),
    }
}

fn stalled(shown: &str, source: &UrlSource) -> FetchError {
    FetchError::Fault(format!(
        "{shown}: no response for {} s (`timeout_seconds`); the server accepted the connection but \
         stopped answering. Check the case system, or raise `timeout_seconds` if its reports are slow",
        source.timeout_seconds
    ))
}

fn is_timeout(error: &io::Error) -> bool {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
        .is_some_and(reqwest::Error::is_timeout)
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

fn retry_after(response: &Response) -> Option<Duration> {
    response
        .headers()
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// Streams the body to `path`, hashing it on the way.
fn save(mut response: Response, path: &Path) -> io::Result<(u64, String)> {
    let mut file = fsutil::create_private_file(path)?;
    let copied = copy_hashing(&mut response, &mut file)?;
    file.sync_all()?;
    Ok(copied)
}

fn install(partial: &Path, target: &Path) -> Result<(), FetchError> {
    let folder = fsutil::parent_dir(target);
    let fault = |what: &str, e: io::Error| FetchError::Fault(format!("{what}: {e}"));
    fsutil::create_private_dir_all(folder)
        .map_err(|e| fault(&format!("creating {}", folder.display()), e))?;
    std::fs::rename(partial, target)
        .map_err(|e| fault(&format!("moving the download to {}", target.display()), e))?;
    fsutil::sync_dir(folder).map_err(|e| fault(&format!("flushing {}", folder.display()), e))
}

/// Where a return's downloads are kept between runs.
pub fn download_dir(root: &Path, pipeline: &str, folder: &str) -> PathBuf {
    root.join("downloads").join(pipeline).join(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Sources {
        sources: Vec<SourceSpec>,
    }

    fn parse(yaml: &str) -> Result<Vec<SourceSpec>, String> {
        serde_saphyr::from_str::<Sources>(yaml)
            .map(|s| s.sources)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn sources_are_paths_urls_or_url_blocks() {
        let sources = parse(
            "sources:\n  - in/2025-26\n  - https://cases.example/903/header.csv\n  - url: https://cases.example/903/episodes\n    file: episodes.csv\n    auth: {type: bearer, token_env: CASE_TOKEN}\n    timeout_seconds: 5\n",
        )
        .unwrap();
        assert_eq!(sources[0], SourceSpec::Local("in/2025-26".into()));
        let SourceSpec::Url(plain) = &sources[1] else {
            panic!("{sources:?}")
        };
        assert_eq!(plain.file_name(), "header.csv");
        assert_eq!(plain.retries, 3);
        let SourceSpec::Url(block) = &sources[2] else {
            panic!("{sources:?}")
        };
        assert_eq!(block.file_name(), "episodes.csv");
        assert_eq!(
            block.auth,
            Some(Auth::Bearer {
                token_env: "CASE_TOKEN".into()
            })
        );
    }

    #[test]
    fn url_errors_name_the_option() {
        let cases = [
            ("- url: https://c.example/903/episodes\n", "`file`"),
            (
                "- url: https://u:p@c.example/e.csv\n",
                "user name or password",
            ),
            (
                "- url: http://c.example/e.csv\n  auth: {type: bearer, token_env: T}\n",
                "unencrypted",
            ),
            (
                "- url: https://c.example/e.csv\n  auth: {type: bearer, token: abc}\n",
                "token",
            ),
            (
                "- url: https://c.example/e.csv\n  auth: {type: bearer, token_env: \"s3cr3t value\"}\n",
                "not an environment variable name",
            ),
            (
                "- url: https://c.example/e.csv\n  sha256: abc\n",
                "`sha256`",
            ),
            (
                "- url: https://c.example/e.csv\n  timeout_seconds: 0\n",
                "`timeout_seconds`",
            ),
            (
                "- url: https://c.example/e.csv\n  retries: 50\n",
                "`retries`",
            ),
            ("- url: https://c.example/e.csv\n  colour: red\n", "colour"),
            ("- url: ftp://c.example/e.csv\n", "http and https"),
        ];
        for (yaml, expected) in cases {
            let err = parse(&format!("sources:\n  {}", yaml.replace('\n', "\n  "))).unwrap_err();
            assert!(err.contains(expected), "{yaml}: {err}");
        }
        assert!(
            parse("sources:\n  - url: http://127.0.0.1:8080/e.csv\n    auth: {type: bearer, token_env: T}\n").is_ok(),
            "plain HTTP to this machine may carry credentials"
        );
    }

    #[test]
    fn printed_urls_hide_their_query() {
        let url = Url::parse("https://c.example/r.csv?token=abc#x").unwrap();
        assert_eq!(redact(&url), "https://c.example/r.csv?…");
    }
}
