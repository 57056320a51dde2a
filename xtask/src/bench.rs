//! `cargo xtask bench`: how the app does on a phone that holds a town's data. Builds the app
//! and the server, generates about 3,000 children with a term of attendance (or, with
//! `BAOXUE_BENCH_YEAR=1`, a school year: two terms up to 9 July 2027), and runs
//! tests/bench/first_load.js, which prints each figure beside its target. A figure over its
//! target is reported, not failed: this is not a test, and `cargo xtask test` does not run it.
//! docs/benchmarks.md says what each figure means.

use crate::app_build;
use crate::process::{repo_root, run, step, target_dir};
use crate::tools::Tools;

/// datagen caps one school at 1,500 children, so 3,000 makes one town of several schools; the
/// phone stores all of it and shows the biggest class of the biggest school.
/// `BAOXUE_BENCH_STUDENTS=1500` measures one school of 1,500 instead (issue #13's size).
const STUDENTS: &str = "3000";

pub fn bench() -> Result<(), String> {
    let tools = Tools::for_tests()?;
    let first_load = app_build::build(&tools)?;
    run(tools.cargo().args(["build", "--package", "baoxue-sync-server"]))?;

    let root = repo_root();
    let data = target_dir().join("bench-data");
    let students = std::env::var("BAOXUE_BENCH_STUDENTS").unwrap_or_else(|_| STUDENTS.to_owned());
    let year = std::env::var("BAOXUE_BENCH_YEAR").is_ok_and(|value| value == "1");
    let span = if year { "a school year" } else { "a term" };
    step(&format!("generating {students} children with {span} of attendance (datagen, seed 7)"));
    let mut datagen = tools.cargo();
    datagen
        .args(["run", "--quiet", "--package", "baoxue-datagen", "--features", "cli", "--"])
        .args(["--seed", "7", "--students", &students, "--out"])
        .arg(&data);
    if year {
        datagen.arg("--year");
    }
    run(&mut datagen)?;

    step("measuring in headless Chromium at 360x740, CPU slowed 4x and not slowed");
    run(tools
        .command("node")
        .arg(root.join("tests/bench/first_load.js"))
        .current_dir(root.join("tests"))
        .env("BAOXUE_SERVER_BIN", target_dir().join("debug/sync-server"))
        .env("BAOXUE_DIST", root.join("dist"))
        .env("BAOXUE_BENCH_DATA", &data)
        .env("BAOXUE_BENCH_OUT", data.join("results.json"))
        .env("BAOXUE_FIRST_VISIT_GZIP", first_load.gzip.to_string())
        .env("BAOXUE_LATER_GZIP", first_load.later_gzip.to_string())
        .env("BAOXUE_CASES_GZIP", first_load.cases_gzip.to_string()))
}
