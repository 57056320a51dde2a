//! The org tree: county, towns with their villages and 农忙假, schools with their calendars,
//! classes with the number of children each will get.

use crate::clock::{beijing_ms, days_before};
use crate::dice::Dice;
use crate::names;
use crate::spec::{Size, Spec};
use baoxue_domain::calendar::{Calendar, DayKind};
use baoxue_domain::ids::{ClassId, CountyId, SchoolId, TownId};
use baoxue_domain::org::{Class, County, Grade, School, SchoolKind, Town};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

/// A town and what the generator decided about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TownSetup {
    pub town: Town,
    /// The town's 村, where its children live.
    pub villages: Vec<String>,
    /// The town's 农忙假, if it gives one (school days off in the farm season).
    pub farm_break: Vec<NaiveDate>,
}

/// A school and what its office sets up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SchoolSetup {
    pub school: School,
    /// 学校标识码: the 10-digit code of the national 学籍 system.
    pub code: String,
    /// The 教导处 staff member who imports the roster and records status events.
    pub office: String,
    pub calendar: Calendar,
    /// The village of a village school (村小), whose children mostly come from it.
    pub home_village: Option<String>,
}

pub(crate) struct Tree {
    pub county: County,
    pub area_code: &'static str,
    pub towns: Vec<TownSetup>,
    pub schools: Vec<SchoolSetup>,
    /// Classes in school order, with how many children each gets.
    pub classes: Vec<(Class, u32)>,
}

struct Ids<'a> {
    dice: &'a mut Dice,
    day: NaiveDate,
    made: u64,
}

impl Ids<'_> {
    /// The next id time: the operator types the tree in one morning, a few seconds apart.
    fn next(&mut self) -> (u64, [u8; 10]) {
        self.made += 1;
        (beijing_ms(self.day, 9, 0, self.made * 4_000), self.dice.id_bytes())
    }
}

/// A class to be: its grade, its number within the grade and its size.
struct ClassPlan {
    grade: u8,
    number: u32,
    size: u32,
}

struct SchoolPlan {
    name: String,
    kind: SchoolKind,
    home_village: Option<String>,
    classes: Vec<ClassPlan>,
}

pub(crate) fn plan(spec: &Spec, dice: &mut Dice, ids_dice: &mut Dice) -> Tree {
    let (county_name, area_code) = *dice.pick(names::COUNTIES);
    let org_day = days_before(spec.term.term.start, 14, spec.today);
    let setup_day = days_before(spec.term.term.start, 5, spec.today);
    let mut ids = Ids { dice: ids_dice, day: org_day, made: 0 };
    let (ms, bytes) = ids.next();
    let county = County { id: CountyId::new_v7(ms, bytes), name: county_name.to_owned() };

    // Decide towns and their schools first, sizes nominal; then scale to an exact count.
    let mut town_names: Vec<String> = Vec::new();
    let mut town_plans: Vec<(String, Vec<String>, Vec<SchoolPlan>)> = Vec::new();
    let mut add_town = |dice: &mut Dice, shape: TownShape| {
        let name = names::town_name(dice, &town_names);
        town_names.push(name.clone());
        let mut villages: Vec<String> = Vec::new();
        for _ in 0..dice.range(8, 18) {
            let village = names::village_name(dice, &villages);
            villages.push(village);
        }
        let schools = shape.schools(dice, &name, &villages);
        let total: u32 = schools.iter().flat_map(|school| &school.classes).map(|class| class.size).sum();
        town_plans.push((name, villages, schools));
        total
    };
    let target = match spec.size {
        Size::Class => {
            add_town(dice, TownShape::OneClass(None));
            None
        }
        Size::Students(count) if count <= 60 => {
            add_town(dice, TownShape::OneClass(Some(count)));
            Some(count)
        }
        Size::School => {
            add_town(dice, TownShape::OneSchool(None));
            None
        }
        Size::Students(count) if count <= 1_500 => {
            add_town(dice, TownShape::OneSchool(Some(count)));
            Some(count)
        }
        Size::Town => {
            add_town(dice, TownShape::Full);
            None
        }
        Size::County | Size::Students(_) => {
            let target = match spec.size {
                Size::Students(count) => count,
                _ => dice.range(96_000, 104_000),
            };
            let mut total = 0;
            while total < target {
                total += add_town(dice, TownShape::Full);
            }
            Some(target)
        }
    };
    if let Some(target) = target {
        let mut sizes: Vec<&mut u32> = town_plans
            .iter_mut()
            .flat_map(|(_, _, schools)| schools.iter_mut())
            .flat_map(|school| school.classes.iter_mut())
            .map(|class| &mut class.size)
            .collect();
        scale_to(&mut sizes, target);
    }

    let mut towns = Vec::new();
    let mut schools = Vec::new();
    let mut classes = Vec::new();
    for (town_name, villages, school_plans) in town_plans {
        let (ms, bytes) = ids.next();
        let town = Town { id: TownId::new_v7(ms, bytes), county: county.id, name: town_name };
        let farm_break = if dice.chance(0.45) { farm_break(dice, spec) } else { Vec::new() };
        for plan in school_plans {
            let (ms, bytes) = ids.next();
            let school = School { id: SchoolId::new_v7(ms, bytes), town: town.id, name: plan.name, kind: plan.kind };
            let code = format!("21{}{:04}", &area_code[2..], schools.len() + 1);
            let setup = SchoolSetup {
                calendar: calendar(spec, &farm_break),
                code,
                office: names::adult_name(dice),
                school,
                home_village: plan.home_village,
            };
            // The school's office types its classes in on setup day.
            let class_ids_from = beijing_ms(setup_day, 10, 0, 0);
            for (index, class_plan) in plan.classes.iter().enumerate() {
                let id = ClassId::new_v7(class_ids_from + index as u64 * 2_000, ids.dice.id_bytes());
                let grade = Grade::new(class_plan.grade).expect("class plans hold grades 1 to 9");
                let class = Class {
                    id,
                    school: setup.school.id,
                    grade,
                    name: format!("{}年级({})班", names::grade_word(class_plan.grade), class_plan.number),
                    head_teacher: names::adult_name(dice),
                };
                classes.push((class, class_plan.size));
            }
            schools.push(setup);
        }
        towns.push(TownSetup { town, villages, farm_break });
    }
    Tree { county, area_code, towns, schools, classes }
}

