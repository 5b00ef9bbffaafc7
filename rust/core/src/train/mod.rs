//! Training: word counting, HF-exact BPE training, SuperBPE stage 2, and saving the result.
pub mod bpe;
pub mod counts;
mod engine;
pub mod spec;
pub mod superbpe;
#[cfg(test)]
mod tests;

pub use bpe::{train, BpeTrainerConfig, Phase, Progress, Trained};
pub use counts::{Counter, WordCounts};
