//! Dynamic batch-level BPE merging (Feher, Vulić & Minixhofer, "Retrofitting (Large) Language
//! Models with Dynamic Tokenization"; reference: `DariusFeher/dynamic-tokenization`,
//! `tokenizations/dynamic_bpe.py`).
//!
//! Guarantees, for a batch of id sequences S (each token t with canonical bytes β(t), see
//! [`crate::tokenizer::canon`]):
//! 1. Each step merges the valid pair (a, b) with the most adjacent occurrences over the whole
//!    batch (overlapping occurrences counted, as `Counter(zip(seq, seq[1:]))`); ties go to the
//!    pair whose first occurrence comes first in batch order — exactly the paper's choice.
//!    Occurrences are replaced left to right without overlap.
//! 2. Decoding is unchanged: β(merged sequence) = β(S). Expanding every new token to its
//!    decomposition gives back S exactly, except where a merge produced the bytes of an original
//!    token (guarantee 4), which is then kept as that token.
//! 3. A pair is valid when neither side is an added token, β(a)β(b) passes the paper's whitespace
//!    rule (a space, `\n` or `\t` only at the first byte, unless the token is all whitespace and
//!    not `"\n\n"`), and the boundary holds: `Pretoken` — β(a)β(b) pretokenizes to one piece (and,
//!    for text input, a and b came from the same piece); `Word` — it is one whitespace-separated
//!    word; `Sentence` — nothing more. Bytes that are not UTF-8 pass the boundary test, as in the
//!    paper (fragments of one character must be able to merge).
//! 4. A merge whose bytes equal an original token (or an earlier new token) reuses that id, as the
//!    paper's string-keyed merging does; otherwise new tokens get ids `base, base+1, ...`.
//!
//! Cost: counts are updated incrementally — a merge touches only its own occurrences and their
//! neighbours — and the best pair comes from a lazy max-heap whose stale entries are re-pushed on
//! pop (keys only ever over-estimate: counts of old pairs only fall, first positions only rise).
use crate::tokenizer::canon;
use crate::tokenizer::{Tokenizer, Transform};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::tokenizer::ids::NONE;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boundary {
    Pretoken,
    Word,
    Sentence,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// Stop once (L0 − L) / L0 reaches this fraction.
    Original(f64),
    /// Stop once (L0 − L) / (L0 − L_word) reaches this fraction (the paper's percentage).
    Word(f64),
}

#[derive(Clone, Debug)]
pub struct MergeOptions {
    pub boundary: Boundary,
    pub max_merges: usize,
    pub target: Option<Target>,
    /// Also merge to the end to measure the word-level length L_word.
    pub word_level: bool,
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions {
            boundary: Boundary::Pretoken,
            max_merges: usize::MAX,
            target: None,
            word_level: true,
        }
    }
}

pub struct NewToken {
    pub bytes: Vec<u8>,
    /// The original ids this token stands for (the hypernetwork's input).
    pub decomposition: Vec<u32>,
}

pub struct MergeResult {
    /// Merged sequences, concatenated; `lengths[i]` tokens belong to sequence i.
    pub ids: Vec<u32>,
    pub lengths: Vec<u32>,
    /// Id of `new_tokens[0]`: one past the tokenizer's largest id.
    pub base: u32,
    pub new_tokens: Vec<NewToken>,
    pub merges: usize,
    pub original_len: usize,
    pub merged_len: usize,
    /// Length once no valid pair is left (when asked for).
    pub word_len: Option<usize>,
    /// Total length after k merges, k = 0..=merges.
    pub curve: Vec<usize>,
}

/// A batch ready to merge: ids plus, per token, whether it may join the next one.
pub struct Batch {
    pub seqs: Vec<Vec<u32>>,
    /// `joinable[i][k]`: token k of sequence i came from the same piece as token k+1.
    pub joinable: Option<Vec<Vec<bool>>>,
}

impl Batch {
    /// Encodes texts, recording pretoken pieces so that merges never cross one.
    pub fn from_texts(tok: &Tokenizer, texts: &[&str], add_special_tokens: bool) -> Batch {
        let mut seqs = Vec::with_capacity(texts.len());
        let mut joinable = Vec::with_capacity(texts.len());
        let mut marks = Vec::new();
        for t in texts {
            marks.clear();
            let ids = tok.encode_pieces(t, add_special_tokens, &mut marks);
            let mut j = vec![true; ids.len()];
            for &m in &marks {
                if m >= 1 && (m as usize) <= ids.len() {
                    j[m as usize - 1] = false;
                }
            }
            seqs.push(ids);
            joinable.push(j);
        }
        Batch {
            seqs,
            joinable: Some(joinable),
        }
    }
}

