//! The Ofsted-registered providers that placements share. In real data many children live in one
//! children's home over the years and one fostering agency (one URN) has many carers, so the
//! number of providers grows much more slowly than the number of children.
//!
//! A provider is one of a pool of a given kind: its placement type class (fostering agency,
//! adoption agency, children's home, ...), its provider code and where it is (the home LA, one of
//! the four nearest LAs, or far away). The pool of a kind holds about as many providers as the
//! data set's children need of it (`pool_size`); a placement draws one of them, so most
//! placements reuse a provider that other children use, and larger data sets open more. A
//! provider is a pure function of the seed and its number in the pools, so children are still
//! generated independently (in parallel) and the same seed gives the same providers. Its URN is a
//! bijection of that number, so URNs are distinct and [`by_urn`] gives the provider back.

use super::history::Context;
#[cfg(test)]
use super::placement::FosterTerm;
use super::placement::Place;
use crate::synth::rng::Rng;

/// Where a provider is, relative to the home LA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Home,
    /// One of the four nearest LAs (`Context::near`).
    Near(usize),
    /// Any other LA of the sample.
    Far,
}

const REGIONS: usize = 6;
const CODES: usize = 5;
const CLASSES: usize = 7;
/// Providers a pool can hold: enough that `CLASSES * CODES * REGIONS * SLOTS` numbers fit into
/// the 900,000 six-digit SC URNs.
const SLOTS: usize = 4000;
/// URN numbers are `(number * MULTIPLIER + offset) mod 900,000`; `INVERSE` undoes the multiplier.
const MULTIPLIER: u64 = 7919;
const INVERSE: u64 = 517_679;
const URNS: u64 = 900_000;

/// A registered provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub urn: String,
    pub authority: usize,
    /// Its setting: the placement postcode of a fixed setting ([`fixed_setting`]).
    pub postcode: usize,
}

/// The placement type class a provider is registered for; `None` for types without a URN.
fn class(place: Place) -> Option<usize> {
    match place {
        Place::Foster { .. } => Some(0),
        Place::Adoption { .. } => Some(1),
        Place::ChildrensHome => Some(2),
        Place::SecureHome => Some(3),
        Place::SupportedAccommodation => Some(4),
        Place::ResidentialSchool => Some(5),
        Place::MotherAndBaby => Some(6),
        _ => None,
    }
}

/// Whether the child lives at the provider's premises, so that the placement postcode is the
/// setting's (rule 221 checks K1, K2, K3, R3 and S1); foster carers and adopters live elsewhere.
pub fn fixed_setting(place: Place) -> bool {
    class(place).is_some_and(|c| c >= 2)
}

/// Children in the data set per provider of a class in the pool of one region, as though all
/// the children were placed there: foster and adoption agencies have many carers; children's
/// homes hold a few children each, with turnover.
const CHILDREN_PER_PROVIDER: [f64; CLASSES] = [2500.0, 2500.0, 80.0, 2500.0, 250.0, 400.0, 1500.0];

/// How many providers the pool of a kind holds for `children` children.
fn pool_size(children: usize, class: usize, code: usize, region: Region) -> usize {
    // An LA's own fostering service and adoption agency each have one URN.
    if class <= 1 && code == 0 {
        return 1;
    }
    let share = match region {
        Region::Home if code == 0 || class == 4 => 1.0,
        Region::Home => 0.55,
        Region::Near(_) if code == 1 => 1.0 / 3.0,
        Region::Near(_) => 0.35 / 4.0,
        Region::Far => 0.1,
    };
    (1 + (children as f64 * share / CHILDREN_PER_PROVIDER[class]) as usize).min(SLOTS / 2)
}

fn region_index(region: Region) -> usize {
    match region {
        Region::Home => 0,
        Region::Near(i) => 1 + i,
        Region::Far => 5,
    }
}

/// The seed's shift of the URN numbers, so that data sets of different seeds differ.
fn offset(seed: u64) -> u64 {
    Rng::derive(seed, "ssda903/provider-urns", 0).below(URNS)
}

