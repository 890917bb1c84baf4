//! The generator's own pseudo-random numbers: xoshiro256** seeded through SplitMix64. Only integer
//! arithmetic and exactly rounded float operations are used, so a seed gives the same bytes on
//! every machine and every build, which the committed demo data and the benchmarks rely on.

use chrono::NaiveDate;

#[derive(Debug, Clone)]
pub struct Rng {
    state: [u64; 4],
}

fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a, to turn a stream name into seed material.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        let mut x = seed;
        Self {
            state: [
                splitmix64(&mut x),
                splitmix64(&mut x),
                splitmix64(&mut x),
                splitmix64(&mut x),
            ],
        }
    }

    /// An independent stream for one purpose and index (one child of one return), so that
    /// children can be generated in any order, or in parallel, with the same result.
    pub fn derive(seed: u64, stream: &str, index: u64) -> Self {
        let mut x = seed ^ fnv1a(stream).rotate_left(17);
        let mixed = splitmix64(&mut x) ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03);
        Self::new(mixed)
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.state[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.state[1] << 17;
        self.state[2] ^= self.state[0];
        self.state[3] ^= self.state[1];
        self.state[1] ^= self.state[2];
        self.state[0] ^= self.state[3];
        self.state[2] ^= t;
        self.state[3] = self.state[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (Lemire's multiply-and-reject, no modulo bias). `n` must be positive.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below needs a positive bound");
        let threshold = n.wrapping_neg() % n;
        loop {
            let product = u128::from(self.next_u64()) * u128::from(n);
            if (product as u64) >= threshold {
                return (product >> 64) as u64;
            }
        }
    }

    /// Uniform in `low..=high`.
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        assert!(low <= high, "Rng::range needs low <= high");
        low + self.below((high - low) as u64 + 1) as i64
    }

    /// Uniform in [0, 1) with 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    pub fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// One item chosen with probability proportional to its weight.
    pub fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut ticket = self.below(total);
        for (item, weight) in items {
            if ticket < u64::from(*weight) {
                return *item;
            }
            ticket -= u64::from(*weight);
        }
        unreachable!("ticket is below the total weight")
    }

    /// A date uniformly in `from..=to`.
    pub fn date(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let days = (to - from).num_days().max(0);
        from + chrono::Duration::days(self.range(0, days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_fixed_for_a_seed() {
        // xoshiro256** seeded by SplitMix64 from 1, computed independently. A change here changes
        // every synthetic file, including the committed demo data.
        let mut rng = Rng::new(1);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                12966619160104079557,
                9600361134598540522,
                10590380919521690900
            ]
        );
        assert_ne!(Rng::new(2).next_u64(), first[0]);
        assert_ne!(
            Rng::derive(1, "ssda903", 0).next_u64(),
            Rng::derive(1, "cin", 0).next_u64()
        );
        assert_ne!(
            Rng::derive(1, "cin", 0).next_u64(),
            Rng::derive(1, "cin", 1).next_u64()
        );
    }

    #[test]
    fn bounded_draws_stay_in_bounds_and_cover_them() {
        let mut rng = Rng::new(7);
        let mut seen = [false; 6];
        for _ in 0..1000 {
            let v = rng.range(-2, 3);
            assert!((-2..=3).contains(&v));
            seen[(v + 2) as usize] = true;
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(rng.weighted(&[("never", 0), ("always", 5)]), "always");
    }
}
