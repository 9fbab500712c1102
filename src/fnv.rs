/// FNV-1a: a tiny, stable hash (std's hasher may change between releases,
/// and these values end up stored as ids). Its own file so that build.rs,
/// which fingerprints the bundled decks, can `include!` the very same code.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
