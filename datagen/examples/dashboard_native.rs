//! The school dashboard of the year benchmark's school (1,500 students, a school year of
//! attendance), worked out natively: where its time goes, without a browser. Run with
//! `cargo run --release -p baoxue-datagen --example dashboard_native` (add `perf record` to
//! see the functions; the browser's wasm carries no names). See docs/benchmarks.md.

use baoxue_datagen::{generate, Size, Spec};
use baoxue_domain::dashboard::school_dashboard;
use baoxue_domain::monthly_report::monthly_report;
use baoxue_domain::risk::EarlyWarningTable;
use std::time::Instant;

fn main() {
    let data = generate(&Spec::school_year(7, Size::Students(1500)));
    let state = data.state();
    let school = data.schools[0].school.id;
    let today = data.spec.today;
    let table = EarlyWarningTable::default();
    println!("{} students, today {today}", data.pupils.len());
    for run in 1..=5 {
        let start = Instant::now();
        let board = school_dashboard(&state, school, today, &table);
        let dashboard = start.elapsed();
        let start = Instant::now();
        let report = monthly_report(&state, school, today, today);
        let monthly = start.elapsed();
        println!(
            "run {run}: dashboard {:.1} ms ({} classes), monthly report {:.1} ms ({} rows)",
            dashboard.as_secs_f64() * 1000.0,
            board.map_or(0, |board| board.classes.len()),
            monthly.as_secs_f64() * 1000.0,
            report.map_or(0, |report| report.rows.len()),
        );
    }
}
