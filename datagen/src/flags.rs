//! Flags with their evidence, at the rates of a rural county: 留守 about three children in ten,
//! 单亲 and 家困 about one in ten, 学困 one in twelve, 残疾 one in a hundred, 动摇生 a few in a
//! hundred (mostly in grade 8), 寄宿 for most junior pupils. Each is dated the day the school
//! found it (the 摸底 of the first weeks); a few are cleared later, with the reason.

use crate::clock::beijing_ms;
use crate::dice::Dice;
use crate::people::{Household, LeftBehind, Pupil, SingleParent};
use baoxue_domain::ids::RecordId;
use baoxue_domain::org::SchoolKind;
use baoxue_domain::student::{Flag, FlagEvent};
use chrono::{Days, NaiveDate};

pub(crate) struct FlagContext<'a> {
    pub dice: &'a mut Dice,
    pub ids: &'a mut Dice,
    pub term_start: NaiveDate,
    pub today: NaiveDate,
}

impl FlagContext<'_> {
    fn day_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        if to <= from {
            return from.min(self.today);
        }
        let span = (to - from).num_days() as u64;
        (from + Days::new(self.dice.below(span + 1))).min(self.today)
    }

    /// The flags of one child, set and (a few) cleared.
    pub fn flags_of(&mut self, pupil: &Pupil, home: &Household, kind: SchoolKind, out: &mut Vec<FlagEvent>) {
        let grade = pupil.student.grade.get();
        // The 摸底 of the first fortnight, or the day a transferred child arrived.
        let found_from = pupil.arrived_on.max(self.term_start);
        let found_until = found_from + Days::new(12);
        let mut set: Vec<(Flag, String)> = Vec::new();
        if home.left_behind != LeftBehind::No {
            let place = home.work_place.as_deref().unwrap_or("外省");
            let text = match (home.left_behind, home.single_parent) {
                (LeftBehind::BothParents, _) => {
                    format!("父母均在{place}务工，由{}照看", home.guardian.relation)
                }
                (_, Some(_)) => format!("单亲家庭，父（母）在{place}务工，由{}照看", home.guardian.relation),
                _ => format!("父亲在{place}务工，随母亲生活"),
            };
            set.push((Flag::LeftBehind, text));
        }
        if let Some(single) = home.single_parent {
            let text = match single {
                SingleParent::DivorcedLivesWithFather => "父母离异，随父亲生活",
                SingleParent::DivorcedLivesWithMother => "父母离异，随母亲生活",
                SingleParent::FatherDied => "父亲病故，随母亲生活",
                SingleParent::MotherDied => "母亲病故，随父亲生活",
            };
            set.push((Flag::SingleParent, text.to_owned()));
        }
        if home.hardship {
            let text = match self.dice.below(4) {
                0 => format!("建档立卡脱贫户（{}年脱贫），防返贫监测对象", self.dice.range(2016, 2020)),
                1 => "农村低保户，享受生活补助".to_owned(),
                2 => "父亲因病丧失劳动能力，家庭收入低".to_owned(),
                _ => "母亲重病，医疗支出大，申请了助学金".to_owned(),
            };
            set.push((Flag::FamilyHardship, text));
        }
        let learning = match grade {
            1 | 2 => 0.03,
            3..=6 => 0.07,
            _ => 0.11,
        };
        if self.dice.chance(learning) {
            let text = if self.dice.chance(0.6) {
                format!("上学期期末语文{}分、数学{}分，均不及格", self.dice.range(18, 45), self.dice.range(12, 40))
            } else {
                "阅读能力明显落后，不能独立完成作业".to_owned()
            };
            set.push((Flag::LearningDifficulty, text));
        }
        if grade >= 4 && self.dice.chance(0.06) {
            let text = format!("数学{}分，英语{}分，偏科明显", self.dice.range(82, 98), self.dice.range(18, 45));
            set.push((Flag::LopsidedSubjects, text));
        }
        if self.dice.chance(0.01) {
            let text = match self.dice.below(4) {
                0 => "持残疾人证（听力二级），随班就读",
                1 => "持残疾人证（肢体三级），随班就读",
                2 => "智力残疾（四级），随班就读",
                _ => "持残疾人证（视力二级），座位安排在第一排",
            };
            set.push((Flag::Disability, text.to_owned()));
        }
        let wavering = match grade {
            7 => 0.04,
            8 => 0.07,
            9 => 0.05,
            5 | 6 => 0.006,
            _ => 0.0,
        };
        let wavering_now = self.dice.chance(wavering);
        let boarding = match (kind, grade) {
            (SchoolKind::Junior, _) => 0.6,
            (SchoolKind::NineYear, 7..=9) => 0.4,
            (_, 4..=6) => 0.06,
            _ => 0.0,
        };
        if self.dice.chance(boarding) {
            let text = format!("住校生，{}号宿舍", self.dice.range(101, 420));
            set.push((Flag::Boarding, text));
        }
        let mut made = 0u64;
        let mut push = |context: &mut Self, flag: Flag, set: bool, date: NaiveDate, evidence: String| {
            made += 1;
            let ms = beijing_ms(date, 16, 0, made * 1_000 + u64::from(pupil.seat) * 20_000);
            out.push(FlagEvent {
                id: RecordId::new_v7(ms, context.ids.id_bytes()),
                student: pupil.student.id,
                flag,
                set,
                date,
                evidence,
            });
        };
        let found_on = self.day_between(found_from, found_until);
        for (flag, text) in set {
            push(self, flag, true, found_on, text);
        }
        if wavering_now {
            // 动摇生 are found over the whole term, from what they say.
            let on = self.day_between(found_from, self.today);
            let text = match self.dice.below(4) {
                0 => "多次对同学说想去外地打工".to_owned(),
                1 => "家长反映孩子在家说不想读了".to_owned(),
                2 => "沉迷手机游戏，多次说读书没用".to_owned(),
                _ => format!("表哥在{}打工，常说要跟去", home.work_place.as_deref().unwrap_or("广东")),
            };
            push(self, Flag::Wavering, true, on, text);
            if self.dice.chance(0.15) && on + Days::new(20) <= self.today {
                let cleared = self.day_between(on + Days::new(20), self.today);
                push(self, Flag::Wavering, false, cleared, "经多次谈心，表示愿意继续读书".to_owned());
            }
        }
        if home.left_behind != LeftBehind::No && self.dice.chance(0.04) && found_on + Days::new(30) <= self.today {
            let cleared = self.day_between(found_on + Days::new(30), self.today);
            push(self, Flag::LeftBehind, false, cleared, "父亲返乡就业，已回家照顾孩子".to_owned());
        }
    }
}
