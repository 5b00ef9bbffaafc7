//! One error type for the core. Every variant names what is wrong in words a user can act on;
//! the bindings turn it into a JS `Error` with this message.
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("malformed JSON: {0}")]
    Json(String),
    #[error("unknown {what} type {name:?}")]
    UnknownType { what: &'static str, name: String },
    #[error("missing field {0:?}")]
    MissingField(String),
    #[error("invalid field {field:?}: {reason}")]
    InvalidField { field: String, reason: String },
    #[error("merge #{index} ({left:?} {right:?}): {reason}")]
    BadMerge {
        index: usize,
        left: String,
        right: String,
        reason: String,
    },
    #[error("invalid regex {pattern:?}: {reason}")]
    BadPattern { pattern: String, reason: String },
    #[error("tiktoken rank file line {line}: {reason}")]
    BadRankFile { line: usize, reason: String },
    #[error("{0}")]
    Other(String),
}

pub type Result<T> = std::result::Result<T, Error>;
