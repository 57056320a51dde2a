//! `/survey`: the satisfaction survey (学生/家长满意度) before and after a campaign. A short
//! questionnaire filled on the phone, one tap per question (1 to 5), anonymous (no child is
//! named), saved as one `RecordSurvey`; under it, per group of respondents, each question's mean
//! before and after and the change (`domain::survey::survey_summary`), as a paper with XLSX and
//! CSV through the paper buttons.

use crate::clock;
use crate::components::paper::{PaperActions, PaperFile, PaperLine, PaperLines, PaperSignature};
use crate::ctx::use_app;
use crate::i18n::{fill, Lang, SurveyText, Text};
use baoxue_domain::ids::RecordId;
use baoxue_domain::mutation::Change;
use baoxue_domain::survey::{
    survey_summary, Papers, QuestionSummary, Respondent, Scores, SurveyAnswer, SurveyRound, QUESTIONS,
};
use leptos::prelude::*;

const RESPONDENTS: [Respondent; 2] = [Respondent::Parent, Respondent::Student];
const ROUNDS: [SurveyRound; 2] = [SurveyRound::BeforeCampaign, SurveyRound::AfterCampaign];

fn respondent_text(respondent: Respondent) -> SurveyText {
    match respondent {
        Respondent::Parent => SurveyText::Parents,
        Respondent::Student => SurveyText::Students,
    }
}

fn round_text(round: SurveyRound) -> SurveyText {
    match round {
        SurveyRound::BeforeCampaign => SurveyText::Before,
        SurveyRound::AfterCampaign => SurveyText::After,
    }
}

fn mean(scores: Scores) -> String {
    scores.mean().map_or_else(|| "—".to_owned(), |mean| format!("{mean:.2}"))
}

/// A question's cells: the question, each round's mean and count, the change.
fn cells(question: usize, line: &QuestionSummary, lang: Lang) -> Vec<String> {
    vec![
        SurveyText::QUESTIONS[question].in_lang(lang).to_owned(),
        mean(line.before),
        line.before.answers.to_string(),
        mean(line.after),
        line.after.answers.to_string(),
        line.change().map_or_else(|| "—".to_owned(), |change| format!("{change:+.2}")),
    ]
}

const COLUMNS: [SurveyText; 6] = [
    SurveyText::Question,
    SurveyText::MeanBefore,
    SurveyText::CountBefore,
    SurveyText::MeanAfter,
    SurveyText::CountAfter,
    SurveyText::Change,
];

