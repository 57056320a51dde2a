//! How safe a phone's changes are: a change lives only on the phone until it reaches the
//! server or a backup file, and a phone can be lost, broken or cleared by the browser. Changes
//! that have stayed unsent for days, with no backup made since, earn the teacher a reminder.

/// Changes unsent for this many whole days, with no backup since, raise the reminder: a day or
/// two without signal is ordinary in a village school, three is not.
pub const REMIND_AFTER_DAYS: u64 = 3;

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// How many whole days the oldest unsent change has waited, when the teacher should be
/// reminded to sync or back up; `None` when all is safe enough. `oldest_unsent_ms` is the stamp
/// of the oldest change not yet on the server (`None`: nothing unsent), `last_backup_ms` when
/// the last backup file was made. A backup made after the oldest unsent change holds it, so it
/// silences the reminder; one made before it does not. A clock set back (now before the
/// change) counts as no time passed.
pub fn backup_reminder(oldest_unsent_ms: Option<u64>, last_backup_ms: Option<u64>, now_ms: u64) -> Option<u64> {
    let oldest = oldest_unsent_ms?;
    if last_backup_ms.is_some_and(|backup| backup > oldest) {
        return None;
    }
    let days = now_ms.saturating_sub(oldest) / DAY_MS;
    (days >= REMIND_AFTER_DAYS).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-11-20 08:00 UTC.
    const CHANGE: u64 = 1_732_089_600_000;
    const HOUR: u64 = 60 * 60 * 1000;

    #[test]
    fn nothing_unsent_is_never_reminded() {
        assert_eq!(backup_reminder(None, None, CHANGE + 30 * DAY_MS), None);
    }

    #[test]
    fn no_reminder_under_three_days() {
        assert_eq!(backup_reminder(Some(CHANGE), None, CHANGE), None);
        assert_eq!(backup_reminder(Some(CHANGE), None, CHANGE + 3 * DAY_MS - 1), None);
    }

    #[test]
    fn reminder_at_three_days_and_counts_whole_days() {
        assert_eq!(backup_reminder(Some(CHANGE), None, CHANGE + 3 * DAY_MS), Some(3));
        assert_eq!(backup_reminder(Some(CHANGE), None, CHANGE + 5 * DAY_MS + 23 * HOUR), Some(5));
    }

    #[test]
    fn backup_after_the_oldest_unsent_change_silences_it() {
        assert_eq!(backup_reminder(Some(CHANGE), Some(CHANGE + HOUR), CHANGE + 10 * DAY_MS), None);
    }

    #[test]
    fn backup_before_the_oldest_unsent_change_does_not() {
        assert_eq!(backup_reminder(Some(CHANGE), Some(CHANGE - HOUR), CHANGE + 4 * DAY_MS), Some(4));
        // A backup made in the same millisecond may have been read before the change was
        // written: it is not taken to hold it.
        assert_eq!(backup_reminder(Some(CHANGE), Some(CHANGE), CHANGE + 4 * DAY_MS), Some(4));
    }

    #[test]
    fn a_clock_set_back_counts_no_time() {
        assert_eq!(backup_reminder(Some(CHANGE), None, CHANGE - 10 * DAY_MS), None);
    }
}
