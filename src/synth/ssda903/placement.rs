//! Placements independent of the year's code lists: a placement type, its provider, postcode and
//! Ofsted URN, and which combinations the rules allow.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FosterTerm {
    LongTerm,
    ForAdoption,
    Other,
}

/// A placement type independent of the year's code list; `code` gives the year's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Foster {
        relative: bool,
        term: FosterTerm,
    },
    Adoption {
        with_foster_carers: bool,
    },
    ChildrensHome,
    SecureHome,
    /// Registered supported accommodation (K3), a placement type since April 2024.
    SupportedAccommodation,
    WithParents,
    ResidentialSchool,
    ResidentialCareHome,
    MotherAndBaby,
    YoungOffenderInstitution,
    Hospital,
    Temporary(Temporary),
    /// "Other placements": Z1 until 2024/25, one of Z11–Z14 from 2025/26.
    Other(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Temporary {
    Hospital,
    Holiday,
    CarerHoliday,
    Short,
}

impl Temporary {
    /// Longest stay the rules allow (375, 376, 379), with a margin.
    pub(super) fn max_days(self) -> i64 {
        match self {
            Temporary::Hospital => 35,
            Temporary::Holiday => 14,
            Temporary::CarerHoliday => 18,
            Temporary::Short => 6,
        }
    }
}

impl Place {
    pub fn code(self, year: u16) -> &'static str {
        match self {
            Place::Foster { relative, term } => match (relative, term) {
                (true, FosterTerm::LongTerm) => "U1",
                (true, FosterTerm::ForAdoption) => "U2",
                (true, FosterTerm::Other) => "U3",
                (false, FosterTerm::LongTerm) => "U4",
                (false, FosterTerm::ForAdoption) => "U5",
                (false, FosterTerm::Other) => "U6",
            },
            // Every synthetic adoption placement follows a placement order (LS E1).
            Place::Adoption { with_foster_carers } => {
                if with_foster_carers {
                    "A5"
                } else {
                    "A6"
                }
            }
            Place::ChildrensHome => "K2",
            Place::SecureHome => "K1",
            Place::SupportedAccommodation => "K3",
            Place::WithParents => "P1",
            Place::ResidentialSchool => "S1",
            Place::ResidentialCareHome => "R1",
            Place::MotherAndBaby => "R3",
            Place::YoungOffenderInstitution => "R5",
            Place::Hospital => "R2",
            Place::Temporary(t) => match t {
                Temporary::Hospital => "T1",
                Temporary::Holiday => "T2",
                Temporary::CarerHoliday => "T3",
                Temporary::Short => "T4",
            },
            Place::Other(sub) => {
                if year <= 2025 {
                    "Z1"
                } else {
                    ["Z11", "Z12", "Z13", "Z14"][usize::from(sub % 4)]
                }
            }
        }
    }

    pub fn is_temporary(self) -> bool {
        matches!(self, Place::Temporary(_))
    }

    pub fn is_foster(self) -> bool {
        matches!(self, Place::Foster { .. })
    }

    /// Placement types that carry an Ofsted URN (rules 218 and 222).
    pub(super) fn has_urn(self) -> bool {
        !matches!(
            self,
            Place::WithParents
                | Place::ResidentialCareHome
                | Place::Hospital
                | Place::YoungOffenderInstitution
                | Place::Temporary(_)
                | Place::Other(_)
        )
    }

    /// Providers a placement of this type can have (rules 178, 213, 526–531, 550).
    pub(super) fn providers(self) -> &'static [&'static str] {
        match self {
            Place::Foster { .. } => &["PR1", "PR1", "PR4", "PR4", "PR5", "PR2"],
            Place::Adoption { .. } => &["PR1", "PR2", "PR5"],
            Place::ChildrensHome => &["PR1", "PR4", "PR4", "PR5"],
            Place::SecureHome => &["PR1", "PR2", "PR4"],
            Place::SupportedAccommodation => &["PR1", "PR4"],
            Place::WithParents => &["PR0"],
            Place::ResidentialSchool => &["PR3", "PR4", "PR5"],
            Place::ResidentialCareHome => &["PR4", "PR5"],
            Place::MotherAndBaby => &["PR4", "PR5"],
            Place::YoungOffenderInstitution | Place::Hospital => &["PR3"],
            Place::Temporary(_) | Place::Other(_) => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub place: Place,
    pub provider: Option<&'static str>,
    pub postcode: Option<usize>,
    pub urn: Option<String>,
}
