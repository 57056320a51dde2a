//! Secrets the server hands out: device credentials (32 random bytes, shown once) and one-time
//! enrollment codes a teacher can type. The server keeps only their SHA-256, so a copy of the
//! database lets nobody in.

use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
#[error("the operating system's random source failed: {0}")]
pub struct RandomError(String);

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| RandomError(error.to_string()))?;
    Ok(bytes)
}

/// A new UUIDv7-based id made on the server (for the org tree the operator creates).
pub fn new_uuid(now_ms: i64) -> Result<uuid::Uuid, RandomError> {
    let random = random_bytes::<10>()?;
    Ok(uuid::Builder::from_unix_timestamp_millis(u64::try_from(now_ms).unwrap_or(0), &random).into_uuid())
}

/// SHA-256 as 64 hex digits: how credentials and codes are stored and looked up.
pub fn hash_secret(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `N` random bytes as `2N` lower-case hex digits.
pub fn random_hex<const N: usize>() -> Result<String, RandomError> {
    Ok(random_bytes::<N>()?.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// A device credential: 32 random bytes as 64 hex digits.
pub fn new_device_token() -> Result<String, RandomError> {
    random_hex::<32>()
}

/// Whether `token` has the shape of a credential `new_device_token` makes (64 lower-case hex
/// digits): anything else is refused without a database read.
pub fn could_be_device_token(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

/// Crockford's base 32: no I, L, O or U, so a code read aloud or typed is not misread.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A one-time enrollment code: 12 symbols (60 bits) in groups of four, as `7K3M-Q9TD-2XWA`.
pub fn new_enrollment_code() -> Result<String, RandomError> {
    let bytes = random_bytes::<12>()?;
    let symbols: Vec<char> = bytes.iter().map(|byte| char::from(CODE_ALPHABET[usize::from(byte % 32)])).collect();
    Ok(symbols.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// A code as typed, in the one form it is hashed in: upper case, without spaces and dashes,
/// with the letters people type for 0 and 1 read as those digits.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        let code = new_enrollment_code().unwrap();
        assert_eq!(code.len(), 14);
        assert_eq!(normalise_code(&code.to_lowercase().replace('-', " ")), normalise_code(&code));
        assert_eq!(normalise_code("o1il-ABCD"), "0111ABCD");
    }

    #[test]
    fn a_token_is_64_hex_digits_and_only_its_hash_is_kept() {
        let token = new_device_token().unwrap();
        assert_eq!(token.len(), 64);
        assert!(could_be_device_token(&token));
        assert!(!could_be_device_token("forged"));
        assert!(!could_be_device_token(&token.to_uppercase()));
        assert!(!could_be_device_token(&format!("{}é", &token[..62])));
        assert_ne!(new_device_token().unwrap(), token);
        assert_eq!(hash_secret("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
