//! Token-efficiency metrics of one tokenizer over texts (formulas: shared/reference, section 2).
//!
//! Given, per text, the token ids, each token's byte range in the text and facts about the
//! vocabulary (each id's byte string and kind), [`text_stats`] counts what every metric needs in one
//! pass; the metrics themselves are ratios of those counts, plus these distribution measures:
//!
//! - Shannon entropy H₁ = −Σ pᵢ log₂ pᵢ and Rényi entropy H_α = log₂(Σ pᵢ^α) / (1 − α) of the token
//!   unigram distribution p (Zouhar et al. 2023); Rényi efficiency E_α = H_α / log₂|V| with |V| the
//!   tokenizer's full vocabulary size (tokenization-scorer would use the observed types instead).
//! - Tokenizer Fairness Gini TFG = Σᵢ Σⱼ |cᵢ − cⱼ| / (2 n² μ) over per-language costs cᵢ.
//!
//! **Words.** A word is a maximal run of non-whitespace characters (Unicode White_Space), except
//! that in scripts written without spaces between words (Han, Hiragana, Katakana, Thai, Lao, Khmer,
//! Myanmar) every character is its own word: word segmentation of those scripts needs a
//! dictionary, and a character count is the convention for CJK. Fertility there is therefore
//! tokens per character and not comparable with space-delimited languages.
use crate::tokenizer::canon;
use crate::tokenizer::Tokenizer;

/// Token length histogram buckets: byte lengths 0..=15, and 16 or more in the last one.
pub const LEN_BUCKETS: usize = 17;

/// What an id is, for the unknown/byte-fallback rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Normal = 0,
    /// A SentencePiece `<0xNN>` byte token: the vocabulary had no piece for this text.
    ByteFallback = 1,
    Unk = 2,
    /// An added token (BOS, chat markers, ...).
    Added = 3,
}

/// Per-id facts the metrics need, indexed by id.
pub struct VocabFacts {
    pub byte_len: Vec<u32>,
    pub kind: Vec<Kind>,
    /// Contains whitespace between non-whitespace bytes: the token spans words (SuperBPE).
    pub superword: Vec<bool>,
    /// |V| for Rényi efficiency and vocabulary utilisation.
    pub vocab_size: usize,
}

impl VocabFacts {
    /// From each id's byte string and kind (ids absent from the vocabulary: empty bytes).
    pub fn new(tokens: &[(Vec<u8>, Kind)], vocab_size: usize) -> VocabFacts {
        VocabFacts {
            byte_len: tokens.iter().map(|t| t.0.len() as u32).collect(),
            kind: tokens.iter().map(|t| t.1).collect(),
            superword: tokens.iter().map(|t| is_superword(&t.0)).collect(),
            vocab_size,
        }
    }

    /// The facts of a loaded tokenizer: each id's bytes as decoded text has them
    /// ([`canon::token_bytes`]); a byte-level token with a char outside the byte table (which
    /// decodes to nothing) counts the UTF-8 of its string.
    pub fn of(tok: &Tokenizer) -> VocabFacts {
        let m = &tok.model;
        let mut tokens = vec![(Vec::new(), Kind::Normal); canon::id_bound(tok)];
        for (id, t) in m.id_to_token().iter().enumerate() {
            let bytes = canon::token_bytes(tok, id as u32).unwrap_or_else(|| t.as_bytes().to_vec());
            let kind = if canon::is_fallback_piece(tok, id as u32) {
                Kind::ByteFallback
            } else {
                Kind::Normal
            };
            tokens[id] = (bytes, kind);
        }
        if let Some(u) = m.unk() {
            if let Some(t) = tokens.get_mut(u as usize) {
                t.1 = Kind::Unk;
            }
        }
        for a in &tok.added {
            let bytes = canon::token_bytes(tok, a.id).unwrap_or_default();
            tokens[a.id as usize] = (bytes, Kind::Added);
        }
        VocabFacts::new(&tokens, tok.vocab_size())
    }
}

