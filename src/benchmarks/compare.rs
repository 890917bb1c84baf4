//! How an LA's published value compares: England, its region, its statistical neighbours (mean and
//! median, suppressed neighbours ignored and counted, the best of them), its rank and quartile band
//! among all LAs given the polarity, and its direction of travel since the previous year.
//!
//! Conventions follow the DfE's Local Authority Interactive Tool (rank: ties share the lowest rank,
//! rank 1 is the best; quartiles with R's default `quantile()`; band A is the best quarter) and the
//! CSC Outcomes and Enablers dashboard (SN median).

use super::reference::NeighbourModel;
use super::tables::SeriesData;
use super::{Area, BenchmarkError, Benchmarks, Polarity, Published, Series, Symbol};

/// An LA's published value against its comparators, for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// `table.column` or `lait:measure`.
    pub series: String,
    /// `table@edition` of every table read.
    pub editions: Vec<String>,
    /// The year (ending 31 March) of the published figures used.
    pub year: u16,
    pub la: Published,
    pub la_previous: Option<Published>,
    pub direction: Option<Direction>,
    pub england: Published,
    pub region_code: String,
    pub region_name: String,
    pub region: Published,
    pub neighbours: NeighbourSummary,
    /// (rank, number of LAs ranked); rank 1 is the best given the polarity.
    pub rank: Option<(usize, usize)>,
    /// A (best quarter) to D.
    pub quartile: Option<char>,
}

/// Which way a value moved and whether that is better.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Direction {
    pub change: f64,
    /// `Some(true)` better, `Some(false)` worse, `None` no change or no polarity.
    pub better: Option<bool>,
}

impl Direction {
    pub fn between(current: f64, previous: f64, polarity: Polarity) -> Self {
        Direction {
            change: current - previous,
            better: polarity.better(current, previous),
        }
    }

    /// "up", "down" or "same".
    pub fn movement(&self) -> &'static str {
        if self.change > 0.0 {
            "up"
        } else if self.change < 0.0 {
            "down"
        } else {
            "same"
        }
    }

    /// "better", "worse" or "" (no change, or a measure without a polarity).
    pub fn judgement(&self) -> &'static str {
        match self.better {
            Some(true) => "better",
            Some(false) => "worse",
            None => "",
        }
    }
}

/// An LA's statistical neighbours' values summarised.
#[derive(Debug, Clone, PartialEq)]
pub struct NeighbourSummary {
    pub model: NeighbourModel,
    /// Arithmetic mean of the neighbours with a value (LAIT's "SN average").
    pub mean: Option<f64>,
    /// Median of the neighbours with a value (the DfE dashboard's "SN median").
    pub median: Option<f64>,
    /// Neighbours with a value.
    pub used: usize,
    /// Neighbours without one (suppressed, not available, or not in the table), ignored.
    pub ignored: usize,
    /// The neighbour with the best value given the polarity: (DfE number, name, value).
    pub best: Option<(String, String, f64)>,
    /// Every neighbour's published cell, closest first.
    pub values: Vec<(String, Published)>,
}

