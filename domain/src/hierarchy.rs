//! The units of a county as one tree, masked once (issue #14): the county, its towns, their
//! schools, each school's grades and each grade's classes, every unit with its figures. Each
//! shared link shows one unit and the units just below it, and a person may hold several links
//! (a county's official holds the county's and some towns'); a count masked in one of them is
//! masked in all, so no masked count follows from putting two views side by side, from a unit's
//! row in its parent's view and its total in its own (`disclosure::suppress_tree`). A count of things that follows
//! from a count of children (无辍学班, stages over the limit: `Measure::follows`) is masked
//! wherever that count is, with partners of its own.
//!
//! The campaign's progress is a table in two directions: units, and the weeks' parts within the
//! months (`campaign`). Each week's part is masked across the tree like any count; a unit's
//! month is masked when one of its weeks' parts is. Then every masked count can move by one
//! with nothing shown changing: move the week's part, and its month with it, along the tree's
//! cycle that moves that week's part (the product of a move in the units and one in the
//! periods; the term's total of the campaign is not shown). Masking a month costs less than
//! masking more weeks, and a month stays shown when its weeks are.

use crate::campaign::{month_name, Progress, Series};
use crate::disclosure::{small, suppress_families};
use crate::supervision::{Measure, Shown, SupervisorView, UnitLine, ViewRow};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Which of a unit's counts are masked (in the order of `Measure::ALL`), and its campaign, as
/// every view shows them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Published {
    masked: [bool; Measure::ALL.len()],
    weekly: Vec<(NaiveDate, BTreeMap<Series, Shown>)>,
    monthly: Vec<(NaiveDate, BTreeMap<Series, Shown>)>,
}

/// A tree of units, each the sum of the units below it (a school is its own line, with its
/// school-wide counts, above its grades), masked once for all their views.
#[derive(Clone, Debug)]
pub struct UnitTree {
    lines: Vec<UnitLine>,
    below: Vec<Vec<usize>>,
    keys: BTreeMap<u128, usize>,
    published: Vec<Published>,
}

/// A unit of a [`UnitTree`] as it is built: its line, and the units below it.
#[derive(Clone, Debug, Default)]
pub struct Branch {
    /// What the caller finds the unit by ([`UnitTree::unit_of`]): a town's or school's id.
    pub key: Option<u128>,
    pub line: UnitLine,
    pub below: Vec<Branch>,
}

impl Branch {
    /// A unit whose line is the sum of the units below it (a town, a county), named `name`.
    pub fn sum(name: &str, below: Vec<Branch>) -> Branch {
        let line =
            below.iter().fold(UnitLine { name: name.to_owned(), ..UnitLine::default() }, |sum, branch| UnitLine {
                name: sum.name,
                last_synced_ms: sum.last_synced_ms.max(branch.line.last_synced_ms),
                schools: sum.schools + branch.line.schools,
                reported_this_week: sum.reported_this_week + branch.line.reported_this_week,
                summary: sum.summary + branch.line.summary.clone(),
            });
        Branch { key: None, line, below }
    }

    /// A unit with nothing below it.
    pub fn leaf(line: UnitLine) -> Branch {
        Branch { key: None, line, below: Vec::new() }
    }

    pub fn keyed(self, key: u128) -> Branch {
        Branch { key: Some(key), ..self }
    }
}

impl UnitTree {
    /// The tree of `top` and everything below it, masked. Unit 0 is `top`; the others follow
    /// depth first, in the order given.
    pub fn new(top: Branch) -> UnitTree {
        let mut tree = UnitTree { lines: Vec::new(), below: Vec::new(), keys: BTreeMap::new(), published: Vec::new() };
        let mut stack: Vec<(Option<usize>, Branch)> = vec![(None, top)];
        while let Some((parent, branch)) = stack.pop() {
            let unit = tree.lines.len();
            tree.lines.push(branch.line);
            tree.below.push(Vec::new());
            if let Some(key) = branch.key {
                tree.keys.insert(key, unit);
            }
            if let Some(parent) = parent {
                tree.below[parent].push(unit);
            }
            stack.extend(branch.below.into_iter().rev().map(|below| (Some(unit), below)));
        }
        tree.published = tree.publish();
        tree
    }

