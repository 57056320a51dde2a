//! What happens to a child's status over the term: most stay 在读; a few transfer out (some
//! receipts never come back), drop out after a run of unexcused days and are persuaded back or
//! not, turn out to have been ill after all, are suspended, or are taught at home; a death is
//! rare. Each episode gives the status events, with evidence, and the school days on which the
//! child is in class to be marked.

use crate::casework::{self, Aftermath, CaseWorker, Casework, Child, Dropout, Reason};
use crate::clock::beijing_ms;
use crate::dice::Dice;
use crate::names::WORK_PLACES;
use crate::people::Pupil;
use baoxue_domain::ids::RecordId;
use baoxue_domain::org::Stage;
use baoxue_domain::status::{Status, StatusEvent};
use chrono::{Days, NaiveDate};

/// The episode the generator chose for a child.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Episode {
    Stays,
    TransferOut,
    Dropout,
    /// Three unexcused days, reported, then found to have been ill.
    FalseAlarm,
    Suspended,
    Deceased,
    /// Unexcused days in a row up to today, not reported yet: the rule must raise it.
    OngoingStreak,
    HomeTaught,
}

/// What a child's episode means for the register, as indexes into the school days so far.
#[derive(Clone, Debug, Default)]
pub(crate) struct Course {
    /// The first school day with a mark: the day the child arrived (0 for the roster import).
    pub first_day: usize,
    /// No marks from this day on: the child left.
    pub gone_from: Option<usize>,
    /// No marks on these days: out of school between dropping out and returning.
    pub away: Option<(usize, usize)>,
    /// Unexcused on these days, whatever the dice say.
    pub unexcused: Vec<usize>,
    /// Days marked unexcused that a later visit showed were sick days, and the day it was found.
    pub corrected_to_sick: Option<(Vec<usize>, usize)>,
    /// Back after dropping out: absences are likelier from here on.
    pub returned_from: Option<usize>,
    /// Taught at home: never in the register.
    pub never_in_class: bool,
}

pub(crate) struct Risk {
    pub wavering: bool,
    pub learning_difficulty: bool,
    pub hardship: bool,
    pub disability: bool,
}

/// Chooses an episode. `elapsed` is the share of the term's school days already past: a term
/// twelve weeks in has seen about two thirds of its transfers and dropouts.
pub(crate) fn choose(dice: &mut Dice, pupil: &Pupil, risk: &Risk, elapsed: f64) -> Episode {
    if pupil.transferred_in {
        return Episode::Stays;
    }
    if risk.disability && dice.chance(0.25) {
        return Episode::HomeTaught;
    }
    let grade = pupil.student.grade.get();
    let junior = pupil.student.grade.stage() == Stage::Junior;
    let mut dropout = if junior { 0.010 } else { 0.0015 };
    if risk.wavering {
        dropout *= 6.0;
    }
    if grade == 8 {
        dropout *= 1.5;
    }
    if risk.hardship || risk.learning_difficulty {
        dropout *= 1.5;
    }
    let streak = if junior { 0.004 } else { 0.001 } * if risk.wavering { 5.0 } else { 1.0 };
    let chances = [
        (Episode::TransferOut, 0.015 * elapsed),
        (Episode::Dropout, dropout * elapsed),
        (Episode::FalseAlarm, 0.004 * elapsed),
        (Episode::Suspended, 0.001 * elapsed),
        (Episode::Deceased, 0.00004 * elapsed),
        (Episode::OngoingStreak, streak),
    ];
    let mut roll = dice.unit();
    for (episode, chance) in chances {
        if roll < chance {
            return episode;
        }
        roll -= chance;
    }
    Episode::Stays
}

pub(crate) struct Recorder<'a> {
    pub dice: &'a mut Dice,
    pub ids: &'a mut Dice,
    /// The school days from the start of term to today.
    pub days: &'a [NaiveDate],
    pub today: NaiveDate,
    pub events: &'a mut Vec<StatusEvent>,
    /// The school's persuasion work after a dropout, and where its records go.
    pub work: &'a mut CaseWorker,
    pub casework: &'a mut Casework,
}

