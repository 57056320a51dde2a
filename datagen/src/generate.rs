//! From a `Spec` to a `Dataset`: the tree, then town by town the families and children, then
//! school by school the flags, status episodes and the register.

use crate::attendance::{Propensity, Register, SchoolDays};
use crate::casework::{CaseWorker, Casework, Child};
use crate::clock::{beijing_ms, days_before};
use crate::dataset::Dataset;
use crate::dice::{Dice, Part};
use crate::episodes::{self, Recorder, Risk};
use crate::flags::FlagContext;
use crate::people::{import_ms, school_year_of, Families, LeftBehind, Pupil};
use crate::spec::Spec;
use crate::tree;
use baoxue_domain::ids::StudentId;
use baoxue_domain::org::Class;
use baoxue_domain::student::Flag;
use chrono::{Days, NaiveDate};
use std::collections::HashSet;

/// Generates the data set `spec` describes. Deterministic: the same spec, the same data.
pub fn generate(spec: &Spec) -> Dataset {
    let seed = spec.seed;
    let today = spec.today;
    let term = &spec.term.term;
    let tree = tree::plan(spec, &mut Dice::new(seed, Part::Org, 0), &mut Dice::new(seed, Part::Ids, 0));
    let import_day = days_before(term.start, 3, today);
    let school_year = school_year_of(term.start);

    let mut households = Vec::new();
    let mut numbers = HashSet::new();
    let mut pupils: Vec<Pupil> = Vec::new();
    let mut flags = Vec::new();
    let mut statuses = Vec::new();
    let mut marks = Vec::new();
    let mut casework = Casework::default();

    for (town_index, town) in tree.towns.iter().enumerate() {
        let mut families = Families {
            dice: Dice::new(seed, Part::People, town_index as u64),
            area_code: tree.area_code,
            town: town.town.name.clone(),
            villages: town.villages.clone(),
            households: &mut households,
            town_households: Vec::new(),
            numbers: &mut numbers,
            school_year,
        };
        for (school_index, setup) in
            tree.schools.iter().enumerate().filter(|(_, setup)| setup.school.town == town.town.id)
        {
            let mut ids = Dice::new(seed, Part::Ids, school_index as u64 + 1);
            let classes: Vec<&(Class, u32)> =
                tree.classes.iter().filter(|(class, _)| class.school == setup.school.id).collect();
            let all_days = setup.calendar.school_days(term.start, spec.term.last_day());
            let days: Vec<NaiveDate> = all_days.iter().copied().filter(|day| *day <= today).collect();
            let elapsed = if all_days.is_empty() { 0.0 } else { days.len() as f64 / all_days.len() as f64 };

            // The roster import, class by class.
            let first_pupil = pupils.len();
            let mut import_at = import_ms(import_day, school_index);
            for (class, size) in &classes {
                let home_village = setup.home_village.as_deref();
                let made =
                    families.class(class, setup.school.kind, home_village, *size, &mut ids, (import_day, import_at));
                import_at += u64::from(*size) * 500;
                pupils.extend(made);
            }
            // Children who arrive from other schools during the term.
            let on_roll = pupils.len() - first_pupil;
            let arrivals = (on_roll as f64 * 0.006 * elapsed).round() as usize;
            if days.len() > 2 && !classes.is_empty() {
                for arrival in 0..arrivals {
                    let (class, size) = *families.dice.pick(&classes);
                    let day = days[families.dice.range(1, days.len() as u32 - 1) as usize];
                    let seat = size + 1 + pupils[first_pupil..].iter().filter(|p| p.transferred_in).count() as u32;
                    let id = StudentId::new_v7(beijing_ms(day, 10, 0, arrival as u64 * 1_000), ids.id_bytes());
                    let household = families.household_for(class.id, setup.home_village.as_deref());
                    let mut pupil = families.child(id, class, setup.school.kind, household, seat, day);
                    pupil.transferred_in = true;
                    pupils.push(pupil);
                }
            }

            // Flags, episodes and the register.
            let mut flag_dice = Dice::new(seed, Part::People, (1 << 32) + school_index as u64);
            let mut dice = Dice::new(seed, Part::Attendance, school_index as u64);
            let school_days = school_days_of(spec, town.farm_break.is_empty(), &days);
            let flu = flu_weeks(&mut dice, days.len());
            let mut context = FlagContext { dice: &mut flag_dice, ids: &mut ids, term_start: term.start, today };
            let mut risks = Vec::new();
            for pupil in &pupils[first_pupil..] {
                let before = flags.len();
                context.flags_of(pupil, &families.households[pupil.household], setup.school.kind, &mut flags);
                let has = |flag: Flag| flags[before..].iter().any(|event| event.flag == flag && event.set);
                risks.push((
                    Risk {
                        wavering: has(Flag::Wavering),
                        learning_difficulty: has(Flag::LearningDifficulty),
                        hardship: has(Flag::FamilyHardship),
                        disability: has(Flag::Disability),
                    },
                    has(Flag::Boarding),
                ));
            }
            let mut chosen: Vec<episodes::Episode> = pupils[first_pupil..]
                .iter()
                .zip(&risks)
                .map(|(pupil, (risk, _))| episodes::choose(&mut dice, pupil, risk, elapsed))
                .collect();
            ensure_a_streak(&mut dice, &mut chosen, &pupils[first_pupil..], &risks, days.len());
            let mut work =
                CaseWorker::new(Dice::new(seed, Part::Casework, school_index as u64), &town.town.name, &casework);
            let class_minutes: Vec<_> =
                classes.iter().enumerate().map(|(index, (class, _))| (class.id, index)).collect();
            for (offset, episode) in chosen.into_iter().enumerate() {
                let pupil = &pupils[first_pupil + offset];
                let (risk, boarding) = &risks[offset];
                let household = &families.households[pupil.household];
                let (class, _) = classes
                    .iter()
                    .find(|(class, _)| class.id == pupil.student.class)
                    .expect("every child was made for a class of this school");
                let child = Child {
                    pupil,
                    class,
                    household,
                    hardship: risk.hardship,
                    learning_difficulty: risk.learning_difficulty,
                };
                let mut recorder = Recorder {
                    dice: &mut dice,
                    ids: &mut ids,
                    days: &days,
                    today,
                    events: &mut statuses,
                    work: &mut work,
                    casework: &mut casework,
                };
                let course = recorder.play(&child, episode);
                let left_behind = household.left_behind != LeftBehind::No;
                let (propensity, chronic) =
                    Propensity::new(&mut dice, pupil.student.grade.get(), risk, left_behind, *boarding);
                let class_index =
                    class_minutes.iter().find(|(id, _)| *id == pupil.student.class).map_or(0, |(_, index)| *index);
                let mut register = Register {
                    dice: &mut dice,
                    ids: &mut ids,
                    school_days: &school_days,
                    flu: class_flu(&flu, class_index),
                    register_minute: 5 + (class_index as u32 * 3) % 50,
                    marks: &mut marks,
                };
                register.child(pupil, &course, &propensity);
                pupils[first_pupil + offset].chronic = chronic;
            }
            work.finish(&mut casework);
        }
    }
    Dataset {
        spec: spec.clone(),
        county: tree.county,
        area_code: tree.area_code.to_owned(),
        towns: tree.towns,
        schools: tree.schools,
        classes: tree.classes.into_iter().map(|(class, _)| class).collect(),
        households,
        pupils,
        flags,
        statuses,
        marks,
        casework,
    }
}

