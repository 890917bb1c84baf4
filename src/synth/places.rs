//! Real postcodes and local authorities for synthetic placements. The SSDA903 reference validator
//! looks every postcode up to derive the placement LA and distance, so synthetic episodes must use
//! postcodes that exist: a sample of the ONS Postcode Directory is compiled in from
//! `data/synth/postcodes.csv` (provenance and licence in `data/synth/README.md`).

const POSTCODES_CSV: &str = include_str!("../../data/synth/postcodes.csv");

#[derive(Debug, Clone)]
pub struct Postcode {
    pub code: &'static str,
    pub easting: i64,
    pub northing: i64,
    /// Index into [`Gazetteer::authorities`].
    pub authority: usize,
}

/// An upper-tier local authority: the unit that runs children's services and makes the returns.
#[derive(Debug, Clone)]
pub struct Authority {
    /// ONS code (E08000003), what the 903 validator's `localAuthority` and PL_LA use.
    pub ons_code: &'static str,
    /// DfE three-digit code (352), the CIN `LEA` and UPN characters 2–4.
    pub dfe_code: &'static str,
    pub name: &'static str,
    /// Indices into [`Gazetteer::postcodes`].
    pub postcodes: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Gazetteer {
    pub postcodes: Vec<Postcode>,
    pub authorities: Vec<Authority>,
}

impl Gazetteer {
    pub fn embedded() -> Self {
        let mut postcodes = Vec::new();
        let mut authorities: Vec<Authority> = Vec::new();
        for line in POSTCODES_CSV.lines().skip(1).filter(|l| !l.is_empty()) {
            let fields: Vec<&'static str> = line.split(',').collect();
            let [code, easting, northing, _district, ons_code, name, dfe_code] = fields[..] else {
                panic!("data/synth/postcodes.csv: malformed line {line:?}");
            };
            let authority = match authorities.iter().position(|a| a.ons_code == ons_code) {
                Some(index) => index,
                None => {
                    authorities.push(Authority {
                        ons_code,
                        dfe_code,
                        name,
                        postcodes: Vec::new(),
                    });
                    authorities.len() - 1
                }
            };
            authorities[authority].postcodes.push(postcodes.len());
            postcodes.push(Postcode {
                code,
                easting: easting.parse().expect("easting is an integer"),
                northing: northing.parse().expect("northing is an integer"),
                authority,
            });
        }
        Self {
            postcodes,
            authorities,
        }
    }

    /// The compiled-in gazetteer, parsed once: injection kinds look postcodes up row by row.
    pub fn shared() -> &'static Gazetteer {
        static SHARED: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
        SHARED.get_or_init(Gazetteer::embedded)
    }

    /// The index of a postcode of the sample, written as the generator writes it (`M1 1AE`).
    pub fn postcode(&self, code: &str) -> Option<usize> {
        self.postcodes.iter().position(|p| p.code == code)
    }

    /// The authority with this ONS code (E08000003) or DfE code (352).
    pub fn find(&self, code: &str) -> Option<usize> {
        let code = code.trim();
        self.authorities
            .iter()
            .position(|a| a.ons_code.eq_ignore_ascii_case(code) || a.dfe_code == code)
    }

    pub fn describe_choices(&self) -> String {
        self.authorities
            .iter()
            .map(|a| format!("{} ({}, {})", a.name, a.ons_code, a.dfe_code))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Other authorities ordered from nearest to farthest from `home` (by mean grid position).
    pub fn by_distance_from(&self, home: usize) -> Vec<usize> {
        let centre = |a: usize| {
            let list = &self.authorities[a].postcodes;
            let n = list.len() as i64;
            let e: i64 = list.iter().map(|&p| self.postcodes[p].easting).sum::<i64>() / n;
            let no: i64 = list
                .iter()
                .map(|&p| self.postcodes[p].northing)
                .sum::<i64>()
                / n;
            (e, no)
        };
        let (he, hn) = centre(home);
        let mut others: Vec<(i64, usize)> = (0..self.authorities.len())
            .filter(|&a| a != home)
            .map(|a| {
                let (e, n) = centre(a);
                ((e - he).pow(2) + (n - hn).pow(2), a)
            })
            .collect();
        others.sort();
        others.into_iter().map(|(_, a)| a).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_covers_several_authorities_with_real_codes() {
        let gazetteer = Gazetteer::embedded();
        assert!(gazetteer.authorities.len() >= 8);
        let manchester = gazetteer.find("E08000003").unwrap();
        assert_eq!(gazetteer.find("352"), Some(manchester));
        assert_eq!(gazetteer.authorities[manchester].name, "Manchester");
        assert!(gazetteer.authorities[manchester].postcodes.len() >= 30);
        let nearest = gazetteer.by_distance_from(manchester);
        assert_eq!(nearest.len(), gazetteer.authorities.len() - 1);
        assert_ne!(gazetteer.authorities[nearest[0]].name, "Westminster");
        for postcode in &gazetteer.postcodes {
            assert!(postcode.code.contains(' ') && postcode.code.len() <= 8);
        }
    }
}
