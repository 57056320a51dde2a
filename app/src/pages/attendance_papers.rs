//! The day's attendance papers (`domain::attendance_day`): `/report/class-day`, the
//! 班级出席日报表 a head teacher hands in (the class's figures and the children late or away), and
//! `/report/school-day`, the 教导处出席日统计表 (a line per class and the school's total). Both
//! are read from the same registers, so a class's line on the school's paper is its own paper's
//! figures; a register not handed in shows its unmarked children as 未点名, never as present.
//! On a phone the lines are cards; on paper (A4) one table with the signature lines; as XLSX and
//! CSV the same cells.

use crate::clock;
use crate::components::paper::{PaperActions, PaperFile, PaperLine, PaperLines, PaperSignature};
use crate::ctx::use_app;
use crate::i18n::{fill, Lang, ReportText, Text};
use baoxue_domain::attendance_day::{class_day, school_day, school_day_heading, ClassDay, SchoolDay};
use baoxue_domain::register::DaySummary;
use chrono::NaiveDate;
use leptos::prelude::*;

/// The day's figures, labelled, in the order of both papers' columns.
fn figures(summary: &DaySummary, lang: Lang) -> [(&'static str, usize); 7] {
    [
        (ReportText::ExpectedCount.in_lang(lang), summary.expected),
        (ReportText::PresentCount.in_lang(lang), summary.present),
        (ReportText::LateCount.in_lang(lang), summary.late),
        (ReportText::SickCount.in_lang(lang), summary.sick),
        (ReportText::PersonalCount.in_lang(lang), summary.personal),
        (ReportText::UnexcusedCount.in_lang(lang), summary.unexcused),
        (ReportText::UnknownCount.in_lang(lang), summary.unknown),
    ]
}

/// 实到/应到 as a percentage, or "—" while some marks are unknown.
fn rate(summary: &DaySummary) -> String {
    summary.attendance().map_or_else(|| "—".to_owned(), |(present, expected)| percent(present, expected))
}

fn percent(numerator: usize, denominator: usize) -> String {
    format!("{:.1}%", numerator as f64 * 100.0 / denominator as f64)
}

fn handed_in(recorded: bool, lang: Lang) -> String {
    if recorded { ReportText::RegisterIn } else { ReportText::RegisterNotIn }.in_lang(lang).to_owned()
}

/// The date picked on the page, today at first; a date typed wrong keeps the last good one.
fn date_field(date: RwSignal<NaiveDate>) -> impl IntoView {
    let ctx = use_app();
    view! {
        <label class="field no-print">
            <span>{ctx.t(ReportText::Date)}</span>
            <input
                type="date"
                name="date"
                max=clock::today().to_string()
                prop:value=move || date.get().to_string()
                on:change=move |event| {
                    if let Ok(day) = event_target_value(&event).parse::<NaiveDate>() {
                        date.set(day);
                    }
                }
            />
        </label>
    }
}

/// The heading line under a day paper's title: the school, the class if any, the date, and what
/// the calendar says the day is when it is no school day.
fn day_line(school: &SchoolDay, class: Option<&str>, lang: Lang) -> String {
    let mut line = school.school.clone();
    if let Some(class) = class {
        line.push_str(" · ");
        line.push_str(class);
    }
    line.push_str(" · ");
    line.push_str(&school.date.to_string());
    if !school.status.is_school_day() {
        line.push_str(" · ");
        line.push_str(school.status.in_lang(lang));
    }
    line
}

fn teacher_of_phone() -> String {
    let ctx = use_app();
    ctx.profile.with_untracked(|p| p.as_ref().map(|p| p.teacher.clone()).unwrap_or_default())
}

fn signature_rows(lang: Lang, prepared_by: String) -> [Vec<String>; 2] {
    [
        vec![ReportText::PreparedBy.in_lang(lang).to_owned(), prepared_by],
        vec![ReportText::FiledOn.in_lang(lang).to_owned(), clock::today().to_string()],
    ]
}

// ---- 班级出席日报表 ----

const CLASS_COLUMNS: [ReportText; 3] = [ReportText::Ordinal, ReportText::Name, ReportText::Situation];

fn class_cells(day: &ClassDay, lang: Lang) -> Vec<Vec<String>> {
    day.marked
        .iter()
        .enumerate()
        .map(|(i, child)| vec![(i + 1).to_string(), child.name.clone(), child.kind.in_lang(lang).to_owned()])
        .collect()
}

fn class_rows(school: &SchoolDay, day: &ClassDay, lang: Lang, prepared_by: String) -> Vec<Vec<String>> {
    let figures = figures(&day.summary, lang);
    let mut rows = vec![
        vec![format!("{} {}", school.school, ReportText::ClassDayTitle.in_lang(lang))],
        vec![day_line(school, Some(&day.name), lang)],
        figures
            .iter()
            .map(|(label, _)| (*label).to_owned())
            .chain([ReportText::RegisterColumn.in_lang(lang).to_owned()])
            .collect(),
        figures.iter().map(|(_, value)| value.to_string()).chain([handed_in(day.recorded, lang)]).collect(),
        Vec::new(),
        CLASS_COLUMNS.iter().map(|column| column.in_lang(lang).to_owned()).collect(),
    ];
    rows.extend(class_cells(day, lang));
    rows.push(Vec::new());
    rows.extend(signature_rows(lang, prepared_by));
    rows
}

#[component]
pub fn ClassDayPage(date: Option<NaiveDate>) -> impl IntoView {
    let ctx = use_app();
    let date = RwSignal::new(date.unwrap_or_else(clock::today));
    let school = move || ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school));
    // The phone's class; a phone of the 教导处, with no class of its own, picks one.
    let class = RwSignal::new(ctx.profile.with_untracked(|profile| profile.as_ref().and_then(|profile| profile.class)));
    let classes = Memo::new(move |_| {
        let school = school();
        ctx.state.with(|state| school.map(|school| state.class_names_at(school)).unwrap_or_default())
    });
    let paper = Memo::new(move |_| {
        let school = school()?;
        let class = class.get()?;
        ctx.state.with(|state| {
            let day = class_day(state, class, date.get())?;
            Some((school_day_heading(state, school, date.get()), day))
        })
    });
    let file = Callback::new(move |()| {
        let (school, day) = paper.get_untracked()?;
        let title = ReportText::ClassDayTitle.in_lang(Lang::Zh);
        Some(PaperFile {
            stem: format!(
                "{}-{}-{title}-{}",
                crate::download::file_name_part(&school.school, "school"),
                crate::download::file_name_part(&day.name, "class"),
                school.date
            ),
            sheet: title.to_owned(),
            rows: class_rows(&school, &day, ctx.lang.get_untracked(), teacher_of_phone()),
        })
    });
    view! {
        <section class="page report">
            {date_field(date)}
            <label class="field no-print">
                <span>{ctx.t(ReportText::Class)}</span>
                <select
                    name="class"
                    on:change=move |event| {
                        let index = event_target_value(&event).parse::<usize>().ok();
                        class.set(index.and_then(|index| classes.with(|classes| classes.get(index).map(|(id, _)| *id))));
                    }
                >
                    <option value="" selected=move || class.get().is_none()>"—"</option>
                    {move || classes.get().into_iter().enumerate().map(|(index, (id, name))| view! {
                        <option value=index.to_string() selected=move || class.get() == Some(id)>{name}</option>
                    }).collect_view()}
                </select>
            </label>
            {move || match paper.get() {
                None => view! { <p class="muted">{ctx.t(ReportText::PickClass)}</p> }.into_any(),
                Some((school, day)) => view! {
                    <PaperActions paper=file/>
                    <ClassDayPaper school day/>
                }.into_any(),
            }}
        </section>
    }
}

