//! `cargo xtask test`: every test of the project, in an order that fails fast on the cheap
//! checks, with one closing line that adds up what every runner reported.

use crate::app_build;
use crate::postgres::TestPostgres;
use crate::process::{repo_root, run, run_watching, step, target_dir};
use crate::tools::Tools;

/// Crates that would give the domain I/O: the web, a browser, a database, a runtime or a
/// random source. The domain stays pure so the phone and the server compute the same figures.
const FORBIDDEN_IN_DOMAIN: [&str; 19] = [
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "wasm-bindgen-futures",
    "gloo",
    "leptos",
    "indexed_db_futures",
    "sqlx",
    "rusqlite",
    "libsqlite3-sys",
    "postgres",
    "tokio-postgres",
    "tokio",
    "axum",
    "hyper",
    "reqwest",
    "tower",
    "mio",
    "getrandom",
];

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Reads the closing lines of cargo's test harness, wasm-bindgen-test-runner and Playwright.
    fn read(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let words: Vec<&str> = part.split_whitespace().collect();
                match words.as_slice() {
                    [.., count, "passed"] => self.passed += count.parse::<u64>().unwrap_or(0),
                    [count, "failed"] => self.failed += count.parse::<u64>().unwrap_or(0),
                    _ => {}
                }
            }
        } else if let [count, verdict, ..] = line.split_whitespace().collect::<Vec<_>>().as_slice() {
            // Playwright's summary: "12 passed (9.1s)", "1 failed".
            if let Ok(count) = count.parse::<u64>() {
                match *verdict {
                    "passed" => self.passed += count,
                    "failed" => self.failed += count,
                    _ => {}
                }
            }
        }
    }
}

pub fn all() -> Result<(), String> {
    let tools = Tools::for_tests()?;
    let mut tally = Tally::default();
    let result = run_all(&tools, &mut tally);
    // The plain closing line CI reads, whatever happened.
    println!("\nxtask test: {} passed, {} failed", tally.passed, tally.failed);
    result
}

fn run_all(tools: &Tools, tally: &mut Tally) -> Result<(), String> {
    step("formatting and lints");
    run(tools.cargo().args(["fmt", "--all", "--check"]))?;
    run(tools.cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    run(tools.cargo().args([
        "clippy",
        "--package",
        "baoxue-app",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;

    step("checking that the domain crate has no I/O dependency");
    domain_has_no_io(tools)?;
    run(tools.cargo().args(["build", "--package", "baoxue-domain", "--target", "wasm32-unknown-unknown"]))?;

    let postgres = TestPostgres::start()?;
    step("Rust unit, property and storage tests (SQLite and PostgreSQL)");
    let host_tests = run_watching(
        tools
            .cargo()
            .args(["test", "--workspace", "--exclude", "baoxue-app"])
            .env("BAOXUE_TEST_POSTGRES_URL", &postgres.url)
            .env("BAOXUE_REQUIRE_POSTGRES", "1"),
        |line| tally.read(line),
    );
    if host_tests.is_err() {
        eprintln!("PostgreSQL's log:\n{}", postgres.log());
    }
    drop(postgres);
    host_tests?;

    step("wasm tests of the app in headless Chromium");
    run_watching(
        tools
            .cargo()
            .args(["test", "--package", "baoxue-app", "--target", "wasm32-unknown-unknown"])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver"),
        |line| tally.read(line),
    )?;

    app_build::build(tools)?;
    run(tools.cargo().args(["build", "--package", "baoxue-sync-server"]))?;
    step("end-to-end tests in headless Chromium");
    let root = repo_root();
    run_watching(
        tools
            .command("npx")
            .args(["playwright", "test"])
            .current_dir(root.join("tests"))
            .env("BAOXUE_SERVER_BIN", target_dir().join("debug/sync-server"))
            .env("BAOXUE_XTASK_BIN", std::env::current_exe().map_err(|error| error.to_string())?)
            .env("BAOXUE_DIST", root.join("dist")),
        |line| tally.read(line),
    )
}

fn domain_has_no_io(tools: &Tools) -> Result<(), String> {
    let tree = crate::process::output(tools.cargo().args([
        "tree",
        "--package",
        "baoxue-domain",
        "--edges",
        "normal,build",
        "--prefix",
        "none",
        "--format",
        "{p}",
        "--target",
        "all",
    ]))
    .ok_or("`cargo tree` failed on the domain crate")?;
    let offenders: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| {
            FORBIDDEN_IN_DOMAIN.iter().any(|banned| name == banned || name.starts_with(&format!("{banned}-")))
        })
        .collect();
    if offenders.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the domain crate must stay free of I/O, but depends on {}: move that code to app/ or sync-server/",
            offenders.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn tally_reads_every_runner_closing_line() {
        let mut tally = Tally::default();
        tally.read("test result: ok. 18 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        tally.read("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 filtered out");
        tally.read("  4 passed (6.2s)");
        tally.read("  1 failed");
        tally.read("compiling 12 crates");
        assert_eq!((tally.passed, tally.failed), (25, 3));
    }
}
