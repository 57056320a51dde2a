//! `baoxue-datagen`: writes a generated data set as the files the app and the server take.
//!
//! ```text
//! baoxue-datagen --seed 7 --size school --out DIR [--bad-rows 5] [--year] [--today 2026-11-20]
//! ```
//! writes roster.xlsx (学籍 export), roster-utf8.csv and roster-gbk.csv (花名册),
//! mutations.jsonl (one mutation per line) and summary.json (counts, and the bad rows).

use baoxue_datagen::files::{encode, roster_csv, roster_xlsx, CsvEncoding, FilesError};
use baoxue_datagen::{generate, write_jsonl, Size, Spec};
use chrono::NaiveDate;
use clap::{Parser, ValueEnum};
use std::fs;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(version, about = "Generate deterministic Baoxue data: roster files and mutations")]
struct Args {
    /// The seed: the same seed gives the same files, byte for byte.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// How much to generate.
    #[arg(long, value_enum, default_value_t = SizeArg::School)]
    size: SizeArg,
    /// Exactly this many children instead of a named size.
    #[arg(long, conflicts_with = "size")]
    students: Option<u32>,
    /// The folder to write into; made if missing.
    #[arg(long)]
    out: PathBuf,
    /// Spoil this many rows of the CSV rosters with known mistakes, for import tests.
    #[arg(long, default_value_t = 0)]
    bad_rows: usize,
    /// A school year (autumn 2026 and spring 2027, data up to 9 July 2027) instead of the
    /// autumn term up to 20 November 2026.
    #[arg(long)]
    year: bool,
    /// The last day with data (attendance and events up to it), as 2026-11-20.
    #[arg(long)]
    today: Option<NaiveDate>,
}

#[derive(Clone, Copy, ValueEnum)]
enum SizeArg {
    Class,
    School,
    Town,
    County,
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("could not write {path}: {source}; check that the folder is writable and the disk not full")]
    Write { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Files(#[from] FilesError),
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    fs::write(path, bytes).map_err(|source| CliError::Write { path: path.to_owned(), source })
}

fn report(path: &Path, started: Instant) {
    let bytes = fs::metadata(path).map(|meta| meta.len()).unwrap_or(0);
    println!("  {:<45} {:>12} bytes  {:>7.2} s", path.display(), bytes, started.elapsed().as_secs_f64());
}

fn run(args: Args) -> Result<(), CliError> {
    let size = match (args.students, args.size) {
        (Some(count), _) => Size::Students(count),
        (None, SizeArg::Class) => Size::Class,
        (None, SizeArg::School) => Size::School,
        (None, SizeArg::Town) => Size::Town,
        (None, SizeArg::County) => Size::County,
    };
    let mut spec = if args.year { Spec::school_year(args.seed, size) } else { Spec::new(args.seed, size) };
    if let Some(today) = args.today {
        spec = spec.with_today(today);
    }
    fs::create_dir_all(&args.out).map_err(|source| CliError::Write { path: args.out.clone(), source })?;

    let started = Instant::now();
    let dataset = generate(&spec);
    println!(
        "generated {} students in {} schools ({:?}, seed {}) in {:.2} s",
        dataset.pupils.len(),
        dataset.schools.len(),
        spec.size,
        spec.seed,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let mutations = dataset.mutations();
    println!("made {} mutations in {:.2} s", mutations.len(), started.elapsed().as_secs_f64());

    println!("wrote:");
    let path = args.out.join("mutations.jsonl");
    let started = Instant::now();
    let file = fs::File::create(&path).map_err(|source| CliError::Write { path: path.clone(), source })?;
    write_jsonl(&mutations, BufWriter::new(file)).map_err(|source| CliError::Write { path: path.clone(), source })?;
    report(&path, started);

    let path = args.out.join("roster.xlsx");
    let started = Instant::now();
    write(&path, &roster_xlsx(&dataset)?)?;
    report(&path, started);

    let started = Instant::now();
    let csv = roster_csv(&dataset, None, args.bad_rows)?;
    for (name, encoding) in [("roster-utf8.csv", CsvEncoding::Utf8Bom), ("roster-gbk.csv", CsvEncoding::Gbk)] {
        let path = args.out.join(name);
        write(&path, &encode(&csv, encoding)?)?;
        report(&path, started);
    }

    let path = args.out.join("summary.json");
    let summary = serde_json::json!({
        "summary": dataset.summary(),
        "bad_rows": csv.bad_rows,
    });
    let text = serde_json::to_string_pretty(&summary).expect("a summary of strings and numbers serialises");
    write(&path, text.as_bytes())?;
    report(&path, Instant::now());
    Ok(())
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("baoxue-datagen: {error}");
            ExitCode::FAILURE
        }
    }
}