/// Merges a batch; see the module doc for what is guaranteed.
pub fn merge_batch(tok: &Tokenizer, batch: &Batch, o: &MergeOptions) -> MergeResult {
    let limit = match o.target {
        Some(Target::Word(frac)) => {
            // The paper turns a word-relative target into a merge count with a curve measured
            // first; the curve here is this batch's own, so the target is met exactly.
            let full = Engine::new(tok, batch, o.boundary).run(usize::MAX, None);
            let (l0, lw) = (full.curve[0], *full.curve.last().unwrap());
            let want = l0 as f64 - frac * (l0 - lw) as f64;
            full.curve
                .iter()
                .position(|&l| l as f64 <= want + 1e-9)
                .unwrap_or(full.merges)
        }
        _ => usize::MAX,
    };
    let stop_at = match o.target {
        Some(Target::Original(frac)) => Some(frac),
        _ => None,
    };
    let mut engine = Engine::new(tok, batch, o.boundary);
    let mut result = engine.run(o.max_merges.min(limit), stop_at);
    if o.word_level {
        let rest = engine.run(usize::MAX, None);
        result.word_len = Some(*rest.curve.last().unwrap());
    }
    result
}

struct Engine<'a> {
    tok: &'a Tokenizer,
    boundary: Boundary,
    /// Canonical bytes of the original ids met so far.
    forms: FxHashMap<u32, Vec<u8>>,
    /// Canonical bytes of new ids (`base + k`).
    bytes: Vec<Vec<u8>>,
    decomposition: Vec<Vec<u32>>,
    special: FxHashSet<u32>,
    by_bytes: FxHashMap<Vec<u8>, u32>,
    base: u32,
    starts: Vec<u32>,
    sym: Vec<u32>,
    next: Vec<u32>,
    prev: Vec<u32>,
    joinable: Vec<bool>,
    counts: FxHashMap<u64, i64>,
    where_: FxHashMap<u64, Vec<u32>>,
    min_seen: FxHashMap<u64, u32>,
    heap: BinaryHeap<(i64, Reverse<u32>, u64)>,
    valid: FxHashMap<u64, bool>,
    len: usize,
    merges: usize,
    curve: Vec<usize>,
}

use crate::tokenizer::ids::pair_key as key;

fn spacelike(b: u8) -> bool {
    b == b' ' || b == b'\n' || b == b'\t'
}

