//! The national holidays and 调休 make-up days, offered to a school as the default of its
//! calendar: the school confirms them with one tap, and what it set itself stays as it is.
//!
//! The dates are those of the State Council's notices, nothing guessed:
//! - 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号, 2024-11-12);
//! - 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04, published by Xinhua).
//!
//! The 2027 notice was not found when this table was written (it usually appears in November
//! of the year before): a year missing here has no default, and the school sets its days by
//! hand. Add the next year's notice here when it is published.

use crate::calendar::{Calendar, DayKind};
use crate::ids::SchoolId;
use crate::mutation::Change;
use chrono::NaiveDate;

/// A festival of the notices: a day off is named by it, and so is a make-up day it moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Festival {
    /// 元旦
    NewYear,
    /// 春节
    SpringFestival,
    /// 清明节
    QingMing,
    /// 劳动节
    LabourDay,
    /// 端午节
    DragonBoat,
    /// 中秋节
    MidAutumn,
    /// 国庆节
    NationalDay,
    /// 国庆节、中秋节 (one break when they fall together, as in 2025)
    NationalDayAndMidAutumn,
}

/// One break of a notice: its days off from `first` to `last` (weekends within included), and
/// the weekend days worked in return (上班, a make-up school day for a school).
struct Break {
    festival: Festival,
    first: (i32, u32, u32),
    last: (i32, u32, u32),
    make_up: &'static [(i32, u32, u32)],
}

const fn break_of(
    festival: Festival,
    first: (i32, u32, u32),
    last: (i32, u32, u32),
    make_up: &'static [(i32, u32, u32)],
) -> Break {
    Break { festival, first, last, make_up }
}

use Festival::*;

/// The breaks of the notices, in the order the notices list them.
const BREAKS: &[Break] = &[
    // 2025 (国办发明电〔2024〕12号).
    break_of(NewYear, (2025, 1, 1), (2025, 1, 1), &[]),
    break_of(SpringFestival, (2025, 1, 28), (2025, 2, 4), &[(2025, 1, 26), (2025, 2, 8)]),
    break_of(QingMing, (2025, 4, 4), (2025, 4, 6), &[]),
    break_of(LabourDay, (2025, 5, 1), (2025, 5, 5), &[(2025, 4, 27)]),
    break_of(DragonBoat, (2025, 5, 31), (2025, 6, 2), &[]),
    break_of(NationalDayAndMidAutumn, (2025, 10, 1), (2025, 10, 8), &[(2025, 9, 28), (2025, 10, 11)]),
    // 2026 (notice of 2025-11-04).
    break_of(NewYear, (2026, 1, 1), (2026, 1, 3), &[(2026, 1, 4)]),
    break_of(SpringFestival, (2026, 2, 15), (2026, 2, 23), &[(2026, 2, 14), (2026, 2, 28)]),
    break_of(QingMing, (2026, 4, 4), (2026, 4, 6), &[]),
    break_of(LabourDay, (2026, 5, 1), (2026, 5, 5), &[(2026, 5, 9)]),
    break_of(DragonBoat, (2026, 6, 19), (2026, 6, 21), &[]),
    break_of(MidAutumn, (2026, 9, 25), (2026, 9, 27), &[]),
    break_of(NationalDay, (2026, 10, 1), (2026, 10, 7), &[(2026, 9, 20), (2026, 10, 10)]),
];

/// A day of the notices: a day off (`DayKind::Holiday`) or a weekend day worked
/// (`DayKind::MakeUpDay`), and the festival it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoticeDay {
    pub date: NaiveDate,
    pub festival: Festival,
    pub kind: DayKind,
}