/// A school of a hundred or more always has one child whose unexcused days run up to today,
/// so tests of the suspected-dropout rule have something to find.
fn ensure_a_streak(
    dice: &mut Dice,
    chosen: &mut [episodes::Episode],
    pupils: &[Pupil],
    risks: &[(Risk, bool)],
    school_days: usize,
) {
    use episodes::Episode;
    if pupils.len() < 100 || school_days < 3 || chosen.contains(&Episode::OngoingStreak) {
        return;
    }
    let staying: Vec<usize> =
        (0..pupils.len()).filter(|index| chosen[*index] == Episode::Stays && !pupils[*index].transferred_in).collect();
    let wavering: Vec<usize> = staying.iter().copied().filter(|index| risks[*index].0.wavering).collect();
    let pool = if wavering.is_empty() { &staying } else { &wavering };
    if !pool.is_empty() {
        let index = *dice.pick(pool);
        chosen[index] = Episode::OngoingStreak;
    }
}

/// One or two flu outbreaks in the school, in the colder second half of the term so far.
fn flu_weeks(dice: &mut Dice, days: usize) -> Vec<(usize, usize)> {
    if days < 10 {
        return Vec::new();
    }
    (0..dice.range(1, 2))
        .map(|_| {
            let start = days / 3 + dice.below((days - days / 3) as u64) as usize;
            (start, start + dice.range(5, 9) as usize)
        })
        .collect()
}

/// The outbreaks a class catches: most classes catch each, a few days apart.
fn class_flu(outbreaks: &[(usize, usize)], class_index: usize) -> Vec<(usize, usize)> {
    outbreaks
        .iter()
        .enumerate()
        .filter(|(outbreak, _)| !(class_index * 7 + outbreak * 3).is_multiple_of(5))
        .map(|(_, (from, until))| {
            let shift = (class_index % 3).saturating_sub(1);
            (from + shift, until + shift)
        })
        .collect()
}

fn school_days_of<'a>(spec: &Spec, no_farm_break: bool, days: &'a [NaiveDate]) -> SchoolDays<'a> {
    let (season_from, season_until) = spec.term.farm_season;
    let farm_season = days.iter().map(|day| (season_from..=season_until).contains(day)).collect();
    // The first two school days after a holiday of three days or more.
    let mut holidays = spec.term.holidays.clone();
    holidays.sort();
    let mut ends = Vec::new();
    let mut run = 0;
    for (index, day) in holidays.iter().enumerate() {
        run = if index > 0 && holidays[index - 1] + Days::new(1) == *day { run + 1 } else { 1 };
        let last_of_run = holidays.get(index + 1).is_none_or(|next| *next != *day + Days::new(1));
        if last_of_run && run >= 3 {
            ends.push(*day);
        }
    }
    let after_holiday = days
        .iter()
        .enumerate()
        .map(|(index, day)| {
            ends.iter().any(|end| {
                let first_after = days.iter().position(|school_day| school_day > end);
                first_after.is_some_and(|first| *day > *end && index < first + 2)
            })
        })
        .collect();
    SchoolDays { days, farm_season, has_farm_break: !no_farm_break, after_holiday }
}
