//! Each school's figures, worked out where the data is: the server merges a school's changes as
//! a phone does and counts them with the phones' own rules (`domain::supervision`), keeps the
//! result with the day it was taken on and the school's cursor it counts up to (its watermark),
//! and sums the kept rows for a town or a county. A row is worked out again when the school
//! has sent changes since, or the day has turned; `keep_fresh` does it in the background after
//! pushes, and a view works out the rows still stale when it is opened.

use super::china_today;
use crate::storage::{FigureRow, SchoolPlacement, ShareUnit, Storage, StorageError};
use baoxue_domain::hierarchy::{Branch, UnitTree};
use baoxue_domain::ids::SchoolId;
use baoxue_domain::state::State;
use baoxue_domain::supervision::{school_figures, SchoolFigures, SchoolSummary, SupervisorView, UnitLine};
use baoxue_domain::sync::protocol::MAX_PULL;
use baoxue_domain::sync::{PullAnswer, PullRequest};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// A week, for "reported this week": a school that sent no change in the last seven days has
/// not reported.
const WEEK_MS: i64 = 7 * 24 * 3_600_000;

/// What a shared link answers: the masked view of its unit, and the schools under it that sent
/// nothing this week (school names are no child's data).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShareView {
    pub unit: ShareUnit,
    pub view: SupervisorView,
    pub not_reported: Vec<String>,
    /// When the link stops working (ms since 1970).
    pub expires_ms: i64,
}

/// What a school's kept row holds: its figures, with its grades' and classes' (none before its
/// first term). A row kept in an earlier form does not read as this, and is worked out again.
type Kept = Option<SchoolFigures>;

/// Every change of `school`, merged as a phone merges them, read page by page as a phone pulls.
async fn school_state(storage: &impl Storage, school: SchoolId, now_ms: i64) -> Result<State, StorageError> {
    // A restore during the read changes the epoch: start over, a few times at most.
    for _ in 0..3 {
        let epoch = storage.epoch().await?;
        let mut state = State::default();
        let mut after = 0;
        loop {
            let request = PullRequest { after, limit: Some(MAX_PULL), epoch: Some(epoch.clone()) };
            match storage.pull(school, &request, now_ms).await? {
                PullAnswer::Page(page) => {
                    for (_, mutation) in &page.mutations {
                        state.apply(mutation);
                    }
                    after = page.next;
                    if !page.more {
                        return Ok(state);
                    }
                }
                PullAnswer::ResyncRequired { .. } => break,
            }
        }
    }
    Err(StorageError::Corrupt {
        what: "a school's changes",
        detail: format!("school {school}'s history kept changing while its figures were read (restores?)"),
    })
}

/// Works out `place`'s figures on `today` and keeps them (unless a row taken later is kept
/// already). The watermark is the cursor read before the changes: the row counts at least those.
pub async fn refresh(
    storage: &impl Storage,
    place: &SchoolPlacement,
    today: chrono::NaiveDate,
    now_ms: i64,
) -> Result<FigureRow, StorageError> {
    let state = school_state(storage, place.school, now_ms).await?;
    let summary: Kept = school_figures(&state, place.school, today);
    let row = FigureRow {
        school: place.school,
        taken_on: today.to_string(),
        watermark: place.last_server_seq,
        summary: serde_json::to_string(&summary)
            .map_err(|error| StorageError::Corrupt { what: "a school's figures", detail: error.to_string() })?,
        computed_ms: now_ms,
    };
    storage.put_school_figures(&row).await?;
    Ok(row)
}

/// Whether `row` still stands for `place` on `today`.
fn fresh(row: &FigureRow, place: &SchoolPlacement, today: &str) -> bool {
    row.taken_on.as_str() >= today && row.watermark >= place.last_server_seq
}

/// The mark of each school of `places` on the day of `now_ms` ([`Storage::figure_marks`]):
/// its kept row's where that still stands, its row worked out again where not.
async fn fresh_marks(
    storage: &impl Storage,
    places: &[&SchoolPlacement],
    now_ms: i64,
) -> Result<BTreeMap<SchoolId, FigureRow>, StorageError> {
    let today = china_today(now_ms);
    let today_text = today.to_string();
    let marks: BTreeMap<SchoolId, FigureRow> =
        storage.figure_marks().await?.into_iter().map(|row| (row.school, row)).collect();
    let mut out = BTreeMap::new();
    for place in places {
        let mark = match marks.get(&place.school).filter(|row| fresh(row, place, &today_text)) {
            Some(mark) => mark.clone(),
            None => FigureRow { summary: String::new(), ..refresh(storage, place, today, now_ms).await? },
        };
        out.insert(place.school, mark);
    }
    Ok(out)
}

