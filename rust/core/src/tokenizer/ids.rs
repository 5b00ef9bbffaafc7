//! The one bound on token ids, and the one way a JSON value becomes an id.
//!
//! Tables throughout the core are indexed by id (id → token, id → bytes, metrics rows), so an id
//! costs memory up to its value, not up to the number of tokens. HF accepts any u32; real
//! vocabularies stay far below 2^24 (Gemma 3: 262,145; XLM-V: 901,629), and an embedding matrix
//! with 2^24 rows would be larger than any model of this kind. Ids at or above `ID_LIMIT` are
//! refused at load with the field that holds them — instead of wrapping (a JSON 2^32 + 1 read as
//! 1), or a multi-GB allocation that aborts the instance.
use crate::error::{Error, Result};
use serde_json::Value;

/// Every id is below this: 2^24.
pub const ID_LIMIT: u64 = 1 << 24;

/// No id: the empty slot of an id-indexed table, and the id a trim maps a dropped token to
/// (trim's `DROPPED`). Never a real id, since those stay below [`ID_LIMIT`].
pub const NONE: u32 = u32::MAX;

/// The key of an id pair (a merge, a bigram) in one u64: `a` in the high half, so keys order
/// as (a, b) pairs do.
#[inline]
pub fn pair_key(a: u32, b: u32) -> u64 {
    ((a as u64) << 32) | b as u64
}

/// `v` as an id: a non-negative integer below `ID_LIMIT`, or an error naming `field` and `what`.
pub fn id_of(v: &Value, field: &str, what: &str) -> Result<u32> {
    match v.as_u64() {
        Some(x) if x < ID_LIMIT => Ok(x as u32),
        Some(x) => Err(Error::InvalidField {
            field: field.into(),
            reason: format!("id {x} of {what} is not below the limit of 2^24 ids ({ID_LIMIT})"),
        }),
        None => Err(Error::InvalidField {
            field: field.into(),
            reason: format!("id of {what} is not a non-negative integer (found {v})"),
        }),
    }
}

/// Checks a rank or id computed elsewhere (tiktoken ranks) against the same bound.
pub fn check_id(x: u64, field: &str, what: &str) -> Result<u32> {
    id_of(&Value::from(x), field, what)
}
