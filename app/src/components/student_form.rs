//! The form of a student's details: adding a child by hand, or correcting a record. Every change
//! is checked by the domain's validation before it is written, and each problem is shown beside
//! the field it is about.

use crate::clock;
use crate::ctx::{use_app, AppCtx, WriteError};
use crate::i18n::{GenderName, GradeName, StudentProblem, StudentText};
use baoxue_domain::date_text::{parse_date, DateTextError};
use baoxue_domain::id_number::IdNumber;
use baoxue_domain::ids::{ClassId, RecordId, SchoolId, StudentId};
use baoxue_domain::mutation::Change;
use baoxue_domain::org::{Class, Grade};
use baoxue_domain::phone::normalise_phone;
use baoxue_domain::sorting::sort_by_key;
use baoxue_domain::state::State;
use baoxue_domain::status::{Status, StatusEvent};
use baoxue_domain::student::{FieldKey, Gender, Student};
use baoxue_domain::validate::{validate, validate_batch, ValidationError};
use chrono::NaiveDate;
use leptos::prelude::*;

/// A problem to show: beside a field, or above the button when it is about no one field.
type Problem = (Option<FieldKey>, StudentProblem);

/// The field a validation error points at.
fn field_of(error: &ValidationError) -> Option<FieldKey> {
    match error {
        ValidationError::BornInFuture { .. }
        | ValidationError::TooOld { .. }
        | ValidationError::TooYoung { .. }
        | ValidationError::AgeFarFromGrade { .. } => Some(FieldKey::BirthDate),
        ValidationError::GradeOutOfRange { .. } | ValidationError::GradeNotTaught { .. } => Some(FieldKey::Grade),
        ValidationError::UnknownClass { .. } | ValidationError::ClassOfOtherGrade { .. } => Some(FieldKey::Class),
        ValidationError::BadStudentNumber { .. }
        | ValidationError::DuplicateStudentNumber { .. }
        | ValidationError::NumberBirthDateDiffers { .. } => Some(FieldKey::StudentNumber),
        ValidationError::BadIdNumber { .. } | ValidationError::IdBirthDateDiffers { .. } => Some(FieldKey::IdNumber),
        ValidationError::Blank { .. } => Some(FieldKey::Name),
        _ => None,
    }
}

fn problems(errors: &[ValidationError]) -> Vec<Problem> {
    let mut found: Vec<Problem> = Vec::new();
    for problem in errors.iter().map(|error| (field_of(error), StudentProblem::of(error))) {
        if !found.contains(&problem) {
            found.push(problem);
        }
    }
    found
}

/// The classes of `school`, by name.
fn classes_of(state: &State, school: SchoolId) -> Vec<Class> {
    let mut classes: Vec<Class> =
        state.classes.values().map(|stamped| stamped.value.clone()).filter(|class| class.school == school).collect();
    sort_by_key(&mut classes, |class| (class.grade, class.name.clone()));
    classes
}

/// A student with nothing filled in, the start of a new child.
fn nobody() -> Student {
    Student {
        id: StudentId::from_u128(0),
        school: SchoolId::from_u128(0),
        student_number: None,
        name: String::new(),
        gender: Gender::Male,
        birth_date: NaiveDate::MIN,
        grade: Grade::new(1).expect("1 is a grade"),
        class: ClassId::from_u128(0),
        village: String::new(),
        address: String::new(),
        guardian: String::new(),
        guardian_phone: String::new(),
        id_number: None,
    }
}

/// The form's text, as typed.
#[derive(Clone, Copy)]
struct Draft {
    number: RwSignal<String>,
    name: RwSignal<String>,
    gender: RwSignal<String>,
    birth_date: RwSignal<String>,
    grade: RwSignal<String>,
    class: RwSignal<String>,
    village: RwSignal<String>,
    address: RwSignal<String>,
    guardian: RwSignal<String>,
    phone: RwSignal<String>,
    id_number: RwSignal<String>,
}