fn date((year, month, day): (i32, u32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Every day of the notices, in date order.
pub fn national_days() -> Vec<NoticeDay> {
    let mut days: Vec<NoticeDay> = BREAKS
        .iter()
        .flat_map(|one| {
            let off = match (date(one.first), date(one.last)) {
                (Some(first), Some(last)) => first.iter_days().take_while(|day| *day <= last).collect(),
                _ => Vec::new(),
            };
            let off =
                off.into_iter().map(|day| NoticeDay { date: day, festival: one.festival, kind: DayKind::Holiday });
            let worked = one.make_up.iter().filter_map(|day| date(*day)).map(|day| NoticeDay {
                date: day,
                festival: one.festival,
                kind: DayKind::MakeUpDay,
            });
            off.chain(worked).collect::<Vec<_>>()
        })
        .collect();
    crate::sorting::sort_by_key(&mut days, |day| day.date);
    days
}

/// The festival whose day off `day` is, if the notices make it one.
pub fn holiday_on(day: NaiveDate) -> Option<Festival> {
    BREAKS
        .iter()
        .find(|one| date(one.first).is_some_and(|first| first <= day) && date(one.last).is_some_and(|last| day <= last))
        .map(|one| one.festival)
}

/// What a school is offered to confirm: the `SetDay` changes and how many days off and make-up
/// days they hold, so the offer can say so.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefaultDays {
    pub changes: Vec<Change>,
    pub holidays: usize,
    pub make_up_days: usize,
}

impl DefaultDays {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// The national days inside the school's terms that the school has not set itself: a day it
/// already set (a holiday moved, a 农忙假, a make-up day it refused) is left as it is, so
/// confirming again, or on a second phone, changes nothing. Days outside every term are left
/// out, since no day there is a school day whatever its kind.
pub fn default_days(calendar: &Calendar, school: SchoolId) -> DefaultDays {
    let mut offer = DefaultDays::default();
    for day in national_days() {
        if calendar.term_of(day.date).is_none() || calendar.exceptions.contains_key(&day.date) {
            continue;
        }
        match day.kind {
            DayKind::MakeUpDay => offer.make_up_days += 1,
            _ => offer.holidays += 1,
        }
        offer.changes.push(Change::SetDay { school, date: day.date, kind: day.kind });
    }
    offer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{DayStatus, Term};
    use chrono::{Datelike, Weekday};
    use std::collections::BTreeMap;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn school() -> SchoolId {
        SchoolId::from_u128(7)
    }

    fn autumn_2026() -> Calendar {
        Calendar {
            terms: vec![Term { name: "秋季".into(), start: day("2026-09-01"), end: day("2027-01-20") }],
            exceptions: BTreeMap::new(),
        }
    }

    fn apply(calendar: &mut Calendar, offer: &DefaultDays) {
        for change in &offer.changes {
            if let Change::SetDay { date, kind, .. } = change {
                calendar.exceptions.insert(*date, *kind);
            }
        }
    }

    #[test]
    fn the_notices_make_up_days_are_weekends_and_no_day_is_both_off_and_worked() {
        let days = national_days();
        for one in &days {
            if one.kind == DayKind::MakeUpDay {
                assert!(matches!(one.date.weekday(), Weekday::Sat | Weekday::Sun), "{one:?}");
            }
        }
        let mut dates: Vec<_> = days.iter().map(|one| one.date).collect();
        dates.dedup();
        assert_eq!(dates.len(), days.len());
        // 2025: 1 + 8 + 3 + 5 + 3 + 8 days off; 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7.
        let off_in = |year| days.iter().filter(|one| one.date.year() == year && one.kind == DayKind::Holiday).count();
        assert_eq!(off_in(2025), 28);
        assert_eq!(off_in(2026), 33);
        let worked = days.iter().filter(|one| one.kind == DayKind::MakeUpDay).count();
        assert_eq!(worked, 5 + 6);
    }

    #[test]
    fn national_day_2026_is_a_holiday_and_its_make_up_saturday_a_school_day() {
        let mut calendar = autumn_2026();
        let offer = default_days(&calendar, school());
        // In the autumn term 2026: 中秋 25–27 Sep, 国庆 1–7 Oct off; 20 Sep and 10 Oct worked.
        assert_eq!((offer.holidays, offer.make_up_days), (10, 2));
        apply(&mut calendar, &offer);
        assert_eq!(calendar.status(day("2026-10-02")), DayStatus::Holiday);
        assert_eq!(holiday_on(day("2026-10-02")), Some(Festival::NationalDay));
        assert_eq!(calendar.status(day("2026-10-10")), DayStatus::MakeUpDay);
        assert_eq!(calendar.status(day("2026-09-20")), DayStatus::MakeUpDay);
        assert_eq!(calendar.status(day("2026-10-08")), DayStatus::SchoolDay);
        // Confirmed once, there is nothing more to offer.
        assert!(default_days(&calendar, school()).is_empty());
    }

    #[test]
    fn a_day_the_school_set_itself_is_left_as_it_is() {
        let mut calendar = autumn_2026();
        // The school keeps 10 October (a Saturday) off and makes 7 October a 农忙假.
        calendar.exceptions.insert(day("2026-10-10"), DayKind::Holiday);
        calendar.exceptions.insert(day("2026-10-07"), DayKind::FarmBreak);
        let offer = default_days(&calendar, school());
        assert_eq!((offer.holidays, offer.make_up_days), (9, 1));
        assert!(!offer.changes.iter().any(|change| matches!(
            change,
            Change::SetDay { date, .. } if *date == day("2026-10-10") || *date == day("2026-10-07")
        )));
    }

    #[test]
    fn days_outside_every_term_and_years_without_a_notice_are_not_offered() {
        assert!(default_days(&Calendar::default(), school()).is_empty());
        // The summer holiday holds 端午 2026 of no term: a spring term ending 5 June misses it.
        let spring = Calendar {
            terms: vec![Term { name: "春季".into(), start: day("2026-02-24"), end: day("2026-06-05") }],
            exceptions: BTreeMap::new(),
        };
        let offer = default_days(&spring, school());
        assert!(offer
            .changes
            .iter()
            .all(|change| matches!(change, Change::SetDay { date, .. } if *date <= day("2026-06-05"))));
        // 28 Feb (worked), 清明 3, 劳动节 5, 9 May (worked).
        assert_eq!((offer.holidays, offer.make_up_days), (8, 2));
        let spring_2027 = Calendar {
            terms: vec![Term { name: "春季".into(), start: day("2027-02-24"), end: day("2027-07-05") }],
            exceptions: BTreeMap::new(),
        };
        assert!(default_days(&spring_2027, school()).is_empty());
        assert_eq!(holiday_on(day("2027-10-01")), None);
    }
}
