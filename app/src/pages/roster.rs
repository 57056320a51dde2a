//! The class roster: every student of a class, searchable. The phone's class unless the path
//! names another (`/roster/<class id>`: an import lands on the class that received the
//! children); a school with several classes offers them all.

use crate::clock;
use crate::ctx::use_app;
use crate::i18n::{fill, RosterText};
use crate::router::{use_navigate, Link};
use baoxue_domain::ids::ClassId;
use baoxue_domain::org::Class;
use baoxue_domain::register::unrecorded_days;
use baoxue_domain::sorting::sort_by;
use baoxue_domain::state::State;
use baoxue_domain::student::Student;
use leptos::prelude::*;

/// Students of the phone's class (the whole school when the phone has no class), in 学籍号
/// order, filtered by a name or number fragment.
fn listed(state: &State, class: Option<ClassId>, query: &str) -> Vec<Student> {
    let query = query.trim();
    // By the class's index: building all of a town's students to show one class cost more than
    // drawing the list.
    let students = match class {
        Some(class) => state.students_in_class(class),
        None => state.students(),
    };
    let mut listed: Vec<Student> = students
        .into_iter()
        .filter(|student| {
            query.is_empty()
                || student.name.contains(query)
                || student.student_number.as_deref().is_some_and(|number| number.contains(query))
        })
        .collect();
    sort_by(&mut listed, |a, b| (&a.student_number, &a.name).cmp(&(&b.student_number, &b.name)));
    listed
}

/// The school's classes, by name.
fn classes_of(state: &State, school: baoxue_domain::ids::SchoolId) -> Vec<Class> {
    let mut classes: Vec<Class> =
        state.classes.values().map(|stamped| stamped.value.clone()).filter(|class| class.school == school).collect();
    sort_by(&mut classes, |a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
    classes
}

/// `class`: the id of the class to show, from the path; the phone's class when it is none (or
/// no class of the school).
#[component]
pub fn Roster(class: Option<String>) -> impl IntoView {
    let ctx = use_app();
    let navigate = use_navigate();
    let query = RwSignal::new(String::new());
    let named = class.and_then(|text| text.parse::<ClassId>().ok());
    let school = move || ctx.profile.with(|profile| profile.as_ref().map(|profile| profile.school));
    let classes = Memo::new(move |_| {
        school().map(|school| ctx.state.with(|state| classes_of(state, school))).unwrap_or_default()
    });
    let class = Memo::new(move |_| {
        let phone_class = ctx.profile.with(|profile| profile.as_ref().and_then(|profile| profile.class));
        named.filter(|id| classes.with(|classes| classes.iter().any(|class| class.id == *id))).or(phone_class)
    });
    let students = Memo::new(move |_| ctx.state.with(|state| listed(state, class.get(), &query.get())));
    // School days whose register nobody handed in: named at the top, never counted as present.
    let unrecorded = Memo::new(move |_| {
        let place = school().zip(class.get());
        place.map_or(0, |(school, class)| {
            ctx.state.with(|state| unrecorded_days(state, school, class, clock::today()).len())
        })
    });
    let pick_class = move |event: leptos::ev::Event| navigate(&format!("/roster/{}", event_target_value(&event)));
    view! {
        <section class="page">
            <div class="row">
                <h2>{ctx.t(RosterText::Title)}</h2>
                <span class="muted">{move || students.with(Vec::len)} " " {ctx.t(RosterText::Students)}</span>
            </div>
            <Show when=move || classes.with(|classes| classes.len() > 1)>
                <label class="field">
                    <span>{ctx.t(RosterText::Class)}</span>
                    <select on:change=pick_class.clone()>
                        {move || classes.get().into_iter().map(|option| {
                            let selected = Some(option.id) == class.get();
                            view! { <option value=option.id.to_string() selected=selected>{option.name}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </Show>
            <Show when=move || { unrecorded.get() > 0 }>
                <p class="warning unrecorded">
                    <Link href="/attendance">{move || fill(ctx.tr(RosterText::Unrecorded), &[&unrecorded.get()])}</Link>
                </p>
            </Show>
            <div class="actions">
                <Link href="/import" attr:class="button">{ctx.t(RosterText::Import)}</Link>
                <Link href="/student/new" attr:class="button">{ctx.t(RosterText::AddStudent)}</Link>
            </div>
            <input type="search" class="search" bind:value=query placeholder=ctx.t(RosterText::Search)/>
            <Show when=move || !students.with(Vec::is_empty) fallback=move || view! { <p class="muted">{ctx.t(RosterText::Empty)}</p> }>
                <ul class="list">
                    <For each=move || students.get() key=|student| student.id let:student>
                        <li>
                            <Link href=format!("/student/{}", student.id)>
                                <span class="name">{student.name.clone()}</span>
                                <span class="muted">{student.student_number.clone().unwrap_or_default()}</span>
                            </Link>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}
