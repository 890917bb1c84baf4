//! Permanent unique pupil numbers for synthetic children.

use crate::upn::check_letter;

/// A permanent UPN: check letter, DfE LA code and nine digits (`spec/cin.md` §5.1). The digits
/// are a bijection of `serial`, so UPNs never repeat within a return (1520, 444) yet look random.
pub fn permanent_upn(la_code: &str, serial: u64) -> String {
    let scrambled = (serial.wrapping_mul(387_420_489) + 123_456_789) % 1_000_000_000;
    let digits = format!("{la_code}{scrambled:09}");
    let letter = check_letter(&digits).expect("an LA code and nine digits are twelve digits");
    format!("{letter}{digits}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permanent_upns_carry_their_la_and_check_letter() {
        let upn = permanent_upn("352", 42);
        assert_eq!(&upn[1..4], "352");
        assert_eq!(upn.chars().next(), check_letter(&upn[1..]));
        assert_ne!(permanent_upn("352", 43), upn);
    }
}
