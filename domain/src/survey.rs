//! Satisfaction surveys (学生/家长满意度) before and after a campaign, scored 1 to 5.

use crate::ids::{RecordId, SchoolId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Respondent {
    Student,
    Parent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SurveyRound {
    BeforeCampaign,
    AfterCampaign,
}

/// One anonymous answer: surveys name no child.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyAnswer {
    pub id: RecordId,
    pub school: SchoolId,
    pub round: SurveyRound,
    pub respondent: Respondent,
    pub date: NaiveDate,
    /// 1 (very unsatisfied) to 5 (very satisfied), one per question.
    pub scores: Vec<u8>,
}

/// How many questions the questionnaire asks (the app words them, in this order). An answer
/// with fewer scores counts for the questions it has; one with more, for these only.
pub const QUESTIONS: usize = 5;

/// One round's answers to one question: how many answered and the sum of their scores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scores {
    pub answers: u32,
    pub sum: u32,
}

impl Scores {
    /// The mean score, `None` when nobody answered.
    pub fn mean(self) -> Option<f64> {
        (self.answers > 0).then(|| f64::from(self.sum) / f64::from(self.answers))
    }
}

/// One question's scores before and after the campaign, and the change of the mean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuestionSummary {
    pub before: Scores,
    pub after: Scores,
}

impl QuestionSummary {
    /// After's mean less before's, once both rounds have answers.
    pub fn change(self) -> Option<f64> {
        Some(self.after.mean()? - self.before.mean()?)
    }
}

/// How many questionnaires each round has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Papers {
    pub before: u32,
    pub after: u32,
}

/// The summary of `school`'s answers from `respondent`s, a line per question, and the number
/// of questionnaires of each round. Retracted answers do not count.
pub fn survey_summary(
    state: &crate::state::State,
    school: SchoolId,
    respondent: Respondent,
) -> ([QuestionSummary; QUESTIONS], Papers) {
    let mut lines = [QuestionSummary::default(); QUESTIONS];
    let mut papers = Papers::default();
    let answers =
        state.surveys.values().map(|stamped| &stamped.value).filter(|answer| {
            answer.school == school && answer.respondent == respondent && !state.is_retracted(answer.id)
        });
    for answer in answers {
        match answer.round {
            SurveyRound::BeforeCampaign => papers.before += 1,
            SurveyRound::AfterCampaign => papers.after += 1,
        }
        for (line, score) in lines.iter_mut().zip(&answer.scores) {
            let round = match answer.round {
                SurveyRound::BeforeCampaign => &mut line.before,
                SurveyRound::AfterCampaign => &mut line.after,
            };
            round.answers += 1;
            round.sum += u32::from(*score);
        }
    }
    (lines, papers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mutation::Change;
    use crate::test_school::{day, TestSchool, OTHER_SCHOOL, SCHOOL};

    fn answer(school: &mut TestSchool, at: SchoolId, round: SurveyRound, respondent: Respondent, scores: &[u8]) {
        let id = school.record_id();
        school.apply(Change::RecordSurvey(SurveyAnswer {
            id,
            school: at,
            round,
            respondent,
            date: day("2026-10-09"),
            scores: scores.to_vec(),
        }));
    }

    #[test]
    fn each_question_is_summed_per_round_with_the_change() {
        let mut school = TestSchool::new();
        use Respondent::{Parent, Student};
        use SurveyRound::{AfterCampaign as After, BeforeCampaign as Before};
        answer(&mut school, SCHOOL, Before, Parent, &[2, 3, 1, 2, 4]);
        answer(&mut school, SCHOOL, Before, Parent, &[3, 3, 2, 2]);
        answer(&mut school, SCHOOL, After, Parent, &[4, 4, 3, 5, 5]);
        answer(&mut school, SCHOOL, After, Student, &[1, 1, 1, 1, 1]);
        answer(&mut school, OTHER_SCHOOL, After, Parent, &[1, 1, 1, 1, 1]);
        let (lines, papers) = survey_summary(&school.state, SCHOOL, Parent);
        assert_eq!(papers, Papers { before: 2, after: 1 });
        assert_eq!(lines[0].before, Scores { answers: 2, sum: 5 });
        assert_eq!(lines[0].after, Scores { answers: 1, sum: 4 });
        assert_eq!(lines[0].change(), Some(1.5));
        assert_eq!(lines[4].before, Scores { answers: 1, sum: 4 }, "the short answer has no fifth score");
        let (students, _) = survey_summary(&school.state, SCHOOL, Student);
        assert_eq!(students[0].before.mean(), None);
        assert_eq!(students[0].change(), None);
    }
}
