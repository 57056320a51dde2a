//! The operator's commands: the org tree, enrollment codes, devices, backup and restore, and the
//! sync health report. Each returns the text to print; every message that reports a problem
//! ends with the next step.

use crate::credentials::{hash_secret, new_enrollment_code, new_uuid, normalise_code, RandomError};
use crate::share::beijing_time;
use crate::storage::{
    BackupError, Database, FreshOrgIds, SchoolPlace, SchoolPlacement, ShareUnit, Storage, StorageError,
};
use baoxue_domain::ids::{CountyId, DeviceId, SchoolId, TownId};
use qrcode::render::unicode::Dense1x2;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("{0:?} is not a duration: write a number and a unit, as 7d (days), 12h (hours) or 30m (minutes)")]
    BadDuration(String),
    #[error("a {0} name cannot be empty: pass it as --{0} <name>")]
    EmptyName(&'static str),
    #[error(transparent)]
    Random(#[from] RandomError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Backup(#[from] BackupError),
    #[error("{unit:?} is not a unit: {why}")]
    BadUnit { unit: String, why: String },
    #[error(transparent)]
    Link(#[from] crate::share::links::LinkError),
}

/// Reads `7d`, `12h`, `30m` as milliseconds.
pub fn parse_duration_ms(text: &str) -> Result<i64, OperatorError> {
    let bad = || OperatorError::BadDuration(text.to_owned());
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (number, unit) = text.split_at(split);
    let number: i64 = number.parse().map_err(|_| bad())?;
    let unit_ms = match unit {
        "d" => 86_400_000,
        "h" => 3_600_000,
        "m" => 60_000,
        _ => return Err(bad()),
    };
    number.checked_mul(unit_ms).filter(|ms| *ms > 0).ok_or_else(bad)
}

pub async fn add_school(database: &Database, place: SchoolPlace, now_ms: i64) -> Result<String, OperatorError> {
    for (what, name) in [("county", &place.county), ("town", &place.town), ("name", &place.school)] {
        if name.trim().is_empty() {
            return Err(OperatorError::EmptyName(what));
        }
    }
    let fresh = FreshOrgIds {
        county: CountyId(new_uuid(now_ms)?),
        town: TownId(new_uuid(now_ms)?),
        school: SchoolId(new_uuid(now_ms)?),
    };
    let row = database.add_school(&place, fresh, now_ms).await?;
    Ok(format!(
        "school {} ({} > {} > {}). Next: give its teachers' phones enrollment codes with `sync-server enroll --school {}`",
        row.id, row.county, row.town, row.name, row.id
    ))
}

pub async fn list_schools(database: &Database) -> Result<String, OperatorError> {
    let schools = database.schools().await?;
    if schools.is_empty() {
        return Ok("no schools yet: add one with `sync-server school add --county <name> --town <name> --name <name>`"
            .to_owned());
    }
    let mut out = String::new();
    for school in schools {
        let _ = writeln!(
            out,
            "{}  {} > {} > {}  ({} changes)",
            school.id, school.county, school.town, school.name, school.last_server_seq
        );
    }
    Ok(out)
}

pub async fn issue_code(
    database: &Database,
    school: SchoolId,
    expires_in_ms: i64,
    now_ms: i64,
) -> Result<String, OperatorError> {
    let code = new_enrollment_code()?;
    let expires_ms = now_ms.saturating_add(expires_in_ms);
    // Hashed as `/api/enroll` hashes what the teacher types: without dashes, spaces or case.
    database.add_enrollment_code(school, &hash_secret(&normalise_code(&code)), now_ms, expires_ms).await?;
    let hours = expires_in_ms / 3_600_000;
    Ok(format!(
        "enrollment code for school {school}: {code}\n\
         It works once, within {hours} hours. The teacher enters it in the app's first-run screen; \
         the server keeps only its hash, so note it now."
    ))
}

pub async fn list_devices(database: &Database, now_ms: i64) -> Result<String, OperatorError> {
    let devices = database.devices().await?;
    if devices.is_empty() {
        return Ok("no devices enrolled yet: issue a code with `sync-server enroll --school <id>`".to_owned());
    }
    let ago = |ms: Option<i64>| match ms {
        None => "never".to_owned(),
        Some(ms) => format!("{} min ago", (now_ms - ms).max(0) / 60_000),
    };
    let mut out = String::new();
    for device in devices {
        let state = if device.revoked_ms.is_some() { "REVOKED" } else { "active" };
        let _ = writeln!(
            out,
            "{}  {}  school {}  {:?}  last seen {}  changes through #{}  rejections {}",
            device.id,
            state,
            device.school,
            device.label,
            ago(device.last_seen_ms),
            device.last_seq,
            device.rejections
        );
    }
    Ok(out)
}

pub async fn revoke_device(database: &Database, device: DeviceId, now_ms: i64) -> Result<String, OperatorError> {
    match database.revoke(device, now_ms).await {
        Ok(true) => Ok(format!(
            "device {device} is revoked: its next sync is refused, and its changes already sent stay. \
             To let the phone back, give it a new code with `sync-server enroll --school <id>`"
        )),
        Ok(false) => Ok(format!("device {device} was already revoked")),
        Err(StorageError::NoSuchDevice(_)) => Err(OperatorError::Storage(StorageError::NoSuchDevice(device))),
        Err(error) => Err(error.into()),
    }
}

pub async fn backup(database: &Database, to: &Path, now_ms: i64) -> Result<String, OperatorError> {
    let copied = database.backup(to, now_ms).await?;
    Ok(format!(
        "backup written to {}: {} changes, {} rows in all. Keep it off this machine; \
         restore it with `sync-server restore --from {}`",
        to.display(),
        copied.mutations,
        copied.rows,
        to.display()
    ))
}

pub async fn restore(database: &Database, from: &Path, force: bool) -> Result<String, OperatorError> {
    let copied = database.restore(from, force).await?;
    Ok(format!(
        "restored {} changes ({} rows in all) from {}. Schools, phones, revocations and codes made after \
         the backup are kept. The database has a new epoch: every phone pulls from the start on its next \
         sync and sends back what the server lacks, its own changes and those of other phones it holds, \
         so nothing a phone still holds is lost (docs/protocol.md, \"Restore\")",
        copied.mutations,
        copied.rows,
        from.display()
    ))
}

/// Devices, when each was last seen, refusals on record, open conflicts and changes per school.
pub async fn sync_health(database: &Database, now_ms: i64) -> Result<String, OperatorError> {
    let schools = database.schools().await?;
    let counts: BTreeMap<SchoolId, _> =
        database.school_counts().await?.into_iter().map(|counts| (counts.school, counts)).collect();
    let devices = database.devices().await?;
    let clocks: BTreeMap<DeviceId, i64> = database
        .device_clocks()
        .await?
        .into_iter()
        .map(|clock| (clock.device, clock.stamp_ms.saturating_sub(clock.received_ms)))
        .collect();
    let ago = |ms: Option<i64>| match ms {
        None => "never".to_owned(),
        Some(ms) => minutes_ago(now_ms, ms),
    };
    let mut out = String::new();
    let total = |pick: fn(&crate::storage::SchoolCounts) -> u64| counts.values().map(pick).sum::<u64>();
    let active = devices.iter().filter(|device| device.revoked_ms.is_none()).count();
    let _ = writeln!(
        out,
        "{} schools, {} devices ({} active), {} changes, {} open conflicts, {} rejections on record",
        schools.len(),
        devices.len(),
        active,
        total(|counts| counts.mutations),
        total(|counts| counts.open_conflicts),
        devices.iter().map(|device| device.rejections).sum::<u64>()
    );
    let _ = writeln!(out, "\nschools:");
    for school in &schools {
        let held = counts.get(&school.id);
        let phones: Vec<_> = devices.iter().filter(|device| device.school == school.id).collect();
        let last_seen = phones.iter().filter_map(|device| device.last_seen_ms).max();
        let _ = writeln!(
            out,
            "  {}  {} > {} > {}: {} changes, {} open conflicts, {} devices, last sync {}",
            school.id,
            school.county,
            school.town,
            school.name,
            held.map_or(0, |counts| counts.mutations),
            held.map_or(0, |counts| counts.open_conflicts),
            phones.len(),
            ago(last_seen)
        );
    }
    let _ = writeln!(out, "\ndevices:");
    for device in &devices {
        let state = if device.revoked_ms.is_some() { "REVOKED" } else { "active" };
        let _ = writeln!(
            out,
            "  {}  {}  {:?}  school {}  last seen {}  changes through #{}  rejections {}",
            device.id,
            state,
            device.label,
            device.school,
            ago(device.last_seen_ms),
            device.last_seq,
            device.rejections
        );
        if let Some(ahead_ms) = clocks.get(&device.id).filter(|ahead_ms| **ahead_ms > CLOCK_AHEAD_MS) {
            let _ = writeln!(
                out,
                "    clock ahead: its newest change is stamped {} after it arrived, so its edits win over \
                 later ones from other phones. Check the phone's date and time",
                duration_text(*ahead_ms)
            );
        }
    }
    if devices.iter().any(|device| device.rejections > 0) {
        let _ = writeln!(
            out,
            "\nA device with rejections sent changes the server refused (its phone shows why). \
             Most come from a phone restored from an old backup."
        );
    }
    if total(|counts| counts.open_conflicts) > 0 {
        let _ = writeln!(
            out,
            "Open conflicts are resolved on a phone of their school: its conflicts page shows both versions."
        );
    }
    Ok(out)
}

/// A stamp this far after its arrival means the phone's clock runs ahead: the app corrects its
/// clock by the server's, so only a phone that has not synced for a while, or a broken one, is.
const CLOCK_AHEAD_MS: i64 = 5 * 60_000;

fn minutes_ago(now_ms: i64, ms: i64) -> String {
    format!("{} ago", duration_text(now_ms.saturating_sub(ms)))
}

fn duration_text(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    match minutes {
        0..=119 => format!("{minutes} min"),
        120..=2_879 => format!("{} h", minutes / 60),
        _ => format!("{} days", minutes / 1_440),
    }
}

/// Reads a unit as the operator writes it: `county:城关县`, `town:石门镇` (or `town:城关县/石门镇`
/// where two counties have one), `school:石门中学` (or its id, or `城关县/石门镇/石门中学`). Ids work
/// for every kind.
pub fn find_unit(places: &[SchoolPlacement], text: &str) -> Result<ShareUnit, OperatorError> {
    let bad = |why: &str| OperatorError::BadUnit { unit: text.to_owned(), why: why.to_owned() };
    let (kind, name) = text.split_once(':').ok_or_else(|| bad("write its kind first: county:, town: or school:"))?;
    let name = name.trim();
    let id: Option<uuid::Uuid> = name.parse().ok();
    let parts: Vec<&str> = name.split('/').map(str::trim).collect();
    let matches = |place: &&SchoolPlacement| -> bool {
        match kind {
            "county" => id.map_or(parts == [place.county_name.as_str()], |id| place.county.0 == id),
            "town" => id.map_or_else(
                || match parts.as_slice() {
                    [town] => *town == place.town_name,
                    [county, town] => *county == place.county_name && *town == place.town_name,
                    _ => false,
                },
                |id| place.town.0 == id,
            ),
            "school" => id.map_or_else(
                || match parts.as_slice() {
                    [school] => *school == place.name,
                    [county, town, school] => {
                        *county == place.county_name && *town == place.town_name && *school == place.name
                    }
                    _ => false,
                },
                |id| place.school.0 == id,
            ),
            _ => false,
        }
    };
    if !["county", "town", "school"].contains(&kind) {
        return Err(bad("its kind is county:, town: or school:"));
    }
    let found: Vec<&SchoolPlacement> = places.iter().filter(matches).collect();
    let units: std::collections::BTreeSet<ShareUnit> = found
        .iter()
        .map(|place| match kind {
            "county" => ShareUnit::County(place.county),
            "town" => ShareUnit::Town(place.town),
            _ => ShareUnit::School(place.school),
        })
        .collect();
    match units.len() {
        0 => Err(bad("no such unit has a school on this server; see `sync-server school list`")),
        1 => units.first().copied().ok_or_else(|| bad("no such unit")),
        _ => Err(bad("several units have this name: write the county first, as town:城关县/石门镇, or use the id")),
    }
}

/// Makes a shared link and shows it with a QR code to scan from a phone.
pub async fn share_create(
    database: &Database,
    unit: &str,
    expires_in_ms: i64,
    label: &str,
    base_url: &str,
    now_ms: i64,
) -> Result<String, OperatorError> {
    let places = database.placements().await?;
    let unit = find_unit(&places, unit)?;
    let name = places.iter().find(|place| unit.holds(place)).map_or_else(
        || unit.id().to_string(),
        |place| match unit {
            ShareUnit::County(_) => place.county_name.clone(),
            ShareUnit::Town(_) => format!("{} > {}", place.county_name, place.town_name),
            ShareUnit::School(_) => format!("{} > {} > {}", place.county_name, place.town_name, place.name),
        },
    );
    let link = crate::share::links::create(database, unit, label, expires_in_ms, now_ms).await?;
    let url = format!("{}/share/{}", base_url.trim_end_matches('/'), link.token);
    // Drawn light on dark, as a terminal shows it: a dark screen's "dark" modules are the
    // spaces, so the code reads the right way round from a phone's camera.
    let qr = qrcode::QrCode::new(url.as_bytes())
        .map(|code| {
            code.render::<Dense1x2>().dark_color(Dense1x2::Light).light_color(Dense1x2::Dark).quiet_zone(true).build()
        })
        .unwrap_or_default();
    Ok(format!(
        "shared link {} to {} {name} ({}), works until {} (Beijing time):\n{url}\n{qr}\n\
         Anyone with this link sees the unit's figures (totals only, small counts masked) until it expires. \
         The server keeps only its hash, so note it now; revoke it with `sync-server share revoke {}`",
        link.row.id,
        unit.kind(),
        if link.row.label.is_empty() { "no label" } else { &link.row.label },
        beijing_time(link.row.expires_ms),
        link.row.id,
    ))
}

pub async fn share_list(database: &Database, now_ms: i64) -> Result<String, OperatorError> {
    let links = database.share_links().await?;
    if links.is_empty() {
        return Ok(
            "no shared links yet: make one with `sync-server share create --unit town:<name> --expires 30d`".to_owned()
        );
    }
    let mut out = String::new();
    for link in links {
        let state = if link.revoked_ms.is_some() {
            "REVOKED"
        } else if now_ms >= link.expires_ms {
            "expired"
        } else {
            "active"
        };
        let _ = writeln!(
            out,
            "{}  {}  {} {}  {:?}  made {}  until {}",
            link.id,
            state,
            link.unit.kind(),
            link.unit.id(),
            link.label,
            beijing_time(link.created_ms),
            beijing_time(link.expires_ms)
        );
    }
    Ok(out)
}

pub async fn share_revoke(database: &Database, id: uuid::Uuid, now_ms: i64) -> Result<String, OperatorError> {
    if database.revoke_share_link(id, now_ms).await? {
        Ok(format!("shared link {id} is revoked: it now opens a page saying so"))
    } else {
        Ok(format!("shared link {id} was already revoked"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_days_hours_and_minutes() {
        assert_eq!(parse_duration_ms("7d").unwrap(), 7 * 86_400_000);
        assert_eq!(parse_duration_ms("12h").unwrap(), 12 * 3_600_000);
        assert_eq!(parse_duration_ms("30m").unwrap(), 30 * 60_000);
        for bad in ["", "7", "d", "7w", "-1d", "0d", "99999999999999999d"] {
            assert!(parse_duration_ms(bad).is_err(), "{bad}");
        }
    }
}
