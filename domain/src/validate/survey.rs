//! A satisfaction survey answer (满意度调查): every score 1 to 5.

use super::{Checker, ValidationError};
use crate::survey::SurveyAnswer;

impl Checker<'_> {
    pub(super) fn survey(&mut self, answer: &SurveyAnswer) {
        for score in answer.scores.iter().filter(|score| !(1..=5).contains(*score)) {
            self.push(ValidationError::ScoreOutOfRange { survey: answer.id, score: *score });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::RecordId;
    use crate::mutation::Change;
    use crate::survey::{Respondent, SurveyRound};
    use crate::test_school::{TestSchool, SCHOOL};
    use crate::validate::tests::{errors, today};

    #[test]
    fn survey_scores_are_one_to_five() {
        let school = TestSchool::new();
        let answer = SurveyAnswer {
            id: RecordId::from_u128(0x5a),
            school: SCHOOL,
            round: SurveyRound::AfterCampaign,
            respondent: Respondent::Parent,
            date: today(),
            scores: vec![5, 0, 3, 6],
        };
        assert_eq!(
            errors(&school, Change::RecordSurvey(answer)),
            vec![
                ValidationError::ScoreOutOfRange { survey: RecordId::from_u128(0x5a), score: 0 },
                ValidationError::ScoreOutOfRange { survey: RecordId::from_u128(0x5a), score: 6 },
            ]
        );
    }
}
