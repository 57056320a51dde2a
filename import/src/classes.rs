//! Where the file's classes go, between the wire and the roster crate: the teacher's choices
//! in, each class of the file and its places out, worded in both languages.

use crate::wire::{ClassChoice, ClassShown, Context, PlaceShown, Said};
use baoxue_roster::destination::{Chosen, ClassPlan, Destination, Place, Placing};

/// The phone's class and the teacher's choices, as the roster crate takes them.
pub fn placing(context: &Context) -> Placing {
    let chosen = context
        .chosen
        .iter()
        .map(|choice: &ClassChoice| Chosen {
            file_class: choice.file_class,
            to: choice.to.map_or(Destination::New, Destination::Class),
        })
        .collect();
    Placing { phone_class: context.class, chosen }
}

/// Each class of the file as the preview shows it.
pub fn shown(plans: &[ClassPlan]) -> Vec<ClassShown> {
    plans
        .iter()
        .map(|plan| {
            let name = plan.file_class.name();
            let rows = plan.rows;
            ClassShown {
                file_class: plan.file_class,
                head: Said::new(format!("文件中的{name}（{rows} 行）"), format!("{name} in the file ({rows} rows)")),
                places: plan
                    .places
                    .iter()
                    .map(|place| PlaceShown { to: class_of(place.to), label: label(place) })
                    .collect(),
                chosen: class_of(plan.to),
            }
        })
        .collect()
}

fn class_of(to: Destination) -> Option<baoxue_domain::ids::ClassId> {
    match to {
        Destination::Class(id) => Some(id),
        Destination::New => None,
    }
}

/// "七年级(1)班（本机班级，0 人）", "七年级(2)班（本校已有，35 人）", "新建班级 七年级(2)班": the
/// class's name first, so that a phone's narrow select still shows it.
fn label(place: &Place) -> Said {
    let Place { name, students, .. } = place;
    match place.to {
        Destination::New => Said::new(format!("新建班级 {name}"), format!("New class {name}")),
        Destination::Class(_) if place.phone_class => Said::new(
            format!("{name}（本机班级，{students} 人）"),
            format!("{name} (this phone's class, {students} students)"),
        ),
        Destination::Class(_) => Said::new(
            format!("{name}（本校已有，{students} 人）"),
            format!("{name} (already at the school, {students} students)"),
        ),
    }
}
