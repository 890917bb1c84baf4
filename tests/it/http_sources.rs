//! Sources over HTTP, against real servers on 127.0.0.1 started by each test: one that fails
//! twice then succeeds, one that refuses the credentials, one that stalls. Also the webhook.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::thread::JoinHandle;

use csc_returns::pipeline::history::RunLog;

use crate::support::{binary, stderr, stdout};

const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,M,01/02/2015,WBRI,UN1,,\n";
const EPISODES: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
                        1,01/05/2025,S,C2,N1,U1,PR1,,,,,,SC1\n";
const TOKEN: &str = "s3cret-token-value";

/// What the test server does with one connection.
enum Reply {
    Status(u16, &'static str, Vec<(&'static str, String)>),
    Body(String),
    /// Reads the request and then says nothing until the client gives up.
    Stall,
}

/// A request as the server saw it.
struct Seen {
    head: String,
    body: String,
}

/// Serves one reply per connection, in order, then stops; joining returns the requests.
fn serve(replies: Vec<Reply>) -> (u16, JoinHandle<Vec<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for reply in replies {
            let (mut stream, _) = listener.accept().unwrap();
            seen.push(read_request(&mut stream));
            let (status, reason, headers, body) = match reply {
                Reply::Status(status, reason, headers) => (status, reason, headers, String::new()),
                Reply::Body(body) => (200, "OK", Vec::new(), body),
                Reply::Stall => {
                    let mut rest = Vec::new();
                    let _ = stream.read_to_end(&mut rest);
                    continue;
                }
            };
            let mut response = format!(
                "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                response.push_str(&format!("{name}: {value}\r\n"));
            }
            response.push_str("\r\n");
            response.push_str(&body);
            let _ = stream.write_all(response.as_bytes());
        }
        seen
    });
    (port, handle)
}

fn read_request(stream: &mut TcpStream) -> Seen {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse::<usize>().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    Seen {
        head,
        body: String::from_utf8(body).unwrap(),
    }
}

/// A pipeline whose episodes come from `url_block` (the YAML of one URL source) and whose header
/// is a local file.
fn pipeline(dir: &Path, url_block: &str, extra: &str) {
    std::fs::create_dir_all(dir.join("in")).unwrap();
    std::fs::write(dir.join("in/header.csv"), HEADER).unwrap();
    let yaml = format!(
        "name: t\nla: {{code: E08000035, number: \"383\"}}\noutput: out\nreturns:\n  - return: ssda903\n    year: 2026\n    sources:\n      - in/header.csv\n      - {url_block}\n{extra}"
    );
    std::fs::write(dir.join("p.yaml"), yaml).unwrap();
}

fn run(dir: &Path, with_token: bool) -> std::process::Output {
    let mut command = binary();
    command
        .args(["run", "p.yaml"])
        .current_dir(dir)
        .env_remove("CASE_TOKEN");
    if with_token {
        command.env("CASE_TOKEN", TOKEN);
    }
    command.output().unwrap()
}

fn url_block(port: u16, options: &str) -> String {
    format!(
        "{{url: \"http://127.0.0.1:{port}/reports/903/episodes\", file: episodes.csv, auth: {{type: bearer, token_env: CASE_TOKEN}}, backoff_seconds: 0.01{options}}}"
    )
}

fn download(dir: &Path) -> std::path::PathBuf {
    dir.join("out/downloads/t/ssda903-2026/episodes.csv")
}

#[test]
fn transient_failures_are_retried_with_backoff_until_the_download_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let (port, server) = serve(vec![
        Reply::Status(503, "Service Unavailable", Vec::new()),
        Reply::Status(429, "Too Many Requests", vec![("Retry-After", "0".into())]),
        Reply::Body(EPISODES.into()),
    ]);
    pipeline(dir.path(), &url_block(port, ""), "");
    let output = run(dir.path(), true);
    let requests = server.join().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let log = stderr(&output);
    assert!(
        log.contains("HTTP 503 Service Unavailable; retrying") && log.contains("attempt 2 of 4"),
        "{log}"
    );
    assert!(
        log.contains("HTTP 429 Too Many Requests; retrying in 0.0 s"),
        "{log}"
    );
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert!(
            request.head.starts_with("GET /reports/903/episodes "),
            "{}",
            request.head
        );
        assert!(
            request
                .head
                .to_ascii_lowercase()
                .contains(&format!("authorization: bearer {TOKEN}")),
            "{}",
            request.head
        );
    }
    assert!(!stdout(&output).contains(TOKEN) && !log.contains(TOKEN));

    assert_eq!(
        std::fs::read_to_string(download(dir.path())).unwrap(),
        EPISODES
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(download(dir.path()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text = stdout(&output);
    assert!(text.contains("Header 1, Episodes 1"), "{text}");
    let record = RunLog::new(&dir.path().join("out"))
        .list()
        .unwrap()
        .pop()
        .unwrap();
    assert!(
        record
            .inputs
            .iter()
            .any(|i| i.path.ends_with("downloads/t/ssda903-2026/episodes.csv")),
        "{:?}",
        record.inputs
    );
}

#[test]
fn refused_credentials_fail_at_once_as_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let (port, server) = serve(vec![Reply::Status(401, "Unauthorized", Vec::new())]);
    pipeline(dir.path(), &url_block(port, ""), "");
    let output = run(dir.path(), true);
    assert_eq!(server.join().unwrap().len(), 1, "not retried");
    assert_eq!(output.status.code(), Some(2));
    let text = stdout(&output);
    assert!(
        text.contains("FAILED")
            && text.contains(
                "HTTP 401 Unauthorized: the server refused the credentials from $CASE_TOKEN"
            ),
        "{text}"
    );
    assert!(!text.contains(TOKEN) && !stderr(&output).contains(TOKEN));
    assert!(!download(dir.path()).exists());
}

#[test]
fn a_missing_credential_variable_is_named_and_nothing_is_requested() {
    let dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    pipeline(dir.path(), &url_block(port, ""), "");
    let output = run(dir.path(), false);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stdout(&output)
            .contains("the environment variable CASE_TOKEN (named by `auth.token_env`) is not set"),
        "{}",
        stdout(&output)
    );
    assert!(listener.accept().is_err(), "no connection was made");
}

