//! Just enough of the ZIP format to read the parts of an XLSX file: the central directory, and
//! entries stored or deflated. No ZIP64, no encryption, no other compression: Excel and WPS
//! write none of these for a roster. Inflating is `miniz_oxide`'s; everything else is here, so
//! the phone app does not carry a general archive library.

use miniz_oxide::inflate::decompress_to_vec_with_limit;

/// The largest part read, uncompressed. A roster sheet of 5,000 students is a few megabytes;
/// the limit keeps a "zip bomb" from filling a phone's memory.
pub const LARGEST_PART: usize = 64 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    method: u16,
    compressed_size: usize,
    uncompressed_size: usize,
    local_header: usize,
}

/// What is wrong with the archive, for [`crate::RosterError::BadXlsx`].
pub type ZipError = String;

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn usize_at(bytes: &[u8], at: usize) -> Option<usize> {
    u32_at(bytes, at).and_then(|value| usize::try_from(value).ok())
}

/// The entries listed in the central directory.
pub fn entries(bytes: &[u8]) -> Result<Vec<Entry>, ZipError> {
    const END: u32 = 0x0605_4b50;
    const CENTRAL: u32 = 0x0201_4b50;
    // The end record is the last 22 bytes, unless a comment (up to 65,535 bytes) follows it.
    let earliest = bytes.len().saturating_sub(22 + 65_535);
    let end = (earliest..=bytes.len().saturating_sub(22))
        .rev()
        .find(|at| u32_at(bytes, *at) == Some(END))
        .ok_or("no ZIP directory: the file is cut short or is not a ZIP file")?;
    let count = usize::from(u16_at(bytes, end + 10).ok_or("short directory")?);
    let mut at = usize_at(bytes, end + 16).ok_or("short directory")?;
    if u32_at(bytes, end + 16) == Some(u32::MAX) {
        return Err("ZIP64 archives are not read".into());
    }
    let mut entries = Vec::with_capacity(count.min(1024));
    for _ in 0..count {
        if u32_at(bytes, at) != Some(CENTRAL) {
            return Err("damaged ZIP directory".into());
        }
        let field = |offset: usize| usize::from(u16_at(bytes, at.saturating_add(offset)).unwrap_or(0));
        let size = |offset: usize| usize_at(bytes, at.saturating_add(offset)).unwrap_or(usize::MAX);
        let (name_length, extra_length, comment_length) = (field(28), field(30), field(32));
        let name_start = at.saturating_add(46);
        let name = bytes.get(name_start..name_start.saturating_add(name_length)).ok_or("damaged ZIP directory")?;
        entries.push(Entry {
            name: String::from_utf8_lossy(name).replace('\\', "/"),
            method: u16_at(bytes, at.saturating_add(10)).unwrap_or(0),
            compressed_size: size(20),
            uncompressed_size: size(24),
            local_header: size(42),
        });
        at = name_start.saturating_add(name_length).saturating_add(extra_length).saturating_add(comment_length);
    }
    Ok(entries)
}

/// The uncompressed bytes of an entry.
pub fn read(bytes: &[u8], entry: &Entry) -> Result<Vec<u8>, ZipError> {
    const LOCAL: u32 = 0x0403_4b50;
    let at = entry.local_header;
    if u32_at(bytes, at) != Some(LOCAL) {
        return Err(format!("{}: damaged entry", entry.name));
    }
    let name_length = usize::from(u16_at(bytes, at.saturating_add(26)).unwrap_or(0));
    let extra_length = usize::from(u16_at(bytes, at.saturating_add(28)).unwrap_or(0));
    let start = at.saturating_add(30).saturating_add(name_length).saturating_add(extra_length);
    let data = start
        .checked_add(entry.compressed_size)
        .and_then(|end| bytes.get(start..end))
        .ok_or_else(|| format!("{}: cut short", entry.name))?;
    if entry.uncompressed_size > LARGEST_PART {
        return Err(format!("{}: larger than {} MB", entry.name, LARGEST_PART / 1024 / 1024));
    }
    match entry.method {
        0 => Ok(data.to_vec()),
        8 => decompress_to_vec_with_limit(data, LARGEST_PART)
            .map_err(|error| format!("{}: cannot be inflated ({:?})", entry.name, error.status)),
        method => Err(format!("{}: compression method {method} is not read", entry.name)),
    }
}
