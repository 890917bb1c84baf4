//! A small deterministic synthetic LA for the figures tests: three years (2022/23 to 2024/25) of
//! SSDA903 CSV files and CIN census XML, written from one lifetime history per child so that the
//! years agree with each other as real returns do (episodes open on 31 March reappear next year,
//! children are re-referred, plans last across years). All synthetic: no real child data.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};

/// The collection years written (end years).
pub const YEARS: [u16; 3] = [2023, 2024, 2025];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn date(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0) as u64;
        from + Days::new(self.below(span + 1))
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn start_of(year: u16) -> NaiveDate {
    d(i32::from(year) - 1, 4, 1)
}

fn end_of(year: u16) -> NaiveDate {
    d(i32::from(year), 3, 31)
}

#[derive(Clone)]
struct Episode {
    decom: NaiveDate,
    rne: &'static str,
    ls: &'static str,
    place: &'static str,
    dec: Option<NaiveDate>,
    rec: Option<&'static str>,
    post: String,
}

impl Episode {
    /// An episode starting on `decom`, not yet ended.
    fn open(
        decom: NaiveDate,
        rne: &'static str,
        ls: &'static str,
        place: &'static str,
        post: String,
    ) -> Episode {
        Episode {
            decom,
            rne,
            ls,
            place,
            dec: None,
            rec: None,
            post,
        }
    }
}

/// Ends the current episode with X1 (the child stays looked after) on the day `next` starts.
fn change_to(episodes: &mut Vec<Episode>, next: Episode) {
    let last = episodes.last_mut().unwrap();
    last.dec = Some(next.decom);
    last.rec = Some("X1");
    episodes.push(next);
}