/// The kept figures of each school of `places`, read and parsed; a row kept in an earlier form
/// (or gone since its mark was read, by a restore) is worked out again.
async fn kept_figures(
    storage: &impl Storage,
    places: &[&SchoolPlacement],
    now_ms: i64,
) -> Result<BTreeMap<SchoolId, Kept>, StorageError> {
    let rows: BTreeMap<SchoolId, FigureRow> =
        storage.school_figures().await?.into_iter().map(|row| (row.school, row)).collect();
    let mut out = BTreeMap::new();
    for place in places {
        let held = rows.get(&place.school).and_then(|row| serde_json::from_str::<Kept>(&row.summary).ok());
        let figures = match held {
            Some(figures) => figures,
            None => {
                let row = refresh(storage, place, china_today(now_ms), now_ms).await?;
                serde_json::from_str::<Kept>(&row.summary)
                    .map_err(|error| StorageError::Corrupt { what: "a school's figures", detail: error.to_string() })?
            }
        };
        out.insert(place.school, figures);
    }
    Ok(out)
}

/// What a county's tree is built from, school by school: its place and names (with when it
/// last sent a change), whether it reported this week, its kept row's mark (day, watermark,
/// time) and its chain breaks. The same stamp, the same tree.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stamp(Vec<(SchoolPlacement, bool, String, u64, i64, u64)>);

impl Stamp {
    fn of(
        places: &[&SchoolPlacement],
        marks: &BTreeMap<SchoolId, FigureRow>,
        chain_breaks: &BTreeMap<SchoolId, u64>,
        reported: &dyn Fn(&SchoolPlacement) -> bool,
    ) -> Stamp {
        Stamp(
            places
                .iter()
                .map(|place| {
                    let mark = marks.get(&place.school);
                    (
                        (*place).clone(),
                        reported(place),
                        mark.map(|mark| mark.taken_on.clone()).unwrap_or_default(),
                        mark.map_or(0, |mark| mark.watermark),
                        mark.map_or(0, |mark| mark.computed_ms),
                        chain_breaks.get(&place.school).copied().unwrap_or(0),
                    )
                })
                .collect(),
        )
    }
}

/// The trees built last, a few counties' at most, each with its stamp: a view of a county
/// whose schools sent nothing since reads each school's mark, not its figures, and masks
/// nothing again. Each process keeps its own; built from the same rows, they are the same.
static TREES: std::sync::Mutex<BTreeMap<uuid::Uuid, (Stamp, Arc<UnitTree>)>> = std::sync::Mutex::new(BTreeMap::new());
const TREES_KEPT: usize = 8;

fn tree_kept(county: uuid::Uuid, stamp: &Stamp) -> Option<Arc<UnitTree>> {
    let trees = TREES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    trees.get(&county).filter(|(kept, _)| kept == stamp).map(|(_, tree)| Arc::clone(tree))
}

fn keep_tree(county: uuid::Uuid, stamp: Stamp, tree: Arc<UnitTree>) {
    let mut trees = TREES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if trees.len() >= TREES_KEPT && !trees.contains_key(&county) {
        trees.pop_first();
    }
    trees.insert(county, (stamp, tree));
}

