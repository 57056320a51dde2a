//! Phone numbers as people write them in a roster or a form, made one shape: a mobile number is
//! its 11 digits ("138-1234-5678", "+86 138 1234 5678" and "0086 13812345678" are all
//! "13812345678"), a landline with its area code reads "0731-1234567". A teacher dials from
//! the child's page, and a re-import of the same number written another way changes nothing.

use crate::typed_text::fold_full_width;

/// The phone in its one shape, or `None` when `text` is no phone number this knows (it is then
/// kept as written by the caller, or refused). A landline without an area code is kept as its
/// digits.
pub fn normalise_phone(text: &str) -> Option<String> {
    let text = fold_full_width(text);
    let separators = " -()（）.";
    if !text.chars().all(|character| character.is_ascii_digit() || character == '+' || separators.contains(character)) {
        return None;
    }
    // A "+" only in front, as in "+86".
    if text.char_indices().any(|(index, character)| character == '+' && index != 0) {
        return None;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let national = if text.starts_with('+') {
        digits.strip_prefix("86")?.to_owned()
    } else if let Some(rest) = digits.strip_prefix("0086") {
        rest.to_owned()
    } else if digits.len() == 13 && digits.starts_with("861") {
        digits[2..].to_owned()
    } else {
        digits
    };
    if national.len() == 11 && national.starts_with('1') {
        return Some(national);
    }
    if national.starts_with('0') {
        return landline(&text, &national);
    }
    // A local number without its area code: seven or eight digits.
    (7..=8).contains(&national.len()).then_some(national)
}

/// "07311234567", "0731 1234567", "(0731)1234567" as "0731-1234567". Area codes are three digits
/// for the big cities (010, 02x) and four elsewhere; a separator the writer put after the area
/// code decides, else the length does.
fn landline(text: &str, national: &str) -> Option<String> {
    if !(10..=12).contains(&national.len()) {
        return None;
    }
    let written_area = text
        .trim_start_matches('+')
        .split(|character: char| !character.is_ascii_digit())
        .find(|part| !part.is_empty())
        .filter(|part| part.starts_with('0') && part.len() < national.len() && (3..=4).contains(&part.len()));
    let area_length = match written_area {
        Some(area) => area.len(),
        None if national.starts_with("010") || national.starts_with("02") => 3,
        None => 4,
    };
    let (area, local) = national.split_at(area_length);
    (7..=8).contains(&local.len()).then(|| format!("{area}-{local}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mobile_with_dashes_spaces_or_86_becomes_its_eleven_digits() {
        for typed in [
            "13812345678",
            "138-1234-5678",
            "138 1234 5678",
            "+86 138 1234 5678",
            "+86-13812345678",
            "0086 13812345678",
            "8613812345678",
            "（138）1234-5678",
            "１３８１２３４５６７８",
        ] {
            assert_eq!(normalise_phone(typed).as_deref(), Some("13812345678"), "{typed}");
        }
    }

    #[test]
    fn a_landline_with_area_code_reads_area_dash_number() {
        assert_eq!(normalise_phone("07311234567").as_deref(), Some("0731-1234567"));
        assert_eq!(normalise_phone("0731 1234567").as_deref(), Some("0731-1234567"));
        assert_eq!(normalise_phone("(0731)1234567").as_deref(), Some("0731-1234567"));
        assert_eq!(normalise_phone("0731-12345678").as_deref(), Some("0731-12345678"));
        assert_eq!(normalise_phone("01012345678").as_deref(), Some("010-12345678"));
        assert_eq!(normalise_phone("010-1234567").as_deref(), Some("010-1234567"));
        assert_eq!(normalise_phone("+86 731 1234567"), None, "an area code without its 0 is not guessed");
    }

    #[test]
    fn a_local_number_keeps_its_digits() {
        assert_eq!(normalise_phone("1234567").as_deref(), Some("1234567"));
    }

    #[test]
    fn what_is_no_phone_number_is_none() {
        for typed in ["", "无", "138123456", "1381234567890", "138-1234-567a", "138+12345678", "+1 555 1234567"] {
            assert_eq!(normalise_phone(typed), None, "{typed}");
        }
    }
}
