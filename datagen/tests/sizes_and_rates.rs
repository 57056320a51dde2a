//! Sizes come out as asked, and flags and absences at the rates of a rural county.

use baoxue_datagen::{generate, Dataset, Size, Spec};
use baoxue_domain::attendance::DayMarks;
use baoxue_domain::org::SchoolKind;
use baoxue_domain::status::Status;
use baoxue_domain::student::{flags_on, Flag, FlagEvent};
use std::collections::{BTreeMap, HashMap};

fn classes_per_school(dataset: &Dataset) -> usize {
    dataset.classes.len() / dataset.schools.len().max(1)
}

#[test]
fn a_class_is_one_class_of_about_45() {
    for seed in 0..5 {
        let dataset = generate(&Spec::new(seed, Size::Class));
        assert_eq!((dataset.towns.len(), dataset.schools.len(), dataset.classes.len()), (1, 1, 1));
        let roster = dataset.pupils.iter().filter(|pupil| !pupil.transferred_in).count();
        assert!((40..=50).contains(&roster), "seed {seed}: {roster}");
    }
}

#[test]
fn a_school_is_a_nine_year_school_of_two_or_three_classes_a_grade() {
    for seed in 0..3 {
        let dataset = generate(&Spec::new(seed, Size::School));
        assert_eq!(dataset.schools.len(), 1);
        assert_eq!(dataset.schools[0].school.kind, SchoolKind::NineYear);
        assert!((18..=27).contains(&classes_per_school(&dataset)), "seed {seed}");
        assert!((700..=1_500).contains(&dataset.pupils.len()), "seed {seed}: {}", dataset.pupils.len());
        for class in &dataset.classes {
            let size = dataset.pupils.iter().filter(|p| p.student.class == class.id && !p.transferred_in).count();
            assert!((40..=55).contains(&size), "{}: {size}", class.name);
        }
    }
}

#[test]
fn a_town_has_five_to_eight_schools() {
    let dataset = generate(&Spec::new(4, Size::Town));
    assert!((5..=8).contains(&dataset.schools.len()), "{}", dataset.schools.len());
    assert_eq!(dataset.schools.iter().filter(|s| s.school.kind == SchoolKind::Junior).count(), 1);
    assert!((2_000..=5_000).contains(&dataset.pupils.len()), "{}", dataset.pupils.len());
}

#[test]
fn an_exact_count_is_exact() {
    for count in [1, 45, 61, 400, 1_500, 1_501, 5_000] {
        let dataset = generate(&Spec::new(3, Size::Students(count)));
        let roster = dataset.pupils.iter().filter(|pupil| !pupil.transferred_in).count();
        assert_eq!(roster, count as usize);
    }
}

fn active_flags(dataset: &Dataset) -> BTreeMap<Flag, usize> {
    let mut by_student: HashMap<_, Vec<FlagEvent>> = HashMap::new();
    for event in &dataset.flags {
        by_student.entry(event.student).or_default().push(event.clone());
    }
    let mut counts = BTreeMap::new();
    for events in by_student.values() {
        for active in flags_on(events, dataset.spec.today) {
            *counts.entry(active.flag).or_insert(0) += 1;
        }
    }
    counts
}

#[test]
fn flags_come_at_plausible_rates() {
    let dataset = generate(&Spec::new(21, Size::Students(12_000)));
    let counts = active_flags(&dataset);
    let share = |flag| *counts.get(&flag).unwrap_or(&0) as f64 / dataset.pupils.len() as f64;
    for (flag, low, high) in [
        (Flag::LeftBehind, 0.22, 0.36),
        (Flag::SingleParent, 0.05, 0.11),
        (Flag::FamilyHardship, 0.07, 0.14),
        (Flag::LearningDifficulty, 0.05, 0.11),
        (Flag::Disability, 0.004, 0.02),
        (Flag::Wavering, 0.01, 0.035),
    ] {
        assert!((low..=high).contains(&share(flag)), "{flag:?}: {:.3} not in {low}..={high}", share(flag));
    }
    // Boarding is for junior pupils.
    let junior_boarders = dataset
        .flags
        .iter()
        .filter(|event| event.flag == Flag::Boarding)
        .filter_map(|event| dataset.pupils.iter().find(|p| p.student.id == event.student))
        .filter(|pupil| pupil.student.grade.get() >= 7)
        .count();
    assert!(junior_boarders as f64 > 0.8 * *counts.get(&Flag::Boarding).unwrap_or(&0) as f64);
    // Every set flag has its evidence.
    assert!(dataset.flags.iter().all(|event| !event.evidence.trim().is_empty()));
}

