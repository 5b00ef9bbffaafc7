//! Models: how a pretokenized piece becomes ids (BPE, Unigram).
pub mod bpe;
pub mod unigram;

pub use bpe::Model;
