//! The report as one self-contained HTML page: inline CSS and SVG, no scripts, fonts or images
//! fetched, so it opens from a file or an email attachment with no internet. Every text from data
//! is escaped.

use std::fmt::Write as _;

use crate::benchmarks::{Polarity, Published, format_number};

use super::super::period::year_label;
use super::super::{Indicator, Status};
use super::{Cell, Line, Rag, Report};
use crate::year::CollectionYear;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; margin: 24px; font-size: 13px; }
header { border-bottom: 6px solid #1d70b8; margin-bottom: 16px; padding-bottom: 8px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 16px; color: #fff; background: #1d5f6e; padding: 6px 10px; margin: 22px 0 0; }
.meta { color: #505a5f; }
.legend { display: flex; flex-wrap: wrap; gap: 18px; margin: 10px 0; padding: 8px 10px; background: #f3f2f1; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
col.c-ref { width: 52px; } col.c-name { width: 290px; } col.c-sn { width: 130px; }
col.c-quartile { width: 80px; } col.c-rag { width: 72px; } col.c-dot { width: 40px; } col.c-trend { width: 162px; }
col.c-period { width: 90px; }
.noted::before { content: "† "; color: #1d70b8; }
nav.contents { margin: 8px 0; } nav.contents a { color: #1d70b8; margin-left: 8px; }
td { overflow-wrap: anywhere; }
th, td { border: 1px solid #b1b4b6; padding: 4px 6px; vertical-align: middle; }
th { background: #dee0e2; font-weight: bold; text-align: center; font-size: 12px; }
th.group { background: #c8d8dc; }
td.num { text-align: right; white-space: nowrap; }
td.ref { font-weight: bold; white-space: nowrap; }
.pol { color: #505a5f; font-size: 11px; }
tbody tr:nth-child(even) { background: #f8f8f8; }
.prov { font-style: italic; color: #6f4a00; }
.prov::after { content: " p"; font-size: 10px; }
.rag { display: inline-block; min-width: 46px; text-align: center; padding: 2px 6px; border-radius: 3px; color: #fff; font-weight: bold; }
.rag-Green { background: #00703c; } .rag-Amber { background: #f47738; } .rag-Red { background: #d4351c; }
.rag-none { background: #b1b4b6; }
.dot-better { color: #00703c; } .dot-worse { color: #d4351c; } .dot-neutral { color: #505a5f; }
.sym { color: #505a5f; }
.small { font-size: 11px; color: #505a5f; }
footer { margin-top: 28px; font-size: 11px; color: #505a5f; border-top: 1px solid #b1b4b6; padding-top: 8px; }
@media print { body { margin: 8mm; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"#;

fn polarity_text(polarity: Polarity) -> &'static str {
    match polarity {
        Polarity::High => "Higher is better",
        Polarity::Low => "Lower is better",
        Polarity::None => "No polarity",
    }
}

fn unit_suffix(indicator: &Indicator) -> &'static str {
    match indicator.unit {
        super::super::indicators::Unit::Percent => "%",
        _ => "",
    }
}

fn value_text(indicator: &Indicator, value: Option<f64>) -> String {
    match value {
        Some(v) => format!(
            "{}{}",
            format_number(v, indicator.decimal_places),
            unit_suffix(indicator)
        ),
        None => "–".into(),
    }
}

fn cell_html(indicator: &Indicator, cell: Option<&Cell>) -> String {
    let Some(cell) = cell else {
        return "<td class=\"num\">–</td>".into();
    };
    let mut title = format!(
        "{}: {} figure from snapshot {}",
        cell.period,
        cell.status.as_str(),
        cell.snapshot
    );
    if let Some(note) = &cell.note {
        let _ = write!(title, ". {note}");
    }
    let class = match (cell.status, cell.note.is_some()) {
        (Status::Provisional, false) => "num prov",
        (Status::Provisional, true) => "num prov noted",
        (Status::Validated, false) => "num",
        (Status::Validated, true) => "num noted",
    };
    format!(
        "<td class=\"{class}\" title=\"{}\">{}</td>",
        escape(&title),
        escape(&value_text(indicator, cell.value))
    )
}

fn published_html(indicator: &Indicator, cell: Published) -> String {
    match cell {
        Published::Value(v) => escape(&value_text(indicator, Some(v))),
        Published::Symbol(s) => format!(
            "<span class=\"sym\" title=\"{}\">{}</span>",
            escape(s.meaning()),
            escape(s.code())
        ),
    }
}

/// A small trend chart: the LA's yearly values (filled validated, hollow provisional) and the
/// England average dashed.
pub fn sparkline(line: &Line, years: &[u16]) -> String {
    let (width, height, pad) = (150.0, 40.0, 5.0);
    let own: Vec<(u16, f64, bool)> = years
        .iter()
        .zip(&line.years)
        .filter_map(|(y, c)| {
            let c = c.as_ref()?;
            Some((*y, c.value?, c.status == Status::Validated))
        })
        .collect();
    // An England count is not on the LA's scale; averages, rates and percentages are.
    let comparable = line.indicator.unit != super::super::indicators::Unit::Count;
    let england: Vec<(u16, f64)> = line
        .england_trend
        .iter()
        .copied()
        .filter(|_| comparable)
        .filter(|(y, _)| {
            years.first().is_some_and(|f| y >= f) && years.last().is_some_and(|l| y <= l)
        })
        .collect();
    if own.is_empty() && england.is_empty() {
        return String::new();
    }
    let values: Vec<f64> = own
        .iter()
        .map(|p| p.1)
        .chain(england.iter().map(|p| p.1))
        .collect();
    let (low, high) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let span = if high > low { high - low } else { 1.0 };
    let (first, last) = (*years.first().unwrap_or(&0), *years.last().unwrap_or(&0));
    let x = |y: u16| {
        if last > first {
            pad + (f64::from(y - first) / f64::from(last - first)) * (width - 2.0 * pad)
        } else {
            width / 2.0
        }
    };
    let y = |v: f64| height - pad - (v - low) / span * (height - 2.0 * pad);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"trend\">"
    );
    let path = |points: &[(f64, f64)]| {
        points
            .iter()
            .map(|(a, b)| format!("{a:.1},{b:.1}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if england.len() > 1 {
        let points: Vec<(f64, f64)> = england.iter().map(|(yr, v)| (x(*yr), y(*v))).collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#505a5f\" stroke-width=\"1.2\" stroke-dasharray=\"3,2\"/>",
            path(&points)
        );
    }
    if own.len() > 1 {
        let points: Vec<(f64, f64)> = own.iter().map(|(yr, v, _)| (x(*yr), y(*v))).collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#1d70b8\" stroke-width=\"2\"/>",
            path(&points)
        );
    }
    for (yr, v, validated) in &own {
        let fill = if *validated { "#1d70b8" } else { "#ffffff" };
        let _ = write!(
            svg,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{fill}\" stroke=\"#1d70b8\" stroke-width=\"1.5\"/>",
            x(*yr),
            y(*v)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn direction_html(line: &Line) -> String {
    let Some(d) = line.direction else {
        return "<td class=\"num dot-neutral\" title=\"not comparable\">–</td>".into();
    };
    let arrow = match d.movement() {
        "up" => "▲",
        "down" => "▼",
        _ => "▶",
    };
    let class = match d.better {
        Some(true) => "dot-better",
        Some(false) => "dot-worse",
        None => "dot-neutral",
    };
    let judgement = match d.judgement() {
        "" => String::new(),
        j => format!(", {j}"),
    };
    format!(
        "<td class=\"num {class}\" title=\"{}{}\">{arrow}</td>",
        escape(d.movement()),
        escape(&judgement)
    )
}

fn rag_html(rag: Option<Rag>) -> String {
    match rag {
        Some(r) => format!("<td><span class=\"rag rag-{0}\">{0}</span></td>", r.label()),
        None => {
            "<td><span class=\"rag rag-none\" title=\"no polarity or no benchmark\">–</span></td>"
                .into()
        }
    }
}

/// The whole page.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let la_name = report
        .la
        .as_ref()
        .map_or("Local authority".to_string(), |la| {
            format!("{} ({})", la.name, la.number)
        });
    let latest = report.years.last().copied();
    let year_label = |y: u16| CollectionYear::new(y).map(year_label).unwrap_or_default();
    let benchmark_year = report
        .sections
        .iter()
        .flat_map(|(_, lines)| lines)
        .filter_map(|l| l.comparison.as_ref().map(|c| c.year))
        .max();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>",
        escape(&format!("Children's social care performance: {la_name}"))
    );
    let _ = write!(
        out,
        "<header><h1>Children's social care performance report</h1>\
         <div><strong>{}</strong></div><div class=\"meta\">Produced {} by csc-returns from the CIN census and SSDA903 returns{}.</div></header>",
        escape(&la_name),
        report.generated.format("%-d %B %Y"),
        report
            .as_of
            .map(|d| format!("; figures to {}", d.format("%-d %B %Y")))
            .unwrap_or_default()
    );
    out.push_str(
        "<div class=\"legend\">\
         <span><em class=\"prov\">12.3</em> provisional (from a return with validation errors outstanding or a year in progress)</span>\
         <span><span class=\"rag rag-Green\">Green</span> at least as good as England and the statistical-neighbour average</span>\
         <span><span class=\"rag rag-Amber\">Amber</span> better than one, worse than the other</span>\
         <span><span class=\"rag rag-Red\">Red</span> worse than both</span>\
         <span><span class=\"dot-better\">▲▼</span> better / <span class=\"dot-worse\">▲▼</span> worse than the previous year</span>\
         <span>Trend: <span style=\"color:#1d70b8\">━</span> this LA (hollow = provisional), <span class=\"sym\">┅</span> England</span>\
         <span><span class=\"noted\"></span>a note (point at the value to read it)</span>\
         <span><span class=\"sym\">c</span> suppressed, <span class=\"sym\">x</span> not available, <span class=\"sym\">z</span> not applicable</span>\
         </div>",
    );
    let anchor = |title: &str| title.to_ascii_lowercase().replace(' ', "-");
    out.push_str("<nav class=\"contents\">Contents:");
    for (section, _) in &report.sections {
        let _ = write!(
            out,
            " <a href=\"#{}\">{}</a>",
            anchor(section.title()),
            escape(section.title())
        );
    }
    if !report.breakdowns.is_empty() {
        out.push_str(" <a href=\"#breakdowns\">Breakdowns</a>");
    }
    out.push_str("</nav>");
    for (section, lines) in &report.sections {
        let _ = write!(
            out,
            "<h2 id=\"{}\">{}</h2><table><colgroup><col class=\"c-ref\"><col class=\"c-name\"><col span=\"{}\"><col class=\"c-sn\"><col class=\"c-quartile\"><col class=\"c-rag\"><col class=\"c-dot\"><col class=\"c-trend\"></colgroup><thead><tr>",
            anchor(section.title()),
            escape(section.title()),
            report.years.len() + 4 + 3
        );
        let _ = write!(
            out,
            "<th rowspan=\"2\">Ref</th><th rowspan=\"2\">Indicator</th><th class=\"group\" colspan=\"{}\">Outturn (year ending 31 March)</th>\
             <th class=\"group\" colspan=\"4\">{} by quarter</th>\
             <th class=\"group\" colspan=\"5\">Benchmarks{}</th><th rowspan=\"2\">RAG</th><th rowspan=\"2\">DoT</th><th rowspan=\"2\">Trend</th></tr><tr>",
            report.years.len(),
            latest.map(year_label).unwrap_or_default(),
            benchmark_year
                .map(|y| format!(" ({})", year_label(y)))
                .unwrap_or_default()
        );
        for y in &report.years {
            let _ = write!(out, "<th>{}</th>", escape(&year_label(*y)));
        }
        out.push_str("<th>Q1</th><th>Q2</th><th>Q3</th><th>Q4</th>");
        out.push_str("<th>LA published</th><th>England</th><th>Region</th><th>Stat. neighbours</th><th>Quartile</th></tr></thead><tbody>");
        for line in lines {
            let i = line.indicator;
            let _ = write!(
                out,
                "<tr><td class=\"ref\">{}</td><td class=\"name\" title=\"{}\">{}<br><span class=\"pol\">{} · {}</span></td>",
                escape(i.id),
                escape(&format!(
                    "{} / {}",
                    i.numerator,
                    if i.denominator.is_empty() {
                        "—"
                    } else {
                        i.denominator
                    }
                )),
                escape(i.name),
                polarity_text(i.polarity),
                escape(i.measure.label())
            );
            for cell in &line.years {
                out.push_str(&cell_html(i, cell.as_ref()));
            }
            for cell in &line.quarters {
                out.push_str(&cell_html(i, cell.as_ref()));
            }
            match &line.comparison {
                Some(c) => {
                    let sn = &c.neighbours;
                    let sn_text = match sn.mean {
                        Some(mean) => format!(
                            "{}<br><span class=\"small\">median {}; {} of {}</span>",
                            escape(&value_text(i, Some(mean))),
                            escape(
                                &sn.median
                                    .map(|m| format_number(m, i.decimal_places + 1))
                                    .unwrap_or_default()
                            ),
                            sn.used,
                            sn.used + sn.ignored
                        ),
                        None => "–".into(),
                    };
                    let best = sn
                        .best
                        .as_ref()
                        .map(|(_, name, v)| format!("best: {name} {}", value_text(i, Some(*v))))
                        .unwrap_or_default();
                    let _ = write!(
                        out,
                        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\" title=\"{}\">{}</td><td class=\"num\" title=\"{}\">{}</td><td class=\"num\">{}</td>",
                        published_html(i, c.la),
                        published_html(i, c.england),
                        escape(&c.region_name),
                        published_html(i, c.region),
                        escape(&best),
                        sn_text,
                        escape(&match (c.quartile, c.rank) {
                            (Some(q), Some((r, n))) => format!("{q} ({r}/{n})"),
                            _ => "–".into(),
                        })
                    );
                }
                None => out.push_str("<td class=\"num\">–</td>".repeat(5).as_str()),
            }
            out.push_str(&rag_html(line.rag));
            out.push_str(&direction_html(line));
            let _ = write!(out, "<td>{}</td></tr>", sparkline(line, &report.years));
        }
        out.push_str("</tbody></table>");
    }
    if !report.breakdowns.is_empty() {
        out.push_str("<h2 id=\"breakdowns\">Breakdowns</h2><table><colgroup><col class=\"c-ref\"><col class=\"c-name\"><col class=\"c-period\"><col></colgroup><thead><tr><th>Ref</th><th>Indicator</th><th>Period</th><th>Shares</th></tr></thead><tbody>");
        for b in &report.breakdowns {
            let shares: Vec<String> = b
                .categories
                .iter()
                .map(|(name, value, count)| {
                    format!(
                        "{} {} ({})",
                        escape(name),
                        escape(&value_text(b.indicator, *value)),
                        count.map(|c| format_number(c, 0)).unwrap_or_default()
                    )
                })
                .collect();
            let class = if b.status == Status::Provisional {
                " class=\"prov\""
            } else {
                ""
            };
            let _ = write!(
                out,
                "<tr><td class=\"ref\">{}</td><td>{}</td><td{class}>{}</td><td>{}</td></tr>",
                escape(b.indicator.id),
                escape(b.indicator.name),
                escape(&b.period),
                shares.join("; ")
            );
        }
        out.push_str("</tbody></table>");
    }
    let _ = write!(
        out,
        "<footer><p>Outturns are the figures of the latest validated snapshot of each year (no DfE-rule errors outstanding); \
         figures marked p are provisional. Benchmarks are the DfE's published figures for the latest year available \
         (editions: {}); statistical neighbours are the DfE's model for that year, averages ignore suppressed values. \
         Definitions and conventions: docs/figures.md.</p>\
         <p>Contains public sector information licensed under the Open Government Licence v3.0. \
         Source: Office for National Statistics licensed under the Open Government Licence v.3.0.</p></footer></body></html>",
        escape(&report.editions.join(", "))
    );
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_data_is_escaped() {
        assert_eq!(
            escape("<b>\"A&B\"</b> 'x'"),
            "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; &#39;x&#39;"
        );
    }

    #[test]
    fn the_page_is_self_contained_and_shows_every_section_with_figures() {
        let dir = tempfile::tempdir().unwrap();
        let report =
            super::super::tests::wokingham_report(&crate::snapshot::SnapshotStore::new(dir.path()));
        let html = render(&report);
        for needle in [
            "Wokingham (872)",
            "<h2 id=\"front-door\">Front door</h2>",
            "<h2 id=\"child-protection\">Child protection</h2>",
            "Re-referrals within 12 months",
            "22.6%",
            "rag-Green",
            "<svg",
            "class=\"num prov\"",
            "Open Government Licence",
        ] {
            assert!(html.contains(needle), "missing {needle}");
        }
        for external in ["http://", "https://", "<script", "<link", "@import", "url("] {
            let allowed = html.matches("http://www.w3.org/2000/svg").count();
            let found = html.matches(external).count();
            assert!(
                found == 0 || (external == "http://" && found == allowed),
                "the page refers to {external}"
            );
        }
    }
}
