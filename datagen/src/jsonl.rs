//! Mutations as JSON Lines: one `Mutation` per line, as the store and the server take them.

use baoxue_domain::mutation::Mutation;
use std::io::{self, BufRead, Write};

/// Writes one mutation per line.
pub fn write_jsonl(mutations: &[Mutation], mut out: impl Write) -> io::Result<()> {
    for mutation in mutations {
        serde_json::to_writer(&mut out, mutation)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Reads mutations written by [`write_jsonl`]; an error names the line.
pub fn read_jsonl(input: impl BufRead) -> io::Result<Vec<Mutation>> {
    let mut mutations = Vec::new();
    for (index, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let mutation = serde_json::from_str(&line).map_err(|error| {
            io::Error::new(io::ErrorKind::InvalidData, format!("line {}: not a mutation: {error}", index + 1))
        })?;
        mutations.push(mutation);
    }
    Ok(mutations)
}
