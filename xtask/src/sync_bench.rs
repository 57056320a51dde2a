//! `cargo xtask bench-sync`: push throughput and a new phone's first pull, on SQLite and on a
//! throwaway PostgreSQL, through the real server binary (release build). Generates the same
//! town as `cargo xtask bench` (datagen seed 7, 3,000 children with a term of attendance) and
//! runs the ignored benchmarks in sync-server/tests/sync_bench.rs, which print the figures
//! (with them, one phone's push timed alone and beside 200 requests without a credential).
//! docs/benchmarks.md ("Sync") says what they mean. Not a test: nothing fails on a figure.

use crate::postgres::TestPostgres;
use crate::process::{repo_root, run, step};
use crate::tools::Tools;

pub fn bench() -> Result<(), String> {
    let tools = Tools::for_tests()?;
    let data = repo_root().join("target/bench-data");
    step("generating 3000 children with a term of attendance (datagen, seed 7)");
    run(tools
        .cargo()
        .args(["run", "--quiet", "--package", "baoxue-datagen", "--features", "cli", "--"])
        .args(["--seed", "7", "--students", "3000", "--out"])
        .arg(&data))?;
    let postgres = TestPostgres::start()?;
    step("pushing and pulling through the release server, on SQLite and PostgreSQL");
    run(tools
        .cargo()
        .args(["test", "--release", "--package", "baoxue-sync-server", "--test", "sync_bench"])
        .args(["--", "--ignored", "--nocapture"])
        .env("BAOXUE_BENCH_MUTATIONS", data.join("mutations.jsonl"))
        .env("BAOXUE_TEST_POSTGRES_URL", &postgres.url))
}

/// `cargo xtask bench-share`: a generated county (about 100,000 children in some 200 schools)
/// stored through the server's push path, each school's figures worked out, and the county
/// link's answer times (p50, p95) at that size and tenfold; sync-server/tests/share_bench.rs.
pub fn bench_share() -> Result<(), String> {
    let tools = Tools::for_tests()?;
    step("a county's shared link: storing a generated county, working out its figures, timing its view");
    run(tools.cargo().args(["test", "--release", "--package", "baoxue-sync-server", "--test", "share_bench"]).args([
        "--",
        "--ignored",
        "--nocapture",
    ]))
}
