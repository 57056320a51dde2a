use super::Text;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    Today,
    Roster,
    Attendance,
    Board,
    Settings,
}

impl Text for Nav {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            Nav::Today => ("今天", "Today"),
            Nav::Roster => ("花名册", "Roster"),
            // "Register", not "Attendance": a quarter of a 360 px screen holds it whole.
            Nav::Attendance => ("考勤", "Register"),
            Nav::Board => ("预警", "At risk"),
            Nav::Settings => ("设置", "Settings"),
        }
    }
}
