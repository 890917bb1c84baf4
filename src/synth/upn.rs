//! Unique pupil numbers: the DfE check letter and permanent UPNs for synthetic children.

/// A permanent UPN: check letter, DfE LA code and nine digits (`spec/cin.md` §5.1). The digits
/// are a bijection of `serial`, so UPNs never repeat within a return (1520, 444) yet look random.
pub fn permanent_upn(la_code: &str, serial: u64) -> String {
    let scrambled = (serial.wrapping_mul(387_420_489) + 123_456_789) % 1_000_000_000;
    let digits = format!("{la_code}{scrambled:09}");
    format!("{}{digits}", upn_check_letter(&digits))
}

/// The DfE check letter for the twelve characters after it.
pub fn upn_check_letter(rest: &str) -> char {
    const LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";
    let sum: u32 = rest
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * (i as u32 + 2))
        .sum();
    char::from(LETTERS[(sum % 23) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upn_check_letters_follow_the_dfe_weights() {
        // Weights 2..13 on characters 2..13, remainder mod 23 indexes A–Z without I, O, S.
        assert_eq!(upn_check_letter("000000000000"), 'A');
        assert_eq!(upn_check_letter("100000000000"), 'C');
        assert_eq!(upn_check_letter("000000000001"), 'P');
        let upn = permanent_upn("352", 42);
        assert_eq!(&upn[1..4], "352");
        assert_eq!(upn.chars().next(), Some(upn_check_letter(&upn[1..])));
        assert_ne!(permanent_upn("352", 43), upn);
    }
}
