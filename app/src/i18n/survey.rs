use super::Text;

/// The satisfaction survey (学生/家长满意度).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SurveyText {
    Title,
    Link,
    Intro,
    Parents,
    Students,
    Before,
    After,
    ScaleHint,
    // {0}: the score.
    ScoreLabel,
    // {0}: questions not answered yet.
    StillToAnswer,
    Save,
    // {0}: questionnaires saved on this page.
    Saved,
    SaveFailed,
    SummaryTitle,
    // {0}: questionnaires before, {1}: after.
    Papers,
    Question,
    MeanBefore,
    CountBefore,
    MeanAfter,
    CountAfter,
    Change,
    Q1,
    Q2,
    Q3,
    Q4,
    Q5,
}

impl SurveyText {
    /// The questions, in the order of `domain::survey::QUESTIONS`' scores.
    pub const QUESTIONS: [SurveyText; 5] =
        [SurveyText::Q1, SurveyText::Q2, SurveyText::Q3, SurveyText::Q4, SurveyText::Q5];
}

impl Text for SurveyText {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            SurveyText::Title => ("满意度调查", "Satisfaction survey"),
            SurveyText::Link => ("调查：学生、家长满意度", "Survey: students' and parents' satisfaction"),
            SurveyText::Intro => (
                "请家长或学生在手机上作答，不记姓名。活动开展前后各做一次，比较每题的平均分。",
                "A parent or student answers on the phone, anonymously. Done before and after a campaign, each question's mean is compared.",
            ),
            SurveyText::Parents => ("家长", "Parents"),
            SurveyText::Students => ("学生", "Students"),
            SurveyText::Before => ("活动前", "Before the campaign"),
            SurveyText::After => ("活动后", "After the campaign"),
            SurveyText::ScaleHint => ("1 分很不满意，5 分很满意。", "1 is very unsatisfied, 5 very satisfied."),
            SurveyText::ScoreLabel => ("{0} 分", "{0} points"),
            SurveyText::StillToAnswer => ("还有 {0} 题没有作答。", "{0} questions not answered yet."),
            SurveyText::Save => ("提交问卷", "Submit"),
            SurveyText::Saved => ("已提交 {0} 份问卷。", "{0} questionnaires submitted."),
            SurveyText::SaveFailed => (
                "没有保存：手机存储出错。请再试一次。",
                "Not saved: the phone's storage failed. Try again.",
            ),
            SurveyText::SummaryTitle => ("满意度调查汇总表", "Satisfaction survey summary"),
            SurveyText::Papers => ("活动前 {0} 份，活动后 {1} 份", "{0} before, {1} after"),
            SurveyText::Question => ("题目", "Question"),
            SurveyText::MeanBefore => ("活动前平均分", "Mean before"),
            SurveyText::CountBefore => ("活动前人数", "Answers before"),
            SurveyText::MeanAfter => ("活动后平均分", "Mean after"),
            SurveyText::CountAfter => ("活动后人数", "Answers after"),
            SurveyText::Change => ("变化", "Change"),
            SurveyText::Q1 => ("对学校教育教学总体满意", "The school's teaching overall"),
            SurveyText::Q2 => ("班主任和老师关心学生", "Head teacher's and teachers' care for the children"),
            SurveyText::Q3 => ("资助、帮扶政策落实到位", "Aid and support reaching the family"),
            SurveyText::Q4 => ("家校沟通（家访、电话）及时", "Home visits and calls from the school"),
            SurveyText::Q5 => ("学校安全、住宿、营养餐", "Safety, boarding and school meals"),
        }
    }
}
