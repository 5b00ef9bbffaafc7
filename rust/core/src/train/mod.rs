//! Training: word counting, HF-exact BPE training and SuperBPE stage 2 (the result is written by
//! `crate::tokenizer::json`).
pub mod bpe;
pub mod config;
pub mod counts;
mod engine;
mod pos;
mod replay;
pub mod spec;
pub mod superbpe;
mod syms;
#[cfg(test)]
mod tests;

pub use bpe::{train, BpeTrainerConfig, Phase, Progress, Trained};
pub use counts::{Counter, WordCounts};