    /// The unit given `key`.
    pub fn unit_of(&self, key: u128) -> Option<usize> {
        self.keys.get(&key).copied()
    }

    /// Each unit's family for one count: the units below it where they add up to it, none where
    /// they do not (a school's residents are the school's, not its grades').
    fn linked<'a>(below: &'a [Vec<usize>], count: &[u64]) -> Vec<&'a [usize]> {
        below
            .iter()
            .enumerate()
            .map(|(unit, family)| {
                let adds_up = family.iter().map(|below| count[*below]).sum::<u64>() == count[unit];
                if adds_up {
                    family.as_slice()
                } else {
                    &[]
                }
            })
            .collect()
    }

    fn publish(&self) -> Vec<Published> {
        let units = self.lines.len();
        let mut published = vec![Published::default(); units];
        let counts: Vec<[u64; Measure::ALL.len()]> =
            self.lines.iter().map(|line| line.summary.count_of_each()).collect();
        // Counts of children first, then the counts that follow from one of them, masked
        // wherever it is.
        let children = Measure::ALL.into_iter().filter(|measure| measure.counts_children());
        let following = Measure::ALL.into_iter().filter(|measure| measure.follows().is_some());
        for measure in children.chain(following) {
            let count: Vec<u64> = counts.iter().map(|counts| counts[measure.index()]).collect();
            let primary = match measure.follows() {
                Some(source) => published.iter().map(|published| published.masked[source.index()]).collect(),
                None => count.iter().map(|count| small(*count)).collect(),
            };
            let masked = suppress_families(&Self::linked(&self.below, &count), &count, primary);
            for (published, masked) in published.iter_mut().zip(masked) {
                published.masked[measure.index()] = masked;
            }
        }
        let weekly = self.masked_parts(|line| &line.summary.campaign.weekly);
        for unit in 0..units {
            let campaign = &self.lines[unit].summary.campaign;
            let week_masked = |series: Series, month: NaiveDate| {
                weekly[unit].iter().any(|(from, hidden)| month_name(*from) == month && hidden.contains(&series))
            };
            published[unit].weekly = shown_parts(&campaign.weekly, |from, series| {
                weekly[unit].get(&from).is_some_and(|hidden| hidden.contains(&series))
            });
            published[unit].monthly = shown_parts(&campaign.monthly, |from, series| week_masked(series, from));
        }
        published
    }

    /// For each unit, its weeks' parts and the series masked in each: each part and series
    /// masked across the tree of the units that hold a campaign (a county, its towns and
    /// schools; a grade or class holds none).
    fn masked_parts(&self, parts: impl Fn(&UnitLine) -> &Vec<Progress>) -> Vec<BTreeMap<NaiveDate, BTreeSet<Series>>> {
        let units = self.lines.len();
        let mut out: Vec<BTreeMap<NaiveDate, BTreeSet<Series>>> = vec![BTreeMap::new(); units];
        let holders: Vec<usize> = (0..units).filter(|unit| !parts(&self.lines[*unit]).is_empty()).collect();
        let mut place = vec![None; units];
        for (index, unit) in holders.iter().enumerate() {
            place[*unit] = Some(index);
        }
        let below: Vec<Vec<usize>> =
            holders.iter().map(|unit| self.below[*unit].iter().filter_map(|below| place[*below]).collect()).collect();
        let by_day: Vec<BTreeMap<NaiveDate, &Progress>> = holders
            .iter()
            .map(|unit| parts(&self.lines[*unit]).iter().map(|part| (part.from, part)).collect())
            .collect();
        let days: BTreeSet<NaiveDate> = by_day.iter().flat_map(|parts| parts.keys().copied()).collect();
        for day in days {
            for series in Series::ALL {
                let count: Vec<u64> =
                    by_day.iter().map(|parts| parts.get(&day).map_or(0, |part| series.of(part))).collect();
                let first = count.iter().map(|count| small(*count)).collect();
                let masked = suppress_families(&Self::linked(&below, &count), &count, first);
                for (unit, _) in holders.iter().zip(&masked).filter(|(_, masked)| **masked) {
                    out[*unit].entry(day).or_default().insert(series);
                }
            }
        }
        out
    }

    /// What the link of `unit` shows: its line as the total, and the units below it down to
    /// `levels` levels as rows, each followed by those below it (over their dropout limit first,
    /// then by name), all masked as in every other view of the tree.
    pub fn view(&self, unit: usize, name: &str, taken_ms: i64, levels: u8) -> SupervisorView {
        let row = |unit: usize, name: &str, depth: u8| {
            let line = &self.lines[unit];
            let masked = &self.published[unit].masked;
            let counts = Measure::ALL
                .into_iter()
                .zip(line.summary.count_of_each())
                .map(|(measure, count)| {
                    (measure, if masked[measure.index()] { Shown::Masked } else { Shown::Count(count) })
                })
                .collect();
            ViewRow {
                name: name.to_owned(),
                last_synced_ms: line.last_synced_ms,
                schools: line.schools,
                reported_this_week: line.reported_this_week,
                counts,
                depth,
            }
        };
        // Over the limit first, as shown: a masked count sorts as none, or the order would tell.
        let over = |unit: &usize| {
            let masked = self.published[*unit].masked[Measure::StagesOverLimit.index()];
            if masked {
                0
            } else {
                self.lines[*unit].summary.figures.schools_over_limit.both().numerator
            }
        };
        let sorted = |unit: usize| {
            let mut below = self.below[unit].clone();
            below.sort_by(|a, b| over(b).cmp(&over(a)).then_with(|| self.lines[*a].name.cmp(&self.lines[*b].name)));
            below
        };
        let mut rows = Vec::new();
        let mut stack: Vec<(usize, u8)> = sorted(unit).into_iter().rev().map(|below| (below, 0)).collect();
        while let Some((below, depth)) = stack.pop() {
            rows.push(row(below, &self.lines[below].name, depth));
            if depth + 1 < levels {
                stack.extend(sorted(below).into_iter().rev().map(|further| (further, depth + 1)));
            }
        }
        SupervisorView {
            unit: name.to_owned(),
            term: self.lines[unit].summary.term.clone(),
            taken_ms,
            rows,
            total: row(unit, name, 0),
            weekly: self.published[unit].weekly.clone(),
            monthly: self.published[unit].monthly.clone(),
        }
    }
}