impl Benchmarks {
    /// Compares LA `number` for the year ending 31 March `year` on `series`, or `None` when the
    /// series has no figures for that year.
    pub fn compare(
        &self,
        series: &Series,
        dp: u8,
        polarity: Polarity,
        number: &str,
        year: u16,
    ) -> Result<Option<Comparison>, BenchmarkError> {
        let data = self.series(series, dp)?;
        if !data.points.keys().any(|(y, _)| *y == year) {
            return Ok(None);
        }
        let reference = self.reference();
        let cell = |area: &Area, year: u16| {
            data.get(year, area)
                .map_or(Published::Symbol(Symbol::Missing), |p| p.value)
        };
        let la_area = Area::La(number.to_string());
        let la = cell(&la_area, year);
        let la_previous = data.get(year - 1, &la_area).map(|p| p.value);
        let direction = match (la.value(), la_previous.and_then(Published::value)) {
            (Some(now), Some(before)) => Some(Direction::between(now, before, polarity)),
            _ => None,
        };
        let (region_code, region_name) = reference
            .la(number)
            .map(|l| (l.region_code.clone(), l.region_name.clone()))
            .unwrap_or_default();
        let region = cell(&Area::Region(region_code.clone()), year);
        let model = NeighbourModel::for_year(year);
        let neighbours = summarise_neighbours(
            &data,
            year,
            model,
            reference.neighbours(model, number),
            polarity,
            |n| reference.la(n).map(|l| l.name.clone()).unwrap_or_default(),
        );
        let la_values: Vec<f64> = data.la_values(year).into_iter().map(|(_, v)| v).collect();
        let (rank, quartile) = match la.value() {
            Some(value) if polarity != Polarity::None && !la_values.is_empty() => (
                Some((rank_of(value, &la_values, polarity), la_values.len())),
                quartile_band(value, &la_values, polarity),
            ),
            _ => (None, None),
        };
        Ok(Some(Comparison {
            series: series.describe(),
            editions: data.editions.clone(),
            year,
            la,
            la_previous,
            direction,
            england: cell(&Area::England, year),
            region_code,
            region_name,
            region,
            neighbours,
            rank,
            quartile,
        }))
    }

    /// The latest year on or before `year` with published figures for the series (benchmarks run
    /// a year behind in-year figures).
    pub fn latest_year(
        &self,
        series: &Series,
        dp: u8,
        year: u16,
    ) -> Result<Option<u16>, BenchmarkError> {
        Ok(self
            .series(series, dp)?
            .years()
            .into_iter()
            .find(|y| *y <= year))
    }
}

fn summarise_neighbours(
    data: &SeriesData,
    year: u16,
    model: NeighbourModel,
    neighbours: &[super::reference::Neighbour],
    polarity: Polarity,
    name_of: impl Fn(&str) -> String,
) -> NeighbourSummary {
    let values: Vec<(String, Published)> = neighbours
        .iter()
        .map(|n| {
            let cell = data
                .get(year, &Area::La(n.number.clone()))
                .map_or(Published::Symbol(Symbol::Missing), |p| p.value);
            (n.number.clone(), cell)
        })
        .collect();
    let numbers: Vec<(&str, f64)> = values
        .iter()
        .filter_map(|(n, cell)| cell.value().map(|v| (n.as_str(), v)))
        .collect();
    let plain: Vec<f64> = numbers.iter().map(|(_, v)| *v).collect();
    let mean = (!plain.is_empty()).then(|| plain.iter().sum::<f64>() / plain.len() as f64);
    let median = (!plain.is_empty()).then(|| quantile(&plain, 0.5));
    let best = match polarity {
        Polarity::None => None,
        _ => numbers
            .iter()
            .copied()
            .reduce(|a, b| {
                if polarity.better(b.1, a.1) == Some(true) {
                    b
                } else {
                    a
                }
            })
            .map(|(n, v)| (n.to_string(), name_of(n), v)),
    };
    NeighbourSummary {
        model,
        mean,
        median,
        used: plain.len(),
        ignored: values.len() - plain.len(),
        best,
        values,
    }
}

/// R's default (type 7) quantile: linear interpolation between order statistics.
pub fn quantile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let h = (sorted.len() - 1) as f64 * p;
    let low = h.floor() as usize;
    let high = (low + 1).min(sorted.len() - 1);
    sorted[low] + (h - low as f64) * (sorted[high] - sorted[low])
}

/// 1 + the number of LAs strictly better: ties share the lowest rank.
fn rank_of(value: f64, all: &[f64], polarity: Polarity) -> usize {
    1 + all
        .iter()
        .filter(|&&other| polarity.better(other, value) == Some(true))
        .count()
}

