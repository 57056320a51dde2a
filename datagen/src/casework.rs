//! What a school does after a dropout (劝返复学): the row of the 排查台账, the persuasion case
//! (一人一案), the visits and calls of the 家访登记表, now and then a 《限期复学通知书》, and for
//! most a return with its placement and follow-up checks; a few returned children skip school
//! again and their case is reopened.
//!
//! The proportions, each a chance per dropout or per case (the data runs up to `today`, so a
//! dropout of the last weeks has not got this far yet):
//! - every confirmed dropout: an investigation row with 1–3 reasons (1: 50%, 2: 35%, 3: 15%)
//!   and the home visit that confirmed it (a contact with no case: the case opens after it);
//! - 85% get a case ([`CASE`]) with three responsible people (the head teacher, a school leader,
//!   the village cadre), a difficulty, measures and a deadline 30 days ahead, moved on by 30
//!   days whenever it passes with the case still running; the other 15% turn out to be at a
//!   school elsewhere, and the receiving school's 回执 takes them off the ledger (转出);
//! - 1–6 contacts per case (planned 1: 15%, 2: 25%, 3: 25%, 4: 15%, 5: 12%, 6: 8%), two to
//!   six school days apart, the first on the day the case opens (fewer when the return comes
//!   soon or today comes first); after the first, three in four a home visit with the head
//!   teacher (half the time with the school leader, 40% with the cadre), the rest a phone call;
//! - a case with three failed contacts or more gets a 《限期复学通知书》 from the town government
//!   in 20% ([`NOTICE`]) after the third, numbered per school in order of issue (〔2026〕第003号);
//! - 70% of cases end with a return ([`RETURN`], the episode's own roll): status 已复学 with the
//!   class as evidence, the case marked returned, a placement with a catch-up plan, follow-ups
//!   after 7 and 30 days;
//! - 10% of returned children relapse ([`RELAPSE`]): 3–5 unexcused days again one to three weeks
//!   after the return, a suspected-dropout report, the case reopened, a home visit, back again;
//! - of the 30% not returning, a third close lawfully ([`CLOSE`]: found at a school elsewhere
//!   with its 回执, or in grade 9 the vocational track, 中职分流) and the rest stay open.
//!
//! Every draw comes from the school's own `Casework` stream, so this work never shifts the
//! children, flags or ids of the rest of the data.

use crate::clock::beijing_ms;
use crate::dice::Dice;
use crate::names::{self, WORK_PLACES};
use crate::people::{Household, LeftBehind, Pupil};
use baoxue_domain::case::{Case, CaseField, CaseStatus, Measure};
use baoxue_domain::contact::{Contact, ContactMethod};
use baoxue_domain::follow_up::{FollowUp, Placement, FOLLOW_UP_AFTER_DAYS};
use baoxue_domain::ids::{CaseId, RecordId};
use baoxue_domain::investigation::{DropoutReason, Investigation};
use baoxue_domain::notice::{Notice, NoticeKind};
use baoxue_domain::org::{Class, Stage};
use baoxue_domain::risk::Level;
use baoxue_domain::status::{Status, StatusEvent};
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// A confirmed dropout gets a persuasion case.
pub(crate) const CASE: f64 = 0.85;
/// A case ends with the child back in school (the episode draws it).
pub(crate) const RETURN: f64 = 0.70;
/// A case with three failed contacts or more gets a 《限期复学通知书》.
pub(crate) const NOTICE: f64 = 0.20;
/// A returned child skips school again and the case reopens.
pub(crate) const RELAPSE: f64 = 0.10;
/// A case that does not end in a return closes lawfully rather than staying open.
pub(crate) const CLOSE: f64 = 1.0 / 3.0;

/// How many contacts a case plans: most need two or three.
const CONTACTS: [(usize, u32); 6] = [(1, 15), (2, 25), (3, 25), (4, 15), (5, 12), (6, 8)];
/// How many reasons an investigation row holds.
const REASON_COUNT: [(usize, u32); 3] = [(1, 50), (2, 35), (3, 15)];
/// Days from a case's opening (or its last extension) to its deadline.
const CASE_DAYS: u64 = 30;