/// The figures as a list of labelled numbers, with the register's state.
fn figure_list(summary: DaySummary, recorded: Option<bool>, lang: Lang) -> impl IntoView {
    let register = recorded.map(|recorded| {
        view! { <div><dt>{ReportText::RegisterColumn.in_lang(lang)}</dt><dd data-figure="register">{handed_in(recorded, lang)}</dd></div> }
    });
    view! {
        <dl class="report-totals day-figures">
            {figures(&summary, lang).into_iter().enumerate().map(|(i, (label, value))| view! {
                <div><dt>{label}</dt><dd data-figure=i.to_string()>{value}</dd></div>
            }).collect_view()}
            {register}
        </dl>
    }
}

#[component]
fn ClassDayPaper(school: SchoolDay, day: ClassDay) -> impl IntoView {
    let ctx = use_app();
    let teacher = teacher_of_phone();
    move || {
        let lang = ctx.lang.get();
        let header: Vec<&'static str> = CLASS_COLUMNS.iter().map(|column| column.in_lang(lang)).collect();
        let lines: Vec<PaperLine> = day
            .marked
            .iter()
            .zip(class_cells(&day, lang))
            .map(|(child, cells)| PaperLine { student: Some(child.student.to_string()), cells })
            .collect();
        let unknown = (day.summary.unknown > 0).then(
            || view! { <p class="warning">{fill(ReportText::UnknownNote.in_lang(lang), &[&day.summary.unknown])}</p> },
        );
        let none = day.marked.is_empty().then(|| view! { <p class="muted">{ReportText::NoneAway.in_lang(lang)}</p> });
        view! {
            <article class="paper report-paper class-day">
                <h2 class="paper-title">{ReportText::ClassDayTitle.in_lang(lang)}</h2>
                <p class="paper-subtitle">{day_line(&school, Some(&day.name), lang)}</p>
                {figure_list(day.summary, Some(day.recorded), lang)}
                {unknown}
                {none}
                // The name is the card's heading, the ordinal the table's.
                <PaperLines header lines heading=1 hidden=vec![0]/>
                <PaperSignature teacher=teacher.clone()/>
            </article>
        }
    }
}