const MALE: &str = "male";
const FEMALE: &str = "female";

impl Draft {
    fn of(student: &Student) -> Draft {
        let text = |value: &str| RwSignal::new(value.to_owned());
        Draft {
            number: text(student.student_number.as_deref().unwrap_or_default()),
            name: text(&student.name),
            gender: text(if student.gender == Gender::Male { MALE } else { FEMALE }),
            birth_date: text(&student.birth_date.to_string()),
            grade: text(&student.grade.to_string()),
            class: text(&student.class.to_string()),
            village: text(&student.village),
            address: text(&student.address),
            guardian: text(&student.guardian),
            phone: text(&student.guardian_phone),
            id_number: text(student.id_number.as_deref().unwrap_or_default()),
        }
    }

    /// A new child of `class`: the form starts empty but for the class and its grade.
    fn blank(class: Option<&Class>) -> Draft {
        let mut student = nobody();
        if let Some(class) = class {
            student.grade = class.grade;
            student.class = class.id;
        }
        let draft = Draft::of(&student);
        draft.birth_date.set(String::new());
        draft
    }

    /// `base` with the typed values, or the problem of a value that is not even of the right
    /// kind (a birth date that is no date). Whether the values make sense is validation's job.
    fn read(&self, base: &Student) -> Result<Student, Problem> {
        let text = |signal: RwSignal<String>| signal.get_untracked().trim().to_owned();
        let birth_date = parse_date(&text(self.birth_date)).map_err(|error| {
            let problem = match error {
                DateTextError::NoSuchDay { .. } => StudentProblem::BirthDateNoSuchDay,
                _ => StudentProblem::BirthDateNotADate,
            };
            (Some(FieldKey::BirthDate), problem)
        })?;
        let grade = text(self.grade)
            .parse::<u8>()
            .ok()
            .and_then(|value| Grade::new(value).ok())
            .ok_or((Some(FieldKey::Grade), StudentProblem::GradeOutOfRange))?;
        let class =
            text(self.class).parse::<ClassId>().map_err(|_| (Some(FieldKey::Class), StudentProblem::UnknownClass))?;
        let number = text(self.number);
        // Written in the one shape the domain gives it; what does not parse is kept as typed,
        // for validation to name.
        let id_number = text(self.id_number);
        let id_number = IdNumber::parse(&id_number).map(String::from).unwrap_or(id_number);
        let phone = text(self.phone);
        let phone = normalise_phone(&phone).unwrap_or(phone);
        Ok(Student {
            id: base.id,
            school: base.school,
            student_number: (!number.is_empty()).then_some(number),
            name: text(self.name),
            gender: if text(self.gender) == FEMALE { Gender::Female } else { Gender::Male },
            birth_date,
            grade,
            class,
            village: text(self.village),
            address: text(self.address),
            guardian: text(self.guardian),
            guardian_phone: phone,
            id_number: (!id_number.is_empty()).then_some(id_number),
        })
    }
}

/// The evidence of the 在读 event of a child added by hand (records are kept in Chinese).
const ADDED_BY_HAND: &str = "手工添加到花名册";

/// What the form is for: a new child, or the record as it stood when the form opened.
#[derive(Clone)]
pub enum FormFor {
    New,
    // Boxed: a student is large beside the empty `New`.
    Edit(Box<Student>),
}