/// One edit of a case, at the moment the office made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseEdit {
    /// Milliseconds since 1970 (Beijing wall time of the edit).
    pub made_ms: u64,
    pub case: CaseId,
    pub field: CaseField,
}

/// The records of the persuasion work, as the domain types them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Casework {
    pub investigations: Vec<Investigation>,
    /// Each case as opened; its later changes are in `case_edits`.
    pub cases: Vec<Case>,
    pub case_edits: Vec<CaseEdit>,
    pub contacts: Vec<Contact>,
    pub notices: Vec<Notice>,
    pub placements: Vec<Placement>,
    pub follow_ups: Vec<FollowUp>,
}

impl Casework {
    pub fn len(&self) -> usize {
        self.investigations.len()
            + self.cases.len()
            + self.case_edits.len()
            + self.contacts.len()
            + self.notices.len()
            + self.placements.len()
            + self.follow_ups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Counts by record kind, for `summary.json`.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        [
            ("investigations", self.investigations.len()),
            ("cases", self.cases.len()),
            ("case_edits", self.case_edits.len()),
            ("contacts", self.contacts.len()),
            ("notices", self.notices.len()),
            ("placements", self.placements.len()),
            ("follow_ups", self.follow_ups.len()),
        ]
        .into_iter()
        .map(|(kind, count)| (kind.to_owned(), count))
        .collect()
    }
}

/// Why the child left, as the 辍学 status event's evidence named it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    DislikesSchool,
    FarmWork,
    Internet,
    Work(&'static str),
    Engaged,
}

impl Reason {
    fn main(self) -> DropoutReason {
        match self {
            Reason::DislikesSchool | Reason::Internet => DropoutReason::DislikesSchool,
            Reason::FarmWork => DropoutReason::FamilyHardship,
            Reason::Work(_) => DropoutReason::LeftToWork,
            Reason::Engaged => DropoutReason::EarlyMarriage,
        }
    }

    /// What the head teacher told the family on a visit that did not bring the child back.
    fn said(self) -> String {
        match self {
            Reason::DislikesSchool => "学生说跟不上、不想读，家长管不住；讲了义务教育法，学校可安排补课".to_owned(),
            Reason::FarmWork => "家里缺劳力，让孩子在家帮忙；讲解了两免一补和生活补助政策".to_owned(),
            Reason::Internet => "孩子在家玩手机，不愿出门；与家长商量限制手机，约心理老师谈话".to_owned(),
            Reason::Work(place) => format!("孩子在{place}打工，家长说挣钱要紧；讲明招用未成年人违法，义务教育必须完成"),
            Reason::Engaged => "家长说已订婚，不让再读；讲明早婚违法，送子女完成义务教育是法定义务".to_owned(),
        }
    }
}

/// The school days of one dropout episode, as indexes into the school days so far.
pub(crate) struct Dropout {
    pub reported: usize,
    pub dropped: usize,
    /// The day the persuasion case opens.
    pub persuaded: usize,
    /// The day the child comes back, if the case ends in a return.
    pub back: usize,
    /// The episode's roll for a return ([`RETURN`]).
    pub returns: bool,
    pub reason: Reason,
    /// The 辍学 evidence's reason, for the ledger's note.
    pub reason_text: String,
}

/// What the casework means for the register.
#[derive(Debug, Default)]
pub(crate) struct Aftermath {
    /// Back in class from this day.
    pub back: Option<usize>,
    /// Unexcused days after the return: the relapse.
    pub relapse: Vec<usize>,
}

/// What about the child the casework draws on.
pub(crate) struct Child<'a> {
    pub pupil: &'a Pupil,
    pub class: &'a Class,
    pub household: &'a Household,
    pub hardship: bool,
    pub learning_difficulty: bool,
}

/// One case as the school works it: what each of its records repeats.
struct Run<'r> {
    child: &'r Child<'r>,
    dropout: &'r Dropout,
    days: &'r [NaiveDate],
    case: CaseId,
    head_teacher: String,
    /// The guardian the visits meet: "祖母".
    relation: String,
    cadre: String,
    /// The parents work away (留守): some contacts are calls to them.
    parents_away: bool,
    measures: Vec<Measure>,
    /// As opened; moved on while the case runs.
    deadline: NaiveDate,
}

