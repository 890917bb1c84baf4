//! Figures end to end on a synthetic LA: three years of both returns validated into one output
//! root, every indicator cross-checked against an independent SQL computation over the snapshot
//! Parquet, the `figures`, `query` and `report` commands, and the report rendered in Chromium.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::{Datelike, Months, NaiveDate};
use csc_returns::figures::{self, FigureRow, INDICATORS};
use csc_returns::frame::{self, SqlSource};
use csc_returns::schema::ReturnKind;
use csc_returns::snapshot::{SnapshotRef, SnapshotStore};
use csc_returns::year::CollectionYear;

use crate::synthetic;

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_csc-returns"));
    command.env_remove("CSC_RETURNS_FAILPOINT");
    command
}

fn run_ok(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The synthetic LA's output root, built once per test run: each year of each return validated in
/// year order (so later years find the earlier snapshots' history), as Wokingham (872).
fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        // The root outlives the tests (a static); clear those of earlier test runs.
        for entry in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let pid = name
                .strip_prefix("figures-")
                .and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|pid| !csc_returns::snapshot::process_is_alive(pid)) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let dir = tmp.join(format!("figures-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let inputs = synthetic::write_inputs(&dir.join("in"));
        let out = dir.join("out");
        for (year, folder, xml) in inputs {
            for (return_kind, path) in [("ssda903", folder), ("cin", xml)] {
                run_ok(
                    binary()
                        .arg("validate")
                        .arg(&path)
                        .args(["--return", return_kind, "--year", &year.to_string()])
                        .args(["--la", "E06000041", "--output"])
                        .arg(&out),
                );
            }
        }
        out
    })
}

fn current(return_kind: ReturnKind, year: u16) -> SnapshotRef {
    current_in(root(), return_kind, year)
}

fn current_in(root: &Path, return_kind: ReturnKind, year: u16) -> SnapshotRef {
    SnapshotStore::new(root)
        .current(return_kind, CollectionYear::new(year).unwrap())
        .unwrap()
        .unwrap()
}

/// An output root to cross-check: the year whose figures are checked, the earlier years in it
/// (newest first) and the LA's population of children that its rates use.
struct Fixture {
    root: PathBuf,
    year: u16,
    earlier: Vec<u16>,
    population: f64,
}

/// The synthetic LA of `tests/it/synthetic.rs` (Wokingham: 44,412 children, mid-2024).
fn synthetic_fixture() -> Fixture {
    Fixture {
        root: root().to_path_buf(),
        year: 2025,
        earlier: vec![2024, 2023],
        population: 44_412.0,
    }
}

/// The shipped demo data written by `csc-returns synth` (`data/demo/`, Manchester: 131,831
/// children in mid-2024, the latest estimate shipped for 2025-26).
fn demo_fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap().keep();
    let demo = crate::support::repo_root().join("data/demo");
    for (year, folder) in [(2025, "2024-25"), (2026, "2025-26")] {
        for (return_kind, path) in [
            ("ssda903", demo.join("ssda903").join(folder)),
            ("cin", demo.join(format!("cin/cin_{folder}.xml"))),
        ] {
            run_ok(
                binary()
                    .arg("validate")
                    .arg(&path)
                    .args(["--return", return_kind, "--year", &year.to_string()])
                    .args(["--la", "E08000003", "--output"])
                    .arg(dir.join("out")),
            );
        }
    }
    Fixture {
        root: dir.join("out"),
        year: 2026,
        earlier: vec![2025],
        population: 131_831.0,
    }
}

impl Fixture {
    fn period(&self) -> CollectionYear {
        CollectionYear::new(self.year).unwrap()
    }

    /// `SELECT <columns>, <year> AS yr FROM <table>` over this year and the earlier ones.
    fn union(&self, table: &str, columns: &str) -> String {
        std::iter::once(format!(
            "SELECT {columns}, {} AS yr FROM {table}",
            self.year
        ))
        .chain(
            self.earlier
                .iter()
                .map(|y| format!("SELECT {columns}, {y} AS yr FROM {table}_{y}")),
        )
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
    }
}

/// Day number (days since 1970-01-01, as `CAST(date AS INT)` gives in polars SQL).
fn day(date: NaiveDate) -> i64 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days()
}

/// The number in the first cell of a one-row result.
fn scalar(tables: &[(String, SqlSource)], sql: &str) -> f64 {
    let result = frame::sql(tables, sql).unwrap_or_else(|e| panic!("{e}\n{sql}"));
    let (_, rows) = frame::text_cells(&result).unwrap();
    rows[0][0].parse().unwrap_or(0.0)
}

