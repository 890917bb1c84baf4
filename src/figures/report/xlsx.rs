//! The report's table as a workbook, for analysts who paste figures into their own documents:
//! a Performance sheet (the same rows and columns as the HTML page, numbers as numbers) and a
//! Definitions sheet.

use rust_xlsxwriter::{Color, Format, Workbook, XlsxError};

use crate::benchmarks::Published;

use super::super::period::year_label;
use super::super::{INDICATORS, Status};
use super::{Rag, Report};
use crate::year::CollectionYear;

/// The workbook's bytes.
pub fn render(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDEE0E2))
        .set_text_wrap();
    let section = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x1D5F6E));
    let provisional = Format::new()
        .set_italic()
        .set_font_color(Color::RGB(0x6F4A00));
    let rag_format = |rag: Rag| {
        let colour = match rag {
            Rag::Green => 0x00703C,
            Rag::Amber => 0xF47738,
            Rag::Red => 0xD4351C,
        };
        Format::new()
            .set_bold()
            .set_font_color(Color::White)
            .set_background_color(Color::RGB(colour))
    };
    let sheet = workbook.add_worksheet().set_name("Performance")?;
    let title = match &report.la {
        Some(la) => format!(
            "Children's social care performance: {} ({})",
            la.name, la.number
        ),
        None => "Children's social care performance".to_string(),
    };
    sheet.write_string_with_format(0, 0, &title, &bold)?;
    sheet.write_string(
        1,
        0,
        format!(
            "Produced {}. Italic = provisional. Benchmarks: {}",
            report.generated,
            report.editions.join(", ")
        ),
    )?;
    let label = |y: u16| CollectionYear::new(y).map(year_label).unwrap_or_default();
    let mut headers: Vec<String> = vec![
        "Ref".into(),
        "Indicator".into(),
        "Polarity".into(),
        "Unit".into(),
    ];
    headers.extend(report.years.iter().map(|y| label(*y)));
    headers.extend(["Q1", "Q2", "Q3", "Q4"].map(String::from));
    headers.extend(
        [
            "Benchmark year",
            "LA published",
            "England",
            "Region",
            "SN mean",
            "SN median",
            "SN used",
            "Best SN",
            "Rank",
            "Quartile",
            "RAG",
            "Direction of travel",
        ]
        .map(String::from),
    );
    let header_row = 3;
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, h, &header)?;
    }
    let published =
        |sheet: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, cell: Published| match cell {
            Published::Value(v) => sheet.write_number(row, col, v).map(|_| ()),
            Published::Symbol(s) => sheet.write_string(row, col, s.code()).map(|_| ()),
        };
    let mut row = header_row + 1;
    for (s, lines) in &report.sections {
        sheet.write_string_with_format(row, 0, s.title(), &section)?;
        for c in 1..headers.len() as u16 {
            sheet.write_blank(row, c, &section)?;
        }
        row += 1;
        for line in lines {
            let i = line.indicator;
            sheet.write_string(row, 0, i.id)?;
            sheet.write_string(row, 1, i.name)?;
            sheet.write_string(row, 2, i.polarity.as_str())?;
            sheet.write_string(row, 3, i.unit.as_str())?;
            let mut col = 4u16;
            for cell in line.years.iter().chain(&line.quarters) {
                if let Some(cell) = cell
                    && let Some(v) = cell.value
                {
                    if cell.status == Status::Provisional {
                        sheet.write_number_with_format(row, col, v, &provisional)?;
                    } else {
                        sheet.write_number(row, col, v)?;
                    }
                }
                col += 1;
            }
            if let Some(c) = &line.comparison {
                let sn = &c.neighbours;
                sheet.write_number(row, col, f64::from(c.year))?;
                published(sheet, row, col + 1, c.la)?;
                published(sheet, row, col + 2, c.england)?;
                published(sheet, row, col + 3, c.region)?;
                if let Some(mean) = sn.mean {
                    sheet.write_number(row, col + 4, mean)?;
                }
                if let Some(median) = sn.median {
                    sheet.write_number(row, col + 5, median)?;
                }
                sheet.write_string(
                    row,
                    col + 6,
                    format!("{} of {}", sn.used, sn.used + sn.ignored),
                )?;
                if let Some((_, name, v)) = &sn.best {
                    sheet.write_string(row, col + 7, format!("{name} ({v})"))?;
                }
                if let Some((rank, of)) = c.rank {
                    sheet.write_string(row, col + 8, format!("{rank} of {of}"))?;
                }
                if let Some(q) = c.quartile {
                    sheet.write_string(row, col + 9, q.to_string())?;
                }
            }
            if let Some(rag) = line.rag {
                sheet.write_string_with_format(row, col + 10, rag.label(), &rag_format(rag))?;
            }
            if let Some(d) = line.direction {
                let text = [d.movement(), d.judgement()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                sheet.write_string(row, col + 11, text)?;
            }
            row += 1;
        }
    }
    sheet.set_column_width(1, 48)?;
    sheet.set_freeze_panes(header_row + 1, 2)?;

    let definitions = workbook.add_worksheet().set_name("Definitions")?;
    let columns = [
        "Ref",
        "Indicator",
        "Section",
        "Numerator",
        "Denominator",
        "Unit",
        "Decimal places",
        "Polarity",
        "Measure",
        "Return fields",
        "Benchmark",
        "Convention",
    ];
    for (c, h) in columns.iter().enumerate() {
        definitions.write_string_with_format(0, c as u16, *h, &header)?;
    }
    for (r, i) in INDICATORS.iter().enumerate() {
        let r = r as u32 + 1;
        let cells = [
            i.id.to_string(),
            i.name.to_string(),
            i.section.title().to_string(),
            i.numerator.to_string(),
            i.denominator.to_string(),
            i.unit.as_str().to_string(),
            i.decimal_places.to_string(),
            i.polarity.as_str().to_string(),
            i.measure.label().to_string(),
            i.fields.join(", "),
            i.benchmark.map(|s| s.describe()).unwrap_or_default(),
            i.convention.to_string(),
        ];
        for (c, text) in cells.iter().enumerate() {
            definitions.write_string(r, c as u16, text)?;
        }
    }
    definitions.set_column_width(1, 40)?;
    definitions.set_column_width(3, 60)?;
    definitions.set_column_width(4, 50)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workbook_holds_the_performance_table_and_definitions() {
        let dir = tempfile::tempdir().unwrap();
        let report =
            super::super::tests::wokingham_report(&crate::snapshot::SnapshotStore::new(dir.path()));
        let bytes = render(&report).unwrap();
        let path = dir.path().join("report.xlsx");
        std::fs::write(&path, &bytes).unwrap();
        use calamine::{Reader, Xlsx, open_workbook};
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(book.sheet_names(), ["Performance", "Definitions"]);
        let range = book.worksheet_range("Performance").unwrap();
        let text: Vec<String> = range
            .rows()
            .flat_map(|r| r.iter().map(|c| c.to_string()))
            .collect();
        assert!(text.contains(&"Re-referrals within 12 months".to_string()));
        assert!(text.contains(&"2024-25".to_string()));
        assert!(
            text.contains(&"22.6".to_string()),
            "England re-referrals 2025"
        );
        assert!(text.contains(&"Green".to_string()));
        let definitions = book.worksheet_range("Definitions").unwrap();
        assert_eq!(definitions.height(), INDICATORS.len() + 1);
    }
}
