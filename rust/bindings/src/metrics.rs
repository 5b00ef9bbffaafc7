//! Metrics bindings: a handle with one tokenizer's vocabulary facts and pooled token counts; each
//! `measure` call encodes a corpus (units given as one UTF-8 buffer and end offsets) and returns
//! its counts as one Float64Array laid out as `measureFields()` names them.
use crate::WasmTokenizer;
use vocabsmith_core::metrics::{self, TextStats, TokenCounts, VocabFacts, LEN_BUCKETS};
use wasm_bindgen::prelude::*;

/// Scalar fields of a `measure` result, in order; then `LEN_BUCKETS` histogram counts
/// (`len0..len16`), then one token count per unit.
const FIELDS: [&str; 13] = [
    "tokens",
    "bytes",
    "chars",
    "words",
    "continuedWords",
    "byteFallback",
    "unk",
    "added",
    "superword",
    "types",
    "shannonBits",
    "renyiBits",
    "renyiEfficiency",
];

#[wasm_bindgen(js_name = measureFields, unchecked_return_type = "string[]")]
pub fn measure_fields() -> Vec<String> {
    let hist = (0..LEN_BUCKETS).map(|i| format!("len{i}"));
    FIELDS.iter().map(|s| s.to_string()).chain(hist).collect()
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
    ) -> Vec<f64> {
        let mut sum = TextStats::default();
        self.local.clear();
        let mut per_unit = Vec::with_capacity(ends.len());
        for text in crate::unpack(bytes, ends) {
            let enc = tok.inner.encode_full(&text, false, true);
            let offs = enc.offsets.unwrap_or_default();
            let s = metrics::text_stats(&self.facts, &text, &enc.ids, &offs, &mut self.local);
            per_unit.push(s.tokens as f64);
            sum.add(&s);
        }
        self.pooled.merge(&self.local);
        let mut out = counts_row(&sum, &self.local, alpha, self.facts.vocab_size);
        out.extend(per_unit);
        out
    }

    /// The pooled unigram distribution of every corpus measured so far:
    /// `[tokens, types, shannonBits, renyiBits, renyiEfficiency, vocabSize]`.
    pub fn pooled(&self, alpha: f64) -> Vec<f64> {
        let p = &self.pooled;
        vec![
            p.total as f64,
            p.types() as f64,
            metrics::shannon_bits(p.nonzero()),
            metrics::renyi_bits(p.nonzero(), alpha),
            metrics::renyi_efficiency(p.nonzero(), alpha, self.facts.vocab_size),
            self.facts.vocab_size as f64,
        ]
    }
}

fn counts_row(s: &TextStats, c: &TokenCounts, alpha: f64, vocab: usize) -> Vec<f64> {
    let mut out = vec![
        s.tokens as f64,
        s.bytes as f64,
        s.chars as f64,
        s.words as f64,
        s.continued_words as f64,
        s.byte_fallback as f64,
        s.unk as f64,
        s.added as f64,
        s.superword as f64,
        c.types() as f64,
        metrics::shannon_bits(c.nonzero()),
        metrics::renyi_bits(c.nonzero(), alpha),
        metrics::renyi_efficiency(c.nonzero(), alpha, vocab),
    ];
    out.extend(s.len_hist.iter().map(|&x| x as f64));
    out
}