#[component]
pub fn SurveyPage() -> impl IntoView {
    let ctx = use_app();
    let respondent = RwSignal::new(Respondent::Parent);
    let round = RwSignal::new(SurveyRound::BeforeCampaign);
    let scores = RwSignal::new([None::<u8>; QUESTIONS]);
    let saved = RwSignal::new(None::<usize>);
    let failed = RwSignal::new(false);
    let school = move || ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school));
    let missing = move || scores.with(|scores| scores.iter().filter(|score| score.is_none()).count());
    let incomplete = move || missing() > 0;
    let save = move |_: leptos::ev::MouseEvent| {
        let Some(school) = school() else { return };
        let Some(given) = scores.get_untracked().into_iter().collect::<Option<Vec<u8>>>() else { return };
        let answer = SurveyAnswer {
            id: RecordId::new_v7(clock::now_ms(), clock::random10()),
            school,
            round: round.get_untracked(),
            respondent: respondent.get_untracked(),
            date: clock::today(),
            scores: given,
        };
        leptos::task::spawn_local(async move {
            match ctx.write(vec![Change::RecordSurvey(answer)]).await {
                Ok(()) => {
                    failed.set(false);
                    saved.update(|count| *count = Some(count.unwrap_or(0) + 1));
                    scores.set([None; QUESTIONS]);
                }
                Err(_) => failed.set(true),
            }
        });
    };
    let choice = move |text: SurveyText, pressed: Signal<bool>, pick: Callback<()>| {
        view! {
            <button type="button" aria-pressed=move || pressed.get().to_string() on:click=move |_| pick.run(())>
                {ctx.t(text)}
            </button>
        }
    };
    let questions = (0..QUESTIONS)
        .map(|question| {
            let buttons = (1..=5u8)
                .map(|score| {
                    view! {
                        <button
                            type="button"
                            class="score"
                            aria-label=move || fill(ctx.tr(SurveyText::ScoreLabel), &[&score])
                            aria-pressed=move || (scores.with(|scores| scores[question] == Some(score))).to_string()
                            on:click=move |_| scores.update(|scores| scores[question] = Some(score))
                        >
                            {score}
                        </button>
                    }
                })
                .collect_view();
            view! {
                <li class="survey-question">
                    <p>{ctx.t(SurveyText::QUESTIONS[question])}</p>
                    <div class="scores">{buttons}</div>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="page survey">
            // The questionnaire is for the phone; on paper only the summary.
            <div class="no-print survey-form">
            <h2>{ctx.t(SurveyText::Title)}</h2>
            <p class="muted">{ctx.t(SurveyText::Intro)}</p>
            <div class="segmented">
                {RESPONDENTS.map(|which| choice(respondent_text(which), Signal::derive(move || respondent.get() == which), Callback::new(move |()| respondent.set(which))))}
            </div>
            <div class="segmented">
                {ROUNDS.map(|which| choice(round_text(which), Signal::derive(move || round.get() == which), Callback::new(move |()| round.set(which))))}
            </div>
            <p class="muted">{ctx.t(SurveyText::ScaleHint)}</p>
            <ol class="survey-questions">{questions}</ol>
            {move || (missing() > 0).then(|| view! { <p class="muted">{fill(ctx.tr(SurveyText::StillToAnswer), &[&missing()])}</p> })}
            {move || failed.get().then(|| view! { <p class="error" role="alert">{ctx.t(SurveyText::SaveFailed)}</p> })}
            {move || saved.get().map(|count| view! { <p class="done" role="status">{fill(ctx.tr(SurveyText::Saved), &[&count])}</p> })}
            <div class="actions">
                <button type="button" class="primary" disabled=incomplete on:click=save>{ctx.t(SurveyText::Save)}</button>
            </div>
            </div>
            <SurveySummary/>
        </section>
    }
}

/// The summary of both groups as a paper.
#[component]
fn SurveySummary() -> impl IntoView {
    let ctx = use_app();
    let summary = Memo::new(move |_| {
        let school = ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school))?;
        Some(ctx.state.with(|state| {
            let name = state.schools.get(&school).map(|school| school.value.name.clone()).unwrap_or_default();
            (name, RESPONDENTS.map(|respondent| (respondent, survey_summary(state, school, respondent))))
        }))
    });
    let teacher = move || ctx.profile.with_untracked(|p| p.as_ref().map(|p| p.teacher.clone()).unwrap_or_default());
    let papers_line =
        |papers: Papers, lang: Lang| fill(SurveyText::Papers.in_lang(lang), &[&papers.before, &papers.after]);
    let file = Callback::new(move |()| {
        let (school, groups) = summary.get_untracked()?;
        let lang = ctx.lang.get_untracked();
        let mut rows = vec![vec![format!("{school} {}", SurveyText::SummaryTitle.in_lang(lang))]];
        for (respondent, (lines, papers)) in &groups {
            rows.push(vec![respondent_text(*respondent).in_lang(lang).to_owned(), papers_line(*papers, lang)]);
            rows.push(COLUMNS.iter().map(|column| column.in_lang(lang).to_owned()).collect());
            rows.extend(lines.iter().enumerate().map(|(question, line)| cells(question, line, lang)));
            rows.push(Vec::new());
        }
        rows.push(vec![crate::i18n::ReportText::PreparedBy.in_lang(lang).to_owned(), teacher()]);
        rows.push(vec![crate::i18n::ReportText::FiledOn.in_lang(lang).to_owned(), clock::today().to_string()]);
        let title = SurveyText::SummaryTitle.in_lang(Lang::Zh);
        Some(PaperFile {
            stem: format!("{}-{title}-{}", crate::download::file_name_part(&school, "school"), clock::today()),
            sheet: title.to_owned(),
            rows,
        })
    });
    move || {
        let (school, groups) = summary.get()?;
        let lang = ctx.lang.get();
        let header: Vec<&'static str> = COLUMNS.iter().map(|column| column.in_lang(lang)).collect();
        let blocks = groups
            .into_iter()
            .map(|(respondent, (lines, papers))| {
                let lines: Vec<PaperLine> = lines
                    .iter()
                    .enumerate()
                    .map(|(question, line)| PaperLine { student: None, cells: cells(question, line, lang) })
                    .collect();
                view! {
                    <h3 class="file-section" data-group=format!("{respondent:?}")>
                        {respondent_text(respondent).in_lang(lang)}" · "<span class="survey-papers">{papers_line(papers, lang)}</span>
                    </h3>
                    <PaperLines header=header.clone() lines heading=0/>
                }
            })
            .collect_view();
        Some(view! {
            <PaperActions paper=file/>
            <article class="paper report-paper survey-summary">
                <h2 class="paper-title">{SurveyText::SummaryTitle.in_lang(lang)}</h2>
                <p class="paper-subtitle">{school}</p>
                {blocks}
                <PaperSignature teacher=teacher()/>
            </article>
        })
    }
}
