//! A child of the resident list (户籍): born not in the future, a sound 身份证 number that agrees
//! with the birth date, and a matched student that exists.

use super::{Checker, RecordKind, ResidentLabel, ValidationError};
use crate::resident::Resident;
use crate::student_number::{NumberKind, StudentNumber};

impl Checker<'_> {
    pub(super) fn resident(&mut self, resident: &Resident) {
        let label = ResidentLabel { id: resident.id, name: resident.name.clone() };
        if resident.birth_date > self.today {
            self.push(ValidationError::ResidentBornInFuture {
                resident: label.clone(),
                birth_date: resident.birth_date,
            });
        }
        if let Some(text) = resident.id_number.as_deref().filter(|text| !text.trim().is_empty()) {
            match StudentNumber::parse(text) {
                Err(source) => self.push(ValidationError::ResidentIdNumber { resident: label.clone(), source }),
                Ok(number) if number.kind() != NumberKind::IdCard => {
                    self.push(ValidationError::ResidentIdNotAnIdCard {
                        resident: label.clone(),
                        value: text.to_owned(),
                    });
                }
                Ok(number) => {
                    if let Some(in_number) = number.birth_date().filter(|in_number| *in_number != resident.birth_date) {
                        self.push(ValidationError::ResidentIdBirthDateDiffers {
                            resident: label.clone(),
                            in_number,
                            birth_date: resident.birth_date,
                        });
                    }
                }
            }
        }
        if let Some(student) = resident.student {
            self.known_student(RecordKind::Resident, student);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ResidentId, StudentId};
    use crate::mutation::Change;
    use crate::test_school::{day, id_number, TestSchool, SCHOOL};
    use crate::validate::tests::{errors, the_error, today};
    use crate::validate::{validate, RecordKind};

    #[test]
    fn a_resident_needs_a_sound_id_number() {
        let school = TestSchool::new();
        let resident = Resident {
            id: ResidentId::from_u128(0x2e),
            school: SCHOOL,
            name: "王五".into(),
            gender: crate::student::Gender::Female,
            birth_date: day("2013-05-01"),
            village: "上村".into(),
            id_number: Some(id_number("20130501", "246")),
            student: None,
        };
        assert_eq!(validate(&school.state, &Change::PutResident(resident.clone()), today()), Ok(()));
        let rounded = Resident { id_number: Some("4.30521E+17".into()), ..resident.clone() };
        assert!(matches!(the_error(&school, Change::PutResident(rounded)), ValidationError::ResidentIdNumber { .. }));
        let temporary = Resident { id_number: Some("L430521201305011234".into()), ..resident.clone() };
        assert!(matches!(
            the_error(&school, Change::PutResident(temporary)),
            ValidationError::ResidentIdNotAnIdCard { .. }
        ));
        let other_day = Resident { birth_date: day("2013-05-02"), ..resident.clone() };
        assert!(matches!(
            the_error(&school, Change::PutResident(other_day)),
            ValidationError::ResidentIdBirthDateDiffers { .. }
        ));
        let unborn = Resident {
            birth_date: day("2027-01-01"),
            id_number: None,
            student: Some(StudentId::from_u128(9)),
            ..resident
        };
        let found = errors(&school, Change::PutResident(unborn));
        assert!(matches!(found[0], ValidationError::ResidentBornInFuture { .. }));
        assert!(matches!(found[1], ValidationError::UnknownStudent { what: RecordKind::Resident, .. }));
    }
}
