//! `csc-returns benchmarks update` against a real HTTP server on 127.0.0.1 serving recorded sample
//! responses of the EES API and CSV downloads (`tests/data/ees/`): new editions are checked,
//! stored beside the shipped ones, never overwritten, and then used.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use csc_returns::benchmarks::{Benchmarks, Polarity, Published, Series};

use crate::support::repo_root;

const DATA_SET: &str = "342f9a01-26f0-2a71-91a1-f8bc0bee8b11";
/// A data set whose CSV is exactly the shipped C1 edition.
const SHIPPED_COPY: &str = "00000000-0000-0000-0000-00000000c1c1";

/// Serves the sample responses until dropped; returns the base URL.
struct Server {
    url: String,
    stop: Arc<AtomicBool>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = std::net::TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn serve() -> Server {
    let fixtures = repo_root().join("tests/data/ees");
    let read = |name: &str| std::fs::read(fixtures.join(name)).unwrap();
    let shipped =
        std::fs::read(repo_root().join("data/benchmarks/dfe-2025/cin_c1.csv.gz")).unwrap();
    let routes: Vec<(String, Vec<u8>)> = vec![
        (format!("/v1/data-sets/{DATA_SET}"), read("data_set.json")),
        (
            format!("/v1/data-sets/{DATA_SET}/csv"),
            gzip(&read("c1_sample.csv")),
        ),
        (
            format!("/v1/data-sets/{SHIPPED_COPY}"),
            br#"{"id": "copy", "title": "C1 as shipped", "latestVersion": {"version": "1.0"}}"#
                .to_vec(),
        ),
        (format!("/v1/data-sets/{SHIPPED_COPY}/csv"), shipped),
        ("/downloads/cla_rates.csv".into(), read("bad_columns.csv")),
    ];
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = stop.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if stopping.load(Ordering::SeqCst) {
                break;
            }
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                    break;
                }
            }
            let path = request
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .split('?')
                .next()
                .unwrap_or("");
            let (status, body) = match routes.iter().find(|(route, _)| route == path) {
                Some((_, body)) => ("200 OK", body.clone()),
                None => (
                    "404 Not Found",
                    br#"{"title": "Not Found", "status": 404, "errors": []}"#.to_vec(),
                ),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    Server { url, stop }
}

fn update(config: &Path, root: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_csc-returns"))
        .args(["benchmarks", "update", "--config"])
        .arg(config)
        .arg("--output")
        .arg(root)
        .env("NO_PROXY", "127.0.0.1")
        .output()
        .unwrap()
}

#[test]
fn newer_editions_are_checked_stored_beside_the_shipped_ones_and_used() {
    let server = serve();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("out");
    let config = dir.path().join("benchmarks.yaml");
    std::fs::write(
        &config,
        format!(
            "api: {0}\ntables:\n  - table: cin_c1\n    data_set: {DATA_SET}\n  - table: cla_rates\n    url: {0}/downloads/cla_rates.csv\n  - table: care_leavers_activity\n    url: {0}/downloads/missing.csv\n",
            server.url
        ),
    )
    .unwrap();
    let output = update(&config, &root);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains("cin_c1: stored edition v1.1 (26 rows, latest year 2025)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("cla_rates: FAILED") && stdout.contains("lacks column(s)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("care_leavers_activity: FAILED") && stdout.contains("404"),
        "{stdout}"
    );
    let edition = root.join("benchmarks/cin_c1/v1.1");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(edition.join("edition.json")).unwrap())
            .unwrap();
    assert_eq!(record["data_set_version"], "1.1");
    assert_eq!(record["published"], "2025-10-30T09:30:00+00:00");
    assert_eq!(
        record["url"],
        format!("{}/v1/data-sets/{DATA_SET}/csv", server.url)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(edition.join("data.csv.gz"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(
        !root.join("benchmarks/cla_rates").exists(),
        "a refused download leaves nothing"
    );

    // The same download again is recognised, not stored twice; the shipped content is recognised too.
    std::fs::write(
        &config,
        format!(
            "api: {}\ntables:\n  - table: cin_c1\n    data_set: {DATA_SET}\n  - table: cin_c1\n    data_set: {SHIPPED_COPY}\n",
            server.url
        ),
    )
    .unwrap();
    let output = update(&config, &root);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("cin_c1: unchanged, same as edition v1.1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("cin_c1: unchanged, same as edition dfe-2025"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_dir(root.join("benchmarks/cin_c1"))
            .unwrap()
            .count(),
        1
    );

    // The new edition is the one in use, and comparisons name it.
    let list = Command::new(env!("CARGO_BIN_EXE_csc-returns"))
        .args(["benchmarks", "list", "--output"])
        .arg(&root)
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    let c1 = list.lines().find(|l| l.starts_with("cin_c1 ")).unwrap();
    assert!(c1.contains("v1.1"), "{list}");
    assert!(
        list.lines()
            .any(|l| l.starts_with("cin_b1 ") && l.contains("dfe-2025"))
    );
    let benchmarks = Benchmarks::load(&root.join("benchmarks")).unwrap();
    let rereferrals = Series::Ees {
        table: "cin_c1",
        filters: &[],
        value: "rereferral_percent",
        numerator: Some("rereferral_count"),
        denominator: Some("referral_count"),
    };
    let c = benchmarks
        .compare(&rereferrals, 1, Polarity::Low, "872", 2025)
        .unwrap()
        .unwrap();
    assert_eq!(c.editions, ["cin_c1@v1.1"]);
    assert_eq!(
        (c.la, c.england),
        (Published::Value(16.8), Published::Value(22.6))
    );
    assert!((c.neighbours.mean.unwrap() - 19.37).abs() < 1e-9);
}