/// The view of `unit` at `now_ms`: its figures and those of each unit one level below it (the
/// towns of a county, the schools of a town, the grades of a school), masked as in every other
/// view of its county: the county's tree is masked as one (`hierarchy`).
pub async fn view(
    storage: &impl Storage,
    unit: ShareUnit,
    expires_ms: i64,
    now_ms: i64,
) -> Result<ShareView, StorageError> {
    let all = storage.placements().await?;
    let places: Vec<&SchoolPlacement> = all.iter().filter(|place| unit.holds(place)).collect();
    let Some(first) = places.first() else {
        return Err(StorageError::NoSuchUnit { kind: unit.kind(), id: unit.id() });
    };
    let name = match unit {
        ShareUnit::County(_) => first.county_name.clone(),
        ShareUnit::Town(_) => format!("{} {}", first.county_name, first.town_name),
        ShareUnit::School(_) => format!("{} {} {}", first.county_name, first.town_name, first.name),
    };
    let county: Vec<&SchoolPlacement> = all.iter().filter(|place| place.county == first.county).collect();
    let marks = fresh_marks(storage, &county, now_ms).await?;
    let chain_breaks: BTreeMap<SchoolId, u64> = storage.chain_breaks().await?.into_iter().collect();
    let reported = |place: &SchoolPlacement| place.last_received_ms.is_some_and(|ms| now_ms - ms < WEEK_MS);
    let stamp = Stamp::of(&county, &marks, &chain_breaks, &reported);
    let tree = match tree_kept(first.county.0, &stamp) {
        Some(tree) => tree,
        None => {
            let kept = kept_figures(storage, &county, now_ms).await?;
            let tree = Arc::new(county_tree(&county, kept, &chain_breaks, &reported));
            keep_tree(first.county.0, stamp, Arc::clone(&tree));
            tree
        }
    };
    let top = match unit {
        ShareUnit::County(_) => Some(0),
        ShareUnit::Town(id) => tree.unit_of(id.0.as_u128()),
        ShareUnit::School(id) => tree.unit_of(id.0.as_u128()),
    };
    let Some(top) = top else {
        return Err(StorageError::NoSuchUnit { kind: unit.kind(), id: unit.id() });
    };
    // The figures are as old as the oldest of those shown.
    let taken_ms =
        places.iter().filter_map(|place| marks.get(&place.school)).map(|mark| mark.computed_ms).min().unwrap_or(now_ms);
    let mut not_reported: Vec<String> =
        places.iter().filter(|place| !reported(place)).map(|place| place.name.clone()).collect();
    not_reported.sort();
    // A school's link shows its grades and, below each, its classes; a town's its schools, a
    // county's its towns.
    let levels = if matches!(unit, ShareUnit::School(_)) { 2 } else { 1 };
    Ok(ShareView { unit, view: tree.view(top, &name, taken_ms, levels), not_reported, expires_ms })
}

/// The county of `places` as one tree: the county, its towns, their schools (each its own
/// summary, with its chain breaks), each school's grades and each grade's classes. A school
/// with no term yet is there with nothing counted.
fn county_tree(
    places: &[&SchoolPlacement],
    mut figures: BTreeMap<SchoolId, Kept>,
    chain_breaks: &BTreeMap<SchoolId, u64>,
    reported: &dyn Fn(&SchoolPlacement) -> bool,
) -> UnitTree {
    let mut towns: BTreeMap<(String, uuid::Uuid), Vec<Branch>> = BTreeMap::new();
    let mut ordered: Vec<&&SchoolPlacement> = places.iter().collect();
    ordered.sort_by(|a, b| (&a.name, a.school.0).cmp(&(&b.name, b.school.0)));
    for place in ordered {
        let line = |name: String, summary: SchoolSummary| UnitLine {
            name,
            last_synced_ms: place.last_received_ms,
            schools: 1,
            reported_this_week: u64::from(reported(place)),
            summary,
        };
        let kept = figures.remove(&place.school).flatten();
        let mut kept = kept.unwrap_or_else(|| SchoolFigures { school: SchoolSummary::default(), grades: Vec::new() });
        kept.school.records.chain_breaks = chain_breaks.get(&place.school).copied().unwrap_or(0);
        let school = kept.branch(place.name.clone(), line).keyed(place.school.0.as_u128());
        towns.entry((place.town_name.clone(), place.town.0)).or_default().push(school);
    }
    let county = places.first().map(|place| place.county_name.clone()).unwrap_or_default();
    let towns =
        towns.into_iter().map(|((name, id), schools)| Branch::sum(&name, schools).keyed(id.as_u128())).collect();
    UnitTree::new(Branch::sum(&county, towns))
}

/// Works out, every `every` or when `wake` is notified (after a push), the figures of every
/// school that sent changes since its row, or whose row is of an earlier day. Runs for as long
/// as the server; a failure is logged and tried again next round.
pub async fn keep_fresh(storage: impl Storage, wake: std::sync::Arc<tokio::sync::Notify>, every: Duration) {
    loop {
        if let Err(error) = refresh_stale(&storage, crate::now_ms()).await {
            tracing::warn!("could not bring the schools' figures up to date: {error}");
        }
        let _ = tokio::time::timeout(every, wake.notified()).await;
    }
}

/// One round of `keep_fresh`: answers how many schools were worked out again.
pub async fn refresh_stale(storage: &impl Storage, now_ms: i64) -> Result<usize, StorageError> {
    let today = china_today(now_ms);
    let today_text = today.to_string();
    let kept: BTreeMap<SchoolId, FigureRow> =
        storage.figure_marks().await?.into_iter().map(|row| (row.school, row)).collect();
    let mut done = 0;
    for place in storage.placements().await? {
        if kept.get(&place.school).is_none_or(|row| !fresh(row, &place, &today_text)) {
            refresh(storage, &place, today, now_ms).await?;
            done += 1;
        }
    }
    Ok(done)
}