/// One school's persuasion work: its own dice, its people, the records made so far.
pub(crate) struct CaseWorker {
    dice: Dice,
    town: String,
    /// The school leader who joins the working groups (a 副校长 or the 校长).
    leader: String,
    /// Each village's cadre (村委会主任 or 支部书记), named when first needed.
    cadres: BTreeMap<String, String>,
    /// The first notice of this school in `out.notices`, for numbering.
    first_notice: usize,
    made: u64,
}

impl CaseWorker {
    pub fn new(mut dice: Dice, town: &str, out: &Casework) -> Self {
        let leader = names::adult_name(&mut dice);
        CaseWorker {
            dice,
            town: town.to_owned(),
            leader,
            cadres: BTreeMap::new(),
            first_notice: out.notices.len(),
            made: 0,
        }
    }

    /// Numbers this school's notices in order of issue: 〔2026〕第001号, 第002号, ….
    pub fn finish(self, out: &mut Casework) {
        let notices = &mut out.notices[self.first_notice..];
        notices.sort_by_key(|notice| (notice.issued_on, notice.id));
        for (index, notice) in notices.iter_mut().enumerate() {
            notice.number = format!("〔{}〕第{:03}号", notice.issued_on.year(), index + 1);
        }
    }

    /// A moment on `day` for a record of this child: ids sort by when things happened.
    fn ms(&mut self, child: &Child, day: NaiveDate, hour: u32, minute: u32) -> u64 {
        self.made += 1;
        beijing_ms(day, hour, minute, u64::from(child.pupil.seat) * 10_000 + self.made % 1_000)
    }

    fn record_id(&mut self, child: &Child, day: NaiveDate, hour: u32, minute: u32) -> RecordId {
        let ms = self.ms(child, day, hour, minute);
        RecordId::new_v7(ms, self.dice.id_bytes())
    }

    fn status(
        &mut self,
        child: &Child,
        events: &mut Vec<StatusEvent>,
        day: NaiveDate,
        status: Status,
        evidence: String,
    ) {
        let id = self.record_id(child, day, 16, 30);
        events.push(StatusEvent { id, student: child.pupil.student.id, date: day, status, evidence });
    }

    fn edit(&mut self, child: &Child, out: &mut Casework, case: CaseId, day: NaiveDate, field: CaseField) {
        let made_ms = self.ms(child, day, 16, 45);
        out.case_edits.push(CaseEdit { made_ms, case, field });
    }

    fn cadre(&mut self, village: &str) -> String {
        if let Some(name) = self.cadres.get(village) {
            return name.clone();
        }
        let name = names::adult_name(&mut self.dice);
        self.cadres.insert(village.to_owned(), name.clone());
        name
    }

    /// 1–3 reasons: the one the visit found first, then what else the family's situation shows.
    fn reasons(&mut self, child: &Child, reason: Reason) -> Vec<DropoutReason> {
        let wanted = *self.dice.weighted(&REASON_COUNT);
        let mut candidates = Vec::new();
        if child.hardship || reason == Reason::FarmWork {
            candidates.push(DropoutReason::FamilyHardship);
        }
        if child.learning_difficulty || reason == Reason::DislikesSchool {
            candidates.push(DropoutReason::LearningDifficulty);
        }
        if child.household.single_parent.is_some() || child.household.left_behind != LeftBehind::No {
            candidates.push(DropoutReason::FamilyUpheaval);
        }
        candidates.extend([DropoutReason::DislikesSchool, DropoutReason::FamilyHardship, DropoutReason::Other]);
        let mut reasons = vec![reason.main()];
        while reasons.len() < wanted {
            let pick = *self.dice.pick(&candidates);
            if !reasons.contains(&pick) {
                reasons.push(pick);
            } else if candidates.iter().all(|candidate| reasons.contains(candidate)) {
                break;
            }
        }
        reasons
    }