/// The provider numbered `number` in the pools.
fn numbered(ctx: &Context, number: usize) -> Option<Provider> {
    let slot_key = number / SLOTS;
    if slot_key >= CLASSES * CODES * REGIONS {
        return None;
    }
    let region = match slot_key % REGIONS {
        0 => Region::Home,
        5 => Region::Far,
        i => Region::Near(i - 1),
    };
    let mut rng = Rng::derive(ctx.seed, "ssda903/provider", number as u64);
    let authority = match region {
        Region::Home => ctx.home,
        Region::Near(i) => *ctx.near.get(i)?,
        Region::Far => rng.pick(&ctx.far),
    };
    let postcode = rng.pick(&ctx.gazetteer.authorities[authority].postcodes);
    let urn = (number as u64 * MULTIPLIER + offset(ctx.seed)) % URNS;
    Some(Provider {
        urn: format!("SC{}", 100_000 + urn),
        authority,
        postcode,
    })
}

/// A provider for a placement of type `place` with provider code `code` (PR1-PR5) in `region`,
/// drawn from its pool. A fixed setting at the child's home postcode (`avoid`) is passed over for
/// the next one.
pub fn draw(
    ctx: &Context,
    rng: &mut Rng,
    place: Place,
    code: &str,
    region: Region,
    avoid: Option<usize>,
) -> Provider {
    let class = class(place).expect("a placement type with a URN");
    let code = code
        .strip_prefix("PR")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=CODES).contains(n))
        .expect("a provider code PR1-PR5")
        - 1;
    let key = (class * CODES + code) * REGIONS + region_index(region);
    let mut slot = rng.below(pool_size(ctx.children, class, code, region) as u64) as usize;
    loop {
        let provider = numbered(ctx, key * SLOTS + slot).expect("a provider of the pools");
        if !fixed_setting(place) || Some(provider.postcode) != avoid {
            return provider;
        }
        slot = (slot + 1) % SLOTS;
    }
}

/// The provider with URN `urn`; `None` for a URN that no pool gives.
pub fn by_urn(ctx: &Context, urn: &str) -> Option<Provider> {
    let digits: u64 = urn.strip_prefix("SC")?.parse().ok()?;
    let shifted = digits.checked_sub(100_000).filter(|n| *n < URNS)?;
    let number = (shifted + URNS - offset(ctx.seed)) % URNS * INVERSE % URNS;
    numbered(ctx, number as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::calendar::date;
    use crate::synth::places::Gazetteer;

    #[test]
    fn the_inverse_undoes_the_multiplier() {
        assert_eq!(MULTIPLIER * INVERSE % URNS, 1);
        assert!(CLASSES * CODES * REGIONS * SLOTS <= URNS as usize);
    }

    #[test]
    fn providers_are_shared_found_by_urn_and_fixed_settings_avoid_the_home() {
        let gazetteer = Gazetteer::embedded();
        let home = gazetteer.find("E08000003").unwrap();
        let by_distance = gazetteer.by_distance_from(home);
        let ctx = Context {
            gazetteer: &gazetteer,
            home,
            near: by_distance[..4].to_vec(),
            far: by_distance[4..].to_vec(),
            window_start: date(2024, 4, 1),
            horizon: date(2026, 3, 31),
            seed: 5,
            children: 400,
        };
        let mut rng = Rng::new(1);
        let home_post = gazetteer.authorities[home].postcodes[0];
        let mut urns = std::collections::BTreeSet::new();
        for _ in 0..200 {
            let provider = draw(
                &ctx,
                &mut rng,
                Place::ChildrensHome,
                "PR4",
                Region::Home,
                Some(home_post),
            );
            assert_ne!(provider.postcode, home_post);
            assert_eq!(provider.authority, home);
            assert_eq!(by_urn(&ctx, &provider.urn), Some(provider.clone()));
            urns.insert(provider.urn);
        }
        assert!(
            urns.len() <= pool_size(400, 2, 3, Region::Home) + 1,
            "{urns:?}"
        );
        let foster = |region| {
            draw(
                &ctx,
                &mut Rng::new(2),
                Place::Foster {
                    relative: false,
                    term: FosterTerm::Other,
                },
                "PR1",
                region,
                None,
            )
        };
        assert_eq!(foster(Region::Home), foster(Region::Home));
        assert_eq!(by_urn(&ctx, "SC0123"), None);
    }
}