// ---- 教导处出席日统计表 ----

const SCHOOL_COLUMNS: [ReportText; 12] = [
    ReportText::Ordinal,
    ReportText::Class,
    ReportText::HeadTeacher,
    ReportText::ExpectedCount,
    ReportText::PresentCount,
    ReportText::LateCount,
    ReportText::SickCount,
    ReportText::PersonalCount,
    ReportText::UnexcusedCount,
    ReportText::UnknownCount,
    ReportText::AttendanceRate,
    ReportText::RegisterColumn,
];

fn summary_cells(summary: &DaySummary) -> [String; 7] {
    [
        summary.expected,
        summary.present,
        summary.late,
        summary.sick,
        summary.personal,
        summary.unexcused,
        summary.unknown,
    ]
    .map(|value| value.to_string())
}

fn school_cells(day: &ClassDay, ordinal: usize, lang: Lang) -> Vec<String> {
    let mut cells = vec![ordinal.to_string(), day.name.clone(), day.head_teacher.clone()];
    cells.extend(summary_cells(&day.summary));
    cells.push(rate(&day.summary));
    cells.push(handed_in(day.recorded, lang));
    cells
}

/// The school's total line: the rate only once every class's marks are known.
fn total_cells(school: &SchoolDay, lang: Lang) -> Vec<String> {
    let mut cells = vec![String::new(), ReportText::Total.in_lang(lang).to_owned(), String::new()];
    cells.extend(summary_cells(&school.total));
    cells.push(rate(&school.total));
    cells.push(fill(
        ReportText::RegistersIn.in_lang(lang),
        &[&(school.classes.len() - school.not_recorded()), &school.classes.len()],
    ));
    cells
}

fn school_rows(school: &SchoolDay, lang: Lang, prepared_by: String) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec![format!("{} {}", school.school, ReportText::SchoolDayTitle.in_lang(lang))],
        vec![day_line(school, None, lang)],
        SCHOOL_COLUMNS.iter().map(|column| column.in_lang(lang).to_owned()).collect(),
    ];
    rows.extend(school.classes.iter().enumerate().map(|(i, day)| school_cells(day, i + 1, lang)));
    rows.push(total_cells(school, lang));
    rows.push(Vec::new());
    rows.extend(signature_rows(lang, prepared_by));
    rows
}

#[component]
pub fn SchoolDayPage(date: Option<NaiveDate>) -> impl IntoView {
    let ctx = use_app();
    let date = RwSignal::new(date.unwrap_or_else(clock::today));
    let paper = Memo::new(move |_| {
        let school = ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school))?;
        Some(ctx.state.with(|state| school_day(state, school, date.get())))
    });
    let file = Callback::new(move |()| {
        let school = paper.get_untracked()?;
        let title = ReportText::SchoolDayTitle.in_lang(Lang::Zh);
        Some(PaperFile {
            stem: format!("{}-{title}-{}", crate::download::file_name_part(&school.school, "school"), school.date),
            sheet: title.to_owned(),
            rows: school_rows(&school, ctx.lang.get_untracked(), teacher_of_phone()),
        })
    });
    view! {
        <section class="page report">
            {date_field(date)}
            {move || paper.get().map(|school| view! {
                <PaperActions paper=file/>
                <SchoolDayPaper school/>
            })}
        </section>
    }
}

#[component]
fn SchoolDayPaper(school: SchoolDay) -> impl IntoView {
    let ctx = use_app();
    let teacher = teacher_of_phone();
    move || {
        let lang = ctx.lang.get();
        let header: Vec<&'static str> = SCHOOL_COLUMNS.iter().map(|column| column.in_lang(lang)).collect();
        let mut lines: Vec<PaperLine> = school
            .classes
            .iter()
            .enumerate()
            .map(|(i, day)| PaperLine { student: None, cells: school_cells(day, i + 1, lang) })
            .collect();
        lines.push(PaperLine { student: None, cells: total_cells(&school, lang) });
        let not_recorded = school.not_recorded();
        let unknown = (not_recorded > 0).then(|| {
            view! { <p class="warning">{fill(ReportText::RegistersMissing.in_lang(lang), &[&not_recorded, &school.total.unknown])}</p> }
        });
        view! {
            <article class="paper report-paper school-day">
                <h2 class="paper-title">{ReportText::SchoolDayTitle.in_lang(lang)}</h2>
                <p class="paper-subtitle">{day_line(&school, None, lang)}</p>
                // On paper the table's total line says it.
                <div class="screen-only">{figure_list(school.total, None, lang)}</div>
                {unknown}
                // The class is the card's heading, the ordinal the table's.
                <PaperLines header lines heading=1 hidden=vec![0]/>
                <PaperSignature teacher=teacher.clone()/>
            </article>
        }
    }
}