#[derive(Clone, Copy)]
enum TownShape {
    /// One class, of this many children if given.
    OneClass(Option<u32>),
    /// One 九年一贯制 school, of about this many children if given.
    OneSchool(Option<u32>),
    /// A 初中, a 中心小学 and village schools.
    Full,
}

fn stem(town: &str) -> &str {
    town.trim_end_matches(['镇', '乡'])
}

fn classes(
    dice: &mut Dice,
    grades: std::ops::RangeInclusive<u8>,
    per_grade: (u32, u32),
    size: (u32, u32),
) -> Vec<ClassPlan> {
    let mut plans = Vec::new();
    for grade in grades {
        for number in 1..=dice.range(per_grade.0, per_grade.1) {
            plans.push(ClassPlan { grade, number, size: dice.range(size.0, size.1) });
        }
    }
    plans
}

impl TownShape {
    fn schools(self, dice: &mut Dice, town: &str, villages: &[String]) -> Vec<SchoolPlan> {
        match self {
            TownShape::OneClass(count) => {
                let grade = dice.range(1, 9) as u8;
                let (name, kind) = if grade <= 6 {
                    (format!("{town}中心小学"), SchoolKind::Primary)
                } else {
                    (format!("{}中学", stem(town)), SchoolKind::Junior)
                };
                let size = count.unwrap_or_else(|| dice.range(40, 50));
                vec![SchoolPlan { name, kind, home_village: None, classes: vec![ClassPlan { grade, number: 1, size }] }]
            }
            TownShape::OneSchool(count) => {
                let per_grade = match count {
                    Some(count) => (count / (9 * 47)).max(1),
                    None => 2,
                };
                let mut plans = classes(dice, 1..=6, (per_grade, per_grade + u32::from(count.is_none())), (40, 52));
                plans.extend(classes(dice, 7..=9, (per_grade, per_grade + u32::from(count.is_none())), (42, 55)));
                vec![SchoolPlan {
                    name: format!("{}九年一贯制学校", stem(town)),
                    kind: SchoolKind::NineYear,
                    home_village: None,
                    classes: plans,
                }]
            }
            TownShape::Full => {
                let mut schools = vec![
                    SchoolPlan {
                        name: format!("{}中学", stem(town)),
                        kind: SchoolKind::Junior,
                        home_village: None,
                        classes: classes(dice, 7..=9, (5, 8), (45, 56)),
                    },
                    SchoolPlan {
                        name: format!("{town}中心小学"),
                        kind: SchoolKind::Primary,
                        home_village: None,
                        classes: classes(dice, 1..=6, (4, 6), (40, 52)),
                    },
                ];
                let village_schools = dice.range(3, 6) as usize;
                for village in villages.iter().take(village_schools) {
                    let stem = village.trim_end_matches(['村', '屯']);
                    if dice.chance(0.2) {
                        schools.push(SchoolPlan {
                            name: format!("{stem}学校"),
                            kind: SchoolKind::NineYear,
                            home_village: Some(village.clone()),
                            classes: classes(dice, 1..=9, (1, 1), (25, 42)),
                        });
                    } else {
                        schools.push(SchoolPlan {
                            name: format!("{stem}小学"),
                            kind: SchoolKind::Primary,
                            home_village: Some(village.clone()),
                            classes: classes(dice, 1..=6, (1, 1), (12, 35)),
                        });
                    }
                }
                schools
            }
        }
    }
}