struct LookedAfterChild {
    id: String,
    sex: bool,
    dob: NaiveDate,
    episodes: Vec<Episode>,
    uasc: bool,
    matched: Option<NaiveDate>,
    /// Care leaver information for OC3, per the child's state after leaving care.
    leaver: Option<(&'static str, &'static str, &'static str)>,
}

fn looked_after_children(rng: &mut Rng) -> Vec<LookedAfterChild> {
    let mut children = Vec::new();
    for i in 0..60 {
        let dob = rng.date(d(2006, 1, 1), d(2021, 12, 31));
        let mut date = rng
            .date(d(2019, 6, 1), d(2025, 2, 1))
            .max(dob + Days::new(1));
        let short_breaks = i % 15 == 0;
        let mut episodes = Vec::new();
        let post = |rng: &mut Rng| format!("PL{}", rng.below(1000));
        if short_breaks {
            for _ in 0..3 {
                let end = date + Days::new(2);
                episodes.push(Episode {
                    decom: date,
                    rne: "S",
                    ls: "V3",
                    place: "K1",
                    dec: Some(end),
                    rec: Some("E8"),
                    post: String::new(),
                });
                date = end + Days::new(40 + rng.below(60));
            }
        } else {
            let mut ls = rng.pick(&["C2", "V2", "C1", "C2"]);
            let mut place = rng.pick(&["U4", "U6", "U1", "K2", "U5"]);
            let mut place_post = post(rng);
            let adopted = i % 7 == 3;
            let changes = rng.below(5);
            episodes.push(Episode::open(date, "S", ls, place, place_post.clone()));
            for c in 0..changes {
                let next = date + Days::new(60 + rng.below(300));
                let temporary = c == 1 && rng.chance(40);
                let (rne, new_ls, new_place) = if temporary {
                    ("P", ls, "T3")
                } else if rng.chance(30) {
                    ("L", rng.pick(&["C2", "E1"]), place)
                } else {
                    ("P", ls, rng.pick(&["U4", "U6", "K2", "U1"]))
                };
                if !temporary {
                    if new_place != place {
                        place_post = post(rng);
                    }
                    ls = new_ls;
                    place = new_place;
                }
                let new_post = if temporary {
                    post(rng)
                } else {
                    place_post.clone()
                };
                change_to(
                    &mut episodes,
                    Episode::open(next, rne, new_ls, new_place, new_post),
                );
                date = next;
                if temporary {
                    // A week away, then back to the same placement.
                    let back = next + Days::new(7);
                    change_to(
                        &mut episodes,
                        Episode::open(back, "P", ls, place, place_post.clone()),
                    );
                    date = back;
                }
            }
            let mut matched = None;
            if adopted {
                let order = date + Days::new(90 + rng.below(200));
                change_to(
                    &mut episodes,
                    Episode::open(order, "L", "E1", place, place_post.clone()),
                );
                let placed = order + Days::new(60 + rng.below(200));
                matched = Some(placed - Days::new(20 + rng.below(40)));
                let with_carers = rng.chance(40);
                let placed_post = if with_carers {
                    place_post.clone()
                } else {
                    post(rng)
                };
                change_to(
                    &mut episodes,
                    Episode::open(
                        placed,
                        if with_carers { "T" } else { "P" },
                        "E1",
                        if with_carers { "A5" } else { "A6" },
                        placed_post,
                    ),
                );
                date = placed;
            }
            let ceases = adopted || rng.chance(40);
            if ceases {
                let end = date + Days::new(30 + rng.below(400));
                let last = episodes.last_mut().unwrap();
                last.dec = Some(end);
                last.rec = Some(if adopted {
                    "E11"
                } else {
                    rng.pick(&["E4A", "E45", "E13", "E8", "E41"])
                });
            }
            children.push(LookedAfterChild {
                id: format!("L{i:03}"),
                sex: rng.chance(50),
                dob,
                episodes,
                uasc: i % 11 == 5,
                matched,
                leaver: None,
            });
            continue;
        }
        children.push(LookedAfterChild {
            id: format!("L{i:03}"),
            sex: rng.chance(50),
            dob,
            episodes,
            uasc: false,
            matched: None,
            leaver: None,
        });
    }
    // Care leavers: in foster care until their 18th birthday in 2021 to 2024.
    for i in 0..12 {
        let eighteenth = rng.date(d(2021, 4, 1), d(2024, 12, 31));
        let dob = d(
            eighteenth.year() - 18,
            eighteenth.month(),
            eighteenth.day().min(28),
        );
        let eighteenth = d(dob.year() + 18, dob.month(), dob.day());
        let place = if i % 3 == 0 { "K2" } else { "U4" };
        children.push(LookedAfterChild {
            id: format!("CL{i:02}"),
            sex: rng.chance(50),
            dob,
            episodes: vec![Episode {
                decom: eighteenth - Days::new(900 + rng.below(600)),
                rne: "S",
                ls: "C2",
                place,
                dec: Some(eighteenth),
                rec: Some(if place == "K2" { "E5" } else { "E17" }),
                post: format!("PL{}", rng.below(1000)),
            }],
            uasc: false,
            matched: None,
            leaver: Some((
                rng.pick(&["YES", "YES", "YES", "NO", "RHOM"]),
                rng.pick(&["F1", "F2", "P5", "G4", "G5", "F5"]),
                rng.pick(&["U1", "Z1", "D1", "S2", "B1", "Z1", "R1"]),
            )),
        });
    }
    children
}

fn ddmmyyyy(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Whether a care leaver's 17th to 21st birthday falls in the year.
fn leaver_in_year(dob: NaiveDate, year: u16) -> bool {
    (17..=21).any(|age| {
        let birthday = d(dob.year() + age, dob.month(), dob.day());
        start_of(year) <= birthday && birthday <= end_of(year)
    })
}

fn write_903(dir: &Path, year: u16, children: &[LookedAfterChild]) -> PathBuf {
    let folder = dir.join(format!("ssda903/{}-{:02}", year - 1, year % 100));
    std::fs::create_dir_all(&folder).unwrap();
    let (start, end) = (start_of(year), end_of(year));
    let mut header = String::from("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n");
    let mut episodes = String::from(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n",
    );
    let mut uasc = String::from("CHILD,SEX,DOB,DUC\n");
    let mut oc3 = String::from("CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n");
    let mut ad1 =
        String::from("CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n");
    let sex_code = |male: bool| match (year <= 2024, male) {
        (true, true) => "1",
        (true, false) => "2",
        (false, true) => "M",
        (false, false) => "F",
    };
    for child in children {
        let in_year: Vec<&Episode> = child
            .episodes
            .iter()
            .filter(|e| e.decom <= end && e.dec.is_none_or(|dec| dec >= start))
            .collect();
        let leaver = child.leaver.filter(|_| leaver_in_year(child.dob, year));
        if in_year.is_empty() && leaver.is_none() {
            continue;
        }
        let mother = if child.sex { "" } else { "0" };
        let _ = writeln!(
            header,
            "{},{},{},WBRI,UN1,{mother},",
            child.id,
            sex_code(child.sex),
            ddmmyyyy(child.dob)
        );
        for e in &in_year {
            let (dec, rec) = match e.dec {
                Some(dec) if dec <= end => (ddmmyyyy(dec), e.rec.unwrap_or("")),
                _ => (String::new(), ""),
            };
            let provider = if e.place.starts_with('T') { "" } else { "PR1" };
            let reason = if rec == "X1" && e.place != "T3" {
                "CARPL"
            } else {
                ""
            };
            let urn = if matches!(e.place, "K2" | "K1") {
                "SC123456"
            } else {
                ""
            };
            let _ = writeln!(
                episodes,
                "{},{},{},{},N1,{},{provider},{dec},{rec},{reason},{},{},{urn}",
                child.id,
                ddmmyyyy(e.decom),
                e.rne,
                e.ls,
                e.place,
                if e.post.is_empty() { "" } else { "LS1 1UR" },
                e.post,
            );
        }
        if child.uasc {
            let _ = writeln!(
                uasc,
                "{},{},{},",
                child.id,
                sex_code(child.sex),
                ddmmyyyy(child.dob)
            );
        }
        if let Some((in_touch, activ, accom)) = leaver {
            let (activ, accom) = if in_touch == "RHOM" {
                ("0", "0")
            } else {
                (activ, accom)
            };
            let _ = writeln!(
                oc3,
                "{},{},{in_touch},{activ},{accom}",
                child.id,
                ddmmyyyy(child.dob)
            );
        }
        if let Some(matched) = child.matched {
            let adopted_in_year = in_year
                .iter()
                .any(|e| e.rec == Some("E11") && e.dec.is_some_and(|dec| dec <= end));
            if adopted_in_year {
                let _ = writeln!(
                    ad1,
                    "{},{},{},{},0,2,MF,L11",
                    child.id,
                    ddmmyyyy(child.dob),
                    ddmmyyyy(matched - Days::new(100)),
                    ddmmyyyy(matched)
                );
            }
        }
    }
    if year == 2025 {
        // One error left in the latest SSDA903 return (a child's sex not recorded with a valid
        // code), so its figures are provisional, as they are until the information team fixes it.
        let _ = writeln!(header, "ERR1,X,01/01/2015,WBRI,UN1,,");
    }
    for (name, text) in [
        ("header.csv", header),
        ("episodes.csv", episodes),
        ("uasc.csv", uasc),
        ("oc3.csv", oc3),
        ("ad1.csv", ad1),
    ] {
        std::fs::write(folder.join(name), text).unwrap();
    }
    folder
}

struct Referral {
    child: String,
    dob: NaiveDate,
    date: NaiveDate,
    nfa: bool,
    closure: Option<(NaiveDate, &'static str)>,
    assessment: Option<(NaiveDate, Option<NaiveDate>)>,
    enquiry: Option<(NaiveDate, Option<NaiveDate>)>,
    plan: Option<(NaiveDate, Option<NaiveDate>, &'static str, u8)>,
}

fn referrals(rng: &mut Rng) -> Vec<Referral> {
    let mut all = Vec::new();
    // Born more than 40 weeks before the first referral (April 2020), so that no referral comes
    // before conception (CIN rule 8606).
    let dobs: Vec<NaiveDate> = (0..150)
        .map(|_| rng.date(d(2008, 1, 1), d(2019, 6, 30)))
        .collect();
    let last = end_of(*YEARS.last().unwrap());
    for year in [2021, 2022, 2023, 2024, 2025] {
        let (start, end) = (start_of(year), end_of(year));
        for _ in 0..70 {
            let n = rng.below(150) as usize;
            let date = rng.date(start, end - Days::new(5));
            let nfa = rng.chance(8);
            let mut referral = Referral {
                child: format!("C{n:04}"),
                dob: dobs[n],
                date,
                nfa,
                closure: None,
                assessment: None,
                enquiry: None,
                plan: None,
            };
            if !nfa {
                let started = date + Days::new(rng.below(3));
                let done = started + Days::new(1 + rng.below(85));
                referral.assessment = Some((started, Some(done).filter(|d| *d <= last)));
                if rng.chance(35) {
                    let s47 = date + Days::new(1 + rng.below(4));
                    let icpc = rng
                        .chance(75)
                        .then(|| s47 + Days::new(3 + rng.below(28)))
                        .filter(|d| *d <= last);
                    referral.enquiry = Some((s47, icpc));
                    if let Some(icpc) = icpc.filter(|_| rng.chance(85)) {
                        let long = rng.chance(15);
                        let ends = icpc
                            + Days::new(if long {
                                700 + rng.below(200)
                            } else {
                                60 + rng.below(500)
                            });
                        referral.plan = Some((
                            icpc,
                            Some(ends).filter(|e| *e <= last),
                            rng.pick(&["NEG", "EMO", "PHY", "SAB", "MUL", "NEG"]),
                            if rng.chance(20) { 1 } else { 0 },
                        ));
                    }
                }
            }
            let plan_end = referral.plan.map(|p| p.1);
            let close_after = match plan_end {
                Some(Some(end)) => Some(end + Days::new(10 + rng.below(60))),
                Some(None) => None,
                None => rng
                    .chance(60)
                    .then(|| date + Days::new(20 + rng.below(250))),
            };
            // Closed no earlier than the episode's last activity (8565); an episode with an
            // enquiry or a plan was not closed "after assessment" (2990).
            let last_activity = [
                referral.assessment.and_then(|a| a.1),
                referral.enquiry.and_then(|e| e.1),
            ]
            .into_iter()
            .flatten()
            .max();
            let further = referral.enquiry.is_some() || referral.plan.is_some();
            referral.closure = close_after
                .map(|c| last_activity.map_or(c, |a| c.max(a)))
                .filter(|c| *c <= last)
                .map(|c| {
                    let reason = if nfa {
                        "RC8"
                    } else {
                        rng.pick(&["RC8", "RC9", "RC7", "RC1", "RC8"])
                    };
                    let reason = match reason {
                        "RC8" | "RC9" if further => "RC7",
                        reason => reason,
                    };
                    (c, reason)
                });
            all.push(referral);
        }
    }
    all
}

fn write_cin(dir: &Path, year: u16, all: &[Referral]) -> PathBuf {
    let (start, end) = (start_of(year), end_of(year));
    let sex = |child: &str| {
        let male = child.bytes().last().unwrap_or(0).is_multiple_of(2);
        match (year <= 2024, male) {
            (true, true) => ("GenderCurrent", "1"),
            (true, false) => ("GenderCurrent", "2"),
            (false, true) => ("Sex", "M"),
            (false, false) => ("Sex", "F"),
        }
    };
    // Episodes open at any time in the year, with what happened up to 31 March.
    let mut by_child: std::collections::BTreeMap<&str, Vec<&Referral>> = Default::default();
    for r in all {
        let closed_before = r.closure.is_some_and(|(c, _)| c < start);
        if r.date <= end && !closed_before {
            by_child.entry(r.child.as_str()).or_default().push(r);
        }
    }
    let upto = |date: Option<NaiveDate>| date.filter(|d| *d <= end);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n      <Collection>CIN</Collection>\n      <Year>{year}</Year>\n      <ReferenceDate>{year}-03-31</ReferenceDate>\n    </CollectionDetails>\n    <Source>\n      <SourceLevel>L</SourceLevel>\n      <LEA>872</LEA>\n      <SoftwareCode>Synthetic</SoftwareCode>\n      <Release>1</Release>\n      <SerialNo>1</SerialNo>\n      <DateTime>{year}-04-02T08:00:00</DateTime>\n    </Source>\n  </Header>\n  <Children>\n"
    );
    for (child, referrals) in by_child {
        let (sex_element, sex_code) = sex(child);
        let _ = write!(
            xml,
            "    <Child>\n      <ChildIdentifiers>\n        <LAchildID>{child}</LAchildID>\n        <UPNunknown>UN1</UPNunknown>\n        <PersonBirthDate>{}</PersonBirthDate>\n        <{sex_element}>{sex_code}</{sex_element}>\n      </ChildIdentifiers>\n      <ChildCharacteristics>\n        <Ethnicity>WBRI</Ethnicity>\n        <Disabilities>\n          <Disability>NONE</Disability>\n        </Disabilities>\n      </ChildCharacteristics>\n",
            referrals[0].dob
        );
        for r in referrals {
            let _ = write!(
                xml,
                "      <CINdetails>\n        <CINreferralDate>{}</CINreferralDate>\n        <ReferralSource>1A</ReferralSource>\n        <PrimaryNeedCode>N1</PrimaryNeedCode>\n",
                r.date
            );
            if let Some((closed, reason)) = r.closure.filter(|(c, _)| *c <= end) {
                let _ = write!(
                    xml,
                    "        <CINclosureDate>{closed}</CINclosureDate>\n        <ReasonForClosure>{reason}</ReasonForClosure>\n"
                );
            }
            if let Some((started, done)) = r.assessment.filter(|(s, _)| *s <= end) {
                let _ = write!(
                    xml,
                    "        <Assessments>\n          <AssessmentActualStartDate>{started}</AssessmentActualStartDate>\n"
                );
                if let Some(done) = upto(done) {
                    let _ = writeln!(
                        xml,
                        "          <AssessmentAuthorisationDate>{done}</AssessmentAuthorisationDate>"
                    );
                }
                xml.push_str("        </Assessments>\n");
            }
            if let Some((s47, icpc)) = r.enquiry.filter(|(s, _)| *s <= end) {
                let _ = write!(
                    xml,
                    "        <Section47>\n          <S47ActualStartDate>{s47}</S47ActualStartDate>\n"
                );
                match upto(icpc) {
                    Some(icpc) => {
                        let _ = write!(
                            xml,
                            "          <DateOfInitialCPC>{icpc}</DateOfInitialCPC>\n          <ICPCnotRequired>false</ICPCnotRequired>\n"
                        );
                    }
                    None => xml.push_str("          <ICPCnotRequired>true</ICPCnotRequired>\n"),
                }
                xml.push_str("        </Section47>\n");
            }
            let _ = writeln!(xml, "        <ReferralNFA>{}</ReferralNFA>", r.nfa);
            if let Some((started, ended, category, previous)) = r.plan.filter(|p| p.0 <= end) {
                let _ = write!(
                    xml,
                    "        <ChildProtectionPlans>\n          <CPPstartDate>{started}</CPPstartDate>\n"
                );
                if let Some(ended) = upto(ended) {
                    let _ = writeln!(xml, "          <CPPendDate>{ended}</CPPendDate>");
                }
                let _ = write!(
                    xml,
                    "          <InitialCategoryOfAbuse>{category}</InitialCategoryOfAbuse>\n          <LatestCategoryOfAbuse>{category}</LatestCategoryOfAbuse>\n          <NumberOfPreviousCPP>{previous}</NumberOfPreviousCPP>\n        </ChildProtectionPlans>\n"
                );
            }
            xml.push_str("      </CINdetails>\n");
        }
        xml.push_str("    </Child>\n");
    }
    xml.push_str("  </Children>\n</Message>\n");
    let path = dir.join(format!("cin/cin_{}-{:02}.xml", year - 1, year % 100));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, xml).unwrap();
    path
}

/// The input files of every year: (year, SSDA903 folder, CIN XML file).
pub fn write_inputs(dir: &Path) -> Vec<(u16, PathBuf, PathBuf)> {
    let mut rng = Rng(20_251_124);
    let children = looked_after_children(&mut rng);
    let all = referrals(&mut rng);
    YEARS
        .iter()
        .map(|&year| {
            (
                year,
                write_903(dir, year, &children),
                write_cin(dir, year, &all),
            )
        })
        .collect()
}
