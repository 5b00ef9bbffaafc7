//! The symbols of all training words in one array, u16 when every id fits.
//!
//! Why: SuperBPE stage 2's words are phrases, one symbol per char of the distinct text (42.7M at
//! 100 MB of the scale corpus): as u32 this array is the largest single allocation of the stage.
//! Ids are always below the vocab size (the loop stops there; inherited merges stay below the
//! transition), so a vocab of at most 65,536 stores them as u16 — the same ids, half the bytes.

/// A symbol id as stored.
pub(super) trait Sym: Copy + Eq {
    fn from_id(id: u32) -> Self;
    fn id(self) -> u32;
}

impl Sym for u16 {
    #[inline]
    fn from_id(id: u32) -> u16 {
        id as u16
    }
    #[inline]
    fn id(self) -> u32 {
        self as u32
    }
}

impl Sym for u32 {
    #[inline]
    fn from_id(id: u32) -> u32 {
        id
    }
    #[inline]
    fn id(self) -> u32 {
        self
    }
}

/// Largest vocab whose ids all fit in a u16.
pub(super) const NARROW_MAX_VOCAB: usize = 1 << 16;

pub(super) enum Syms {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Syms {
    /// Checks that `id` can be stored (once per merge, not per symbol).
    #[inline]
    pub fn check(&self, id: u32) {
        if let Syms::Narrow(_) = self {
            assert!(
                (id as usize) < NARROW_MAX_VOCAB,
                "token id {id} does not fit the u16 symbol array"
            );
        }
    }
}
