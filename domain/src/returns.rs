//! When a child came back to school. Two records say so: a 已复学 (`Status::Returned`) status
//! event, and a placement (复学安置) of one of the child's cases. Schools record either or both,
//! so every rule that asks "is the child back since…" reads both.

use crate::ids::StudentId;
use crate::state::State;
use crate::status::Status;
use chrono::NaiveDate;

/// The latest day up to `today` on which `student` came back: a Returned status event or a
/// placement, not retracted. `None` if the child never came back.
pub fn last_return(state: &State, student: StudentId, today: NaiveDate) -> Option<NaiveDate> {
    let by_status = state
        .timeline(student)
        .events()
        .iter()
        .filter(|event| event.status == Status::Returned && event.date <= today)
        .map(|event| event.date)
        .max();
    let by_placement = state
        .placements
        .values()
        .map(|stamped| &stamped.value)
        .filter(|placement| {
            placement.student == student && placement.returned_on <= today && !state.is_retracted(placement.id)
        })
        .map(|placement| placement.returned_on)
        .max();
    by_status.max(by_placement)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_school::{day, TestSchool};

    #[test]
    fn a_status_event_or_a_placement_is_a_return() {
        let mut school = TestSchool::new();
        let student = school.enrol("张小明", None);
        let case = school.open_case(student);
        assert_eq!(last_return(&school.state, student, day("2026-12-01")), None);
        school.status(student, "2026-10-14", Status::Returned, "到校上课");
        let placement = school.placement(student, case, "2026-11-02");
        assert_eq!(last_return(&school.state, student, day("2026-12-01")), Some(day("2026-11-02")));
        // Up to today only.
        assert_eq!(last_return(&school.state, student, day("2026-11-01")), Some(day("2026-10-14")));
        school.retract(placement);
        assert_eq!(last_return(&school.state, student, day("2026-12-01")), Some(day("2026-10-14")));
    }
}
