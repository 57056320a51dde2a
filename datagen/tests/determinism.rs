//! The same seed gives the same bytes; another seed gives other data.

use baoxue_datagen::{generate, read_jsonl, write_jsonl, Size, Spec};
use sha2::{Digest, Sha256};

fn jsonl(spec: &Spec) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_jsonl(&generate(spec).mutations(), &mut bytes).unwrap();
    bytes
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

#[test]
fn the_same_seed_gives_identical_mutations() {
    for size in [Size::Class, Size::School, Size::Students(700)] {
        let spec = Spec::new(7, size);
        assert_eq!(digest(&jsonl(&spec)), digest(&jsonl(&spec)), "{size:?}");
    }
    // The school's bytes include its persuasion work: cases, their edits and the visits.
    let school = String::from_utf8(jsonl(&Spec::new(7, Size::School))).unwrap();
    for kind in ["RecordInvestigation", "OpenCase", "EditCase", "LogContact"] {
        assert!(school.contains(kind), "seed 7's school has no {kind}");
    }
}

#[test]
fn different_seeds_give_different_data() {
    let one = generate(&Spec::new(1, Size::School));
    let two = generate(&Spec::new(2, Size::School));
    assert_ne!(digest(&jsonl(&one.spec)), digest(&jsonl(&two.spec)));
    let names = |dataset: &baoxue_datagen::Dataset| -> Vec<String> {
        dataset.pupils.iter().take(50).map(|pupil| pupil.student.name.clone()).collect()
    };
    assert_ne!(names(&one), names(&two));
}

#[test]
fn another_today_keeps_the_roster_and_extends_the_register() {
    let early = generate(&Spec::new(7, Size::School).with_today("2026-10-20".parse().unwrap()));
    let late = generate(&Spec::new(7, Size::School));
    let roster = |dataset: &baoxue_datagen::Dataset| -> Vec<String> {
        dataset.pupils.iter().filter(|p| !p.transferred_in).map(|p| p.student.name.clone()).collect()
    };
    assert_eq!(roster(&early), roster(&late));
    assert!(early.marks.len() < late.marks.len());
}

/// Pinned values: if this fails, every data set of every seed changed. That may be on purpose
/// (a better name list, a new draw); then update the values and say so in the commit, since
/// benchmarks and stored fixtures made before are no longer comparable.
#[test]
fn seed_seven_still_makes_the_same_class() {
    let dataset = generate(&Spec::new(7, Size::Class));
    let first = &dataset.pupils[0].student;
    let pinned =
        (dataset.county.name.as_str(), dataset.pupils.len(), first.name.as_str(), first.student_number.as_deref());
    assert_eq!(pinned, PINNED);
}

const PINNED: (&str, usize, &str, Option<&str>) = ("临泉县", 49, "刘思雪", Some("G341221201602057665"));

#[test]
fn jsonl_reads_back_to_the_same_mutations() {
    let mutations = generate(&Spec::new(3, Size::Class)).mutations();
    let mut bytes = Vec::new();
    write_jsonl(&mutations, &mut bytes).unwrap();
    assert_eq!(read_jsonl(bytes.as_slice()).unwrap(), mutations);
    let error = read_jsonl("{\"not\": 1}\n".as_bytes()).unwrap_err();
    assert!(error.to_string().starts_with("line 1:"), "{error}");
}
