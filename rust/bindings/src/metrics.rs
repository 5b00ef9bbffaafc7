//! Metrics bindings: a handle with one tokenizer's vocabulary facts and pooled token counts; each
//! `measure` call encodes a corpus (units given as one UTF-8 buffer and end offsets) and returns
//! its counts as a `WasmCorpusCounts`, named fields that src/report/analyze.ts reads by name.
use crate::WasmTokenizer;
use vocabsmith_core::metrics::{self, TextStats, TokenCounts, VocabFacts};
use wasm_bindgen::prelude::*;

/// Counts and entropies of one corpus (counts are exact integers as f64, JS numbers).
#[wasm_bindgen(js_name = WasmCorpusCounts)]
pub struct CorpusCounts {
    #[wasm_bindgen(readonly)]
    pub tokens: f64,
    #[wasm_bindgen(readonly)]
    pub bytes: f64,
    #[wasm_bindgen(readonly)]
    pub chars: f64,
    #[wasm_bindgen(readonly)]
    pub words: f64,
    #[wasm_bindgen(readonly, js_name = continuedWords)]
    pub continued_words: f64,
    #[wasm_bindgen(readonly, js_name = byteFallback)]
    pub byte_fallback: f64,
    #[wasm_bindgen(readonly)]
    pub unk: f64,
    #[wasm_bindgen(readonly)]
    pub added: f64,
    #[wasm_bindgen(readonly)]
    pub superword: f64,
    /// Distinct ids used in this corpus.
    #[wasm_bindgen(readonly)]
    pub types: f64,
    #[wasm_bindgen(readonly, js_name = shannonBits)]
    pub shannon_bits: f64,
    #[wasm_bindgen(readonly, js_name = renyiBits)]
    pub renyi_bits: f64,
    #[wasm_bindgen(readonly, js_name = renyiEfficiency)]
    pub renyi_efficiency: f64,
    /// Token occurrences by UTF-8 byte length 0..15, then 16 or more.
    #[wasm_bindgen(readonly, getter_with_clone, js_name = lenHist)]
    pub len_hist: Vec<f64>,
    /// Tokens of each unit, in the order given.
    #[wasm_bindgen(readonly, getter_with_clone, js_name = unitTokens)]
    pub unit_tokens: Vec<f64>,
}

/// The pooled unigram distribution of every corpus measured so far.
#[wasm_bindgen(js_name = WasmPooledCounts)]
pub struct PooledCounts {
    #[wasm_bindgen(readonly)]
    pub tokens: f64,
    #[wasm_bindgen(readonly)]
    pub types: f64,
    #[wasm_bindgen(readonly, js_name = shannonBits)]
    pub shannon_bits: f64,
    #[wasm_bindgen(readonly, js_name = renyiBits)]
    pub renyi_bits: f64,
    #[wasm_bindgen(readonly, js_name = renyiEfficiency)]
    pub renyi_efficiency: f64,
    #[wasm_bindgen(readonly, js_name = vocabSize)]
    pub vocab_size: f64,
}

/// Tokenizer Fairness Gini of per-language costs.
#[wasm_bindgen]
pub fn gini(values: &[f64]) -> f64 {
    metrics::gini(values)
}

#[wasm_bindgen(js_name = WasmMetrics)]
pub struct WasmMetrics {
    facts: VocabFacts,
    pooled: TokenCounts,
    /// Per-corpus counts, cleared (not reallocated) between corpora.
    local: TokenCounts,
}

#[wasm_bindgen(js_class = WasmMetrics)]
impl WasmMetrics {
    #[wasm_bindgen(constructor)]
    pub fn new(tok: &WasmTokenizer) -> WasmMetrics {
        let facts = VocabFacts::of(&tok.inner);
        let pooled = TokenCounts::new(facts.byte_len.len());
        let local = TokenCounts::new(facts.byte_len.len());
        WasmMetrics {
            facts,
            pooled,
            local,
        }
    }

    /// Encodes each unit `bytes[ends[i-1]..ends[i]]` (no special tokens added) and counts it.
    /// Entropies are of this corpus's own unigram distribution, with Rényi order `alpha`.
    pub fn measure(
        &mut self,
        tok: &WasmTokenizer,
        bytes: &[u8],
        ends: &[u32],
        alpha: f64,
    ) -> CorpusCounts {
        let mut s = TextStats::default();
        self.local.clear();
        let mut unit_tokens = Vec::with_capacity(ends.len());
        for text in crate::unpack(bytes, ends) {
            let enc = tok.inner.encode_full(&text, false, true);
            let offs = enc.offsets.unwrap_or_default();
            let u = metrics::text_stats(&self.facts, &text, &enc.ids, &offs, &mut self.local);
            unit_tokens.push(u.tokens as f64);
            s.add(&u);
        }
        self.pooled.merge(&self.local);
        let c = &self.local;
        let vocab = self.facts.vocab_size;
        CorpusCounts {
            tokens: s.tokens as f64,
            bytes: s.bytes as f64,
            chars: s.chars as f64,
            words: s.words as f64,
            continued_words: s.continued_words as f64,
            byte_fallback: s.byte_fallback as f64,
            unk: s.unk as f64,
            added: s.added as f64,
            superword: s.superword as f64,
            types: c.types() as f64,
            shannon_bits: metrics::shannon_bits(c.nonzero()),
            renyi_bits: metrics::renyi_bits(c.nonzero(), alpha),
            renyi_efficiency: metrics::renyi_efficiency(c.nonzero(), alpha, vocab),
            len_hist: s.len_hist.iter().map(|&x| x as f64).collect(),
            unit_tokens,
        }
    }

    /// The pooled unigram distribution of every corpus measured so far, Rényi order `alpha`.
    pub fn pooled(&self, alpha: f64) -> PooledCounts {
        let p = &self.pooled;
        PooledCounts {
            tokens: p.total as f64,
            types: p.types() as f64,
            shannon_bits: metrics::shannon_bits(p.nonzero()),
            renyi_bits: metrics::renyi_bits(p.nonzero(), alpha),
            renyi_efficiency: metrics::renyi_efficiency(p.nonzero(), alpha, self.facts.vocab_size),
            vocab_size: self.facts.vocab_size as f64,
        }
    }
}
