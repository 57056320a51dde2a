use super::Text;
use baoxue_domain::calendar::DayStatus;
use baoxue_domain::holidays::Festival;
use chrono::Weekday;

/// The school calendar (校历): the month view, the national holidays offered as a default,
/// and why the attendance screen takes no attendance on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalendarText {
    Title,
    Link,
    PreviousMonth,
    NextMonth,
    // {0}: the year, {1}: the month.
    Month,
    Weekday(Weekday),
    TapHint,
    NoTerm,
    Offer,
    Confirm,
    Confirmed,
    SaveFailed,
    Legend,
    // Why the attendance screen takes no attendance on a day.
    WhyWeekend,
    // {0}: the festival.
    WhyFestival,
    WhyHoliday,
    WhyFarmBreak,
    WhyOutsideTerm,
}

impl Text for CalendarText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            CalendarText::Title => ("校历", "School calendar"),
            CalendarText::Link => ("校历：节假日和农忙假", "School calendar: holidays and farm breaks"),
            CalendarText::PreviousMonth => ("上个月", "Previous month"),
            CalendarText::NextMonth => ("下个月", "Next month"),
            CalendarText::Month => ("{0}年{1}月", "{1}/{0}"),
            CalendarText::Weekday(day) => match day {
                Weekday::Mon => ("一", "Mo"),
                Weekday::Tue => ("二", "Tu"),
                Weekday::Wed => ("三", "We"),
                Weekday::Thu => ("四", "Th"),
                Weekday::Fri => ("五", "Fr"),
                Weekday::Sat => ("六", "Sa"),
                Weekday::Sun => ("日", "Su"),
            },
            CalendarText::TapHint => (
                "点一下日期切换：上课日 → 农忙假 → 节假日；周末 → 调休上课 → 节假日。改动会同步到本校每部手机。",
                "Tap a day to change it: school day → farm break → holiday; weekend → make-up school day → holiday. Changes reach every phone of the school.",
            ),
            CalendarText::NoTerm => (
                "还没有学期：请先在设置里填写本学期的日期。",
                "No term yet: fill in this term's dates in Settings first.",
            ),
            // {0}: days off, {1}: make-up school days.
            CalendarText::Offer => (
                "国家节假日安排：本学年还有 {0} 天放假、{1} 天调休上课没有设置。确认后，本校每部手机都按此计算上课日。",
                "National holidays: {0} days off and {1} make-up school days of this school year are not set yet. Once confirmed, every phone of the school counts school days by them.",
            ),
            CalendarText::Confirm => ("确认国家节假日", "Confirm the national holidays"),
            CalendarText::Confirmed => ("国家节假日已设置", "National holidays set"),
            CalendarText::SaveFailed => {
                ("没有保存：本机存储出错，请重试", "Not saved: the phone's storage failed; try again")
            }
            CalendarText::Legend => ("图例", "Key"),
            CalendarText::WhyWeekend => ("这一天是周末，不记考勤。", "A weekend: no attendance is taken."),
            CalendarText::WhyFestival => ("这一天是{0}假期，不记考勤。", "A holiday ({0}): no attendance is taken."),
            CalendarText::WhyHoliday => ("这一天是节假日，不记考勤。", "A holiday: no attendance is taken."),
            CalendarText::WhyFarmBreak => ("这一天是农忙假，不记考勤。", "A farm-work break (农忙假): no attendance is taken."),
            CalendarText::WhyOutsideTerm => (
                "这一天不在学期内，不记考勤。",
                "Outside the term: no attendance is taken.",
            ),
        }
    }
}

/// What a day is, in full: the key under the month and a day's spoken name.
impl Text for DayStatus {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            DayStatus::SchoolDay => ("上课日", "School day"),
            DayStatus::MakeUpDay => ("调休上课", "Make-up school day"),
            DayStatus::Weekend => ("周末", "Weekend"),
            DayStatus::Holiday => ("节假日", "Holiday"),
            DayStatus::FarmBreak => ("农忙假", "Farm break"),
            DayStatus::OutsideTerm => ("学期外", "Outside the term"),
        }
    }
}

/// What a day is, in a word that fits a 48 px cell beside its colour, so the kind reads in
/// sunlight and without colour vision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayMarker(pub DayStatus, pub Option<Festival>);

impl Text for DayMarker {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            DayMarker(DayStatus::Holiday, Some(festival)) => match festival {
                Festival::NewYear => ("元旦", "Hol"),
                Festival::SpringFestival => ("春节", "Hol"),
                Festival::QingMing => ("清明", "Hol"),
                Festival::LabourDay => ("劳动", "Hol"),
                Festival::DragonBoat => ("端午", "Hol"),
                Festival::MidAutumn => ("中秋", "Hol"),
                Festival::NationalDay | Festival::NationalDayAndMidAutumn => ("国庆", "Hol"),
            },
            DayMarker(DayStatus::Holiday, None) => ("假", "Hol"),
            DayMarker(DayStatus::SchoolDay, _) => ("课", "Sch"),
            DayMarker(DayStatus::MakeUpDay, _) => ("补课", "+Sch"),
            DayMarker(DayStatus::Weekend, _) => ("休", "W/E"),
            DayMarker(DayStatus::FarmBreak, _) => ("农忙", "Farm"),
            DayMarker(DayStatus::OutsideTerm, _) => ("", ""),
        }
    }
}

/// A festival of the State Council's notices.
impl Text for Festival {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            Festival::NewYear => ("元旦", "New Year's Day"),
            Festival::SpringFestival => ("春节", "Spring Festival"),
            Festival::QingMing => ("清明节", "Qingming"),
            Festival::LabourDay => ("劳动节", "Labour Day"),
            Festival::DragonBoat => ("端午节", "Dragon Boat Festival"),
            Festival::MidAutumn => ("中秋节", "Mid-Autumn Festival"),
            Festival::NationalDay => ("国庆节", "National Day"),
            Festival::NationalDayAndMidAutumn => ("国庆节、中秋节", "National Day and Mid-Autumn"),
        }
    }
}