    /// Everything a school does after `dropout`, up to `today`. Status events go to `events`,
    /// the other records to `out`.
    pub fn after_dropout(
        &mut self,
        child: &Child,
        dropout: &Dropout,
        days: &[NaiveDate],
        today: NaiveDate,
        events: &mut Vec<StatusEvent>,
        out: &mut Casework,
    ) -> Aftermath {
        let count = days.len();
        let reasons = self.ledger(child, dropout, days, out);
        if !self.dice.chance(CASE) {
            // Not a dropout after all: the child is at a school where the parents work.
            if let Some(&on) = days.get(dropout.persuaded) {
                let place = self.dice.pick(WORK_PLACES).0;
                let school = receiving(child, place);
                let evidence = format!("经核实已随父母到{place}就读，收到{school}回执（{on}），不需立案劝返");
                self.status(child, events, on, Status::TransferOutConfirmed, evidence);
            }
            return Aftermath::default();
        }
        let Some(mut run) = self.open_case(child, dropout, days, &reasons, events, out) else {
            return Aftermath::default();
        };

        // How it ends: back on `dropout.back`, closed lawfully, or still open today.
        let returns = dropout.returns && dropout.back < count;
        let closes = !dropout.returns && self.dice.chance(CLOSE);
        let close_day = dropout.persuaded + self.dice.range(8, 25) as usize;
        let end = if returns {
            dropout.back
        } else if closes {
            close_day.min(count)
        } else {
            count
        };
        self.contacts(&mut run, end, returns, out);

        // A deadline passing with the case still running is moved on.
        let resolved_on = days.get(end).copied().unwrap_or(today);
        let mut deadline = run.deadline;
        while deadline < resolved_on {
            let on = deadline;
            deadline = on + Days::new(CASE_DAYS);
            self.edit(child, out, run.case, on, CaseField::Deadline(deadline));
        }

        if closes && close_day < count {
            self.close_lawfully(&run, days[close_day], events, out);
        }
        if !returns {
            return Aftermath::default();
        }
        let relapse = self.bring_back(&run, events, out);
        Aftermath { back: Some(dropout.back), relapse }
    }

    /// The 排查台账 row and the home visit that confirmed the dropout; the row's reasons.
    fn ledger(
        &mut self,
        child: &Child,
        dropout: &Dropout,
        days: &[NaiveDate],
        out: &mut Casework,
    ) -> Vec<DropoutReason> {
        let student = child.pupil.student.id;
        let head_teacher = &child.class.head_teacher;
        let dropped_on = days[dropout.dropped];
        let reasons = self.reasons(child, dropout.reason);
        let id = self.record_id(child, dropped_on, 16, 40);
        out.investigations.push(Investigation {
            id,
            student,
            found_on: days[dropout.reported],
            reasons: reasons.clone(),
            investigator: head_teacher.clone(),
            note: format!("{}；家访核实后列入辍学台账", dropout.reason_text),
        });
        let id = self.record_id(child, dropped_on, 15, 30);
        out.contacts.push(Contact {
            id,
            student,
            case: None,
            date: dropped_on,
            method: ContactMethod::HomeVisit,
            visitors: vec![head_teacher.clone()],
            met: child.household.guardian.relation.clone(),
            said: format!("核实学生连续未到校的原因：{}", dropout.reason_text),
            outcome: "确认辍学，当日报学校列入辍学台账".to_owned(),
            next_step: "成立劝返工作组，一人一案".to_owned(),
            next_date: days.get(dropout.persuaded).copied(),
        });
        reasons
    }