impl<'a> Engine<'a> {
    fn new(tok: &'a Tokenizer, batch: &Batch, boundary: Boundary) -> Engine<'a> {
        // Forms are computed for the ids in the batch only: a batch is small next to a 262k
        // vocabulary, and merge results are looked up in the model by bytes (`original_id`).
        let base = canon::id_bound(tok) as u32;
        let special: FxHashSet<u32> = tok.added.iter().map(|t| t.id).collect();
        let mut forms = FxHashMap::default();
        for &id in batch.seqs.iter().flatten() {
            forms
                .entry(id)
                .or_insert_with(|| canon::token_bytes(tok, id).unwrap_or_default());
        }
        let total: usize = batch.seqs.iter().map(Vec::len).sum();
        let mut e = Engine {
            tok,
            boundary,
            decomposition: vec![],
            special,
            by_bytes: FxHashMap::default(),
            base,
            starts: Vec::with_capacity(batch.seqs.len()),
            sym: Vec::with_capacity(total),
            next: Vec::with_capacity(total),
            prev: Vec::with_capacity(total),
            joinable: Vec::with_capacity(total),
            counts: FxHashMap::default(),
            where_: FxHashMap::default(),
            min_seen: FxHashMap::default(),
            heap: BinaryHeap::new(),
            valid: FxHashMap::default(),
            forms,
            bytes: vec![],
            len: total,
            merges: 0,
            curve: vec![total],
        };
        for (i, s) in batch.seqs.iter().enumerate() {
            let at = e.sym.len() as u32;
            e.starts.push(if s.is_empty() { NONE } else { at });
            for (k, &id) in s.iter().enumerate() {
                let p = at + k as u32;
                e.sym.push(id);
                e.prev.push(if k == 0 { NONE } else { p - 1 });
                e.next.push(if k + 1 == s.len() { NONE } else { p + 1 });
                let j = batch
                    .joinable
                    .as_ref()
                    .is_none_or(|j| j[i].get(k).copied().unwrap_or(true));
                e.joinable.push(j && k + 1 < s.len());
            }
        }
        let mut touched = FxHashSet::default();
        for p in 0..e.sym.len() as u32 {
            if e.joinable[p as usize] {
                let (a, b) = (e.sym[p as usize], e.sym[e.next[p as usize] as usize]);
                e.add(a, b, p, 1, &mut touched);
            }
        }
        e.push_all(touched);
        e
    }

    fn token_bytes(&self, id: u32) -> &[u8] {
        if id >= self.base {
            &self.bytes[(id - self.base) as usize]
        } else {
            self.forms.get(&id).map_or(&[][..], |b| &b[..])
        }
    }

    /// The original (non-added) token whose canonical bytes are `m`, if there is one.
    fn original_id(&self, m: &[u8]) -> Option<u32> {
        let model = &self.tok.model;
        let id = if model.byte_level() {
            model.as_bpe()?.piece_id(m)?
        } else {
            // SentencePiece-style: spaces are written with the Metaspace char in the vocabulary.
            let space = match &self.tok.transform {
                Transform::Metaspace { replacement, .. } => *replacement,
                _ => '\u{2581}',
            };
            let s = std::str::from_utf8(m)
                .ok()?
                .replace(' ', &space.to_string());
            *model.token_to_id().get(&s)?
        };
        (!self.special.contains(&id) && canon::token_bytes(self.tok, id).as_deref() == Some(m))
            .then_some(id)
    }

    fn is_valid(&mut self, a: u32, b: u32) -> bool {
        let k = key(a, b);
        if let Some(&v) = self.valid.get(&k) {
            return v;
        }
        let v = self.check(a, b);
        self.valid.insert(k, v);
        v
    }

    fn check(&self, a: u32, b: u32) -> bool {
        if self.special.contains(&a) || self.special.contains(&b) {
            return false;
        }
        let (x, y) = (self.token_bytes(a), self.token_bytes(b));
        if x.is_empty() || y.is_empty() {
            return false;
        }
        let m: Vec<u8> = [x, y].concat();
        if m[1..].iter().any(|&c| spacelike(c))
            && (m == b"\n\n" || !m.iter().all(|&c| spacelike(c)))
        {
            return false;
        }
        let Ok(text) = std::str::from_utf8(&m) else {
            return true;
        };
        match self.boundary {
            Boundary::Sentence => true,
            Boundary::Word => text.split_whitespace().count() == 1,
            Boundary::Pretoken => {
                let Some(p) = &self.tok.pre_tokenizer else {
                    return true;
                };
                let text = match &self.tok.transform {
                    Transform::Metaspace { replacement, .. } => {
                        text.replace(' ', &replacement.to_string())
                    }
                    _ => text.to_string(),
                };
                let mut pieces = Vec::new();
                p.split(&text, &mut pieces);
                pieces.len() == 1
            }
        }
    }

    /// Adds `delta` occurrences of (a, b) at position p (if the pair is valid).
    fn add(&mut self, a: u32, b: u32, p: u32, delta: i64, touched: &mut FxHashSet<u64>) {
        if !self.is_valid(a, b) {
            return;
        }
        let k = key(a, b);
        *self.counts.entry(k).or_insert(0) += delta;
        if delta > 0 {
            self.where_.entry(k).or_default().push(p);
            let m = self.min_seen.entry(k).or_insert(p);
            *m = (*m).min(p);
            touched.insert(k);
        }
    }

    fn push_all(&mut self, touched: FxHashSet<u64>) {
        for k in touched {
            let c = self.counts[&k];
            if c > 0 {
                self.heap.push((c, Reverse(self.min_seen[&k]), k));
            }
        }
    }

    fn live(&self, p: u32, a: u32, b: u32) -> bool {
        let q = self.next[p as usize];
        self.sym[p as usize] == a
            && q != NONE
            && self.sym[q as usize] == b
            && self.joinable[p as usize]
    }

    /// The best pair, exact: stale heap entries are corrected and re-pushed.
    fn best(&mut self) -> Option<u64> {
        while let Some((c, Reverse(m), k)) = self.heap.pop() {
            let true_c = self.counts.get(&k).copied().unwrap_or(0);
            if true_c <= 0 {
                continue;
            }
            let (a, b) = ((k >> 32) as u32, k as u32);
            let list = self.where_.remove(&k).unwrap_or_default();
            let mut list: Vec<u32> = list.into_iter().filter(|&p| self.live(p, a, b)).collect();
            list.sort_unstable();
            list.dedup();
            let true_m = list.first().copied().unwrap_or(NONE);
            self.min_seen.insert(k, true_m);
            self.where_.insert(k, list);
            if (c, m) == (true_c, true_m) {
                return Some(k);
            }
            self.heap.push((true_c, Reverse(true_m), k));
        }
        None
    }

    /// The id for the merge of a and b: an existing token with the same bytes, else a new one.
    fn result_id(&mut self, a: u32, b: u32) -> u32 {
        let m: Vec<u8> = [self.token_bytes(a), self.token_bytes(b)].concat();
        if let Some(&id) = self.by_bytes.get(&m) {
            return id;
        }
        let id = match self.original_id(&m) {
            Some(id) => {
                self.forms.insert(id, m.clone());
                id
            }
            None => {
                let dec: Vec<u32> = [self.decompose(a), self.decompose(b)].concat();
                self.bytes.push(m.clone());
                self.decomposition.push(dec);
                self.base + self.bytes.len() as u32 - 1
            }
        };
        self.by_bytes.insert(m, id);
        id
    }

    fn decompose(&self, id: u32) -> Vec<u32> {
        if id >= self.base {
            self.decomposition[(id - self.base) as usize].clone()
        } else {
            vec![id]
        }
    }

    fn merge(&mut self, k: u64) {
        let (a, b) = ((k >> 32) as u32, k as u32);
        let n = self.result_id(a, b);
        let list = self.where_.remove(&k).unwrap_or_default();
        let mut touched = FxHashSet::default();
        for p in list {
            if !self.live(p, a, b) {
                continue; // consumed by the previous occurrence (a a a), or stale
            }
            let (pu, q) = (p as usize, self.next[p as usize]);
            let (before, r) = (self.prev[pu], self.next[q as usize]);
            if before != NONE && self.joinable[before as usize] {
                self.add(self.sym[before as usize], a, before, -1, &mut touched);
            }
            if r != NONE && self.joinable[q as usize] {
                self.add(b, self.sym[r as usize], q, -1, &mut touched);
            }
            self.add(a, b, p, -1, &mut touched);
            self.sym[pu] = n;
            self.next[pu] = r;
            self.joinable[pu] = self.joinable[q as usize];
            self.joinable[q as usize] = false;
            self.sym[q as usize] = NONE;
            if r != NONE {
                self.prev[r as usize] = p;
            }
            if before != NONE && self.joinable[before as usize] {
                self.add(self.sym[before as usize], n, before, 1, &mut touched);
            }
            if r != NONE && self.joinable[pu] {
                self.add(n, self.sym[r as usize], p, 1, &mut touched);
            }
            self.len -= 1;
        }
        self.push_all(touched);
        self.merges += 1;
        self.curve.push(self.len);
    }

    /// Merges up to `max` more times, or until the reduction vs the original reaches `frac`.
    fn run(&mut self, max: usize, frac: Option<f64>) -> MergeResult {
        let l0 = self.curve[0];
        let first = self.merges;
        while self.merges - first < max {
            if let Some(f) = frac {
                if l0 > 0 && (l0 - self.len) as f64 / l0 as f64 >= f {
                    break;
                }
            }
            let Some(k) = self.best() else { break };
            self.merge(k);
        }
        self.snapshot()
    }

    fn snapshot(&self) -> MergeResult {
        let mut ids = Vec::with_capacity(self.len);
        let mut lengths = Vec::with_capacity(self.starts.len());
        for &s in &self.starts {
            let before = ids.len();
            let mut p = s;
            while p != NONE {
                ids.push(self.sym[p as usize]);
                p = self.next[p as usize];
            }
            lengths.push((ids.len() - before) as u32);
        }
        let new_tokens = (0..self.bytes.len())
            .map(|k| NewToken {
                bytes: self.bytes[k].clone(),
                decomposition: self.decomposition[k].clone(),
            })
            .collect();
        MergeResult {
            ids,
            lengths,
            base: self.base,
            new_tokens,
            merges: self.merges,
            original_len: self.curve[0],
            merged_len: self.len,
            word_len: None,
            curve: self.curve.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
