//! Models: how a pretokenized piece becomes ids (BPE, Unigram), and [`Model`], the one a
//! tokenizer has.
pub mod bpe;
pub mod unigram;

use bpe::BpeModel;
use rustc_hash::FxHashMap;
use unigram::UnigramModel;

/// The model of a tokenizer: BPE or Unigram. Matched once per piece, so BPE pays one branch.
/// One per tokenizer: the size difference of the variants costs nothing, a Box would cost a hop.
#[allow(clippy::large_enum_variant)]
pub enum Model {
    Bpe(BpeModel),
    Unigram(UnigramModel),
}

impl Model {
    pub fn as_bpe(&self) -> Option<&BpeModel> {
        match self {
            Model::Bpe(m) => Some(m),
            Model::Unigram(_) => None,
        }
    }

    pub fn as_unigram(&self) -> Option<&UnigramModel> {
        match self {
            Model::Unigram(m) => Some(m),
            Model::Bpe(_) => None,
        }
    }

    /// id -> token string ("" for ids a BPE vocabulary skips).
    pub fn id_to_token(&self) -> &[String] {
        match self {
            Model::Bpe(m) => &m.id_to_token,
            Model::Unigram(m) => &m.id_to_token,
        }
    }

    pub fn token_to_id(&self) -> &FxHashMap<String, u32> {
        match self {
            Model::Bpe(m) => &m.token_to_id,
            Model::Unigram(m) => &m.token_to_id,
        }
    }

    /// Tokens are GPT-2 byte chars (byte-level BPE); never for Unigram.
    pub fn byte_level(&self) -> bool {
        matches!(self, Model::Bpe(m) if m.byte_level)
    }

    pub fn byte_fallback(&self) -> bool {
        match self {
            Model::Bpe(m) => m.byte_fallback,
            Model::Unigram(m) => m.byte_fallback,
        }
    }

    pub fn unk(&self) -> Option<u32> {
        match self {
            Model::Bpe(m) => m.unk,
            Model::Unigram(m) => m.unk,
        }
    }

    #[inline]
    pub fn tokenize(&self, piece: &str, ids: &mut Vec<u32>, spans: Option<&mut Vec<(u32, u32)>>) {
        match self {
            Model::Bpe(m) => m.tokenize(piece, ids, spans),
            Model::Unigram(m) => m.tokenize(piece, ids, spans),
        }
    }

    pub fn vocab_size(&self) -> usize {
        self.token_to_id().len()
    }
}