fn is_superword(b: &[u8]) -> bool {
    let ws = |c: &u8| c.is_ascii_whitespace();
    let start = b.iter().position(|c| !ws(c));
    let end = b.iter().rposition(|c| !ws(c));
    matches!((start, end), (Some(s), Some(e)) if b[s..e].iter().any(ws))
}

/// Scripts without spaces between words: each character counts as a word (see the module doc).
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF // Thai, Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        | 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F // Hiragana, Katakana
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
    // Han
}

/// Byte ranges of the words of `text` (definition in the module doc).
pub fn word_spans(text: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || unspaced(c) {
            if let Some(s) = start.take() {
                out.push((s as u32, i as u32));
            }
            if !c.is_whitespace() {
                out.push((i as u32, (i + c.len_utf8()) as u32));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s as u32, text.len() as u32));
    }
    out
}

/// Occurrences of each id, pooled over texts (for entropies, utilisation, type/token ratio).
/// `touched` lists the ids seen, so a small corpus over a 262k vocabulary costs what it uses,
/// not a scan of the whole vocabulary (a report measures hundreds of such corpora).
pub struct TokenCounts {
    pub counts: Vec<u64>,
    pub touched: Vec<u32>,
    pub total: u64,
}

impl TokenCounts {
    pub fn new(size: usize) -> TokenCounts {
        TokenCounts {
            counts: vec![0; size],
            touched: Vec::new(),
            total: 0,
        }
    }
    pub fn add_n(&mut self, id: u32, n: u64) {
        let i = id as usize;
        if i >= self.counts.len() {
            self.counts.resize(i + 1, 0);
        }
        if self.counts[i] == 0 && n > 0 {
            self.touched.push(id);
        }
        self.counts[i] += n;
        self.total += n;
    }
    pub fn add(&mut self, id: u32) {
        self.add_n(id, 1);
    }
    /// Distinct ids seen.
    pub fn types(&self) -> usize {
        self.touched.len()
    }
    /// Adds another set of counts into this one.
    pub fn merge(&mut self, other: &TokenCounts) {
        for &id in &other.touched {
            self.add_n(id, other.counts[id as usize]);
        }
    }
    /// Forgets every count, keeping the allocation (cheap: only touched ids are reset).
    pub fn clear(&mut self) {
        for &id in &self.touched {
            self.counts[id as usize] = 0;
        }
        self.touched.clear();
        self.total = 0;
    }
    pub fn nonzero(&self) -> impl Iterator<Item = u64> + Clone + '_ {
        self.touched.iter().map(|&id| self.counts[id as usize])
    }
}

/// The counts of one text (or a sum of texts) from which the ratio metrics follow.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextStats {
    pub tokens: u64,
    pub bytes: u64,
    pub chars: u64,
    pub words: u64,
    /// Words covered by two or more tokens (Rust et al. 2021).
    pub continued_words: u64,
    pub byte_fallback: u64,
    pub unk: u64,
    pub added: u64,
    pub superword: u64,
    /// Token occurrences by byte length (index = length, last bucket = 16 or more).
    pub len_hist: [u64; LEN_BUCKETS],
}

impl TextStats {
    /// Adds another text's counts (a corpus is the sum of its texts).
    pub fn add(&mut self, o: &TextStats) {
        self.tokens += o.tokens;
        self.bytes += o.bytes;
        self.chars += o.chars;
        self.words += o.words;
        self.continued_words += o.continued_words;
        self.byte_fallback += o.byte_fallback;
        self.unk += o.unk;
        self.added += o.added;
        self.superword += o.superword;
        for (x, y) in self.len_hist.iter_mut().zip(o.len_hist) {
            *x += y;
        }
    }
}