#[test]
fn absences_are_rare_for_most_and_chronic_for_a_few() {
    let dataset = generate(&Spec::new(22, Size::Students(6_000)));
    let events: HashMap<_, usize> = dataset.statuses.iter().fold(HashMap::new(), |mut counts, event| {
        *counts.entry(event.student).or_default() += 1;
        counts
    });
    let mut marks: HashMap<_, Vec<_>> = HashMap::new();
    for mark in dataset.counted_marks() {
        marks.entry(mark.student).or_default().push(mark.clone());
    }
    let school_days: HashMap<_, Vec<_>> =
        dataset.schools.iter().map(|setup| (setup.school.id, dataset.school_days(setup.school.id))).collect();
    // Children in class all term: one status event (在读 at the import), no later change.
    let (mut chronic, mut counted, mut absent_days, mut days_total) = (0, 0, 0, 0);
    for pupil in dataset.pupils.iter().filter(|p| events.get(&p.student.id) == Some(&1) && !p.transferred_in) {
        let days = &school_days[&pupil.student.school];
        // Every school day counted as handed in: the generator writes absences only.
        let register = DayMarks::new(
            marks.get(&pupil.student.id).map(Vec::as_slice).unwrap_or_default(),
            days.iter().copied().collect(),
        );
        let absent = register.absent_days(days);
        counted += 1;
        absent_days += absent;
        days_total += days.len();
        if absent * 10 >= days.len() {
            chronic += 1;
        }
    }
    let chronic_share = chronic as f64 / counted as f64;
    let absence_rate = absent_days as f64 / days_total as f64;
    assert!((0.03..=0.09).contains(&chronic_share), "chronic absence {chronic_share:.3}");
    assert!((0.015..=0.05).contains(&absence_rate), "absence rate {absence_rate:.3}");
}

#[test]
fn unexcused_absence_clusters_in_grade_8_and_among_wavering_children() {
    let dataset = generate(&Spec::new(23, Size::Students(8_000)));
    let wavering: std::collections::HashSet<_> =
        dataset.flags.iter().filter(|e| e.flag == Flag::Wavering && e.set).map(|e| e.student).collect();
    let grade: HashMap<_, u8> = dataset.pupils.iter().map(|p| (p.student.id, p.student.grade.get())).collect();
    let unexcused: Vec<_> = dataset
        .counted_marks()
        .into_iter()
        .filter(|mark| mark.kind == baoxue_domain::attendance::MarkKind::Unexcused)
        .collect();
    let per_child = |filter: &dyn Fn(&baoxue_domain::ids::StudentId) -> bool| {
        let children = dataset.pupils.iter().filter(|p| filter(&p.student.id)).count().max(1);
        unexcused.iter().filter(|mark| filter(&mark.student)).count() as f64 / children as f64
    };
    let wavering_rate = per_child(&|id| wavering.contains(id));
    let others_rate = per_child(&|id| !wavering.contains(id));
    assert!(wavering_rate > 3.0 * others_rate, "{wavering_rate:.2} vs {others_rate:.2}");
    let grade_8 = per_child(&|id| grade[id] == 8);
    let grade_1_to_3 = per_child(&|id| grade[id] <= 3);
    assert!(grade_8 > 2.0 * grade_1_to_3, "{grade_8:.2} vs {grade_1_to_3:.2}");
}

#[test]
fn a_term_has_transfers_dropouts_and_returns() {
    let dataset = generate(&Spec::new(24, Size::Students(10_000)));
    let count = |status| dataset.statuses.iter().filter(|event| event.status == status).count();
    assert!(count(Status::TransferOutPending) > 20);
    assert!(count(Status::TransferOutConfirmed) > 5);
    assert!(count(Status::TransferOutConfirmed) < count(Status::TransferOutPending), "some receipts never come");
    assert!(count(Status::DroppedOut) > 3);
    assert!(count(Status::Returned) >= 1);
    assert!(count(Status::TransferredIn) > 5);
    assert!(count(Status::Deceased) <= 3);
    assert!(dataset.statuses.iter().all(|event| !event.evidence.trim().is_empty()));
}
