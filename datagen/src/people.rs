//! Households and the children of each class: names, birth dates that fit the grade, 学籍号,
//! villages and addresses, guardians and their phones. Brothers and sisters share a household,
//! so a town has families with two children in two schools, as real towns do.

use crate::clock::beijing_ms;
use crate::dice::Dice;
use crate::names;
use baoxue_domain::ids::{ClassId, StudentId};
use baoxue_domain::org::{Class, SchoolKind, Stage};
use baoxue_domain::student::{Gender, Student};
use baoxue_domain::student_number::id_check_digit;
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use std::collections::HashSet;

/// Whether a child's parents work away, as the 学籍 field 是否留守儿童 says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum LeftBehind {
    /// 否.
    No,
    /// 单亲留守儿童: one parent works away.
    OneParent,
    /// 双亲留守儿童: both parents work away.
    BothParents,
}

impl LeftBehind {
    /// The text of the 学籍 field.
    pub fn text(self) -> &'static str {
        match self {
            LeftBehind::No => "否",
            LeftBehind::OneParent => "单亲留守儿童",
            LeftBehind::BothParents => "双亲留守儿童",
        }
    }
}

/// A family member as the 学籍 export lists them (成员1, 成员2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    pub name: String,
    /// 父亲, 母亲, 祖父, 祖母, 外祖父, 外祖母.
    pub relation: String,
    pub phone: String,
}

/// A child's family, shared by brothers and sisters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Household {
    pub surname: String,
    pub village: String,
    /// 村民小组, the "3组" of an address.
    pub group: u32,
    pub guardian: Member,
    /// The other parent, if any is known.
    pub second: Option<Member>,
    pub left_behind: LeftBehind,
    /// Where the parents who work away work.
    pub work_place: Option<String>,
    pub single_parent: Option<SingleParent>,
    pub hardship: bool,
    /// Area code of the children's birthplace: the county's, or the parents' workplace.
    pub(crate) birth_area: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SingleParent {
    DivorcedLivesWithFather,
    DivorcedLivesWithMother,
    FatherDied,
    MotherDied,
}

/// A generated child: the domain record and what the roster files say beside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pupil {
    pub student: Student,
    /// Index into `Dataset::households`.
    pub household: usize,
    /// 入学年月 as the 学籍 system writes it: "202209".
    pub entered: String,
    /// 班内学号.
    pub seat: u32,
    /// The day the record was made: the roster import, or the day a transfer arrived.
    pub arrived_on: NaiveDate,
    pub transferred_in: bool,
    /// One of the few children who miss school often (the generator's choice, not a figure).
    pub chronic: bool,
}

/// Makes households and children for one town.
pub(crate) struct Families<'a> {
    pub dice: Dice,
    pub area_code: &'static str,
    pub town: String,
    pub villages: Vec<String>,
    pub households: &'a mut Vec<Household>,
    /// Households of this town, with the classes their children are in.
    pub town_households: Vec<(usize, Vec<ClassId>)>,
    pub numbers: &'a mut HashSet<String>,
    pub school_year: i32,
}

