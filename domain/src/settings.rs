//! The rules a locality sets. Every number here is a setting with the default the seeds or the
//! 2024 national notice give; a school or county changes them, the code never hard-codes them.

use crate::org::Stage;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    /// Consecutive unexcused school days that raise a suspected dropout. Localities use 1, 2, 3
    /// or 5.
    pub suspected_after_unexcused_days: u32,
    /// Days a transfer out may wait for the receiving school's receipt before it counts as a
    /// suspected dropout.
    pub transfer_receipt_days: u32,
    /// Share of school days missed that makes absence chronic, in basis points (1000 = 10%).
    pub chronic_absence_bp: u32,
    /// Home visits each head teacher makes per semester.
    pub visits_per_head_teacher: u32,
    /// Visits to a child who keeps relapsing.
    pub visits_per_relapsing_child: u32,
    /// Dropout rate above which a school is flagged (一票否决), in basis points, per stage.
    pub dropout_limit_primary_bp: u32,
    pub dropout_limit_junior_bp: u32,
    /// Days after a return at which attendance is checked again.
    pub returned_still_attending_days: u32,
    pub timers: Timers,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            suspected_after_unexcused_days: 3,
            transfer_receipt_days: 15,
            chronic_absence_bp: 1000,
            visits_per_head_teacher: 15,
            visits_per_relapsing_child: 3,
            dropout_limit_primary_bp: 50,
            dropout_limit_junior_bp: 100,
            returned_still_attending_days: 30,
            timers: Timers::default(),
        }
    }
}

impl Rules {
    pub fn dropout_limit_bp(&self, stage: Stage) -> u32 {
        match stage {
            Stage::Primary => self.dropout_limit_primary_bp,
            Stage::Junior => self.dropout_limit_junior_bp,
        }
    }
}

/// Deadlines of the reporting chain. Local rules, not law: the notice gives these as examples.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Timers {
    /// An unexplained absence is reported to the 教导处 within this many hours.
    pub report_absence_hours: u32,
    /// A suspected dropout gets a home visit within this many days (0: the same day).
    pub visit_within_days: u32,
    /// The written report on a suspected dropout is due within this many days.
    pub written_report_days: u32,
    /// The school's monthly dropout report (学校辍学月报表) is due on this day of the next month.
    pub monthly_report_day: u32,
    // The fields below came later. Rules travel inside `Change::SetRules` mutations, whose hash
    // is taken over their JSON as re-serialised, so a field at its default is left out of the
    // JSON: a mutation written before the field existed keeps its bytes and its chain. Their
    // defaults must therefore never change (an omitted field reads as the default).
    /// 跟踪管理: the first check after a return, this many days after the return date (1 week).
    #[serde(skip_serializing_if = "is_default_follow_up_first_days")]
    pub follow_up_first_days: u32,
    /// The second check after a return, this many days after the return date (1 month).
    #[serde(skip_serializing_if = "is_default_follow_up_second_days")]
    pub follow_up_second_days: u32,
    /// After the two first checks there is one at the end of each term; when the school's
    /// calendar holds no term for it, one every this many days (about a term).
    #[serde(skip_serializing_if = "is_default_follow_up_every_days")]
    pub follow_up_every_days: u32,
    /// Contacts of a case that did not bring the child back before the school is offered the
    /// legal route, the 《限期复学通知书》.
    #[serde(skip_serializing_if = "is_default_failed_contacts_before_notice")]
    pub failed_contacts_before_notice: u32,
}

const FOLLOW_UP_FIRST_DAYS: u32 = 7;
const FOLLOW_UP_SECOND_DAYS: u32 = 30;
const FOLLOW_UP_EVERY_DAYS: u32 = 140;
const FAILED_CONTACTS_BEFORE_NOTICE: u32 = 3;

fn is_default_follow_up_first_days(days: &u32) -> bool {
    *days == FOLLOW_UP_FIRST_DAYS
}

fn is_default_follow_up_second_days(days: &u32) -> bool {
    *days == FOLLOW_UP_SECOND_DAYS
}

fn is_default_follow_up_every_days(days: &u32) -> bool {
    *days == FOLLOW_UP_EVERY_DAYS
}

fn is_default_failed_contacts_before_notice(contacts: &u32) -> bool {
    *contacts == FAILED_CONTACTS_BEFORE_NOTICE
}

impl Default for Timers {
    fn default() -> Self {
        Timers {
            report_absence_hours: 1,
            visit_within_days: 0,
            written_report_days: 7,
            monthly_report_day: 5,
            follow_up_first_days: FOLLOW_UP_FIRST_DAYS,
            follow_up_second_days: FOLLOW_UP_SECOND_DAYS,
            follow_up_every_days: FOLLOW_UP_EVERY_DAYS,
            failed_contacts_before_notice: FAILED_CONTACTS_BEFORE_NOTICE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_settings_file_keeps_the_other_defaults() {
        let rules: Rules =
            serde_json::from_str(r#"{"suspected_after_unexcused_days": 5, "timers": {"written_report_days": 3}}"#)
                .unwrap();
        assert_eq!(rules.suspected_after_unexcused_days, 5);
        assert_eq!(rules.transfer_receipt_days, 15);
        assert_eq!(rules.timers.written_report_days, 3);
        assert_eq!(rules.timers.report_absence_hours, 1);
        assert_eq!(rules.timers.follow_up_first_days, 7);
        assert_eq!(rules.timers.failed_contacts_before_notice, 3);
    }

    /// Rules written before the follow-up and notice timers existed, as a `SetRules` mutation
    /// carries them: read and written again, the bytes (and so the mutation's hash) are the same.
    #[test]
    fn rules_written_before_the_new_timers_keep_their_bytes() {
        let old = r#"{"suspected_after_unexcused_days":3,"transfer_receipt_days":15,"chronic_absence_bp":1000,"visits_per_head_teacher":15,"visits_per_relapsing_child":3,"dropout_limit_primary_bp":50,"dropout_limit_junior_bp":100,"returned_still_attending_days":30,"timers":{"report_absence_hours":1,"visit_within_days":0,"written_report_days":7,"monthly_report_day":5}}"#;
        let rules: Rules = serde_json::from_str(old).unwrap();
        assert_eq!(rules, Rules::default());
        assert_eq!(serde_json::to_string(&rules).unwrap(), old);
        // A value away from its default is written, and read back.
        let mut changed = rules;
        changed.timers.follow_up_every_days = 120;
        let text = serde_json::to_string(&changed).unwrap();
        assert!(text.ends_with(r#""monthly_report_day":5,"follow_up_every_days":120}}"#), "{text}");
        assert_eq!(serde_json::from_str::<Rules>(&text).unwrap(), changed);
    }
}
