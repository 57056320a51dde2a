//! `/dashboard` (学校统计), for the principal and the 教导处: the term's figures of the phone's
//! school from `domain::dashboard`, per stage where the school has both, each rate with its
//! numerator and denominator and the children behind it one tap away; the school over its
//! dropout limit flagged; at-risk children and cases counted; home visits against the quota;
//! the classes ranked for 量化评比; weekly and monthly trends drawn as small SVG charts; and
//! who has not come back since the term began.

use crate::clock;
use crate::components::figures::{label, rate_text, visit_lines, RateLine, VisitLines};
use crate::ctx::use_app;
use crate::i18n::{fill, CaseText, CrossText, DashText, ReportText, SurveyText};
use crate::router::Link;
use baoxue_domain::dashboard::{absence_warning_bp, school_dashboard, ClassLine, Rate, SchoolDashboard, TrendPoint};
use baoxue_domain::figures::{Ratio, StudentFigures};
use baoxue_domain::ids::StudentId;
use baoxue_domain::org::Stage;
use baoxue_domain::risk::EarlyWarningTable;
use baoxue_domain::settings::Rules;
use chrono::Datelike;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let school = move || ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school));
    let board = Memo::new(move |_| {
        let school = school()?;
        ctx.state.with(|state| school_dashboard(state, school, today, &EarlyWarningTable::default()))
    });
    view! {
        <section class="page dashboard">
            <h2>{ctx.t(DashText::Title)}</h2>
            {move || match board.get() {
                None => view! { <p class="muted">{ctx.t(DashText::NoTerm)}</p> }.into_any(),
                Some(board) => view! { <Dashboard board/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Dashboard(board: SchoolDashboard) -> impl IntoView {
    let ctx = use_app();
    let rules = ctx.state.with_untracked(|state| state.rules(board.school));
    let both = board.stages.len() > 1;
    let registers = board.figures.registers_recorded.both();
    let stages = board
        .stages
        .iter()
        .map(|stage| {
            view! { <StageFigures board=board.clone() stage=*stage rules=rules.clone() titled=both/> }
        })
        .collect_view();
    let risk = board.risk;
    let cases = board.cases;
    let visits = ctx.state.with_untracked(|state| visit_lines(state, &board.visits));
    let term = board.term.clone();
    view! {
        <p class="muted">{move || fill(ctx.tr(DashText::Term), &[&term])}</p>
        {stages}
        <p class="muted registers">{move || fill(ctx.tr(DashText::Registers), &[&registers.numerator, &registers.denominator])}</p>
        <p><Link href="/report/school-day">{ctx.t(ReportText::SchoolDayTitle)}</Link></p>
        {consolidation_line(board.consolidation)}
        <p><Link href="/survey">{ctx.t(SurveyText::Link)}</Link></p>
        <div class="dash-block">
            <h3>{ctx.t(DashText::RiskTitle)}</h3>
            <p><Link href="/board">{move || fill(ctx.tr(DashText::RiskCounts), &[&risk.high, &risk.medium, &risk.low])}</Link></p>
            <h3>{ctx.t(DashText::CasesTitle)}</h3>
            <p><Link href="/ledgers">{move || fill(ctx.tr(DashText::CaseCounts), &[&cases.open, &cases.overdue, &cases.escalated])}</Link></p>
            <VisitLines visits/>
            <p><Link href="/report/visits">{ctx.t(ReportText::VisitRegisterTitle)}</Link></p>
        </div>
        <Ranking classes=board.classes.clone()/>
        <Trends weekly=board.weekly_attendance.clone() monthly=board.monthly_dropout.clone()/>
        <NotBack children=board.not_back.clone()/>
    }
}

/// 巩固率 once the school has a resident list (its children one tap away, on the 适龄儿童台账);
/// without one, where to import it.
fn consolidation_line(rate: Option<Ratio>) -> impl IntoView {
    let ctx = use_app();
    match rate {
        Some(ratio) => view! {
            <p data-rate="consolidation">
                <Link href="/report/residents">
                    <span class="rate-label">{ctx.t(CrossText::Consolidation)}</span>" "
                    <span class="rate-value">{move || rate_text(|text| ctx.tr(text), ratio)}</span>
                </Link>
            </p>
        }
        .into_any(),
        None => view! {
            <p class="muted">{ctx.t(CrossText::NoResidentList)}" "<Link href="/crosscheck">{ctx.t(CrossText::Link)}</Link></p>
        }
        .into_any(),
    }
}

/// A share in basis points as people say it: 1000 → "10%", 60 → "0.6%".
fn percent_of_bp(bp: u32) -> String {
    let text = format!("{:.2}", f64::from(bp) / 100.0);
    format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
}

/// One stage's rates, each tapped open to the children in its numerator.
#[component]
fn StageFigures(board: SchoolDashboard, stage: Stage, rules: Rules, titled: bool) -> impl IntoView {
    let ctx = use_app();
    let figures: StudentFigures = *board.figures.students.get(stage);
    let behind = |rate: Rate| -> Vec<(StudentId, String)> {
        let ids = board.behind.get(stage).get(&rate).cloned().unwrap_or_default();
        ctx.state.with_untracked(|state| {
            ids.into_iter().map(|id| (id, state.student(id).map(|child| child.name).unwrap_or_default())).collect()
        })
    };
    let limit = board.limits.iter().find(|limit| limit.stage == stage).copied();
    let over = limit.filter(|limit| limit.over).map(|limit| {
        let limit = percent_of_bp(limit.limit_bp);
        Signal::derive(move || fill(ctx.tr(DashText::OverLimit), &[&limit]))
    });
    let chronic = percent_of_bp(rules.chronic_absence_bp);
    let warning = percent_of_bp(absence_warning_bp(rules.chronic_absence_bp));
    let still_days = rules.returned_still_attending_days;
    // A label that carries a value (a share, a number of days).
    let with_values = |text: DashText, values: Vec<String>| {
        Signal::derive(move || {
            let values: Vec<&dyn std::fmt::Display> =
                values.iter().map(|value| value as &dyn std::fmt::Display).collect();
            fill(ctx.tr(text), &values)
        })
    };
    let without = *board.figures.classes_without_dropout.get(stage);
    let absence_warning = *board.absence_warning.get(stage);
    let stage_name = if stage == Stage::Primary { DashText::Primary } else { DashText::Junior };
    let key = if stage == Stage::Primary { "primary" } else { "junior" };
    view! {
        <div class="dash-block stage" data-stage=key>
            {titled.then(|| view! { <h3>{ctx.t(stage_name)}</h3> })}
            {match over {
                Some(flag) => view! { <RateLine key="dropout" label=label(CaseText::DropoutRate) ratio=figures.dropout children=behind(Rate::Dropout) flag/> }.into_any(),
                None => view! { <RateLine key="dropout" label=label(CaseText::DropoutRate) ratio=figures.dropout children=behind(Rate::Dropout)/> }.into_any(),
            }}
            <RateLine key="returned" label=label(CaseText::ReturnRate) ratio=figures.returned children=behind(Rate::Returned)/>
            <RateLine key="still-attending" label=with_values(DashText::StillAttending, vec![still_days.to_string()]) ratio=figures.still_attending children=behind(Rate::StillAttending)/>
            <RateLine key="attendance" label=label(DashText::Attendance) ratio=figures.attendance children=Vec::new()/>
            <RateLine key="chronic" label=with_values(DashText::ChronicAbsence, vec![chronic.clone()]) ratio=figures.chronic_absence children=behind(Rate::ChronicAbsence)/>
            <RateLine key="warning" label=with_values(DashText::AbsenceWarning, vec![warning, chronic]) ratio=absence_warning children=behind(Rate::AbsenceWarning)/>
            <p class="rate-plain" data-rate="without-dropout">
                // The list of those classes is a paper of its own, one tap away.
                <Link href="/report/classes" attr:class="rate-label">{ctx.t(DashText::WithoutDropout)}</Link>" "
                <span class="rate-value">{move || rate_text(|text| ctx.tr(text), without)}</span>
            </p>
        </div>
    }
}

/// The classes in their 量化评比 order, per stage.
#[component]
fn Ranking(classes: Vec<ClassLine>) -> impl IntoView {
    let ctx = use_app();
    let share = move |ratio: Ratio| {
        ratio.value().map_or_else(|| ctx.tr(DashText::NoValue).to_owned(), |value| format!("{:.1}%", value * 100.0))
    };
    view! {
        <div class="dash-block">
            <h3>{ctx.t(DashText::RankingTitle)}</h3>
            <p class="muted">{ctx.t(DashText::RankingRule)}</p>
            <table class="ranking">
                <thead>
                    <tr>
                        <th>{ctx.t(DashText::Rank)}</th>
                        <th>{ctx.t(DashText::Class)}</th>
                        <th>{ctx.t(DashText::Dropouts)}</th>
                        <th>{ctx.t(DashText::Attendance)}</th>
                    </tr>
                </thead>
                <tbody>
                    {classes.into_iter().map(|line| {
                        let rank = line.rank.map_or_else(|| "—".to_owned(), |rank| rank.to_string());
                        let attendance = line.figures.attendance;
                        let class = if line.without_dropout() { "without-dropout" } else { "with-dropout" };
                        view! {
                            <tr class=class>
                                <td class="rank">{rank}</td>
                                <td><Link href=format!("/roster/{}", line.class)>{line.name.clone()}</Link><br/><span class="muted">{line.head_teacher.clone()}</span></td>
                                <td>{line.figures.dropout.numerator}</td>
                                <td>{move || share(attendance)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Weekly attendance and monthly dropouts as small bar charts drawn here (no chart library),
/// with every value also in a list for a screen reader and for print.
#[component]
fn Trends(weekly: Vec<TrendPoint>, monthly: Vec<TrendPoint>) -> impl IntoView {
    let ctx = use_app();
    let weeks: Vec<(String, Option<f64>, String)> = weekly
        .iter()
        .map(|point| {
            let value = point.ratio.value();
            let label = format!("{}/{}", point.from.month(), point.from.day());
            let said = value.map_or_else(|| "—".to_owned(), |value| format!("{:.1}%", value * 100.0));
            (label, value, said)
        })
        .collect();
    let months: Vec<(String, Option<f64>, String)> = monthly
        .iter()
        .map(|point| {
            let label = format!("{}/{}", point.from.year(), point.from.month());
            let count = point.ratio.numerator;
            (label, Some(count as f64), count.to_string())
        })
        .collect();
    view! {
        <div class="dash-block trends">
            <h3>{ctx.t(DashText::TrendsTitle)}</h3>
            <BarChart title=DashText::WeeklyAttendance points=weeks scale=Scale::Share key="weekly-attendance"/>
            <BarChart title=DashText::MonthlyDropout points=months scale=Scale::Count key="monthly-dropout"/>
        </div>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Scale {
    /// 0 to 100%, from the lowest value down to a floor so a week at 96% and one at 99% differ.
    Share,
    /// 0 to the highest count (at least 1).
    Count,
}

#[component]
fn BarChart(
    title: DashText,
    points: Vec<(String, Option<f64>, String)>,
    scale: Scale,
    key: &'static str,
) -> impl IntoView {
    let ctx = use_app();
    const WIDTH: f64 = 320.0;
    const HEIGHT: f64 = 90.0;
    let values: Vec<f64> = points.iter().filter_map(|(_, value, _)| *value).collect();
    let (low, high) = match scale {
        Scale::Share => {
            let lowest = values.iter().copied().fold(1.0_f64, f64::min);
            (((lowest * 10.0).floor() / 10.0 - 0.1).max(0.0), 1.0)
        }
        Scale::Count => (0.0, values.iter().copied().fold(1.0_f64, f64::max)),
    };
    let step = WIDTH / points.len().max(1) as f64;
    let bars = points
        .iter()
        .enumerate()
        .map(|(index, (label, value, said))| {
            let height = value.map_or(0.0, |value| ((value - low) / (high - low)).clamp(0.0, 1.0) * HEIGHT);
            let x = index as f64 * step + step * 0.15;
            let title = format!("{label}: {said}");
            view! {
                <rect x=format!("{x:.1}") y=format!("{:.1}", HEIGHT - height) width=format!("{:.1}", step * 0.7) height=format!("{height:.1}")>
                    <title>{title}</title>
                </rect>
            }
        })
        .collect_view();
    let first = points.first().map(|(label, _, _)| label.clone()).unwrap_or_default();
    let last = points.last().map(|(label, _, _)| label.clone()).unwrap_or_default();
    let said = points.iter().map(|(label, _, said)| format!("{label} {said}")).collect::<Vec<_>>().join("，");
    view! {
        <figure class="chart" data-chart=key>
            <figcaption>{ctx.t(title)}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {}", HEIGHT + 14.0) role="img" aria-label=said.clone()>
                <g class="bars">{bars}</g>
                <text x="0" y=format!("{}", HEIGHT + 12.0) class="axis">{first}</text>
                <text x=format!("{WIDTH}") y=format!("{}", HEIGHT + 12.0) class="axis end">{last}</text>
            </svg>
            <p class="chart-values muted">{said}</p>
        </figure>
    }
}

/// The early-September check: children on the roll absent every recorded day since the term
/// began, each one tap from the child.
#[component]
fn NotBack(children: Vec<StudentId>) -> impl IntoView {
    let ctx = use_app();
    let named: Vec<(StudentId, String)> = ctx.state.with_untracked(|state| {
        children.iter().map(|id| (*id, state.student(*id).map(|child| child.name).unwrap_or_default())).collect()
    });
    view! {
        <div class="dash-block not-back">
            <h3>{ctx.t(DashText::NotBackTitle)}</h3>
            {if named.is_empty() {
                view! { <p class="muted">{ctx.t(DashText::NotBackNone)}</p> }.into_any()
            } else {
                view! {
                    <ul class="rate-children">
                        {named.into_iter().map(|(id, name)| view! { <li><Link href=format!("/student/{id}")>{name}</Link></li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}