/// The changes the form asks for, or the problems to show instead.
fn changes_of(ctx: AppCtx, draft: Draft, purpose: &FormFor, today: NaiveDate) -> Result<Vec<Change>, Vec<Problem>> {
    let profile = ctx.profile.get_untracked().ok_or_else(|| vec![(None, StudentProblem::Other)])?;
    let base = match purpose {
        FormFor::Edit(original) => Student::clone(original),
        FormFor::New => {
            let id = StudentId::new_v7(clock::now_ms(), clock::random10());
            Student { id, school: profile.school, ..nobody() }
        }
    };
    let candidate = draft.read(&base).map_err(|problem| vec![problem])?;
    let (changes, errors) = match purpose {
        FormFor::New => {
            // 在读 from the start of the term (as a roster import counts its children), so a
            // child added by hand is on the roll and in every rate's denominator; without the
            // event the child counted nowhere.
            let enrolled_from = ctx.state.with_untracked(|state| {
                state.calendar(candidate.school).term_of(today).map_or(today, |term| term.start.min(today))
            });
            let enrolled = Change::RecordStatus(StatusEvent {
                id: RecordId::new_v7(clock::now_ms(), clock::random10()),
                student: candidate.id,
                date: enrolled_from,
                status: Status::Enrolled,
                evidence: ADDED_BY_HAND.to_owned(),
            });
            let change = Change::PutStudent(candidate);
            let errors = ctx.state.with_untracked(|state| validate(state, &change, today)).err().unwrap_or_default();
            (vec![change, enrolled], errors)
        }
        FormFor::Edit(original) => {
            let changes: Vec<Change> = candidate
                .fields()
                .into_iter()
                .zip(original.fields())
                .filter(|(new, old)| new != old)
                .map(|(field, _)| Change::EditStudent { student: original.id, field })
                .collect();
            // Checked together: a grade and a class edited at once agree with each other.
            let errors = ctx.state.with_untracked(|state| validate_batch(state, &changes, today)).err();
            (changes, errors.unwrap_or_default().into_iter().map(|(_, error)| error).collect())
        }
    };
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(problems(&errors))
    }
}

