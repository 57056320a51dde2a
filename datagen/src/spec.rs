//! What to generate: a seed, a size, a term (or a school year of two terms) and the day the data
//! runs up to.

use baoxue_domain::calendar::Term;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How much to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Size {
    /// One class of about 45 in one school.
    Class,
    /// One 九年一贯制 school, two or three classes of 40–55 per grade: about 900 children.
    School,
    /// One town: a 初中, a 中心小学 and three to six village schools (村小): 2,500–4,500 children.
    Town,
    /// A rural county of 96,000–104,000 children in about 30 towns.
    County,
    /// Exactly this many children: one class up to 60, one school up to 1,500, towns beyond.
    Students(u32),
}

/// The term and its calendar: public holidays and make-up days for every school, and the farm
/// season, in which some towns give a 农忙假 and all see more children kept at home. A plan for a
/// school year adds the second term of the same classes in `later`: the winter break between the
/// two is no school day because it lies in no term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermPlan {
    /// The first term: the roster is imported just before it starts.
    pub term: Term,
    /// Terms after the first, of the same school year and classes, in order.
    pub later: Vec<Term>,
    /// 节假日, including weekend days inside a holiday week.
    pub holidays: Vec<NaiveDate>,
    /// 调休补课: weekend days that are school days.
    pub make_up_days: Vec<NaiveDate>,
    /// First and last day of the harvest: absences for farm work rise, and a town with a
    /// 农忙假 takes it inside this window.
    pub farm_season: (NaiveDate, NaiveDate),
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("the calendar below names real dates")
}

impl TermPlan {
    /// 2026年秋季学期: 1 September 2026 to 15 January 2027, with 中秋 (25 September), the
    /// National Day week (1–7 October) and New Year's Day off, Sunday 20 September and
    /// Saturday 10 October made up, and the autumn harvest from mid-September to late October.
    pub fn autumn_2026() -> Self {
        let mut holidays = vec![day(2026, 9, 25)];
        holidays.extend((1..=7).map(|date| day(2026, 10, date)));
        holidays.push(day(2027, 1, 1));
        TermPlan {
            term: Term { name: "2026年秋季学期".into(), start: day(2026, 9, 1), end: day(2027, 1, 15) },
            later: Vec::new(),
            holidays,
            make_up_days: vec![day(2026, 9, 20), day(2026, 10, 10)],
            farm_season: (day(2026, 9, 14), day(2026, 10, 30)),
        }
    }

    /// The school year 2026—2027: the autumn term above, then 2027年春季学期 from 1 March to
    /// 9 July 2027 with 清明 (5 April), the Labour Day week (1–5 May) and 端午 (9 June) off. The
    /// spring term's make-up days are not yet published, so none are assumed; the farm season
    /// stays the autumn harvest.
    pub fn school_year_2026() -> Self {
        let mut plan = Self::autumn_2026();
        plan.later.push(Term { name: "2027年春季学期".into(), start: day(2027, 3, 1), end: day(2027, 7, 9) });
        plan.holidays.push(day(2027, 4, 5));
        plan.holidays.extend((1..=5).map(|date| day(2027, 5, date)));
        plan.holidays.push(day(2027, 6, 9));
        plan
    }

    /// Every term of the plan, in order.
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        std::iter::once(&self.term).chain(&self.later)
    }

    /// The last day of the plan's last term.
    pub fn last_day(&self) -> NaiveDate {
        self.terms().map(|term| term.end).max().unwrap_or(self.term.end)
    }
}

/// Everything that decides a data set. The same `Spec` gives the same data, byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    pub seed: u64,
    pub size: Size,
    pub term: TermPlan,
    /// The last day with data: attendance and events run up to and including it.
    pub today: NaiveDate,
}

impl Spec {
    /// The autumn term of 2026, with data up to Friday 20 November 2026 (twelve weeks in).
    pub fn new(seed: u64, size: Size) -> Self {
        Spec { seed, size, term: TermPlan::autumn_2026(), today: day(2026, 11, 20) }
    }

    /// The school year 2026—2027 with data up to its last day, Friday 9 July 2027: a year of
    /// attendance (issue #13's benchmark size).
    pub fn school_year(seed: u64, size: Size) -> Self {
        Spec { seed, size, term: TermPlan::school_year_2026(), today: day(2027, 7, 9) }
    }

    pub fn with_today(self, today: NaiveDate) -> Self {
        Spec { today, ..self }
    }
}
