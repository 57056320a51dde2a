//! The project's commands, run as `cargo xtask <command>`:
//!
//! - `run`: install what is missing, build the app, start the server on a SQLite file.
//! - `test`: install what is missing, then run every test: Rust unit and property tests, the
//!   domain's dependency guard, wasm tests in headless Chromium, end-to-end tests.
//! - `build`: build the app into `dist/` and print its size.
//! - `setup`: only install what is missing.
//! - `bench`: build, generate a town's data, and measure the first load and a tap (not a test).
//! - `bench-sync`: push throughput and a new phone's first pull, SQLite and PostgreSQL.
//! - `sheet <file.xlsx>`: print a workbook's first sheet as JSON (the end-to-end tests read the
//!   papers the app downloads with it).
//!
//! Everything is installed idempotently: a tool already there (at the right version) is used
//! as it is. Tools the project installs itself go under `$BAOXUE_TOOLS` (default
//! `~/.cache/baoxue-tools`), never into the repository.

mod app_build;
mod bench;
mod postgres;
mod process;
mod sheet;
mod sync_bench;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <run|test|build|setup|bench|bench-sync|bench-share|sheet>

  run     set up what is missing, build the app, and serve it with the sync server
          on an embedded SQLite file (baoxue.db); BAOXUE_LISTEN sets the address
  test    set up what is missing and run every test
  build   build the app into dist/ and print its size
  setup   install what is missing and nothing else
  bench   build, generate ~3,000 children, and measure the load to a usable roster and
          an attendance tap in headless Chromium (figures against targets; never fails on them)
  bench-sync  generate the same town and measure push throughput (batches of 100) and a new
          phone's first pull through the release server, on SQLite and PostgreSQL
  bench-share  store a generated county (~100,000 children) and time its shared link's view
          (p50, p95), at that size and with ten times the schools
  sheet <file.xlsx>  print the workbook's first sheet as JSON rows (read by calamine)";

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = match command.as_str() {
        "run" => run(),
        "test" => test::all(),
        "build" => tools::Tools::for_build().and_then(|tools| app_build::build(&tools).map(|_| ())),
        "setup" => tools::Tools::for_tests().map(|_| ()),
        "bench" => bench::bench(),
        "bench-sync" => sync_bench::bench(),
        "bench-share" => sync_bench::bench_share(),
        "sheet" => sheet::print(std::env::args().nth(2)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask {command}: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let tools = tools::Tools::for_build()?;
    app_build::build(&tools)?;
    let db = std::env::var("BAOXUE_DB").unwrap_or_else(|_| "baoxue.db".to_owned());
    process::step("starting the server (Ctrl-C stops it)");
    process::run(
        tools
            .cargo()
            .args(["run", "--release", "--package", "baoxue-sync-server", "--", "serve", "--db", &db, "--dist"])
            .arg(process::repo_root().join("dist")),
    )
}
