//! 家访登记表: the register of the term's home visits (家访) a school shows at inspections, one
//! row per visit to one of its children, in date order, and per head teacher the visits against
//! the quota. It reads the same visits the dashboard's quota table counts
//! (`FigureInputs::visit_rows`: home visits only, not calls or messages, retracted ones left
//! out), so the register's count per head teacher is the dashboard's.

use crate::contact::Contact;
use crate::figures::{FigureInputs, Period, Scope, VisitRow};
use crate::ids::{RecordId, SchoolId, StudentId};
use crate::state::State;
use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitEntry {
    pub contact: RecordId,
    pub student: StudentId,
    pub date: NaiveDate,
    pub name: String,
    /// 年级班级, as the class is named.
    pub class: String,
    /// 家访人: who went, the head teacher first.
    pub visitors: Vec<String>,
    /// 接待人: whom they met.
    pub met: String,
    /// 家长意见: what the family said.
    pub said: String,
    /// 家访结果.
    pub outcome: String,
    /// 下一步.
    pub next_step: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitRegister {
    pub school: String,
    /// The term's name.
    pub term: String,
    pub period: Period,
    /// The last day counted: today, or the term's end.
    pub until: NaiveDate,
    /// By date, then name.
    pub entries: Vec<VisitEntry>,
    /// The dashboard's quota table: per head teacher (and per relapsing child) done ÷ quota.
    pub quota: Vec<VisitRow>,
}

/// The home visits to `school`'s children in the term that holds `today`, up to `today`.
/// `None` when no term holds `today`.
pub fn visit_register(state: &State, school: SchoolId, today: NaiveDate) -> Option<VisitRegister> {
    let term = state.calendar(school).this_term(today)?.clone();
    let period = Period::of_term(&term).ok()?;
    let until = period.end().min(today);
    let inputs = FigureInputs::new(state);
    let mut entries: Vec<VisitEntry> =
        inputs.home_visits_of(school, period, today).into_iter().filter_map(|contact| entry(state, contact)).collect();
    crate::sorting::sort_by(&mut entries, |a, b| (a.date, &a.name, a.contact).cmp(&(b.date, &b.name, b.contact)));
    let school_name = state.schools.get(&school).map(|school| school.value.name.clone()).unwrap_or_default();
    Some(VisitRegister {
        school: school_name,
        term: term.name,
        period,
        until,
        entries,
        quota: inputs.visit_rows(&Scope::School(school), period, today),
    })
}

fn entry(state: &State, contact: &Contact) -> Option<VisitEntry> {
    let child = state.student(contact.student)?;
    let class = state.classes.get(&child.class).map(|class| class.value.name.clone()).unwrap_or_default();
    Some(VisitEntry {
        contact: contact.id,
        student: contact.student,
        date: contact.date,
        name: child.name,
        class,
        visitors: contact.visitors.clone(),
        met: contact.met.clone(),
        said: contact.said.clone(),
        outcome: contact.outcome.clone(),
        next_step: contact.next_step.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::ContactMethod::{HomeVisit, Phone};
    use crate::figures::Visited;
    use crate::org::SchoolKind;
    use crate::test_school::{day, TestSchool};

    /// The register lists the term's home visits to the school's own children up to today, and
    /// each head teacher's count on it is the dashboard's quota table's.
    #[test]
    fn lists_the_terms_home_visits_the_quota_counts() {
        let mut f = TestSchool::empty();
        let school = f.one_school(SchoolKind::Junior);
        let (seven, eight) = (f.class(school, 7, "王老师"), f.class(school, 8, "李老师"));
        let (a, b) = (f.student(seven), f.student(eight));
        let other_school = f.one_school(SchoolKind::Junior);
        let elsewhere_class = f.class(other_school, 7, "王老师");
        let elsewhere = f.student(elsewhere_class);
        f.contact_by(a, "2026-10-01", HomeVisit, &["王老师", "张主任"]);
        f.contact_by(b, "2026-09-10", HomeVisit, &["李老师"]);
        f.contact_by(a, "2026-09-12", Phone, &["王老师"]);
        f.contact_by(a, "2026-08-20", HomeVisit, &["王老师"]);
        f.contact_by(a, "2026-10-25", HomeVisit, &["王老师"]);
        let wrong = f.contact_by(b, "2026-09-11", HomeVisit, &["李老师"]);
        f.retract(wrong);
        f.contact_by(elsewhere, "2026-09-15", HomeVisit, &["王老师"]);

        let register = visit_register(&f.state, school, day("2026-10-20")).unwrap();
        let listed: Vec<(NaiveDate, StudentId)> =
            register.entries.iter().map(|entry| (entry.date, entry.student)).collect();
        assert_eq!(listed, vec![(day("2026-09-10"), b), (day("2026-10-01"), a)]);
        assert_eq!(register.entries[1].visitors, vec!["王老师".to_owned(), "张主任".to_owned()]);
        assert_eq!(register.until, day("2026-10-20"));
        for row in &register.quota {
            let Visited::HeadTeacher(name) = &row.visited else { continue };
            let on_register = register.entries.iter().filter(|entry| entry.visitors.contains(name)).count();
            assert_eq!(on_register as u64, row.done, "{name}");
        }
        assert_eq!(register.quota.len(), 2);
        // In the summer before the term, the coming term's register is empty: August's visit is
        // no visit of it.
        assert!(visit_register(&f.state, school, day("2026-08-25")).unwrap().entries.is_empty());
    }
}
