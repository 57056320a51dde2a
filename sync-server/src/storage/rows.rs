//! Rows as both backends read them, turned into the storage's types once: an id is text in
//! SQLite and a UUID in PostgreSQL (`StoredId`), counters are signed in both.

use super::{
    from_db, parse_json, DeviceClock, DeviceRow, EnrollRefusal, FigureRow, RejectionRow, SchoolCounts, SchoolPlacement,
    SchoolRow, ShareLinkRow, ShareUnit, StorageError,
};
use baoxue_domain::ids::{CountyId, DeviceId, SchoolId, TownId};
use uuid::Uuid;

/// An id as a backend stores it.
pub(super) trait StoredId {
    fn into_uuid(self, what: &'static str) -> Result<Uuid, StorageError>;
}

impl StoredId for Uuid {
    fn into_uuid(self, _: &'static str) -> Result<Uuid, StorageError> {
        Ok(self)
    }
}

impl StoredId for String {
    fn into_uuid(self, what: &'static str) -> Result<Uuid, StorageError> {
        self.parse().map_err(|_| StorageError::Corrupt { what, detail: format!("{self:?} is not an id") })
    }
}

/// `(id, county, town, name, last_server_seq)`.
pub(super) type SchoolTuple<Id> = (Id, String, String, String, i64);

pub(super) fn school_rows<Id: StoredId>(rows: Vec<SchoolTuple<Id>>) -> Result<Vec<SchoolRow>, StorageError> {
    rows.into_iter()
        .map(|(id, county, town, name, last)| {
            Ok(SchoolRow {
                id: SchoolId(id.into_uuid("a school id")?),
                county,
                town,
                name,
                last_server_seq: from_db(last, "a school cursor")?,
            })
        })
        .collect()
}

/// `(id, school, label, enrolled_ms, last_seen_ms, revoked_ms, last_seq, rejections)`.
pub(super) type DeviceTuple<Id> = (Id, Id, String, i64, Option<i64>, Option<i64>, i64, i64);

pub(super) fn device_rows<Id: StoredId>(rows: Vec<DeviceTuple<Id>>) -> Result<Vec<DeviceRow>, StorageError> {
    rows.into_iter()
        .map(|(id, school, label, enrolled_ms, last_seen_ms, revoked_ms, last_seq, rejections)| {
            Ok(DeviceRow {
                id: DeviceId(id.into_uuid("a device id")?),
                school: SchoolId(school.into_uuid("a school id")?),
                label,
                enrolled_ms,
                last_seen_ms,
                revoked_ms,
                last_seq: from_db(last_seq, "a device counter")?,
                rejections: from_db(rejections, "a count")?,
            })
        })
        .collect()
}

/// `(seq, reason, rejected_ms)` of one device.
pub(super) fn rejection_rows(
    device: DeviceId,
    rows: Vec<(i64, String, i64)>,
) -> Result<Vec<RejectionRow>, StorageError> {
    rows.into_iter()
        .map(|(seq, reason, rejected_ms)| {
            Ok(RejectionRow {
                device,
                seq: from_db(seq, "a counter")?,
                reason: parse_json(&reason, "a rejection")?,
                rejected_ms,
            })
        })
        .collect()
}

/// `(school, mutations, open_conflicts)`.
pub(super) fn school_counts<Id: StoredId>(rows: Vec<(Id, i64, i64)>) -> Result<Vec<SchoolCounts>, StorageError> {
    rows.into_iter()
        .map(|(school, mutations, open_conflicts)| {
            Ok(SchoolCounts {
                school: SchoolId(school.into_uuid("a school id")?),
                mutations: from_db(mutations, "a count")?,
                open_conflicts: from_db(open_conflicts, "a count")?,
            })
        })
        .collect()
}

/// `(school, count)`.
pub(super) fn school_counts_of<Id: StoredId>(rows: Vec<(Id, i64)>) -> Result<Vec<(SchoolId, u64)>, StorageError> {
    rows.into_iter()
        .map(|(school, count)| Ok((SchoolId(school.into_uuid("a school id")?), from_db(count, "a count")?)))
        .collect()
}

/// `(device, stamp wall time, received_ms)`.
pub(super) fn device_clocks<Id: StoredId>(rows: Vec<(Id, i64, i64)>) -> Result<Vec<DeviceClock>, StorageError> {
    rows.into_iter()
        .map(|(device, stamp_ms, received_ms)| {
            Ok(DeviceClock { device: DeviceId(device.into_uuid("a device id")?), stamp_ms, received_ms })
        })
        .collect()
}

/// Whether a stored enrollment code may still be used at `now_ms`.
pub(super) fn usable_code(expires_ms: i64, used_ms: Option<i64>, now_ms: i64) -> Result<(), EnrollRefusal> {
    if used_ms.is_some() {
        Err(EnrollRefusal::AlreadyUsed)
    } else if now_ms >= expires_ms {
        Err(EnrollRefusal::Expired)
    } else {
        Ok(())
    }
}

/// `(school, name, town, town name, county, county name, last_server_seq, last_received_ms)`.
pub(super) type PlacementTuple<Id> = (Id, String, Id, String, Id, String, i64, Option<i64>);

pub(super) fn placements<Id: StoredId>(rows: Vec<PlacementTuple<Id>>) -> Result<Vec<SchoolPlacement>, StorageError> {
    rows.into_iter()
        .map(|(school, name, town, town_name, county, county_name, last, last_received_ms)| {
            Ok(SchoolPlacement {
                school: SchoolId(school.into_uuid("a school id")?),
                name,
                town: TownId(town.into_uuid("a town id")?),
                town_name,
                county: CountyId(county.into_uuid("a county id")?),
                county_name,
                last_server_seq: from_db(last, "a school cursor")?,
                last_received_ms,
            })
        })
        .collect()
}

/// `(id, unit kind, unit id, label, created_ms, expires_ms, revoked_ms)`.
pub(super) type ShareLinkTuple<Id> = (Id, String, Id, String, i64, i64, Option<i64>);

pub(super) fn share_link<Id: StoredId>(row: ShareLinkTuple<Id>) -> Result<ShareLinkRow, StorageError> {
    let (id, kind, unit, label, created_ms, expires_ms, revoked_ms) = row;
    Ok(ShareLinkRow {
        id: id.into_uuid("a shared link's id")?,
        unit: ShareUnit::from_row(&kind, unit.into_uuid("a shared link's unit")?)?,
        label,
        created_ms,
        expires_ms,
        revoked_ms,
    })
}

/// `(school, taken_on, watermark, summary, computed_ms)`.
pub(super) type FigureTuple<Id> = (Id, String, i64, String, i64);

pub(super) fn figure_rows<Id: StoredId>(rows: Vec<FigureTuple<Id>>) -> Result<Vec<FigureRow>, StorageError> {
    rows.into_iter()
        .map(|(school, taken_on, watermark, summary, computed_ms)| {
            Ok(FigureRow {
                school: SchoolId(school.into_uuid("a school id")?),
                taken_on,
                watermark: from_db(watermark, "a figures watermark")?,
                summary,
                computed_ms,
            })
        })
        .collect()
}
