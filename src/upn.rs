//! Unique pupil numbers (UPN): the DfE check letter (`spec/cin.md` §5.1), shared by the rules
//! that validate UPNs and the generator that invents them.

/// The letters a UPN's check character can be, by the weighted sum of its digits modulo 23 (DfE
/// UPN guide: I, O and S are never used).
pub const CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// The check letter for the twelve characters after it, when they are all digits: character i
/// (i = 2..13) weighted by i, summed, modulo 23. `None` for anything else.
pub fn check_letter(rest: &str) -> Option<char> {
    if rest.len() != 12 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = rest
        .bytes()
        .zip(2u32..)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    Some(char::from(CHECK_LETTERS[(sum % 23) as usize]))
}

/// The letter a permanent UPN (13 characters, the last 12 of them digits) must start with;
/// `None` for any other UPN.
pub fn expected_first_letter(upn: &str) -> Option<char> {
    check_letter(upn.get(upn.chars().next()?.len_utf8()..)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_letters_follow_the_dfe_weights() {
        assert_eq!(check_letter("000000000000"), Some('A'));
        assert_eq!(check_letter("100000000000"), Some('C'));
        assert_eq!(check_letter("000000000001"), Some('P'));
        // 2*0 + 3*1 + 4*2 + ... + 11*9 + 12*1 + 13*1 = 400; 400 mod 23 = 9 -> K (no I).
        assert_eq!(expected_first_letter("X012345678911"), Some('K'));
        assert_eq!(expected_first_letter("X01234567891"), None, "12 characters");
        assert_eq!(
            expected_first_letter("X00000000000A"),
            None,
            "temporary UPN"
        );
        assert_eq!(expected_first_letter("é000000000000"), Some('A'));
        assert_eq!(expected_first_letter(""), None);
    }
}
