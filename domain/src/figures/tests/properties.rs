//! Rules that must hold for any records: every rate stays within 0..=1, and figures add up
//! from schools to towns to the county, equal to those of the pooled students.

use crate::attendance::MarkKind;
use crate::calendar::DayKind;
use crate::contact::ContactMethod;
use crate::figures::{FigureInputs, Figures, Period, Ratio, Scope};
use crate::ids::{CountyId, SchoolId, TownId};
use crate::org::{Grade, SchoolKind};
use crate::settings::Rules;
use crate::status::Status;
use crate::test_school::TestSchool;
use chrono::{Days, NaiveDate};
use proptest::collection::vec;
use proptest::prelude::*;

const MARKS: [MarkKind; 5] =
    [MarkKind::Present, MarkKind::Late, MarkKind::Sick, MarkKind::Personal, MarkKind::Unexcused];
const METHODS: [ContactMethod; 4] =
    [ContactMethod::HomeVisit, ContactMethod::Phone, ContactMethod::Message, ContactMethod::AtSchool];
const PEOPLE: [&str; 4] = ["王老师", "李老师", "赵老师", "村干部"];
const KINDS: [SchoolKind; 3] = [SchoolKind::Primary, SchoolKind::Junior, SchoolKind::NineYear];

/// Day offsets count from 1 August 2026; the term runs from offset 31 to 172.
fn on(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 8, 1).unwrap() + Days::new(offset)
}

#[derive(Clone, Debug)]
struct StudentPlan {
    events: Vec<(u64, usize)>,
    marks: Vec<(u64, usize)>,
    contacts: Vec<(u64, usize, usize)>,
}

#[derive(Clone, Debug)]
struct ClassPlan {
    grade: u8,
    head_teacher: usize,
    students: Vec<StudentPlan>,
}

#[derive(Clone, Debug)]
struct SchoolPlan {
    town: usize,
    kind: usize,
    rules: Rules,
    holidays: Vec<u64>,
    classes: Vec<ClassPlan>,
    /// Age in days on 1 September 2026, and the index of a student of the school it matches.
    residents: Vec<(u64, Option<usize>)>,
}

#[derive(Clone, Debug)]
struct CountyPlan {
    towns: usize,
    schools: Vec<SchoolPlan>,
    period_start: u64,
    period_days: u64,
    /// On or after the start of the period: a period not begun has empty figures (a worked
    /// test shows it) and would test nothing here.
    today: u64,
}

fn student_plan() -> impl Strategy<Value = StudentPlan> {
    (
        vec((0u64..240, 0..Status::ALL.len()), 1..6),
        vec((0u64..240, 0..MARKS.len()), 0..6),
        vec((0u64..240, 0..METHODS.len(), 0..PEOPLE.len()), 0..3),
    )
        .prop_map(|(events, marks, contacts)| StudentPlan { events, marks, contacts })
}

fn class_plan() -> impl Strategy<Value = ClassPlan> {
    (1u8..=9, 0..PEOPLE.len(), vec(student_plan(), 0..6)).prop_map(|(grade, head_teacher, students)| ClassPlan {
        grade,
        head_teacher,
        students,
    })
}

fn rules() -> impl Strategy<Value = Rules> {
    (1u32..30, 0u32..3000, 0u32..2000, 0u32..2000, 0u32..60, 0u32..4, 0u32..4).prop_map(
        |(receipt, chronic, primary_limit, junior_limit, still_days, head_teacher_quota, child_quota)| Rules {
            transfer_receipt_days: receipt,
            chronic_absence_bp: chronic,
            dropout_limit_primary_bp: primary_limit,
            dropout_limit_junior_bp: junior_limit,
            returned_still_attending_days: still_days,
            visits_per_head_teacher: head_teacher_quota,
            visits_per_relapsing_child: child_quota,
            ..Rules::default()
        },
    )
}

fn school_plan() -> impl Strategy<Value = SchoolPlan> {
    (
        0usize..3,
        0..KINDS.len(),
        rules(),
        vec(0u64..240, 0..4),
        vec(class_plan(), 0..4),
        vec((0u64..7300, proptest::option::of(0usize..20)), 0..4),
    )
        .prop_map(|(town, kind, rules, holidays, classes, residents)| SchoolPlan {
            town,
            kind,
            rules,
            holidays,
            classes,
            residents,
        })
}

fn county_plan() -> impl Strategy<Value = CountyPlan> {
    (1usize..4, vec(school_plan(), 1..5), 0u64..200, 0u64..200, 0u64..260).prop_map(
        |(towns, schools, period_start, period_days, today_after_start)| CountyPlan {
            towns,
            schools,
            period_start,
            period_days,
            today: period_start + today_after_start,
        },
    )
}

struct Built {
    fixture: TestSchool,
    county: CountyId,
    towns: Vec<TownId>,
    /// Each school with its town.
    schools: Vec<(SchoolId, TownId)>,
    period: Period,
    today: NaiveDate,
}