impl Families<'_> {
    /// A household for a child of `class`: an existing one of the town (a brother or sister
    /// in another class) now and then, else a new one.
    pub fn household_for(&mut self, class: ClassId, home_village: Option<&str>) -> usize {
        if !self.town_households.is_empty() && self.dice.chance(0.15) {
            let pick = self.dice.below(self.town_households.len() as u64) as usize;
            let (index, classes) = &mut self.town_households[pick];
            let village_fits = home_village.is_none_or(|village| self.households[*index].village == village);
            if village_fits && !classes.contains(&class) {
                classes.push(class);
                return *index;
            }
        }
        let village = match home_village {
            Some(village) if self.dice.chance(0.85) => village.to_owned(),
            _ => self.dice.pick(&self.villages).clone(),
        };
        let household = new_household(&mut self.dice, village, self.area_code);
        self.households.push(household);
        let index = self.households.len() - 1;
        self.town_households.push((index, vec![class]));
        index
    }

    /// The children of one class, their records made at `import_ms` onwards.
    pub fn class(
        &mut self,
        class: &Class,
        kind: SchoolKind,
        home_village: Option<&str>,
        size: u32,
        ids: &mut Dice,
        import: (NaiveDate, u64),
    ) -> Vec<Pupil> {
        (0..size)
            .map(|seat| {
                let household = self.household_for(class.id, home_village);
                let id = StudentId::new_v7(import.1 + u64::from(seat) * 500, ids.id_bytes());
                self.child(id, class, kind, household, seat + 1, import.0)
            })
            .collect()
    }

    pub fn child(
        &mut self,
        id: StudentId,
        class: &Class,
        kind: SchoolKind,
        household: usize,
        seat: u32,
        arrived_on: NaiveDate,
    ) -> Pupil {
        let dice = &mut self.dice;
        let home = &self.households[household];
        let gender = if dice.chance(0.53) { Gender::Male } else { Gender::Female };
        let surname = match &home.second {
            Some(mother) if mother.relation == "母亲" && dice.chance(0.03) => {
                mother.name.chars().next().map(String::from).unwrap_or_else(|| home.surname.clone())
            }
            _ => home.surname.clone(),
        };
        let name = format!("{surname}{}", names::child_given_name(dice, gender));
        let grade = class.grade.get();
        let junior = class.grade.stage() == Stage::Junior;
        let years_behind = if dice.chance(if junior { 0.02 } else { 0.012 }) {
            2
        } else if dice.chance(if junior { 0.08 } else { 0.04 }) {
            1
        } else {
            0
        };
        // A child in grade g on 1 September is usually g + 5: born from 1 September of
        // (year - g - 6) to 31 August of (year - g - 5).
        let cohort = self.school_year - i32::from(grade) - 6 - years_behind;
        let from = date(cohort, 9, 1);
        let until = date(cohort + 1, 8, 31);
        let birth_date = if years_behind == 0 && dice.chance(0.01) {
            // Admitted a few months short of six.
            date(cohort + 1, 9, 1) + Days::new(dice.below(80))
        } else {
            from + Days::new(dice.below((until - from).num_days() as u64 + 1))
        };
        let birth_area = home.birth_area;
        let student_number = self.number(gender, birth_date, birth_area);
        let entered_year = match kind {
            SchoolKind::Junior => self.school_year - i32::from(grade) + 7,
            SchoolKind::Primary | SchoolKind::NineYear => self.school_year - i32::from(grade) + 1,
        };
        let home = &self.households[household];
        let address = if self.dice.chance(0.4) {
            format!("{}{}{}组{}号", self.town, home.village, home.group, self.dice.range(1, 120))
        } else {
            format!("{}{}{}组", self.town, home.village, home.group)
        };
        Pupil {
            student: Student {
                id,
                school: class.school,
                student_number,
                name,
                gender,
                birth_date,
                grade: class.grade,
                class: class.id,
                village: home.village.clone(),
                address,
                guardian: home.guardian.name.clone(),
                guardian_phone: home.guardian.phone.clone(),
                id_number: None,
            },
            household,
            entered: format!("{entered_year}09"),
            seat,
            arrived_on,
            transferred_in: false,
            chronic: false,
        }
    }

    /// A 学籍号: mostly "G" + a 身份证 number unique in the data set, a few temporary "L"
    /// numbers, a few children still without one.
    fn number(&mut self, gender: Gender, birth_date: NaiveDate, birth_area: &'static str) -> Option<String> {
        let roll = self.dice.unit();
        if roll < 0.025 {
            return None;
        }
        let birth = birth_date.format("%Y%m%d").to_string();
        // Born in the county, at the parents' workplace, now and then somewhere else again.
        let area = if self.dice.chance(0.95) { birth_area } else { self.dice.pick(names::WORK_PLACES).1 };
        if roll < 0.045 {
            return Some(format!("L{area}{birth}{:04}", self.dice.below(10_000)));
        }
        loop {
            // The 17th digit is odd for a boy, even for a girl.
            let parity = u64::from(gender == Gender::Male);
            let sequence = self.dice.below(100) * 10 + self.dice.below(5) * 2 + parity;
            let first17 = format!("{area}{birth}{sequence:03}");
            if self.numbers.insert(first17.clone()) {
                let check = id_check_digit(&first17).expect("17 digits made just above");
                return Some(format!("G{first17}{check}"));
            }
        }
    }
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("1 September and 31 August exist every year")
}

