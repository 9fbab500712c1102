//! A 128-bit digest of a value, to tell values apart without keeping
//! them: two foldhash hashes with seeds of their own. Within one process
//! only (foldhash's output may change between releases; nothing stores a
//! digest). Two different values share one with a chance of about one in
//! 2¹²⁸, far below that of a disk returning a wrong byte.

use std::hash::{BuildHasher, Hash};

pub fn digest128<T: Hash>(value: T) -> u128 {
    let high = foldhash::quality::FixedState::with_seed(0x7265_6361_6c6c_2d31).hash_one(&value);
    let low = foldhash::quality::FixedState::with_seed(0x7265_6361_6c6c_2d32).hash_one(&value);
    (u128::from(high) << 64) | u128::from(low)
}

#[cfg(test)]
mod tests {
    use super::digest128;

    #[test]
    fn equal_values_share_a_digest_and_others_do_not() {
        assert_eq!(digest128("a"), digest128("a"));
        assert_ne!(digest128("a"), digest128("b"));
        // Strings are hashed with their end marked: no two splits meet.
        assert_ne!(digest128(("ab", "c")), digest128(("a", "bc")));
        let d = digest128("x");
        assert_ne!(
            d >> 64,
            d & u128::from(u64::MAX),
            "two hashes, not one twice"
        );
    }
}