    /// The case (一人一案) and the 劝返中 status, on the day the working group is formed, if it
    /// has come.
    fn open_case<'r>(
        &mut self,
        child: &'r Child<'r>,
        dropout: &'r Dropout,
        days: &'r [NaiveDate],
        reasons: &[DropoutReason],
        events: &mut Vec<StatusEvent>,
        out: &mut Casework,
    ) -> Option<Run<'r>> {
        let opened_on = *days.get(dropout.persuaded)?;
        let village = &child.household.village;
        let cadre = self.cadre(village);
        let difficulty = match (reasons.len(), dropout.reason) {
            (_, Reason::Work(_) | Reason::Engaged) | (3, _) => Level::High,
            (2, _) => Level::Medium,
            _ => Level::Low,
        };
        let mut measures = vec![Measure::HomeVisit, Measure::Phone];
        if matches!(dropout.reason, Reason::DislikesSchool | Reason::Internet) {
            measures.push(Measure::Counselling);
        }
        if reasons.contains(&DropoutReason::FamilyHardship) || reasons.contains(&DropoutReason::LearningDifficulty) {
            measures.push(Measure::Aid);
        }
        let case_ms = self.ms(child, opened_on, 16, 20);
        let case = CaseId::new_v7(case_ms, self.dice.id_bytes());
        let head_teacher = child.class.head_teacher.clone();
        let deadline = opened_on + Days::new(CASE_DAYS);
        out.cases.push(Case {
            id: case,
            student: child.pupil.student.id,
            responsible: vec![
                format!("{head_teacher}（班主任）"),
                format!("{}（副校长）", self.leader),
                format!("{cadre}（{village}村委会主任）"),
            ],
            difficulty,
            measures: measures.clone(),
            deadline,
            status: CaseStatus::Open,
            outcome: String::new(),
            found_on: days.get(dropout.reported).copied(),
            difficulty_note: String::new(),
            opened_on: Some(opened_on),
        });
        self.status(child, events, opened_on, Status::BeingPersuaded, "成立劝返工作组，一人一案".to_owned());
        let relation = child.household.guardian.relation.clone();
        let parents_away = child.household.left_behind != LeftBehind::No;
        Some(Run { child, dropout, days, case, head_teacher, relation, cadre, parents_away, measures, deadline })
    }

    /// The case's contacts up to the school day `end`, the last one bringing the child back if
    /// `returns`; a notice after the third failed one, now and then.
    fn contacts(&mut self, run: &mut Run, end: usize, returns: bool, out: &mut Casework) {
        let (child, dropout, days) = (run.child, run.dropout, run.days);
        let planned = *self.dice.weighted(&CONTACTS);
        let contact_days = self.spaced_days(dropout.persuaded, end, planned);
        let failed = if returns { contact_days.len().saturating_sub(1) } else { contact_days.len() };
        let notice_after = (failed >= 3 && self.dice.chance(NOTICE)).then_some(2);
        for (index, &day_index) in contact_days.iter().enumerate() {
            let date = days[day_index];
            let success = returns && index + 1 == contact_days.len();
            let next_date = contact_days.get(index + 1).map(|next| days[*next]).unwrap_or(if success {
                days[dropout.back]
            } else {
                date + Days::new(7)
            });
            let phone = index > 0 && self.dice.chance(0.25);
            let mut visitors = vec![run.head_teacher.clone()];
            if !phone && self.dice.chance(0.5) {
                visitors.push(self.leader.clone());
            }
            if !phone && self.dice.chance(0.4) {
                visitors.push(run.cadre.clone());
            }
            let (said, outcome, next_step) = if success {
                let said = if notice_after.is_some() {
                    "《限期复学通知书》送达后，家长同意送孩子返校，学生本人也愿意回来"
                } else {
                    "反复做工作后，家长同意送孩子返校，学生本人也愿意回来"
                };
                (said.to_owned(), format!("约定{}返校", days[dropout.back]), "返校后安排补课，一周后回访".to_owned())
            } else {
                let outcome = *self.dice.pick(&[
                    "家长态度有松动，学生仍不愿返校",
                    "家长未同意，学生不在家",
                    "家长答应考虑，未定返校日期",
                    "学生答应想一想，家长仍犹豫",
                ]);
                // Parents who work away are reached by phone; the others at home.
                let next_steps: &[&str] = if run.parents_away {
                    &["再次家访", "请村干部一同上门", "电话联系在外务工的父母", "请心理老师一同家访"]
                } else {
                    &["再次家访", "请村干部一同上门", "请心理老师一同家访"]
                };
                let next_step = *self.dice.pick(next_steps);
                let said = if index == 0 {
                    dropout.reason.said()
                } else {
                    let said: &[&str] = if phone {
                        &[
                            "电话里再次讲解控辍保学政策和资助政策，家长表示会做孩子的工作",
                            "与家长通话，家长答应劝孩子回校，但说孩子不听",
                        ]
                    } else {
                        &[
                            "再次讲解控辍保学政策和资助政策，家长表示会做孩子的工作",
                            "学生本人不在家，与家长约定下次见面时间",
                            "学生说可以考虑返校，但怕跟不上、怕同学笑话；承诺安排补课和结对帮扶",
                            "村干部一同上门，讲明送子女接受义务教育是法定义务",
                        ]
                    };
                    (*self.dice.pick(said)).to_owned()
                };
                (said, outcome.to_owned(), next_step.to_owned())
            };
            let id = self.record_id(child, date, 18, 30);
            out.contacts.push(Contact {
                id,
                student: child.pupil.student.id,
                case: Some(run.case),
                date,
                method: if phone { ContactMethod::Phone } else { ContactMethod::HomeVisit },
                visitors,
                met: if phone { format!("{}（电话）", run.relation) } else { run.relation.clone() },
                said,
                outcome,
                next_step,
                next_date: Some(next_date),
            });
            // The notice follows the third failed contact, the next school day.
            if notice_after == Some(index) {
                if let Some(&issued_on) = days.get(day_index + 1) {
                    self.notice(run, issued_on, out);
                }
            }
        }
    }

    /// A 《限期复学通知书》 from the town government, and 依法劝返 among the case's measures.
    fn notice(&mut self, run: &mut Run, issued_on: NaiveDate, out: &mut Casework) {
        let id = self.record_id(run.child, issued_on, 10, 0);
        out.notices.push(Notice {
            id,
            student: run.child.pupil.student.id,
            case: run.case,
            kind: NoticeKind::ReturnByDeadline,
            issued_on,
            issuer: format!("{}人民政府", self.town),
            deadline: Some(issued_on + Days::new(u64::from(self.dice.range(10, 15)))),
            number: String::new(), // Numbered by `finish`, in order of issue.
        });
        run.measures.push(Measure::Legal);
        self.edit(run.child, out, run.case, issued_on, CaseField::Measures(run.measures.clone()));
    }

    /// The case closed for a lawful reason the status event records: a school elsewhere (its
    /// 回执), or in grade 9 the vocational track.
    fn close_lawfully(&mut self, run: &Run, on: NaiveDate, events: &mut Vec<StatusEvent>, out: &mut Casework) {
        let child = run.child;
        let (status, evidence) = if child.pupil.student.grade.get() == 9 && self.dice.chance(0.5) {
            let evidence = "经劝导，本人和家长同意进入县职业教育中心就读（中职分流），已办理学籍手续";
            (Status::VocationalTrack, evidence.to_owned())
        } else {
            let place = self.dice.pick(WORK_PLACES).0;
            let school = receiving(child, place);
            (Status::TransferOutConfirmed, format!("核实已随父母到{place}，在{school}就读，收到该校回执（{on}）"))
        };
        self.status(child, events, on, status, evidence.clone());
        self.edit(child, out, run.case, on, CaseField::Status(CaseStatus::Closed));
        self.edit(child, out, run.case, on, CaseField::Outcome(format!("依法销号：{evidence}")));
    }

    /// The return (已复学 naming the class, the case marked returned, the placement), now and
    /// then a relapse, and the follow-ups. Gives the relapse's unexcused days.
    fn bring_back(&mut self, run: &Run, events: &mut Vec<StatusEvent>, out: &mut Casework) -> Vec<usize> {
        let (child, dropout, days, case) = (run.child, run.dropout, run.days, run.case);
        let count = days.len();
        let back_on = days[dropout.back];
        let class_name = &child.class.name;
        let evidence = format!("劝返成功，{back_on}返校，编入{class_name}（原班级）");
        self.status(child, events, back_on, Status::Returned, evidence);
        self.edit(child, out, case, back_on, CaseField::Status(CaseStatus::Returned));
        self.edit(child, out, case, back_on, CaseField::Outcome(format!("{back_on}返校，编入{class_name}，跟踪中")));
        let id = self.record_id(child, back_on, 8, 30);
        let mut catch_up_plan = "语文、数学、英语由任课教师每周二、四放学后补课，安排一名同学结对帮扶".to_owned();
        if child.hardship || dropout.reason == Reason::FarmWork {
            catch_up_plan.push_str("；落实生活补助");
        }
        let student = child.pupil.student.id;
        out.placements.push(Placement {
            id,
            student,
            case,
            returned_on: back_on,
            class: child.class.id,
            catch_up_plan,
        });

        let mut relapse = Vec::new();
        let mut relapsed_on = None;
        if self.dice.chance(RELAPSE) {
            let start = dropout.back + self.dice.range(5, 15) as usize;
            let length = self.dice.range(3, 5) as usize;
            relapse = (start..(start + length).min(count)).collect();
            if let Some(&reported) = days.get(start + 2) {
                relapsed_on = Some(reported);
                self.relapse(run, reported, days.get(start + length).copied(), events, out);
            }
        }
        for after in FOLLOW_UP_AFTER_DAYS {
            let target = back_on + Days::new(after);
            let Some(&date) = days.iter().find(|day| **day >= target) else {
                break;
            };
            let attending = relapsed_on.is_none_or(|relapsed| date < relapsed);
            let note = if attending {
                format!("按时到校，{}", self.dice.pick(&["补课正常", "学习有进步", "情绪稳定", "与同学相处融洽"]))
            } else {
                "复学后再次旷课，已重新家访，加强跟踪".to_owned()
            };
            let id = self.record_id(child, date, 17, 10);
            out.follow_ups.push(FollowUp { id, student, case, date, attending, note });
        }
        relapse
    }

    /// Unexcused days again after a return: the report on the third, the case reopened with a
    /// new deadline, a home visit, and back in class on `again` if that day has come.
    fn relapse(
        &mut self,
        run: &Run,
        reported: NaiveDate,
        again: Option<NaiveDate>,
        events: &mut Vec<StatusEvent>,
        out: &mut Casework,
    ) {
        let (child, case) = (run.child, run.case);
        self.status(child, events, reported, Status::SuspectedDropout, "复学后再次连续旷课3天，当日上报".to_owned());
        self.edit(child, out, case, reported, CaseField::Status(CaseStatus::Open));
        self.edit(child, out, case, reported, CaseField::Outcome("复学后再次旷课，重新劝返".to_owned()));
        self.edit(child, out, case, reported, CaseField::Deadline(reported + Days::new(CASE_DAYS)));
        let id = self.record_id(child, reported, 18, 40);
        out.contacts.push(Contact {
            id,
            student: child.pupil.student.id,
            case: Some(case),
            date: reported,
            method: ContactMethod::HomeVisit,
            visitors: vec![run.head_teacher.clone(), self.leader.clone()],
            met: format!("{}及学生本人", run.relation),
            said: "孩子说复学后跟不上，又不想上学；和家长约定每天送到校，补课再加一次".to_owned(),
            outcome: "家长答应督促孩子返校".to_owned(),
            next_step: "每天电话核实到校".to_owned(),
            next_date: Some(again.unwrap_or(reported + Days::new(1))),
        });
        if let Some(again) = again {
            let class_name = &child.class.name;
            let evidence = format!("再次家访后于{again}返校，仍在{class_name}");
            self.status(child, events, again, Status::Returned, evidence);
            self.edit(child, out, case, again, CaseField::Status(CaseStatus::Returned));
            self.edit(child, out, case, again, CaseField::Outcome(format!("{again}再次返校，加强跟踪")));
        }
    }

    /// Up to `wanted` school days from `first` (always among them) to before `end`, two to six
    /// school days apart: a working group goes back within the week or the next.
    fn spaced_days(&mut self, first: usize, end: usize, wanted: usize) -> Vec<usize> {
        let mut chosen = vec![first];
        while chosen.len() < wanted {
            let next = chosen[chosen.len() - 1] + self.dice.range(2, 6) as usize;
            if next >= end {
                break;
            }
            chosen.push(next);
        }
        chosen
    }
}