/// A campaign's parts as shown: each series' count, or masked where `hidden` says.
fn shown_parts(
    parts: &[Progress],
    hidden: impl Fn(NaiveDate, Series) -> bool,
) -> Vec<(NaiveDate, BTreeMap<Series, Shown>)> {
    parts
        .iter()
        .map(|part| {
            let values = Series::ALL
                .into_iter()
                .map(|series| {
                    let count = series.of(part);
                    let masked = hidden(part.from, series) || small(count);
                    (series, if masked { Shown::Masked } else { Shown::Count(count) })
                })
                .collect();
            (part.from, values)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::Campaign;
    use crate::figures::{Figures, PerStage, Ratio, StudentFigures};
    use crate::supervision::SchoolSummary;
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn school(name: &str, enrolled: u64, dropouts: u64) -> Branch {
        let students = StudentFigures { dropout: Ratio::new(dropouts, enrolled), ..Default::default() };
        let summary = SchoolSummary {
            figures: Figures {
                students: PerStage { primary: students, junior: Default::default() },
                ..Default::default()
            },
            ..Default::default()
        };
        Branch::leaf(UnitLine { name: name.into(), schools: 1, summary, ..Default::default() })
    }

    #[test]
    fn a_count_masked_in_the_countys_view_is_masked_in_its_towns() {
        // Town 1: schools of 3 and 0 dropouts; town 2: 5 and 7. Masked view by view, the town
        // 2 link would show 12 and the county's 15, giving town 1's 3 away.
        let town_1 = Branch::sum("一镇", vec![school("甲校", 100, 3), school("乙校", 80, 0)]).keyed(1);
        let town_2 = Branch::sum("二镇", vec![school("丙校", 300, 5), school("丁校", 200, 7)]).keyed(2);
        let tree = UnitTree::new(Branch::sum("某县", vec![town_1, town_2]));
        let county = tree.view(0, "某县", 0, 1);
        let town = tree.view(tree.unit_of(2).unwrap(), "二镇", 0, 1);
        let dropouts = |row: &ViewRow| row.counts[&Measure::Dropouts];
        assert_eq!(dropouts(&county.total), Shown::Count(15));
        assert_eq!(county.rows.iter().map(dropouts).collect::<Vec<_>>(), [Shown::Masked, Shown::Masked]);
        assert_eq!(dropouts(&town.total), Shown::Masked, "the same as its row in the county's view");
        // And below it, a school masked with it so that it can move: the smallest (丙校's 5).
        let by_name: BTreeMap<&str, Shown> = town.rows.iter().map(|row| (row.name.as_str(), dropouts(row))).collect();
        assert_eq!((by_name["丙校"], by_name["丁校"]), (Shown::Masked, Shown::Count(7)));
        // Enrolment has no small count: shown everywhere.
        assert_eq!(town.total.counts[&Measure::Enrolled], Shown::Count(500));
    }

    #[test]
    fn a_partners_classes_without_dropout_and_stages_over_the_limit_are_masked_with_its_dropouts() {
        // 甲 has 2 dropouts (masked), 乙 none, masked with it; 丙 9. Were 乙's 无辍学班 (3 of 3)
        // or its stages over the limit (0 of 1) shown, they would say its dropouts are 0, and
        // the town's 11 − 9 − 0 would give 甲's 2 away.
        let with = |name: &str, dropouts: u64, classes: u64, without: u64, over: u64| {
            let mut branch = school(name, 100, dropouts);
            let figures = &mut branch.line.summary.figures;
            figures.classes_without_dropout.primary = Ratio::new(without, classes);
            figures.schools_over_limit.primary = Ratio::new(over, 1);
            branch
        };
        let town =
            Branch::sum("一镇", vec![with("甲校", 2, 2, 1, 1), with("乙校", 0, 3, 3, 0), with("丙校", 9, 4, 2, 1)]);
        let view = UnitTree::new(town).view(0, "一镇", 0, 1);
        let shown =
            |name: &str, measure: Measure| view.rows.iter().find(|row| row.name == name).unwrap().counts[&measure];
        for measure in [Measure::Dropouts, Measure::ClassesWithoutDropout, Measure::StagesOverLimit] {
            assert_eq!((shown("甲校", measure), shown("乙校", measure)), (Shown::Masked, Shown::Masked), "{measure:?}");
            assert!(shown("丙校", measure) != Shown::Masked, "{measure:?}");
            assert!(view.total.counts[&measure] != Shown::Masked, "{measure:?}");
        }
        // Over the limit first as shown: 丙; the masked ones by name after it.
        assert_eq!(view.rows.iter().map(|row| row.name.as_str()).collect::<Vec<_>>(), ["丙校", "乙校", "甲校"]);
    }

    /// A county of two towns and one to three schools, a term of two months of one or two weeks'
    /// parts: each school's children found out of school in each part (0 to 6). `(town of each
    /// school, each school's counts by part)`; the parts are 1, 8 September and 1, 5 October.
    fn campaign_county() -> impl Strategy<Value = (Vec<usize>, Vec<Vec<u64>>)> {
        (1usize..=3).prop_flat_map(|schools| {
            (
                proptest::collection::vec(0usize..2, schools),
                proptest::collection::vec(proptest::collection::vec(0u64..=6, 3), schools),
            )
        })
    }

    const PARTS: [&str; 3] = ["2026-09-01", "2026-09-07", "2026-10-01"];

    fn campaign_of(found: &[u64]) -> Campaign {
        let progress = |from: &str, found: u64| Progress { from: day(from), found, ..Progress::default() };
        Campaign {
            weekly: PARTS.iter().zip(found).map(|(from, found)| progress(from, *found)).collect(),
            monthly: vec![progress("2026-09-01", found[0] + found[1]), progress("2026-10-01", found[2])],
        }
    }

    fn county_of(towns: &[usize], found: &[Vec<u64>]) -> UnitTree {
        let town = |town: usize| {
            let schools = (0..towns.len()).filter(|school| towns[*school] == town).map(|school| {
                let summary = SchoolSummary { campaign: campaign_of(&found[school]), ..Default::default() };
                Branch::leaf(UnitLine { name: format!("校{school}"), schools: 1, summary, ..Default::default() })
            });
            Branch::sum(&format!("镇{town}"), schools.collect())
        };
        UnitTree::new(Branch::sum("县", vec![town(0), town(1)]))
    }

    /// Every unit's published found, weeks' parts then months, as the views show them.
    fn published_found(tree: &UnitTree) -> Vec<Vec<Shown>> {
        tree.published
            .iter()
            .map(|published| {
                published.weekly.iter().chain(&published.monthly).map(|(_, values)| values[&Series::Found]).collect()
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Every count of the campaign from 1 to 4 is masked, and no masked count of any unit's
        /// weeks or months can be worked out from what all the views show together: every
        /// school's parts tried at their count and one either side.
        #[test]
        fn no_masked_count_of_the_campaign_follows_from_the_weeks_the_months_or_the_units((towns, found) in campaign_county()) {
            let tree = county_of(&towns, &found);
            let shown = published_found(&tree);
            // Each unit's schools (the tree's bottom units, in the order given), and its parts'
            // counts worked out from the schools' counts.
            let schools_under = |unit: usize| {
                let mut under = Vec::new();
                let mut stack = vec![unit];
                while let Some(unit) = stack.pop() {
                    if let Some(school) = tree.lines[unit].name.strip_prefix('校') {
                        under.push(school.parse::<usize>().unwrap());
                    }
                    stack.extend(&tree.below[unit]);
                }
                under
            };
            let under: Vec<Vec<usize>> = (0..tree.lines.len()).map(schools_under).collect();
            let counts_of = |found: &[Vec<u64>]| -> Vec<Vec<u64>> {
                under.iter().map(|schools| {
                    let part = |part: usize| schools.iter().map(|school| found[*school][part]).sum::<u64>();
                    vec![part(0), part(1), part(2), part(0) + part(1), part(2)]
                }).collect()
            };
            let truth = counts_of(&found);
            for (unit, counts) in truth.iter().enumerate() {
                for (part, count) in counts.iter().enumerate() {
                    // A town without schools publishes no parts.
                    prop_assert!(!(1..5).contains(count) || shown[unit].get(part).is_none_or(|shown| *shown == Shown::Masked), "unit {} part {} = {}", unit, part, count);
                }
            }
            let cells: Vec<(usize, usize)> = (0..found.len()).flat_map(|school| (0..3).map(move |part| (school, part))).collect();
            let mut moved = vec![vec![false; 5]; truth.len()];
            let mut step = vec![0u64; cells.len()];
            loop {
                let mut trial = found.clone();
                let fine = cells.iter().zip(&step).all(|((school, part), step)| {
                    match (found[*school][*part] + step).checked_sub(1) {
                        Some(value) => { trial[*school][*part] = value; true }
                        None => false,
                    }
                });
                if fine {
                    let values = counts_of(&trial);
                    let agrees = values.iter().zip(&shown).all(|(values, shown)| {
                        values.iter().zip(shown).all(|(value, shown)| *shown == Shown::Masked || *shown == Shown::Count(*value))
                    });
                    if agrees {
                        for (unit, values) in values.iter().enumerate() {
                            for (part, value) in values.iter().enumerate() {
                                moved[unit][part] |= *value != truth[unit][part];
                            }
                        }
                    }
                }
                let Some(position) = step.iter().position(|s| *s < 2) else { break };
                step[position] += 1;
                step[..position].iter_mut().for_each(|s| *s = 0);
            }
            for (unit, shown) in shown.iter().enumerate() {
                for (part, shown) in shown.iter().enumerate() {
                    prop_assert!(*shown != Shown::Masked || moved[unit][part], "unit {} part {} can be worked out", unit, part);
                }
            }
        }
    }
}