/// Counts one text: `ids` with `offsets` (each token's byte range in `text`, non-decreasing, as
/// the encoder gives them). Every id is also added to `counts`.
pub fn text_stats(
    facts: &VocabFacts,
    text: &str,
    ids: &[u32],
    offsets: &[(u32, u32)],
    counts: &mut TokenCounts,
) -> TextStats {
    assert_eq!(
        ids.len(),
        offsets.len(),
        "one offset per id: encode with offsets"
    );
    let mut s = TextStats {
        tokens: ids.len() as u64,
        bytes: text.len() as u64,
        chars: text.chars().count() as u64,
        ..TextStats::default()
    };
    for &id in ids {
        counts.add(id);
        let i = id as usize;
        match facts.kind.get(i).copied().unwrap_or(Kind::Normal) {
            Kind::ByteFallback => s.byte_fallback += 1,
            Kind::Unk => s.unk += 1,
            Kind::Added => s.added += 1,
            Kind::Normal => {}
        }
        s.superword += u64::from(facts.superword.get(i).copied().unwrap_or(false));
        let len = facts.byte_len.get(i).copied().unwrap_or(0) as usize;
        s.len_hist[len.min(LEN_BUCKETS - 1)] += 1;
    }
    // Two pointers: tokens whose range overlaps a word, words left to right.
    let words = word_spans(text);
    s.words = words.len() as u64;
    let mut j = 0;
    for &(ws, we) in &words {
        while j < offsets.len() && offsets[j].1 <= ws {
            j += 1;
        }
        let mut n = 0;
        let mut k = j;
        while k < offsets.len() && offsets[k].0 < we && n < 2 {
            n += u32::from(offsets[k].1 > ws && offsets[k].0 < offsets[k].1);
            k += 1;
        }
        s.continued_words += u64::from(n >= 2);
    }
    s
}

/// Shannon entropy in bits of the distribution given by `counts`.
pub fn shannon_bits(counts: impl Iterator<Item = u64> + Clone) -> f64 {
    let total: f64 = counts.clone().map(|c| c as f64).sum();
    if total == 0.0 {
        return 0.0;
    }
    -counts
        .map(|c| c as f64 / total)
        .filter(|&p| p > 0.0)
        .map(|p| p * p.log2())
        .sum::<f64>()
}

/// Rényi entropy of order `alpha` in bits (alpha = 1: Shannon).
pub fn renyi_bits(counts: impl Iterator<Item = u64> + Clone, alpha: f64) -> f64 {
    if (alpha - 1.0).abs() < 1e-12 {
        return shannon_bits(counts);
    }
    let total: f64 = counts.clone().map(|c| c as f64).sum();
    if total == 0.0 {
        return 0.0;
    }
    let s: f64 = counts.map(|c| (c as f64 / total).powf(alpha)).sum();
    s.log2() / (1.0 - alpha)
}

/// Rényi efficiency H_α / log₂|V|.
pub fn renyi_efficiency(
    counts: impl Iterator<Item = u64> + Clone,
    alpha: f64,
    vocab_size: usize,
) -> f64 {
    if vocab_size < 2 {
        return 0.0;
    }
    renyi_bits(counts, alpha) / (vocab_size as f64).log2()
}

/// Tokenizer Fairness Gini Σᵢⱼ|cᵢ − cⱼ| / (2n²μ), in O(n log n): with c sorted ascending,
/// Σᵢⱼ|cᵢ − cⱼ| = 2 Σᵢ (2i − n + 1) c₍ᵢ₎ (0-based i). 0 for fewer than two values or μ = 0.
pub fn gini(values: &[f64]) -> f64 {
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 || mean <= 0.0 {
        return 0.0;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let s: f64 = v
        .iter()
        .enumerate()
        .map(|(i, &c)| (2.0 * i as f64 - n as f64 + 1.0) * c)
        .sum();
    2.0 * s / (2.0 * (n * n) as f64 * mean)
}

#[cfg(test)]
mod tests;