/// Scales `sizes` so they add up to `target` exactly, keeping their proportions: each gets the
/// whole part of its share, and the leftover goes one each to the largest remainders (the
/// earlier class on a tie).
fn scale_to(sizes: &mut [&mut u32], target: u32) {
    let total: u64 = sizes.iter().map(|size| u64::from(**size)).sum();
    if total == 0 {
        return;
    }
    let mut remainders: Vec<(u64, usize)> = Vec::with_capacity(sizes.len());
    let mut given: u64 = 0;
    for (index, size) in sizes.iter_mut().enumerate() {
        let share = u64::from(**size) * u64::from(target);
        **size = (share / total) as u32;
        given += u64::from(**size);
        remainders.push((share % total, index));
    }
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders.into_iter().take((u64::from(target) - given) as usize) {
        *sizes[index] += 1;
    }
}

/// Two to four weekdays in a row inside the farm season, none of them a holiday.
fn farm_break(dice: &mut Dice, spec: &Spec) -> Vec<NaiveDate> {
    let plan = &spec.term;
    let weekday = |day: &NaiveDate| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    let open: Vec<NaiveDate> = plan
        .farm_season
        .0
        .iter_days()
        .take_while(|day| *day <= plan.farm_season.1)
        .filter(|day| weekday(day) && !plan.holidays.contains(day) && !plan.make_up_days.contains(day))
        .collect();
    let length = dice.range(2, 4) as usize;
    if open.len() < length {
        return Vec::new();
    }
    // Only runs with no weekend inside: consecutive calendar days.
    let starts: Vec<usize> = (0..=open.len() - length)
        .filter(|start| (open[start + length - 1] - open[*start]).num_days() == length as i64 - 1)
        .collect();
    if starts.is_empty() {
        return Vec::new();
    }
    let start = *dice.pick(&starts);
    open[start..start + length].to_vec()
}

fn calendar(spec: &Spec, farm_break: &[NaiveDate]) -> Calendar {
    let plan = &spec.term;
    let mut calendar = Calendar { terms: plan.terms().cloned().collect(), exceptions: Default::default() };
    for day in &plan.holidays {
        calendar.exceptions.insert(*day, DayKind::Holiday);
    }
    for day in &plan.make_up_days {
        calendar.exceptions.insert(*day, DayKind::MakeUpDay);
    }
    for day in farm_break {
        calendar.exceptions.insert(*day, DayKind::FarmBreak);
    }
    calendar
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dice::Part;

    /// The county's tree only: generating its 100,000 children is for the release-built command.
    #[test]
    fn a_county_plans_about_100_000_children_in_about_30_towns() {
        for seed in 0..3 {
            let spec = Spec::new(seed, Size::County);
            let tree = plan(&spec, &mut Dice::new(seed, Part::Org, 0), &mut Dice::new(seed, Part::Ids, 0));
            let children: u32 = tree.classes.iter().map(|(_, size)| size).sum();
            assert!((96_000..=104_000).contains(&children), "seed {seed}: {children}");
            assert!((25..=40).contains(&tree.towns.len()), "seed {seed}: {} towns", tree.towns.len());
            assert!(tree.towns.iter().any(|town| !town.farm_break.is_empty()));
            assert!(tree.towns.iter().any(|town| town.farm_break.is_empty()));
            let codes: std::collections::BTreeSet<_> = tree.schools.iter().map(|s| s.code.as_str()).collect();
            assert_eq!(codes.len(), tree.schools.len(), "学校标识码 are unique");
            for (class, size) in &tree.classes {
                assert!((5..=56).contains(size), "{}: {size}", class.name);
            }
        }
    }

    #[test]
    fn a_farm_break_is_weekdays_in_a_row_inside_the_season() {
        let spec = Spec::new(1, Size::Town);
        let mut dice = Dice::new(1, Part::Org, 0);
        for _ in 0..50 {
            let days = farm_break(&mut dice, &spec);
            assert!((2..=4).contains(&days.len()));
            assert!(days.windows(2).all(|pair| (pair[1] - pair[0]).num_days() == 1));
            assert!(days.iter().all(|day| (spec.term.farm_season.0..=spec.term.farm_season.1).contains(day)));
            assert!(days.iter().all(|day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)));
        }
    }

    #[test]
    fn scaling_hits_the_target_exactly() {
        let mut values = [45u32, 50, 12, 33, 48];
        let mut refs: Vec<&mut u32> = values.iter_mut().collect();
        scale_to(&mut refs, 150);
        assert_eq!(values.iter().sum::<u32>(), 150);
        let mut values = [45u32; 7];
        let mut refs: Vec<&mut u32> = values.iter_mut().collect();
        scale_to(&mut refs, 3);
        assert_eq!(values.iter().sum::<u32>(), 3);
    }
}