/// The form. `on_saved` gets the student's id once IndexedDB holds the change; `on_cancel`, when
/// given, shows a cancel button.
#[component]
pub fn StudentForm(
    purpose: FormFor,
    #[prop(into)] on_saved: Callback<StudentId>,
    #[prop(optional, into)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = use_app();
    let today = clock::today();
    let school = ctx.profile.with_untracked(|profile| profile.as_ref().map(|profile| profile.school));
    let classes = ctx.state.with_untracked(|state| school.map(|school| classes_of(state, school)).unwrap_or_default());
    let draft = match &purpose {
        FormFor::Edit(student) => Draft::of(student),
        FormFor::New => {
            let own = ctx.profile.with_untracked(|profile| profile.as_ref().and_then(|profile| profile.class));
            Draft::blank(classes.iter().find(|class| Some(class.id) == own).or(classes.first()))
        }
    };
    let shown = RwSignal::new(Vec::<Problem>::new());
    let saving = RwSignal::new(false);
    let student_id = match &purpose {
        FormFor::Edit(student) => Some(student.id),
        FormFor::New => None,
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let changes = match changes_of(ctx, draft, &purpose, today) {
            Ok(changes) => changes,
            Err(problems) => {
                shown.set(problems);
                // Save sits below a long form: bring the first problem into view.
                request_animation_frame(|| {
                    if let Ok(Some(first)) = document().query_selector(".student-form [role=alert]") {
                        // The field's label holds the message: show the field with it.
                        first.parent_element().unwrap_or(first).scroll_into_view();
                    }
                });
                return;
            }
        };
        shown.set(Vec::new());
        let saved_id = student_id.or_else(|| {
            changes.iter().find_map(|change| match change {
                Change::PutStudent(student) => Some(student.id),
                _ => None,
            })
        });
        let Some(saved_id) = saved_id else { return };
        if changes.is_empty() {
            on_saved.run(saved_id);
            return;
        }
        saving.set(true);
        leptos::task::spawn_local(async move {
            let result = ctx.write(changes).await;
            saving.set(false);
            match result {
                Ok(()) => on_saved.run(saved_id),
                // The write path checks again against the state as it is now (another tab
                // may have written meanwhile): its problems show beside their fields.
                Err(WriteError::Invalid(errors)) => {
                    shown.set(problems(&errors.into_iter().map(|(_, error)| error).collect::<Vec<_>>()))
                }
                Err(WriteError::Store(_)) => shown.set(vec![(None, StudentProblem::Other)]),
            }
        });
    };

    let problem_of = move |key: Option<FieldKey>| {
        move || {
            shown
                .get()
                .into_iter()
                .filter(|(field, _)| *field == key)
                .map(|(_, problem)| view! { <p class="error" role="alert">{ctx.tr(problem)}</p> })
                .collect_view()
        }
    };
    let text_field = move |label: StudentText, key: FieldKey, value: RwSignal<String>, kind: &'static str| {
        view! {
            <label class="field">
                <span>{ctx.t(label)}</span>
                <input type=kind bind:value=value/>
                {problem_of(Some(key))}
            </label>
        }
    };
    view! {
        <form class="student-form" on:submit=submit novalidate>
            <label class="field">
                <span>{ctx.t(StudentText::Name)}</span>
                <input type="text" bind:value=draft.name required/>
                {problem_of(Some(FieldKey::Name))}
            </label>
            <label class="field">
                <span>{ctx.t(StudentText::Gender)}</span>
                <select bind:value=draft.gender>
                    <option value=MALE>{ctx.t(GenderName(Gender::Male))}</option>
                    <option value=FEMALE>{ctx.t(GenderName(Gender::Female))}</option>
                </select>
            </label>
            <label class="field">
                <span>{ctx.t(StudentText::BirthDate)}</span>
                <input
                    type="text"
                    inputmode="numeric"
                    bind:value=draft.birth_date
                    placeholder=ctx.t(StudentText::BirthDateHint)
                    required
                />
                {problem_of(Some(FieldKey::BirthDate))}
            </label>
            <label class="field">
                <span>{ctx.t(StudentText::Grade)}</span>
                <select bind:value=draft.grade>
                    {(1..=9)
                        .filter_map(|value| Grade::new(value).ok())
                        .map(|grade| view! { <option value=grade.to_string()>{ctx.t(GradeName(grade))}</option> })
                        .collect_view()}
                </select>
                {problem_of(Some(FieldKey::Grade))}
            </label>
            <label class="field">
                <span>{ctx.t(StudentText::Class)}</span>
                <select bind:value=draft.class>
                    {classes
                        .into_iter()
                        .map(|class| view! { <option value=class.id.to_string()>{class.name}</option> })
                        .collect_view()}
                </select>
                {problem_of(Some(FieldKey::Class))}
            </label>
            <label class="field">
                <span>{ctx.t(StudentText::StudentNumber)}</span>
                <input
                    type="text"
                    autocapitalize="characters"
                    bind:value=draft.number
                    placeholder=ctx.t(StudentText::StudentNumberHint)
                />
                {problem_of(Some(FieldKey::StudentNumber))}
            </label>
            <label class="field">
                <span>{ctx.t(StudentText::IdNumber)}</span>
                <input
                    type="text"
                    autocapitalize="characters"
                    autocomplete="off"
                    bind:value=draft.id_number
                    placeholder=ctx.t(StudentText::IdNumberHint)
                />
                {problem_of(Some(FieldKey::IdNumber))}
            </label>
            {text_field(StudentText::Village, FieldKey::Village, draft.village, "text")}
            {text_field(StudentText::Address, FieldKey::Address, draft.address, "text")}
            {text_field(StudentText::Guardian, FieldKey::Guardian, draft.guardian, "text")}
            {text_field(StudentText::GuardianPhone, FieldKey::GuardianPhone, draft.phone, "tel")}
            {problem_of(None)}
            <div class="actions">
                <button type="submit" class="primary" disabled=move || saving.get()>
                    {ctx.t(StudentText::Save)}
                </button>
                {on_cancel
                    .map(|cancel| {
                        view! {
                            <button type="button" on:click=move |_| cancel.run(())>
                                {ctx.t(StudentText::Cancel)}
                            </button>
                        }
                    })}
            </div>
        </form>
    }
}
