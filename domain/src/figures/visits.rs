//! Home visits (家访) against the seeds' quota: each head teacher at least
//! `visits_per_head_teacher` a semester, and at least `visits_per_relapsing_child` for a child
//! who keeps dropping out.

use super::{FigureInputs, Period, Ratio, Scope};
use crate::contact::Contact;
use crate::ids::{SchoolId, StudentId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::ops::Add;

/// Who the quota is for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Visited {
    /// A 班主任, by the name on their classes. One row however many classes they head.
    HeadTeacher(String),
    /// A child who dropped out twice or more, up to the end of the period.
    RelapsingChild(StudentId),
}

/// One row of the quota table: visits done in the period against the quota.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRow {
    pub school: SchoolId,
    pub visited: Visited,
    pub done: u64,
    pub quota: u64,
}

impl VisitRow {
    pub fn met(&self) -> bool {
        self.done >= self.quota
    }

    /// This row's part of the totals.
    pub fn totals(&self) -> Visits {
        Visits {
            done: self.done,
            toward_quota: Ratio::new(self.done.min(self.quota), self.quota),
            on_quota: Ratio::one(self.met()),
        }
    }
}

/// Totals of a quota table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visits {
    /// Home visits done, all counted.
    pub done: u64,
    /// Visits toward the quota ÷ the quota, each row counting at most its own quota, so one
    /// teacher's 30 visits do not hide another's none.
    pub toward_quota: Ratio,
    /// Rows that met their quota ÷ rows.
    pub on_quota: Ratio,
}

impl Add for Visits {
    type Output = Visits;
    fn add(self, other: Visits) -> Visits {
        Visits {
            done: self.done.saturating_add(other.done),
            toward_quota: self.toward_quota + other.toward_quota,
            on_quota: self.on_quota + other.on_quota,
        }
    }
}

sum_by_adding!(Visits);

impl<'a> FigureInputs<'a> {
    /// The home visits to `school`'s children in `period`, cut at `today`: the visits the quota
    /// table below counts, and the 家访登记表's rows.
    pub fn home_visits_of(&self, school: SchoolId, period: Period, today: NaiveDate) -> Vec<&'a Contact> {
        let Some(period) = period.up_to(today) else {
            return Vec::new();
        };
        self.home_visits()
            .iter()
            .copied()
            .filter(|contact| period.contains(contact.date))
            .filter(|contact| self.student(contact.student).is_some_and(|child| child.school == school))
            .collect()
    }
}

impl FigureInputs<'_> {
    /// The quota table of `scope` over `period` (a semester), cut at `today`.
    ///
    /// A head teacher's visits are the home visits (家访, not calls or messages) in the period
    /// to children of their school that list them among the visitors; the quota is the
    /// school's `visits_per_head_teacher`. Classes with no head teacher's name get no row.
    /// A relapsing child is one of the scope's students who dropped out twice or more up to
    /// the end of the period; their visits are the home visits to them in the period by
    /// anyone, against `visits_per_relapsing_child`.
    pub fn visit_rows(&self, scope: &Scope, period: Period, today: NaiveDate) -> Vec<VisitRow> {
        let Some(period) = period.up_to(today) else {
            return Vec::new();
        };
        let visits_in_period: Vec<&Contact> =
            self.home_visits().iter().copied().filter(|contact| period.contains(contact.date)).collect();

        let head_teachers: BTreeSet<(SchoolId, &str)> = self
            .classes_in(scope)
            .into_iter()
            .map(|class| (class.school, class.head_teacher.trim()))
            .filter(|(_, name)| !name.is_empty())
            .collect();
        let mut rows: Vec<VisitRow> = head_teachers
            .into_iter()
            .map(|(school, name)| {
                let done = visits_in_period
                    .iter()
                    .filter(|contact| self.student(contact.student).is_some_and(|child| child.school == school))
                    .filter(|contact| contact.visitors.iter().any(|visitor| visitor.trim() == name))
                    .count();
                VisitRow {
                    school,
                    visited: Visited::HeadTeacher(name.to_owned()),
                    done: done as u64,
                    quota: u64::from(self.rules(school).visits_per_head_teacher),
                }
            })
            .collect();

        for student in self.students_in(scope) {
            let rules = self.rules(student.school);
            let dropout_starts = self.timeline(student.id).dropout_starts(rules.transfer_receipt_days);
            if dropout_starts.iter().filter(|day| **day <= period.end()).count() < 2 {
                continue;
            }
            let done = visits_in_period.iter().filter(|contact| contact.student == student.id).count();
            rows.push(VisitRow {
                school: student.school,
                visited: Visited::RelapsingChild(student.id),
                done: done as u64,
                quota: u64::from(rules.visits_per_relapsing_child),
            });
        }
        rows
    }
}