fn build(plan: &CountyPlan) -> Built {
    let mut f = TestSchool::empty();
    let county = f.county();
    let towns: Vec<TownId> = (0..plan.towns).map(|_| f.town(county)).collect();
    let mut schools = Vec::new();
    for school_plan in &plan.schools {
        let town = towns[school_plan.town % towns.len()];
        let school = f.school(town, KINDS[school_plan.kind]);
        schools.push((school, town));
        f.rules(school, school_plan.rules.clone());
        for holiday in &school_plan.holidays {
            f.day_kind(school, &on(*holiday).to_string(), DayKind::Holiday);
        }
        let mut students = Vec::new();
        for class_plan in &school_plan.classes {
            let class = f.class(school, class_plan.grade, PEOPLE[class_plan.head_teacher]);
            for student_plan in &class_plan.students {
                let student = f.student(class);
                students.push(student);
                for (offset, status) in &student_plan.events {
                    f.status(student, &on(*offset).to_string(), Status::ALL[*status], "学籍变动");
                }
                for (offset, kind) in &student_plan.marks {
                    f.mark(student, &on(*offset).to_string(), MARKS[*kind]);
                }
                for (offset, method, person) in &student_plan.contacts {
                    f.contact_by(student, &on(*offset).to_string(), METHODS[*method], &[PEOPLE[*person]]);
                }
            }
        }
        for (age_days, matched) in &school_plan.residents {
            let born = on(31) - Days::new(*age_days);
            let student = matched.and_then(|index| students.get(index % students.len().max(1)).copied());
            f.resident(school, "适龄儿童", &born.to_string(), student);
        }
    }
    let start = on(plan.period_start);
    let period = Period::new(start, start + Days::new(plan.period_days)).unwrap();
    Built { fixture: f, county, towns, schools, period, today: on(plan.today) }
}

/// Every scope of the county: itself, its towns, schools, grades and classes.
fn scopes(inputs: &FigureInputs<'_>, built: &Built) -> Vec<Scope> {
    let mut scopes = vec![Scope::County(built.county)];
    scopes.extend(built.towns.iter().map(|town| Scope::Town(*town)));
    for (school, _) in &built.schools {
        scopes.push(Scope::School(*school));
        scopes.extend((1..=9).map(|grade| Scope::Grade { school: *school, grade: Grade::new(grade).unwrap() }));
    }
    scopes.extend(inputs.classes_in(&Scope::County(built.county)).iter().map(|class| Scope::Class(class.id)));
    scopes
}

fn is_a_share(ratio: Ratio) -> bool {
    ratio.numerator <= ratio.denominator && ratio.value().is_none_or(|value| (0.0..=1.0).contains(&value))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_rate_lies_between_zero_and_one(plan in county_plan()) {
        let built = build(&plan);
        let inputs = built.fixture.inputs();
        for scope in scopes(&inputs, &built) {
            let figures = inputs.figures(&scope, built.period, built.today);
            for (name, ratio) in figures.ratios() {
                prop_assert!(is_a_share(ratio), "{name} of {scope:?} is {ratio:?}");
            }
            for row in inputs.school_limits(&scope, built.period, built.today) {
                prop_assert!(is_a_share(row.dropout), "{row:?}");
            }
        }
        let everyone = inputs.students_in(&Scope::County(built.county)).iter().map(|student| student.id).collect::<Vec<_>>();
        prop_assert!(is_a_share(inputs.cohort_consolidation(everyone, built.today)));
    }

    #[test]
    fn a_town_is_the_sum_of_its_schools_and_of_its_pooled_students(plan in county_plan()) {
        let built = build(&plan);
        let inputs = built.fixture.inputs();
        let (period, today) = (built.period, built.today);
        let mut towns_total = Figures::default();
        for town in &built.towns {
            let town_figures = inputs.figures(&Scope::Town(*town), period, today);
            let schools: Vec<SchoolId> =
                built.schools.iter().filter(|(_, of)| of == town).map(|(school, _)| *school).collect();
            let sum_of_schools: Figures = schools.iter().map(|school| inputs.figures(&Scope::School(*school), period, today)).sum();
            prop_assert_eq!(town_figures, sum_of_schools);

            let pooled = schools.iter().flat_map(|school| inputs.students_in(&Scope::School(*school)));
            prop_assert_eq!(town_figures.students, inputs.student_figures(pooled, period, today));
            towns_total = towns_total + town_figures;
        }
        prop_assert_eq!(inputs.figures(&Scope::County(built.county), period, today), towns_total);
    }

    #[test]
    fn a_school_is_the_sum_of_its_classes(plan in county_plan()) {
        let built = build(&plan);
        let inputs = built.fixture.inputs();
        let (period, today) = (built.period, built.today);
        for (school, _) in &built.schools {
            let school_figures = inputs.figures(&Scope::School(*school), period, today);
            let classes: Vec<Figures> = inputs
                .classes_in(&Scope::School(*school))
                .iter()
                .map(|class| inputs.figures(&Scope::Class(class.id), period, today))
                .collect();
            prop_assert_eq!(school_figures.students, classes.iter().map(|figures| figures.students).sum());
            prop_assert_eq!(
                school_figures.classes_without_dropout,
                classes.iter().map(|figures| figures.classes_without_dropout).sum()
            );
        }
    }
}