/// Working days as an SQL table: `day` and `n`, the number of working days up to that day, read
/// independently of `csc_returns::calendar` from the shipped holiday file.
fn working_day_table() -> SqlSource {
    let holidays: Vec<NaiveDate> = std::fs::read_to_string(
        crate::support::repo_root().join("data/calendar/england_bank_holidays.csv"),
    )
    .unwrap()
    .lines()
    .skip(1)
    .filter_map(|l| NaiveDate::parse_from_str(l.split(',').next()?, "%Y-%m-%d").ok())
    .collect();
    let mut csv = String::from("day,n\n");
    let mut n = 0;
    let mut date = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
    while date.year() < 2027 {
        if date.weekday().num_days_from_monday() < 5 && !holidays.contains(&date) {
            n += 1;
        }
        csv.push_str(&format!("{},{n}\n", day(date)));
        date = date.succ_opt().unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("working-days.csv");
    std::fs::write(&path, csv).unwrap();
    SqlSource::Frame(frame::read_csv(&path).unwrap())
}

/// The tables the cross-check reads: the checked year's snapshots' tables under their names,
/// earlier years' under `<name>_<year>`, and the working-day table `wd`.
fn tables(f: &Fixture) -> Vec<(String, SqlSource)> {
    let mut tables = vec![("wd".to_string(), working_day_table())];
    for (return_kind, names) in [
        (
            ReturnKind::Cin,
            &[
                "cin_details",
                "assessments",
                "section47",
                "child_protection_plans",
            ][..],
        ),
        (
            ReturnKind::Ssda903,
            &["episodes", "header", "uasc", "oc3", "ad1"][..],
        ),
    ] {
        for year in std::iter::once(f.year).chain(f.earlier.iter().copied()) {
            let snapshot = current_in(&f.root, return_kind, year);
            for name in names {
                let label = if year == f.year {
                    name.to_string()
                } else {
                    format!("{name}_{year}")
                };
                tables.push((label, SqlSource::Files(vec![snapshot.table_file(name)])));
            }
        }
    }
    tables
}

/// An independent computation of one figure: SQL for the numerator and, unless the unit needs
/// none (counts) or takes the population (rates), the denominator.
struct Check {
    numerator: String,
    denominator: Option<String>,
}

fn check(numerator: impl Into<String>, denominator: Option<String>) -> Check {
    Check {
        numerator: numerator.into(),
        denominator,
    }
}

/// The SQL behind every figure of the fixture's year, keyed by (indicator, breakdown). `derived`
/// says whether the episodes carry the fields derived from postcodes (PL_LOCATION, PL_DISTANCE).
fn checks(f: &Fixture, derived: bool) -> HashMap<(&'static str, Option<&'static str>), Check> {
    let year = f.period();
    let (s, e) = (day(year.start()), day(year.end()));
    let in_year = |column: &str| format!("CAST({column} AS INT) BETWEEN {s} AND {e}");
    let referrals = format!(
        "SELECT COUNT(*) FROM cin_details WHERE {}",
        in_year("CINreferralDate")
    );
    let mut c = HashMap::new();
    c.insert(("FD02", None), check(referrals.clone(), None));
    c.insert(("FD02R", None), check(referrals.clone(), None));
    c.insert(
        ("FD03", None),
        check(
            format!(
                "WITH r AS (SELECT LAchildID AS c, CINdetailsID AS i, CINreferralDate AS rd FROM cin_details WHERE {}), \
                 h AS (SELECT DISTINCT LAchildID AS c, CINreferralDate AS hd FROM ({})), \
                 m AS (SELECT r.c, r.i FROM r JOIN h ON r.c = h.c WHERE h.hd < r.rd AND h.hd >= r.rd - INTERVAL '12 months' GROUP BY r.c, r.i) \
                 SELECT COUNT(*) FROM m",
                in_year("CINreferralDate"),
                f.union("cin_details", "LAchildID, CINreferralDate")
            ),
            Some(referrals.clone()),
        ),
    );
    c.insert(
        ("FD04", None),
        check(
            format!("{referrals} AND ReferralNFA = true"),
            Some(referrals.clone()),
        ),
    );
    c.insert(
        ("FD05", None),
        check(
            format!(
                "{referrals} AND ReasonForClosure IN ('RC8', 'RC9') AND LAchildID || '-' || CAST(CINdetailsID AS VARCHAR) IN \
                 (SELECT LAchildID || '-' || CAST(CINdetailsID AS VARCHAR) FROM assessments)"
            ),
            Some(referrals.clone()),
        ),
    );
    let completed = format!(
        "SELECT COUNT(*) FROM assessments WHERE {}",
        in_year("AssessmentAuthorisationDate")
    );
    c.insert(("AS01", None), check(completed, None));
    let timed = |table: &str, start: &str, end: &str, limit: i64| {
        let base = format!(
            "WITH t AS (SELECT CAST({start} AS INT) AS sd, CAST({end} AS INT) AS ed FROM {table} \
             WHERE {} AND {start} IS NOT NULL AND {start} <= {end}), \
             w AS (SELECT t.sd, t.ed, a.n AS an, b.n AS bn FROM t JOIN wd a ON t.sd = a.day JOIN wd b ON t.ed = b.day) ",
            in_year(end)
        );
        check(
            format!("{base} SELECT COUNT(*) FROM w WHERE bn - an <= {limit}"),
            Some(format!("{base} SELECT COUNT(*) FROM w")),
        )
    };
    c.insert(
        ("AS02", None),
        timed(
            "assessments",
            "AssessmentActualStartDate",
            "AssessmentAuthorisationDate",
            45,
        ),
    );
    let enquiries = format!(
        "SELECT COUNT(*) FROM section47 WHERE {}",
        in_year("S47ActualStartDate")
    );
    c.insert(("CP01", None), check(enquiries.clone(), None));
    c.insert(("CP01R", None), check(enquiries, None));
    let conferences = format!(
        "SELECT SUM(n) FROM (SELECT COUNT(*) AS n FROM section47 WHERE {0} UNION ALL SELECT COUNT(*) AS n FROM cin_details WHERE {0})",
        in_year("DateOfInitialCPC")
    );
    c.insert(("CP03", None), check(conferences.clone(), None));
    c.insert(("CP03R", None), check(conferences, None));
    c.insert(
        ("CP04", None),
        timed("section47", "S47ActualStartDate", "DateOfInitialCPC", 15),
    );
    let starting = format!(
        "SELECT COUNT(*) FROM child_protection_plans WHERE {}",
        in_year("CPPstartDate")
    );
    c.insert(("CP06", None), check(starting.clone(), None));
    c.insert(("CP06R", None), check(starting.clone(), None));
    let open_plans = format!(
        "SELECT COUNT(*) FROM child_protection_plans WHERE CAST(CPPstartDate AS INT) <= {e} AND (CPPendDate IS NULL OR CAST(CPPendDate AS INT) > {e})"
    );
    c.insert(("CP07", None), check(open_plans.clone(), None));
    c.insert(("CP07R", None), check(open_plans.clone(), None));
    for (code, label) in [
        ("NEG", "Neglect"),
        ("PHY", "Physical abuse"),
        ("SAB", "Sexual abuse"),
        ("EMO", "Emotional abuse"),
        ("MUL", "Multiple"),
    ] {
        c.insert(
            ("CP08", Some(label)),
            check(
                format!("{open_plans} AND InitialCategoryOfAbuse = '{code}'"),
                Some(open_plans.clone()),
            ),
        );
        c.insert(
            ("CP08S", Some(label)),
            check(
                format!("{starting} AND InitialCategoryOfAbuse = '{code}'"),
                Some(starting.clone()),
            ),
        );
    }
    c.insert(
        ("CP09", None),
        check(
            format!(
                "WITH st AS (SELECT LAchildID AS c, CINdetailsID AS i, CPPID AS j, CPPstartDate AS sd, COALESCE(NumberOfPreviousCPP, 0) AS prev \
                   FROM child_protection_plans WHERE {}), \
                 h AS (SELECT DISTINCT LAchildID AS c, CPPstartDate AS hd FROM ({})), \
                 flags AS (SELECT st.c, st.i, st.j, MAX(CASE WHEN h.hd < st.sd THEN 1 ELSE 0 END) AS earlier, MAX(st.prev) AS prev \
                   FROM st LEFT JOIN h ON st.c = h.c GROUP BY st.c, st.i, st.j) \
                 SELECT COUNT(*) FROM flags WHERE earlier = 1 OR prev > 0",
                in_year("CPPstartDate"),
                f.union("child_protection_plans", "LAchildID, CPPstartDate")
            ),
            Some(starting.clone()),
        ),
    );
    c.insert(
        ("CP10", None),
        check(
            format!("{open_plans} AND {e} - CAST(CPPstartDate AS INT) >= 729"),
            Some(open_plans),
        ),
    );
    let ended = format!(
        "SELECT COUNT(*) FROM child_protection_plans WHERE {}",
        in_year("CPPendDate")
    );
    c.insert(
        ("CP11", None),
        check(
            format!("{ended} AND CAST(CPPendDate AS INT) - CAST(CPPstartDate AS INT) >= 729"),
            Some(ended),
        ),
    );
    let cin = format!(
        "SELECT COUNT(*) FROM cin_details WHERE COALESCE(ReferralNFA, false) = false AND CAST(CINreferralDate AS INT) <= {e} \
         AND (CINclosureDate IS NULL OR CAST(CINclosureDate AS INT) > {e})"
    );
    c.insert(("CN01", None), check(cin.clone(), None));
    c.insert(("CN01R", None), check(cin, None));
    checks_903(&mut c, f, derived);
    c
}

/// Every child's episodes over the three returns (a later return's episodes replace an earlier
/// one's from its first episode on), short breaks left out, with period-of-care (`pid`) and
/// placement (`gid`) numbers from running sums of "starts a new one" flags.
fn episodes_sql(f: &Fixture) -> String {
    // A code that failed its type check is null in the snapshot: blank, like any unknown code.
    let columns = "CHILD, DECOM, DEC, COALESCE(RNE, '') AS RNE, COALESCE(LS, '') AS LS, \
        COALESCE(PLACE, '') AS PLACE, REC, COALESCE(UPPER(REPLACE(PL_POST, ' ', '')), '') AS PL_POST";
    let temporary = "('T0', 'T1', 'T2', 'T3', 'T4')";
    format!(
        "u AS ({}), \
         firsts AS (SELECT CHILD, yr, MIN(DECOM) AS first FROM u GROUP BY CHILD, yr), \
         cuts AS (SELECT a.CHILD, a.yr, MIN(b.first) AS cut FROM firsts a JOIN firsts b ON a.CHILD = b.CHILD WHERE b.yr > a.yr GROUP BY a.CHILD, a.yr), \
         eps AS (SELECT u.* FROM u LEFT JOIN cuts ON u.CHILD = cuts.CHILD AND u.yr = cuts.yr \
           WHERE (cuts.cut IS NULL OR (u.DECOM < cuts.cut AND u.DEC IS NOT NULL AND u.DEC <= cuts.cut)) AND u.LS NOT IN ('V3', 'V4')), \
         w AS (SELECT *, LAG(DEC) OVER (PARTITION BY CHILD ORDER BY DECOM) AS pdec, LAG(REC) OVER (PARTITION BY CHILD ORDER BY DECOM) AS prec, \
           LAG(PLACE) OVER (PARTITION BY CHILD ORDER BY DECOM) AS pplace, LAG(PLACE, 2) OVER (PARTITION BY CHILD ORDER BY DECOM) AS ppplace, \
           LAG(PL_POST, 2) OVER (PARTITION BY CHILD ORDER BY DECOM) AS pppost FROM eps), \
         f AS (SELECT *, \
           CASE WHEN RNE = 'S' OR pdec IS NULL OR pdec <> DECOM OR prec <> 'X1' THEN 1 ELSE 0 END AS new_period, \
           CASE WHEN PLACE IN {temporary} THEN 0 WHEN pdec IS NULL THEN 1 WHEN RNE = 'S' OR pdec <> DECOM THEN 1 \
             WHEN RNE NOT IN ('P', 'B') THEN 0 WHEN PLACE IN ('A3', 'A5') THEN 0 \
             WHEN pplace IN {temporary} AND ppplace = PLACE AND pppost = PL_POST THEN 0 ELSE 1 END AS new_placement FROM w), \
         g AS (SELECT *, SUM(new_period) OVER (PARTITION BY CHILD ORDER BY DECOM) AS pid, \
           SUM(new_placement) OVER (PARTITION BY CHILD ORDER BY DECOM) AS gid FROM f)",
        f.union("episodes", columns)
    )
}

fn checks_903(
    c: &mut HashMap<(&'static str, Option<&'static str>), Check>,
    f: &Fixture,
    derived: bool,
) {
    let year = f.period();
    let y = f.year;
    let (s, e) = (day(year.start()), day(year.end()));
    let base = episodes_sql(f);
    let open = format!(
        "{base}, o AS (SELECT * FROM g WHERE CAST(DECOM AS INT) <= {e} AND (DEC IS NULL OR CAST(DEC AS INT) > {e}))"
    );
    let cla = format!("WITH {open} SELECT COUNT(DISTINCT CHILD) FROM o");
    for id in ["LA01", "LA02"] {
        c.insert((id, None), check(cla.clone(), None));
    }
    let started = format!(
        "WITH {base} SELECT COUNT(DISTINCT CHILD) FROM g WHERE RNE = 'S' AND CAST(DECOM AS INT) BETWEEN {s} AND {e}"
    );
    for id in ["LA03", "LA03R"] {
        c.insert((id, None), check(started.clone(), None));
    }
    let last_ceased = format!(
        "{base}, ceased AS (SELECT CHILD, REC, ROW_NUMBER() OVER (PARTITION BY CHILD ORDER BY DECOM DESC) AS k FROM g \
         WHERE DEC IS NOT NULL AND REC IS NOT NULL AND REC <> 'X1' AND CAST(DEC AS INT) BETWEEN {s} AND {e}), \
         last AS (SELECT * FROM ceased WHERE k = 1)"
    );
    let ceased = format!("WITH {last_ceased} SELECT COUNT(*) FROM last");
    for id in ["LA04", "LA04R"] {
        c.insert((id, None), check(ceased.clone(), None));
    }
    c.insert(
        ("PM01", None),
        check(
            format!("WITH {last_ceased} SELECT COUNT(*) FROM last WHERE REC IN ('E11', 'E12')"),
            Some(ceased.clone()),
        ),
    );
    c.insert(
        ("PM02", None),
        check(
            format!("WITH {last_ceased} SELECT COUNT(*) FROM last WHERE REC IN ('E43', 'E44', 'E45', 'E46', 'E47', 'E48')"),
            Some(ceased),
        ),
    );
    // Characteristics of the children looked after on 31 March (age at 31 March).
    let with_child = format!(
        "WITH {open}, oc AS (SELECT o.*, h.SEX, h.ETHNIC, \
           {y} - CAST(DATE_PART('year', h.DOB) AS INT) - CASE WHEN STRFTIME(h.DOB, '%m-%d') > '03-31' THEN 1 ELSE 0 END AS age \
           FROM o LEFT JOIN header h ON o.CHILD = h.CHILD)"
    );
    let shares: [(&str, &[(&str, &str)]); 5] = [
        (
            "LA05A",
            &[
                ("Under 1", "age = 0"),
                ("1 to 4", "age BETWEEN 1 AND 4"),
                ("5 to 9", "age BETWEEN 5 AND 9"),
                ("10 to 15", "age BETWEEN 10 AND 15"),
                ("16 and over", "age >= 16"),
            ],
        ),
        (
            "LA05S",
            &[
                ("Male", "SEX IN ('M', '1')"),
                ("Female", "SEX IN ('F', '2')"),
            ],
        ),
        (
            "LA05E",
            &[
                ("White", "ETHNIC LIKE 'W%'"),
                ("Mixed or multiple ethnic groups", "ETHNIC LIKE 'M%'"),
                ("Asian or Asian British", "ETHNIC LIKE 'A%'"),
                (
                    "Black, African, Caribbean or Black British",
                    "ETHNIC LIKE 'B%'",
                ),
                ("Other ethnic group", "ETHNIC IN ('CHNE', 'OOTH')"),
            ],
        ),
        (
            "LA05L",
            &[
                ("Care order", "LS IN ('C1', 'C2')"),
                ("Placement order", "LS = 'E1'"),
                ("Freeing order", "LS = 'D1'"),
                ("Voluntary agreement (section 20)", "LS = 'V2'"),
                ("Youth justice legal status", "LS IN ('J1', 'J2', 'J3')"),
                (
                    "Emergency protection or police protection",
                    "LS IN ('L1', 'L2', 'L3')",
                ),
            ],
        ),
        (
            "LA05P",
            &[
                (
                    "Foster placements",
                    "PLACE IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6')",
                ),
                ("Placed for adoption", "PLACE IN ('A3', 'A4', 'A5', 'A6')"),
                (
                    "Placed with parents or others with parental responsibility",
                    "PLACE = 'P1'",
                ),
                (
                    "Secure units, children's homes and residential care homes",
                    "PLACE IN ('K1', 'K2', 'R1')",
                ),
                (
                    "Independent and semi-independent living, supported accommodation",
                    "PLACE IN ('H5', 'K3', 'P2')",
                ),
                (
                    "Other residential settings",
                    "PLACE IN ('R2', 'R3', 'R5', 'S1')",
                ),
                (
                    "Temporary placements",
                    "PLACE IN ('T0', 'T1', 'T2', 'T3', 'T4')",
                ),
                (
                    "Other placements",
                    "PLACE IN ('Z1', 'Z11', 'Z12', 'Z13', 'Z14', 'P3')",
                ),
            ],
        ),
    ];
    for (id, categories) in shares {
        let any: Vec<String> = categories.iter().map(|(_, c)| format!("({c})")).collect();
        c.insert(
            (id, Some("Not recorded")),
            check(
                format!(
                    "{with_child} SELECT COUNT(*) FROM oc WHERE COALESCE({}, false) = false",
                    any.join(" OR ")
                ),
                Some(cla.clone()),
            ),
        );
        for (label, condition) in categories {
            c.insert(
                (id, Some(label)),
                check(
                    format!("{with_child} SELECT COUNT(*) FROM oc WHERE {condition}"),
                    Some(cla.clone()),
                ),
            );
        }
    }
    c.insert(
        ("ST04", None),
        if derived {
            check(
                format!(
                    "WITH {open} SELECT COUNT(*) FROM o JOIN episodes e ON o.CHILD = e.CHILD AND o.DECOM = e.DECOM \
                     WHERE e.PL_LOCATION = 'OUT' AND e.PL_DISTANCE > 20"
                ),
                Some(cla.clone()),
            )
        } else {
            check("SELECT 0", Some("SELECT 0".into()))
        },
    );
    c.insert(
        ("LA06", None),
        check(
            format!(
                "WITH {open} SELECT COUNT(DISTINCT o.CHILD) FROM o JOIN uasc x ON o.CHILD = x.CHILD \
                 LEFT JOIN header h ON h.CHILD = x.CHILD \
                 WHERE (h.UASC IS NULL OR h.UASC <> '0') AND (x.DUC IS NULL OR CAST(x.DUC AS INT) > {e})"
            ),
            None,
        ),
    );
    c.insert(
        ("ST01", None),
        check(
            format!(
                "WITH {open}, win AS (SELECT CHILD, new_placement, ROW_NUMBER() OVER (PARTITION BY CHILD ORDER BY DECOM) AS k FROM g \
                   WHERE CAST(DECOM AS INT) <= {e} AND (DEC IS NULL OR CAST(DEC AS INT) >= {s}) \
                   AND PLACE NOT IN ('T0', 'T1', 'T2', 'T3', 'T4') AND (DEC IS NULL OR DEC <> DECOM)), \
                 counts AS (SELECT CHILD, SUM(CASE WHEN k = 1 OR new_placement = 1 THEN 1 ELSE 0 END) AS placements FROM win GROUP BY CHILD) \
                 SELECT COUNT(*) FROM o JOIN counts ON o.CHILD = counts.CHILD WHERE counts.placements >= 3"
            ),
            Some(cla.clone()),
        ),
    );
    let months_before = |months: u32| day(year.end() - Months::new(months));
    let stability = format!(
        "WITH {open}, \
         ps AS (SELECT CHILD, pid, MIN(DECOM) AS pstart FROM g GROUP BY CHILD, pid), \
         gs AS (SELECT CHILD, gid, MIN(DECOM) AS gstart FROM g GROUP BY CHILD, gid), \
         gfirst AS (SELECT CHILD, gid, CASE WHEN pdec = DECOM THEN 1 ELSE 0 END AS joined FROM g WHERE new_placement = 1), \
         cohort AS (SELECT o.CHILD, o.PLACE, o.gid, o.gid - 1 AS prev_gid FROM o JOIN ps ON o.CHILD = ps.CHILD AND o.pid = ps.pid \
           JOIN header h ON o.CHILD = h.CHILD \
           WHERE CAST(ps.pstart AS INT) <= {} \
           AND {y} - CAST(DATE_PART('year', h.DOB) AS INT) - CASE WHEN STRFTIME(h.DOB, '%m-%d') > '03-31' THEN 1 ELSE 0 END < 16), \
         judged AS (SELECT cohort.CHILD, gs.gstart, prev.gstart AS prev_start, gfirst.joined, cohort.PLACE FROM cohort \
           JOIN gs ON cohort.CHILD = gs.CHILD AND cohort.gid = gs.gid \
           LEFT JOIN gs prev ON cohort.CHILD = prev.CHILD AND cohort.prev_gid = prev.gid \
           LEFT JOIN gfirst ON cohort.CHILD = gfirst.CHILD AND cohort.gid = gfirst.gid)",
        months_before(30)
    );
    let cut24 = months_before(24);
    c.insert(
        ("ST03", None),
        check(
            format!(
                "{stability} SELECT COUNT(*) FROM judged WHERE CAST(gstart AS INT) <= {cut24} \
                 OR (PLACE IN ('A3', 'A4', 'A5', 'A6') AND joined = 1 AND CAST(prev_start AS INT) <= {cut24})"
            ),
            Some(format!("{stability} SELECT COUNT(*) FROM judged")),
        ),
    );
    let from = day(year.end() - Months::new(36)) + 1;
    let ad1 = f.union("ad1", "CHILD, DATE_MATCH");
    let adopted = format!(
        "WITH {base}, \
         ad AS (SELECT CHILD, pid, ROW_NUMBER() OVER (PARTITION BY CHILD ORDER BY DECOM DESC) AS k FROM g \
           WHERE REC IN ('E11', 'E12') AND CAST(DEC AS INT) BETWEEN {from} AND {e}), \
         a AS (SELECT CHILD, pid FROM ad WHERE k = 1), \
         ps AS (SELECT CHILD, pid, MIN(DECOM) AS pstart FROM g GROUP BY CHILD, pid), \
         placed AS (SELECT CHILD, pid, MIN(DECOM) AS placed FROM g WHERE PLACE IN ('A3', 'A4', 'A5', 'A6') GROUP BY CHILD, pid), \
         placed_gid AS (SELECT g.CHILD, g.pid, g.gid FROM g JOIN placed ON g.CHILD = placed.CHILD AND g.pid = placed.pid AND g.DECOM = placed.placed), \
         gs AS (SELECT CHILD, gid, MIN(DECOM) AS gstart FROM g GROUP BY CHILD, gid), \
         authority AS (SELECT CHILD, pid, MIN(DECOM) AS order_date FROM g WHERE LS IN ('E1', 'D1') GROUP BY CHILD, pid), \
         matches AS (SELECT CHILD, DATE_MATCH FROM (SELECT CHILD, DATE_MATCH, ROW_NUMBER() OVER (PARTITION BY CHILD ORDER BY yr DESC) AS k FROM \
           ({ad1})) WHERE k = 1), \
         t AS (SELECT a.CHILD, CAST(ps.pstart AS INT) AS entered, CAST(placed.placed AS INT) AS placed, CAST(gs.gstart AS INT) AS moved_in, \
           CAST(authority.order_date AS INT) AS authority, CAST(matches.DATE_MATCH AS INT) AS matched FROM a \
           JOIN ps ON a.CHILD = ps.CHILD AND a.pid = ps.pid \
           LEFT JOIN placed ON a.CHILD = placed.CHILD AND a.pid = placed.pid \
           LEFT JOIN placed_gid ON a.CHILD = placed_gid.CHILD AND a.pid = placed_gid.pid \
           LEFT JOIN gs ON placed_gid.CHILD = gs.CHILD AND placed_gid.gid = gs.gid \
           LEFT JOIN authority ON a.CHILD = authority.CHILD AND a.pid = authority.pid \
           LEFT JOIN matches ON a.CHILD = matches.CHILD)"
    );
    let with_placement = format!("{adopted} SELECT COUNT(*) FROM t WHERE placed IS NOT NULL");
    c.insert(
        ("PM04", None),
        check(format!("{adopted} SELECT COALESCE(SUM(placed - entered), 0) FROM t WHERE placed IS NOT NULL"), Some(with_placement.clone())),
    );
    c.insert(
        ("PM07", None),
        check(
            format!(
                "{adopted} SELECT COALESCE(SUM(CASE WHEN moved_in > entered THEN moved_in ELSE entered END - entered), 0) FROM t WHERE placed IS NOT NULL"
            ),
            Some(with_placement),
        ),
    );
    c.insert(
        ("PM05", None),
        check(
            format!(
                "{adopted} SELECT COALESCE(SUM(CASE WHEN matched > authority THEN matched - authority ELSE 0 END), 0) FROM t \
                 WHERE authority IS NOT NULL AND matched IS NOT NULL"
            ),
            Some(format!("{adopted} SELECT COUNT(*) FROM t WHERE authority IS NOT NULL AND matched IS NOT NULL")),
        ),
    );
    // Care leavers by their birthday in the year (29 February birthdays fall on 28 February in a
    // common year in both computations, which compare ages, not dates).
    let leavers = format!(
        "WITH l AS (SELECT *, CASE WHEN STRFTIME(DOB, '%m-%d') >= '04-01' THEN {} ELSE {y} END \
         - CAST(DATE_PART('year', DOB) AS INT) AS age FROM oc3 WHERE COALESCE(IN_TOUCH, '') NOT IN ('DIED', 'RHOM'))",
        y - 1
    );
    let accommodation = format!(
        "{leavers} SELECT COUNT(*) FROM l WHERE age BETWEEN 19 AND 21 AND COALESCE(ACCOM, '') NOT IN ('G1', 'G2', 'H1', 'H2', 'R1', 'R2')"
    );
    c.insert(
        ("CL01", None),
        check(
            format!("{accommodation} AND LENGTH(ACCOM) = 2 AND ACCOM LIKE '_1'"),
            Some(accommodation),
        ),
    );
    let cohort = format!("{leavers} SELECT COUNT(*) FROM l WHERE age BETWEEN 19 AND 21");
    c.insert(
        ("CL02", None),
        check(
            format!("{cohort} AND ACTIV IN ('F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5')"),
            Some(cohort),
        ),
    );
    let staying = format!(
        "{leavers}, {base}, sp AS (SELECT DISTINCT l.CHILD, l.ACCOM FROM l JOIN g ON l.CHILD = g.CHILD \
         WHERE l.age BETWEEN 18 AND 20 AND g.DEC = l.DOB + INTERVAL '18 years' AND g.REC IS NOT NULL AND g.REC NOT IN ('X1', 'E3') \
         AND g.PLACE IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6'))"
    );
    c.insert(
        ("CL04", None),
        check(
            format!("{staying} SELECT COUNT(*) FROM sp WHERE ACCOM IN ('Z1', 'Z2')"),
            Some(format!("{staying} SELECT COUNT(*) FROM sp")),
        ),
    );
}

/// Checks every figure of the fixture's year against its independent SQL computation; returns
/// how many headline figures are above zero.
fn cross_check(f: &Fixture) -> usize {
    let tables = tables(f);
    let episode_columns =
        frame::text_cells(&frame::sql(&tables, "SELECT * FROM episodes LIMIT 1").unwrap())
            .unwrap()
            .0;
    let checks = checks(f, episode_columns.iter().any(|c| c == "PL_LOCATION"));
    let store = SnapshotStore::new(&f.root);
    let mut rows: Vec<FigureRow> = Vec::new();
    for return_kind in [ReturnKind::Cin, ReturnKind::Ssda903] {
        let snapshot = current_in(&f.root, return_kind, f.year);
        rows.extend(
            figures::read_for_snapshot(&store, &snapshot)
                .unwrap()
                .unwrap(),
        );
    }
    let label = figures::period::year_label(f.period());
    let year_rows: Vec<&FigureRow> = rows.iter().filter(|r| r.period == label).collect();
    for indicator in INDICATORS {
        let mine: Vec<&&FigureRow> = year_rows
            .iter()
            .filter(|r| r.indicator == indicator.id)
            .collect();
        assert!(!mine.is_empty(), "{} has no {label} figure", indicator.id);
        for row in mine {
            let key = (indicator.id, row.breakdown.as_deref());
            let (id, breakdown) = checks
                .keys()
                .find(|(i, b)| (*i, *b) == key)
                .copied()
                .unwrap_or_else(|| panic!("no independent check for {key:?}"));
            let check = &checks[&(id, breakdown)];
            let numerator = scalar(&tables, &check.numerator);
            assert_eq!(row.numerator, Some(numerator), "{key:?} numerator");
            let denominator = match (&check.denominator, indicator.unit.as_str()) {
                (_, "rate per 10,000") => Some(f.population),
                (Some(sql), _) => Some(scalar(&tables, sql)),
                (None, _) => None,
            };
            assert_eq!(row.denominator, denominator, "{key:?} denominator");
            let expected = match (indicator.unit.as_str(), denominator) {
                ("count", _) => Some(numerator),
                ("percent", Some(d)) if d > 0.0 => Some(numerator / d * 100.0),
                ("days", Some(d)) if d > 0.0 => Some(numerator / d),
                ("rate per 10,000", Some(d)) => Some(numerator / d * 10_000.0),
                _ => None,
            }
            .map(|v| csc_returns::benchmarks::round_dp(v, indicator.decimal_places));
            assert_eq!(row.value, expected, "{key:?} value");
        }
    }
    year_rows
        .iter()
        .filter(|r| r.breakdown.is_none() && r.value.is_some_and(|v| v > 0.0))
        .count()
}

#[test]
fn every_indicator_of_the_synthetic_la_matches_an_independent_sql_computation() {
    let non_zero = cross_check(&synthetic_fixture());
    assert!(
        non_zero >= 35,
        "only {non_zero} headline figures are above zero"
    );
}

#[test]
fn every_indicator_of_the_demo_data_matches_an_independent_sql_computation() {
    let fixture = demo_fixture();
    let non_zero = cross_check(&fixture);
    assert!(
        non_zero >= 30,
        "only {non_zero} headline figures are above zero"
    );
    let _ = std::fs::remove_dir_all(fixture.root.parent().unwrap());
}

#[test]
fn the_figures_command_prints_figures_with_their_benchmarks() {
    let text = run_ok(
        binary()
            .args(["figures", "--output"])
            .arg(root())
            .args(["--year", "2025"]),
    );
    assert!(
        text.starts_with("Wokingham (872), 2024/25, period year"),
        "{text}"
    );
    let rereferrals = text.lines().find(|l| l.starts_with("FD03 ")).unwrap();
    for expected in [
        "2024-25",
        "validated",
        "16.8",
        "22.6",
        "28.4",
        "19.37",
        "19.40",
        "10/10",
    ] {
        assert!(
            rereferrals.contains(expected),
            "{expected} in {rereferrals}"
        );
    }
    let quarter = run_ok(
        binary()
            .args(["figures", "--output"])
            .arg(root())
            .args(["--year", "2025", "--period", "Q2", "--return", "cin"]),
    );
    assert!(
        quarter.contains("2024-25 Q2") && !quarter.contains("LA01"),
        "{quarter}"
    );
    let csv = run_ok(
        binary()
            .args(["figures", "--output"])
            .arg(root())
            .args(["--year", "2024", "--format", "csv"]),
    );
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .starts_with("ref,indicator,breakdown,period,value")
    );
    assert!(csv.contains(",2023-24,"));
    // No snapshots: the published figures of any LA and year.
    let empty = tempfile::tempdir().unwrap();
    let published = run_ok(
        binary()
            .args(["figures", "--output"])
            .arg(empty.path())
            .args(["--la", "E06000041", "--year", "2025"]),
    );
    let line = published.lines().find(|l| l.starts_with("FD03 ")).unwrap();
    assert!(line.contains("16.8") && line.contains("22.6"), "{line}");
    // A period the year does not have is a usage error that lists the periods it has.
    let output = binary()
        .args(["figures", "--output"])
        .arg(root())
        .args(["--year", "2025", "--period", "Q7"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("2024-25 Q1"));
}

#[test]
fn query_reads_snapshot_tables_issues_and_figures() {
    let query =
        |args: &[&str]| run_ok(binary().arg("query").arg("--output").arg(root()).args(args));
    // The README's three examples.
    let by_legal_status = query(&[
        "SELECT LS, COUNT(DISTINCT CHILD) AS children FROM episodes WHERE DEC IS NULL GROUP BY LS ORDER BY children DESC, LS",
    ]);
    assert!(
        by_legal_status.starts_with("LS  children\n"),
        "{by_legal_status}"
    );
    let open: usize = by_legal_status
        .lines()
        .skip(2)
        .map(|l| {
            l.split_whitespace()
                .last()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert!(open > 20, "{by_legal_status}");
    let issues = query(&[
        "SELECT return, severity, COUNT(DISTINCT finding_id) AS findings FROM issues GROUP BY return, severity ORDER BY return",
        "--format",
        "csv",
    ]);
    assert!(issues.starts_with("return,severity,findings\n"), "{issues}");
    let history = query(&[
        "SELECT collection_year, period, status, value FROM figures_all WHERE indicator = 'FD03' AND period_type IN ('year', 'ytd') ORDER BY collection_year",
        "--format",
        "csv",
    ]);
    assert_eq!(history.lines().count(), 4, "{history}");
    assert!(history.contains("2025,2024-25,validated,30.0"), "{history}");
    // One snapshot by id, a table both returns have, Parquet out, and an analyst's own lookup.
    let snapshot = current(ReturnKind::Cin, 2024);
    let header = query(&[
        "SELECT ReferenceDate FROM header",
        "--snapshot",
        &snapshot.id,
    ]);
    assert!(header.contains("2024-03-31"), "{header}");
    let both = query(&["SELECT COUNT(*) AS n FROM ssda903_header"]);
    assert!(both.contains('n'));
    let dir = tempfile::tempdir().unwrap();
    let targets = dir.path().join("targets.csv");
    std::fs::write(&targets, "indicator,target\nFD03,18\nAS02,90\n").unwrap();
    let parquet = dir.path().join("against-target.parquet");
    let with = format!("targets={}", targets.display());
    run_ok(
        binary()
            .args(["query", "--output"])
            .arg(root())
            .args([
                "SELECT f.indicator, f.value, t.target FROM figures f JOIN targets t ON f.indicator = t.indicator WHERE f.period_type = 'year'",
                "--with",
                &with,
                "--format",
                "parquet",
                "--to",
            ])
            .arg(&parquet),
    );
    let result = frame::read_parquet(&parquet).unwrap();
    assert_eq!(frame::height(&result), 2);
    let output = binary()
        .args(["query", "--output"])
        .arg(root())
        .arg("SELECT nope FROM episodes")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--tables"));
}

/// Runs a command, killing it if it takes longer than `seconds`.
fn run_with_timeout(command: &mut Command, seconds: u64) -> std::process::ExitStatus {
    let mut child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..seconds * 10 {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("{command:?} did not finish in {seconds} s");
}

/// The width and height in a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}

#[test]
fn the_report_is_one_self_contained_page_that_renders_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(
        binary()
            .args(["report", "--output"])
            .arg(root())
            .arg("--dir")
            .arg(dir.path()),
    );
    let html_path = dir.path().join("performance.html");
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(
        html.contains("Wokingham (872)")
            && html.contains("<h2 id=\"care-leavers\">Care leavers</h2>")
    );
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("https://"));
    assert!(
        dir.path()
            .join("performance.xlsx")
            .metadata()
            .unwrap()
            .len()
            > 5_000
    );
    let setup = Command::new(crate::support::repo_root().join("tests/browser/setup.sh"))
        .output()
        .unwrap();
    assert!(
        setup.status.success(),
        "{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    let chromium = String::from_utf8(setup.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string();
    let screenshot = dir.path().join("report.png");
    let status = run_with_timeout(
        Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--window-size=1600,2400",
            ])
            .arg(format!(
                "--user-data-dir={}",
                dir.path().join("profile").display()
            ))
            .arg(format!("--screenshot={}", screenshot.display()))
            .arg(format!("file://{}", html_path.display())),
        120,
    );
    assert!(status.success(), "chromium failed");
    let png = std::fs::read(&screenshot).unwrap();
    assert_eq!(png_size(&png), (1600, 2400));
    // A blank or unstyled page compresses to a few kilobytes; tables, colours and charts do not.
    assert!(
        png.len() > 60_000,
        "the screenshot is only {} bytes",
        png.len()
    );
    // Kept for people to look at: target/tmp/report-screenshot.png.
    let _ = std::fs::copy(
        &screenshot,
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png"),
    );
}