/// A school in `place` for a child of this stage.
fn receiving(child: &Child, place: &str) -> String {
    let number = 2 + child.pupil.seat % 7;
    match child.pupil.student.grade.stage() {
        Stage::Primary => format!("{place}第{number}小学"),
        Stage::Junior => format!("{place}第{number}中学"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dice::Part;
    use crate::spec::{Size, Spec};

    /// Runs `count` dropouts early in a long stretch of school days, so every case has time to
    /// end as its dice say, and checks the chances in the module's comment.
    #[test]
    fn the_casework_comes_in_the_documented_proportions() {
        let dataset = crate::generate(&Spec::new(3, Size::Class));
        let pupil = &dataset.pupils[0];
        let household = &dataset.households[pupil.household];
        let child = Child { pupil, class: &dataset.classes[0], household, hardship: true, learning_difficulty: false };
        let first: NaiveDate = "2026-09-01".parse().unwrap();
        let days: Vec<NaiveDate> = (0..200).map(|offset| first + Days::new(offset)).collect();
        let today = days[days.len() - 1];
        let mut out = Casework::default();
        let mut events = Vec::new();
        let mut worker = CaseWorker::new(Dice::new(1, Part::Casework, 0), "石门镇", &out);
        let mut episode = Dice::new(2, Part::Casework, 1);
        let dropouts = 4_000;
        let (mut returned, mut reopened, mut closed, mut noticed, mut after_three_failures) = (0, 0, 0, 0, 0);
        for _ in 0..dropouts {
            let (cases, placements, notices, edits) =
                (out.cases.len(), out.placements.len(), out.notices.len(), out.case_edits.len());
            let dropout = Dropout {
                reported: 2,
                dropped: 4,
                persuaded: 6,
                back: 6 + episode.range(5, 20) as usize,
                returns: episode.chance(RETURN),
                reason: Reason::DislikesSchool,
                reason_text: "厌学，在家不愿上学".to_owned(),
            };
            let aftermath = worker.after_dropout(&child, &dropout, &days, today, &mut events, &mut out);
            if out.cases.len() == cases {
                assert!(aftermath.back.is_none());
                continue;
            }
            let case = out.cases[cases].id;
            let contacts: Vec<&Contact> = out.contacts.iter().rev().take_while(|c| c.case == Some(case)).collect();
            let came_back = out.placements.len() > placements;
            let edited = |status| out.case_edits[edits..].iter().any(|edit| edit.field == CaseField::Status(status));
            let relapsed = came_back && edited(CaseStatus::Open);
            let planned = contacts.len() - usize::from(relapsed);
            assert!((1..=6).contains(&planned), "{planned} contacts");
            let failed = if came_back { planned - 1 } else { planned };
            after_three_failures += usize::from(failed >= 3);
            noticed += out.notices.len() - notices;
            returned += usize::from(came_back);
            reopened += usize::from(relapsed);
            closed += usize::from(edited(CaseStatus::Closed));
            assert_eq!(aftermath.back.is_some(), came_back);
            if came_back {
                let placement = &out.placements[placements];
                let follow_ups: Vec<u64> = out.follow_ups[out.follow_ups.len() - 3..]
                    .iter()
                    .filter(|follow_up| follow_up.case == case)
                    .map(|follow_up| (follow_up.date - placement.returned_on).num_days() as u64)
                    .collect();
                assert_eq!(follow_ups[..2], [7, 30], "follow-ups after a week and a month");
            }
        }
        let share = |part: usize, whole: usize| part as f64 / whole as f64;
        let cases = out.cases.len();
        assert_eq!(out.investigations.len(), dropouts);
        assert!(out.investigations.iter().all(|row| (1..=3).contains(&row.reasons.len())));
        assert!((share(cases, dropouts) - CASE).abs() < 0.03, "cases {}", share(cases, dropouts));
        assert!((share(returned, cases) - RETURN).abs() < 0.03, "returned {}", share(returned, cases));
        assert!((share(reopened, returned) - RELAPSE).abs() < 0.025, "relapsed {}", share(reopened, returned));
        let not_returned = cases - returned;
        assert!((share(closed, not_returned) - CLOSE).abs() < 0.05, "closed {}", share(closed, not_returned));
        let notice_share = share(noticed, after_three_failures);
        assert!((notice_share - NOTICE).abs() < 0.05, "notices {notice_share} of {after_three_failures}");
        let home_visits = out.contacts.iter().filter(|c| c.method == ContactMethod::HomeVisit).count();
        assert!((0.75..0.95).contains(&share(home_visits, out.contacts.len())), "mostly home visits");
        worker.finish(&mut out);
        let numbers: Vec<&str> = out.notices.iter().map(|notice| notice.number.as_str()).collect();
        assert_eq!(numbers[..3], ["〔2026〕第001号", "〔2026〕第002号", "〔2026〕第003号"]);
    }
}