/// A if in the best quarter of LAs given the polarity, then B, C, D.
fn quartile_band(value: f64, all: &[f64], polarity: Polarity) -> Option<char> {
    let (q1, q2, q3) = (quantile(all, 0.25), quantile(all, 0.5), quantile(all, 0.75));
    match polarity {
        Polarity::High => Some(if value >= q3 {
            'A'
        } else if value >= q2 {
            'B'
        } else if value >= q1 {
            'C'
        } else {
            'D'
        }),
        Polarity::Low => Some(if value <= q1 {
            'A'
        } else if value <= q2 {
            'B'
        } else if value <= q3 {
            'C'
        } else {
            'D'
        }),
        Polarity::None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::benchmarks::tables::Series;

    const REREFERRALS: Series = Series::Ees {
        table: "cin_c1",
        filters: &[],
        value: "rereferral_percent",
        numerator: Some("rereferral_count"),
        denominator: Some("referral_count"),
    };

    #[test]
    fn quantiles_match_r_type_7() {
        // R: quantile(c(1, 2, 3, 4, 10)) gives 1 2 3 4 10 at 0/25/50/75/100%.
        let values = [4.0, 1.0, 10.0, 3.0, 2.0];
        assert_eq!(quantile(&values, 0.25), 2.0);
        assert_eq!(quantile(&values, 0.5), 3.0);
        // R: quantile(c(1, 2, 3, 4), 0.25) = 1.75.
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.25), 1.75);
        assert_eq!(quantile(&[7.0], 0.75), 7.0);
    }

    #[test]
    fn ranks_share_the_lowest_rank_and_follow_polarity() {
        let all = [10.0, 20.0, 20.0, 30.0];
        assert_eq!(rank_of(20.0, &all, Polarity::High), 2);
        assert_eq!(rank_of(20.0, &all, Polarity::Low), 2);
        assert_eq!(rank_of(10.0, &all, Polarity::Low), 1);
        assert_eq!(rank_of(10.0, &all, Polarity::High), 4);
        assert_eq!(quartile_band(10.0, &all, Polarity::Low), Some('A'));
        assert_eq!(quartile_band(10.0, &all, Polarity::High), Some('D'));
        assert_eq!(quartile_band(30.0, &all, Polarity::High), Some('A'));
    }

    #[test]
    fn wokingham_re_referrals_2025_reproduce_the_published_test_vectors() {
        let benchmarks = Benchmarks::shipped();
        let c = benchmarks
            .compare(&REREFERRALS, 1, Polarity::Low, "872", 2025)
            .unwrap()
            .unwrap();
        assert_eq!(c.la, Published::Value(16.8));
        assert_eq!(c.england, Published::Value(22.6));
        assert_eq!(c.region_name, "South East");
        assert_eq!(c.region, Published::Value(28.4));
        let sn = &c.neighbours;
        assert_eq!(sn.model, NeighbourModel::May2025);
        let values: Vec<f64> = sn.values.iter().filter_map(|(_, v)| v.value()).collect();
        assert_eq!(
            values,
            [19.6, 20.5, 22.8, 21.7, 23.8, 18.0, 16.4, 15.8, 19.2, 15.9]
        );
        assert!((sn.mean.unwrap() - 19.37).abs() < 1e-9, "{:?}", sn.mean);
        assert!((sn.median.unwrap() - 19.4).abs() < 1e-9, "{:?}", sn.median);
        assert_eq!((sn.used, sn.ignored), (10, 0));
        // Lower is better: the best neighbour has the fewest re-referrals.
        let (number, name, value) = sn.best.clone().unwrap();
        assert_eq!((number.as_str(), value), ("919", 15.8));
        assert!(!name.is_empty());
        let (rank, of) = c.rank.unwrap();
        assert!(rank >= 1 && rank <= of && of >= 150, "{rank} of {of}");
        assert_eq!(c.quartile, Some('A'), "16.8% is in the best quarter");
        assert_eq!(c.editions, ["cin_c1@dfe-2025"]);
        let point = benchmarks
            .series(&REREFERRALS, 1)
            .unwrap()
            .get(2025, &Area::England)
            .copied()
            .unwrap();
        assert_eq!(point.numerator, Some(Published::Value(142_900.0)));
        assert_eq!(point.denominator, Some(Published::Value(632_830.0)));
        assert_eq!(
            benchmarks
                .series(&REREFERRALS, 1)
                .unwrap()
                .get(2025, &Area::La("872".into()))
                .and_then(|p| p.numerator),
            Some(Published::Value(298.0))
        );
    }

    #[test]
    fn suppressed_neighbours_are_ignored_counted_and_never_zero() {
        // D5: CP plans of 2 years or more are small counts, often suppressed for small LAs.
        let series = Series::Ees {
            table: "cin_d5",
            filters: &[],
            value: "2_years_or_more_percent",
            numerator: None,
            denominator: None,
        };
        let benchmarks = Benchmarks::shipped();
        let data = benchmarks.series(&series, 1).unwrap();
        let reference = benchmarks.reference();
        let (number, year) = reference
            .las()
            .iter()
            .filter(|la| la.live)
            .flat_map(|la| (2023..=2025).map(move |y| (la.number.clone(), y)))
            .find(|(number, year)| {
                let model = NeighbourModel::for_year(*year);
                reference.neighbours(model, number).iter().any(|n| {
                    data.get(*year, &Area::La(n.number.clone()))
                        .is_some_and(|p| p.value == Published::Symbol(Symbol::Confidential))
                })
            })
            .expect("some LA has a suppressed neighbour");
        let c = benchmarks
            .compare(&series, 1, Polarity::Low, &number, year)
            .unwrap()
            .unwrap();
        let sn = &c.neighbours;
        assert!(sn.ignored >= 1);
        assert_eq!(sn.used + sn.ignored, 10);
        let numbers: Vec<f64> = sn.values.iter().filter_map(|(_, v)| v.value()).collect();
        assert_eq!(numbers.len(), sn.used);
        if sn.used > 0 {
            let mean = numbers.iter().sum::<f64>() / numbers.len() as f64;
            assert!((sn.mean.unwrap() - mean).abs() < 1e-9);
        }
        assert!(
            sn.values.iter().any(|(_, v)| v.display(1) == "c"),
            "the suppressed value shows as c"
        );
    }

    #[test]
    fn rates_from_counts_use_the_mid_year_population_before_the_year() {
        let cin_rate = Series::EesRate {
            table: "cin_b1",
            filters: &[],
            count: "At31_episodes",
        };
        let benchmarks = Benchmarks::shipped();
        let c = benchmarks
            .compare(&cin_rate, 1, Polarity::None, "872", 2025)
            .unwrap()
            .unwrap();
        assert_eq!(c.england, Published::Value(330.3));
        assert_eq!(c.rank, None, "no polarity, no rank");
        assert_eq!(c.editions, ["cin_b1@dfe-2025", "population@dfe-2025"]);
        let cla_rate = Series::Ees {
            table: "cla_rates",
            filters: &[(
                "population_type",
                "Children looked after on 31 March each year",
            )],
            value: "rate_per_10000",
            numerator: Some("children_count"),
            denominator: Some("population_estimate"),
        };
        let c = benchmarks
            .compare(&cla_rate, 0, Polarity::None, "872", 2025)
            .unwrap()
            .unwrap();
        assert_eq!(c.england, Published::Value(67.0));
        assert_eq!(c.la, Published::Value(34.0));
        // The published rate agrees with the one computed from count and population.
        let computed = crate::benchmarks::round_dp(81_770.0 / 12_183_016.0 * 10_000.0, 0);
        assert_eq!(computed, 67.0);
    }

    #[test]
    fn direction_of_travel_is_judged_by_polarity() {
        let down = Direction::between(16.8, 18.0, Polarity::Low);
        assert_eq!((down.movement(), down.judgement()), ("down", "better"));
        let down = Direction::between(16.8, 18.0, Polarity::High);
        assert_eq!((down.movement(), down.judgement()), ("down", "worse"));
        let same = Direction::between(5.0, 5.0, Polarity::High);
        assert_eq!((same.movement(), same.judgement()), ("same", ""));
        assert_eq!(Direction::between(2.0, 1.0, Polarity::None).judgement(), "");
    }

    #[test]
    fn a_year_without_figures_gives_no_comparison_and_the_latest_year_is_found() {
        let benchmarks = Benchmarks::shipped();
        assert_eq!(
            benchmarks
                .compare(&REREFERRALS, 1, Polarity::Low, "872", 2026)
                .unwrap(),
            None
        );
        assert_eq!(
            benchmarks.latest_year(&REREFERRALS, 1, 2026).unwrap(),
            Some(2025)
        );
    }
}