impl Recorder<'_> {
    fn record(&mut self, pupil: &Pupil, date: NaiveDate, status: Status, evidence: String) {
        let made = self.events.len() as u64 % 1_000;
        let ms = beijing_ms(date, 16, 30, u64::from(pupil.seat) * 10_000 + made);
        self.events.push(StatusEvent {
            id: RecordId::new_v7(ms, self.ids.id_bytes()),
            student: pupil.student.id,
            date,
            status,
            evidence,
        });
    }

    fn receiving_school(&mut self, pupil: &Pupil) -> (String, String) {
        let place = self.dice.pick(WORK_PLACES).0;
        let school = match pupil.student.grade.stage() {
            Stage::Primary => format!("{place}第{}小学", self.dice.range(2, 12)),
            Stage::Junior => format!("{place}第{}中学", self.dice.range(2, 9)),
        };
        (place.to_owned(), school)
    }

    /// The status events of `episode` and what it means for the register.
    pub fn play(&mut self, child: &Child, episode: Episode) -> Course {
        let pupil = child.pupil;
        let days = self.days;
        let count = days.len();
        let first_day = days.iter().position(|day| *day >= pupil.arrived_on).unwrap_or(count);
        let mut course = Course { first_day, ..Course::default() };
        if pupil.transferred_in {
            let (_, school) = self.receiving_school(pupil);
            self.record(pupil, pupil.arrived_on, Status::TransferredIn, format!("从{school}转入，学籍已接收"));
        } else {
            self.record(pupil, pupil.arrived_on, Status::Enrolled, "2026年秋季学期学籍导入".to_owned());
        }
        match episode {
            Episode::Stays => {}
            Episode::HomeTaught => {
                course.never_in_class = true;
                self.record(pupil, pupil.arrived_on, Status::HomeTaught, "重度残疾，送教上门，每周两次".to_owned());
            }
            Episode::TransferOut if count > 2 => {
                let left = self.dice.range(2, count as u32 - 1) as usize;
                course.gone_from = Some(left);
                let (place, school) = self.receiving_school(pupil);
                let evidence = format!("家长申请转学，转往{school}（随父母在{place}务工地就读）");
                self.record(pupil, days[left], Status::TransferOutPending, evidence);
                if self.dice.chance(0.7) {
                    let receipt = days[left] + Days::new(u64::from(self.dice.range(3, 25)));
                    if receipt <= self.today {
                        let evidence = format!("收到{school}回执（{receipt}）");
                        self.record(pupil, receipt, Status::TransferOutConfirmed, evidence);
                    }
                }
            }
            Episode::Dropout if count > 3 => self.dropout(child, &mut course),
            Episode::FalseAlarm if count > 4 => {
                let start = self.dice.below(count as u64 - 3) as usize;
                course.unexcused = (start..start + 3).collect();
                self.record(pupil, days[start + 2], Status::SuspectedDropout, "连续旷课3天，当日上报".to_owned());
                let found = start + 3;
                self.record(pupil, days[found], Status::Enrolled, "家访核实：因病在家，家长已补病假条".to_owned());
                course.corrected_to_sick = Some(((start..start + 3).collect(), found));
            }
            Episode::Suspended if count > 1 => {
                let from = self.dice.below(count as u64) as usize;
                course.gone_from = Some(from);
                self.record(pupil, days[from], Status::Suspended, "因病休学（县人民医院诊断证明）".to_owned());
            }
            Episode::Deceased if count > 1 => {
                let on = self.dice.below(count as u64) as usize;
                course.gone_from = Some(on);
                self.record(pupil, days[on], Status::Deceased, "因病医治无效去世（死亡医学证明）".to_owned());
            }
            Episode::OngoingStreak if count >= 3 => {
                let length = (self.dice.range(3, 5) as usize).min(count - first_day.min(count));
                course.unexcused = (count - length..count).collect();
            }
            _ => {}
        }
        course
    }

    /// Unexcused days until the rule fires, the report (the same day, now and then the next),
    /// a home visit that confirms it, and then the school's persuasion work (`casework`).
    fn dropout(&mut self, child: &Child, course: &mut Course) {
        let pupil = child.pupil;
        let days = self.days;
        let count = days.len();
        let start = self.dice.below(count as u64) as usize;
        let rule_day = start + 2;
        let reported = if self.dice.chance(0.15) { rule_day + 1 } else { rule_day };
        let dropped = rule_day + self.dice.range(2, 6) as usize;
        course.unexcused = (start..dropped.min(count)).collect();
        if reported < count {
            let evidence = if reported == rule_day {
                "连续旷课3天，当日上报"
            } else {
                "连续旷课4天，次日上报"
            };
            self.record(pupil, days[reported], Status::SuspectedDropout, evidence.to_owned());
        }
        if dropped >= count {
            return;
        }
        let junior = pupil.student.grade.stage() == Stage::Junior;
        let reason = match self.dice.below(if junior { 5 } else { 3 }) {
            0 => Reason::DislikesSchool,
            1 => Reason::FarmWork,
            2 => Reason::Internet,
            3 => Reason::Work(self.dice.pick(WORK_PLACES).0),
            _ => Reason::Engaged,
        };
        let reason_text = match reason {
            Reason::DislikesSchool => "厌学，在家不愿上学".to_owned(),
            Reason::FarmWork => "家庭经济困难，在家帮忙务农".to_owned(),
            Reason::Internet => "沉迷网络，不愿返校".to_owned(),
            Reason::Work(place) => format!("已随亲戚去{place}打工"),
            Reason::Engaged => "与外村青年订婚，家长不让上学".to_owned(),
        };
        self.record(pupil, days[dropped], Status::DroppedOut, format!("家访确认：{reason_text}"));
        let persuaded = dropped + self.dice.range(1, 4) as usize;
        let back = persuaded + self.dice.range(5, 20) as usize;
        let returns = self.dice.chance(casework::RETURN);
        let dropout = Dropout { reported, dropped, persuaded, back, returns, reason, reason_text };
        let Aftermath { back, relapse } =
            self.work.after_dropout(child, &dropout, days, self.today, self.events, self.casework);
        course.away = Some((dropped, back.unwrap_or(usize::MAX)));
        course.returned_from = back;
        course.unexcused.extend(relapse);
    }
}