#[test]
fn a_stalled_server_times_out_and_the_previous_snapshot_stays_current() {
    let dir = tempfile::tempdir().unwrap();
    let (port, server) = serve(vec![Reply::Body(EPISODES.into()), Reply::Stall]);
    pipeline(
        dir.path(),
        &url_block(port, ", timeout_seconds: 0.5, retries: 2"),
        "",
    );
    assert!(run(dir.path(), true).status.success());
    let first = std::fs::read_dir(dir.path().join("out/snapshots/return=ssda903/year=2026"))
        .unwrap()
        .count();
    let output = run(dir.path(), true);
    assert_eq!(server.join().unwrap().len(), 2, "the stall was not retried");
    assert_eq!(output.status.code(), Some(3));
    let text = stdout(&output);
    assert!(
        text.contains("no response for 0.5 s (`timeout_seconds`)"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(download(dir.path())).unwrap(),
        EPISODES,
        "the last good download is kept"
    );
    let after = std::fs::read_dir(dir.path().join("out/snapshots/return=ssda903/year=2026"))
        .unwrap()
        .count();
    assert_eq!(after, first);
}

#[test]
fn a_download_that_does_not_match_its_pinned_hash_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (port, server) = serve(vec![Reply::Body(EPISODES.replace("SC1", "SC2"))]);
    let pinned = csc_returns::source::sha256_hex(EPISODES.as_bytes());
    pipeline(
        dir.path(),
        &url_block(port, &format!(", sha256: {pinned}")),
        "",
    );
    let output = run(dir.path(), true);
    server.join().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).contains(&format!("not the {pinned} that `sha256` expects")));
    assert!(!download(dir.path()).exists());
    assert_eq!(
        std::fs::read_dir(dir.path().join("out/.tmp")).map_or(0, |e| e.count()),
        0,
        "the rejected download is gone"
    );
}

#[test]
fn the_webhook_hears_about_new_errors_but_not_about_quiet_nights() {
    let dir = tempfile::tempdir().unwrap();
    let (port, server) = serve(vec![Reply::Status(200, "OK", Vec::new())]);
    std::fs::create_dir_all(dir.path().join("in/2025-26")).unwrap();
    let bad_header = HEADER.replace("1,M,", "1,X,");
    std::fs::write(dir.path().join("in/2025-26/header.csv"), &bad_header).unwrap();
    std::fs::write(dir.path().join("in/2025-26/episodes.csv"), EPISODES).unwrap();
    let yaml = "name: t\nla: {code: E08000035, number: \"383\"}\noutput: out\nreturns:\n  - return: ssda903\n    sources: [in/2025-26]\nnotify:\n  webhook:\n    url_env: HOOK_URL\n    on: [failure, new_errors]\n";
    std::fs::write(dir.path().join("p.yaml"), yaml).unwrap();
    let hook = format!("http://127.0.0.1:{port}/hook");
    let run = || {
        binary()
            .args(["run", "p.yaml"])
            .current_dir(dir.path())
            .env("HOOK_URL", &hook)
            .output()
            .unwrap()
    };
    let output = run();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("Webhook: sent"),
        "{}",
        stdout(&output)
    );
    let requests = server.join().unwrap();
    assert!(requests[0].head.starts_with("POST /hook "));
    let body: serde_json::Value = serde_json::from_str(&requests[0].body).unwrap();
    assert_eq!(body["events"], serde_json::json!(["new_errors"]));
    assert_eq!(body["run"]["pipeline"], "t");
    assert_eq!(body["run"]["returns"][0]["diff"]["new_errors"], 1);
    assert!(body["text"].as_str().unwrap().contains("1 errors, 1 new"));
    assert!(
        !requests[0].body.contains("\"child"),
        "no child-level data leaves"
    );

    // The same error again is not news: no request, which a closed port would refuse anyway.
    std::fs::write(
        dir.path().join("in/2025-26/episodes.csv"),
        EPISODES.replace("SC1", "SC2"),
    )
    .unwrap();
    let quiet = run();
    assert!(quiet.status.success());
    assert!(!stdout(&quiet).contains("Webhook"), "{}", stdout(&quiet));
}
