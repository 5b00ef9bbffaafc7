//! Split behaviors, reproducing `NormalizedString::split` of HF tokenizers 0.23 exactly.
//!
//! Guarantees: given the match list a pattern produces (HF's `find_matches`: matches, empty ones
//! included, interleaved with the gaps between them), the pieces are those HF keeps: the same
//! folds for MergedWithPrevious / MergedWithNext / Contiguous (quirks included, e.g. an empty match
//! still resets "previous was a match"), then empty pieces dropped.
use super::Span;
use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behavior {
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}

impl Behavior {
    pub fn from_name(name: &str) -> Result<Behavior> {
        Ok(match name {
            "Removed" | "removed" => Behavior::Removed,
            "Isolated" | "isolated" => Behavior::Isolated,
            "MergedWithPrevious" | "merged_with_previous" => Behavior::MergedWithPrevious,
            "MergedWithNext" | "merged_with_next" => Behavior::MergedWithNext,
            "Contiguous" | "contiguous" => Behavior::Contiguous,
            other => {
                return Err(Error::InvalidField {
                    field: "behavior".into(),
                    reason: format!("unknown split behavior {other:?}"),
                })
            }
        })
    }
}

/// Turns a stream of matches (start, end), in order and non-overlapping, into HF's
/// (range, is_match) list with the gaps, for a text of length `len` starting at byte `base`.
pub struct Events {
    pub list: Vec<(Span, bool)>,
    prev: usize,
}

impl Events {
    pub fn new() -> Self {
        Events {
            list: Vec::new(),
            prev: 0,
        }
    }
    #[inline]
    pub fn push_match(&mut self, s: usize, e: usize) {
        if self.prev != s {
            self.list.push(((self.prev, s), false));
        }
        self.list.push(((s, e), true));
        self.prev = e;
    }
    pub fn finish(&mut self, len: usize) {
        if self.prev != len {
            self.list.push(((self.prev, len), false));
        }
    }
}

/// Apply `behavior` (after inverting the match flags when `invert`) and append the non-empty
/// pieces, shifted by `base`, to `out`.
pub fn apply(
    events: &[(Span, bool)],
    behavior: Behavior,
    invert: bool,
    base: usize,
    out: &mut Vec<Span>,
) {
    let ev = events.iter().map(|&(r, m)| (r, m != invert));
    let mut emit = |(s, e): Span| {
        if s < e {
            out.push((base + s, base + e));
        }
    };
    match behavior {
        Behavior::Isolated => ev.for_each(|(r, _)| emit(r)),
        Behavior::Removed => ev.filter(|&(_, m)| !m).for_each(|(r, _)| emit(r)),
        Behavior::Contiguous => {
            let mut acc: Vec<Span> = Vec::new();
            let mut prev = false;
            for (r, m) in ev {
                match acc.last_mut() {
                    Some(last) if m == prev => last.1 = r.1,
                    _ => acc.push(r),
                }
                prev = m;
            }
            acc.into_iter().for_each(emit);
        }
        Behavior::MergedWithPrevious => {
            let mut acc: Vec<Span> = Vec::new();
            let mut prev = false;
            for (r, m) in ev {
                match acc.last_mut() {
                    Some(last) if m && !prev => last.1 = r.1,
                    _ => acc.push(r),
                }
                prev = m;
            }
            acc.into_iter().for_each(emit);
        }
        Behavior::MergedWithNext => {
            let mut acc: Vec<Span> = Vec::new();
            let mut prev = false;
            for (r, m) in ev.rev() {
                match acc.last_mut() {
                    Some(last) if m && !prev => last.0 = r.0,
                    _ => acc.push(r),
                }
                prev = m;
            }
            acc.into_iter().rev().for_each(emit);
        }
    }
}