fn new_household(dice: &mut Dice, village: String, area_code: &'static str) -> Household {
    let surname = match names::clan_of(&village) {
        Some(clan) if dice.chance(0.4) => clan,
        _ => names::surname(dice),
    };
    let father =
        Member { name: names::father_name(dice, surname), relation: "父亲".into(), phone: names::phone(dice) };
    let mother = Member { name: names::mother_name(dice), relation: "母亲".into(), phone: names::phone(dice) };
    let single_parent = if dice.chance(0.08) {
        Some(*dice.pick(&[
            SingleParent::DivorcedLivesWithFather,
            SingleParent::DivorcedLivesWithFather,
            SingleParent::DivorcedLivesWithMother,
            SingleParent::DivorcedLivesWithMother,
            SingleParent::DivorcedLivesWithMother,
            SingleParent::FatherDied,
            SingleParent::MotherDied,
        ]))
    } else {
        None
    };
    let left_behind = match single_parent {
        Some(_) if dice.chance(0.35) => LeftBehind::OneParent,
        Some(_) => LeftBehind::No,
        None => {
            let roll = dice.unit();
            if roll < 0.15 {
                LeftBehind::BothParents
            } else if roll < 0.29 {
                LeftBehind::OneParent
            } else {
                LeftBehind::No
            }
        }
    };
    let hardship = dice.chance(if single_parent.is_some() { 0.2 } else { 0.09 });
    let work = (left_behind != LeftBehind::No).then(|| *dice.pick(names::WORK_PLACES));
    let birth_area = match work {
        Some((_, code)) if dice.chance(0.25) => code,
        _ => area_code,
    };
    let grandparent = |dice: &mut Dice| {
        let gender = if dice.chance(0.45) { Gender::Male } else { Gender::Female };
        let maternal = dice.chance(0.2);
        let relation = match (maternal, gender) {
            (false, Gender::Male) => "祖父",
            (false, Gender::Female) => "祖母",
            (true, Gender::Male) => "外祖父",
            (true, Gender::Female) => "外祖母",
        };
        let family = if maternal { names::surname(dice) } else { surname };
        let phone = names::phone(dice);
        Member { name: names::grandparent_name(dice, family, gender), relation: relation.into(), phone }
    };
    let (guardian, second) = match (single_parent, left_behind) {
        (Some(_), LeftBehind::OneParent) => (grandparent(dice), None),
        (Some(SingleParent::DivorcedLivesWithFather | SingleParent::MotherDied), _) => (father, None),
        (Some(_), _) => (mother, None),
        (None, LeftBehind::BothParents) => (grandparent(dice), Some(father)),
        // The father works away, the mother stays with the children.
        (None, LeftBehind::OneParent) => (mother, Some(father)),
        (None, LeftBehind::No) if dice.chance(0.65) => (father, Some(mother)),
        (None, LeftBehind::No) => (mother, Some(father)),
    };
    Household {
        surname: surname.to_owned(),
        village,
        group: dice.range(1, 12),
        guardian,
        second,
        left_behind,
        work_place: work.map(|(place, _)| place.to_owned()),
        single_parent,
        hardship,
        birth_area,
    }
}

/// The time the roster of a school is imported: 09:30 on the import day, children half a
/// second apart.
pub(crate) fn import_ms(day: NaiveDate, school_index: usize) -> u64 {
    beijing_ms(day, 9, 30, school_index as u64 * 60_000)
}

/// The school year (its starting calendar year) that holds `day`.
pub(crate) fn school_year_of(day: NaiveDate) -> i32 {
    if day.month() >= 9 {
        day.year()
    } else {
        day.year() - 1
    }
}
