//! The persuasion work after a dropout comes in the proportions `casework` states, on
//! school-sized data: a school has a few dropouts a term, so many schools are pooled, and the
//! tolerance allows for the pool's size and for the cases `today` cut short.

use baoxue_datagen::{generate, Dataset, Size, Spec};
use baoxue_domain::case::{CaseField, CaseStatus};
use baoxue_domain::contact::ContactMethod;
use baoxue_domain::ids::CaseId;
use baoxue_domain::status::Status;
use chrono::Days;
use std::collections::HashSet;

/// What happened to the cases of one data set, counted.
#[derive(Debug, Default)]
struct Tally {
    dropouts: usize,
    /// Dropouts found at a school elsewhere before a case opened.
    no_case: usize,
    cases: usize,
    /// Cases opened 45 days or more before today: time enough for a return to come.
    settled: usize,
    settled_returned: usize,
    settled_closed: usize,
    /// Returns 30 days or more before today: time enough for a relapse to show.
    returned_early: usize,
    reopened_early: usize,
    /// Cases with three failed contacts or more, and of them those with a notice.
    three_failures: usize,
    noticed: usize,
    contacts: usize,
    home_visits: usize,
}

fn edited_to(dataset: &Dataset, case: CaseId, status: CaseStatus) -> bool {
    dataset.casework.case_edits.iter().any(|edit| edit.case == case && edit.field == CaseField::Status(status))
}

fn tally(dataset: &Dataset, tally: &mut Tally) {
    let work = &dataset.casework;
    let today = dataset.spec.today;
    tally.dropouts += dataset.statuses.iter().filter(|event| event.status == Status::DroppedOut).count();
    tally.no_case += dataset.statuses.iter().filter(|event| event.evidence.contains("不需立案劝返")).count();
    tally.cases += work.cases.len();
    let returned: HashSet<CaseId> = work.placements.iter().map(|placement| placement.case).collect();
    for placement in &work.placements {
        if placement.returned_on + Days::new(30) <= today {
            tally.returned_early += 1;
            tally.reopened_early += usize::from(edited_to(dataset, placement.case, CaseStatus::Open));
        }
    }
    for case in &work.cases {
        let contacts: Vec<_> = work.contacts.iter().filter(|c| c.case == Some(case.id)).collect();
        assert!((1..=7).contains(&contacts.len()), "1–6 contacts, and one more after a relapse");
        // A failed contact is one that did not agree a return.
        let failed = contacts.iter().filter(|c| !c.outcome.starts_with("约定") && !c.outcome.contains("督促")).count();
        let notices = work.notices.iter().filter(|notice| notice.case == case.id).count();
        assert!(notices <= 1);
        if failed >= 3 {
            tally.three_failures += 1;
            tally.noticed += notices;
        } else {
            assert_eq!(notices, 0, "a notice comes after three failed contacts");
        }
        let opened = contacts.iter().map(|c| c.date).min().unwrap();
        if opened + Days::new(45) <= today {
            tally.settled += 1;
            tally.settled_returned += usize::from(returned.contains(&case.id));
            tally.settled_closed += usize::from(edited_to(dataset, case.id, CaseStatus::Closed));
        }
    }
    let case_contacts = work.contacts.iter().filter(|contact| contact.case.is_some());
    for contact in case_contacts {
        tally.contacts += 1;
        tally.home_visits += usize::from(contact.method == ContactMethod::HomeVisit);
    }
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole.max(1) as f64
}

#[test]
fn school_sized_sets_have_cases_returns_notices_and_relapses_in_proportion() {
    let mut pooled = Tally::default();
    for seed in 0..100 {
        tally(&generate(&Spec::new(seed, Size::School)), &mut pooled);
    }
    let within = |value: f64, expected: f64, tolerance: f64| (value - expected).abs() <= tolerance;
    assert!(pooled.dropouts > 200, "{pooled:?}");
    assert!(within(share(pooled.cases, pooled.cases + pooled.no_case), 0.85, 0.08), "85% get a case: {pooled:?}");
    assert!(within(share(pooled.settled_returned, pooled.settled), 0.70, 0.15), "70% return: {pooled:?}");
    let not_returned = pooled.settled - pooled.settled_returned;
    assert!(pooled.settled_closed > 0 && pooled.settled_closed < not_returned, "some close lawfully: {pooled:?}");
    assert!(within(share(pooled.reopened_early, pooled.returned_early), 0.10, 0.08), "10% relapse: {pooled:?}");
    assert!(within(share(pooled.noticed, pooled.three_failures), 0.20, 0.12), "20% get a notice: {pooled:?}");
    assert!(within(share(pooled.home_visits, pooled.contacts), 0.85, 0.1), "mostly home visits: {pooled:?}");
}

#[test]
fn each_dropout_has_its_ledger_row_and_each_return_its_class_placement_and_follow_ups() {
    for seed in 0..20 {
        let dataset = generate(&Spec::new(seed, Size::School));
        let work = &dataset.casework;
        let today = dataset.spec.today;
        let dropped: Vec<_> = dataset.statuses.iter().filter(|event| event.status == Status::DroppedOut).collect();
        assert_eq!(work.investigations.len(), dropped.len(), "seed {seed}: one ledger row per dropout");
        for row in &work.investigations {
            assert!((1..=3).contains(&row.reasons.len()));
            assert!(dropped.iter().any(|event| event.student == row.student && row.found_on <= event.date));
        }
        for (index, notice) in work.notices.iter().enumerate() {
            assert_eq!(notice.number, format!("〔2026〕第{:03}号", index + 1), "seed {seed}: numbered in order");
        }
        assert!(work.notices.windows(2).all(|pair| pair[0].issued_on <= pair[1].issued_on));
        for placement in &work.placements {
            let pupil = dataset.pupils.iter().find(|pupil| pupil.student.id == placement.student).unwrap();
            assert_eq!(placement.class, pupil.student.class);
            let class = dataset.classes.iter().find(|class| class.id == placement.class).unwrap();
            assert!(dataset.statuses.iter().any(|event| event.student == placement.student
                && event.status == Status::Returned
                && event.date == placement.returned_on
                && event.evidence.contains(&class.name)));
            let checks: Vec<i64> = work
                .follow_ups
                .iter()
                .filter(|follow_up| follow_up.case == placement.case)
                .map(|follow_up| (follow_up.date - placement.returned_on).num_days())
                .collect();
            for (after, within) in [(7, 0..=4), (30, 0..=9)] {
                if placement.returned_on + Days::new(after + 9) <= today {
                    assert!(
                        checks.iter().any(|days| within.contains(&(days - after as i64))),
                        "seed {seed}: a check {after} days after the return (the next school day): {checks:?}"
                    );
                }
            }
        }
    }
}
