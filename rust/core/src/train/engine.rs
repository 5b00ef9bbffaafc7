//! The BPE training engine shared by plain BPE (`bpe.rs`) and SuperBPE stage 2 (`superbpe.rs`).
//!
//! Guarantees: given the same word counts and settings it performs exactly the steps of HF
//! `BpeTrainer::do_train` (tokenizers 0.23) and of the SuperBPE fork's `do_train_extend`:
//! - ids: special tokens (deduplicated, given order), then the alphabet sorted by code point,
//!   then each merge result at creation (an existing string keeps its id);
//! - words: chars outside the vocabulary are dropped; pair counts and the per-pair word lists
//!   ("pos") are built as in `count_pairs`;
//! - queue: entries (count, pair, pos) ordered by count desc, then (left, right) asc; a popped
//!   entry whose count is stale is re-pushed with the current count; each entry merges only the
//!   words of its own pos list; after a merge, every pair that gained occurrences gets a new
//!   entry (if its total count is positive) listing the words where it gained them;
//! - `Word::merge`: left to right, non-overlapping, emitting HF's changes, where a new pair is
//!   only counted when `len(left) + len(right) < max_token_length` (chars, strict);
//! - the merged pair's own count is never decremented (as in HF).
//!
//! Differences, on purpose: counts are i64 (HF uses i32 and overflows past 2^31 occurrences of
//! one pair); symbols are ids (u16 up to a vocab of 65,536, else u32; `syms.rs`) in one
//! contiguous array, merged by compaction; the per-pair word lists are delta-varint coded (`pos.rs`).
use super::config::{BpeTrainerConfig, Phase, Progress};
use super::pos::{Pos, PosBuilder};
use super::syms::{Sym, Syms, NARROW_MAX_VOCAB};
use crate::error::{Error, Result};
use rustc_hash::FxHashMap;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::counts::WordCounts;

pub(super) use crate::tokenizer::ids::pair_key as pack;

#[inline]
fn unpack(p: u64) -> (u32, u32) {
    ((p >> 32) as u32, p as u32)
}

/// A queue entry: HF's `Merge { pair, count, pos }`.
pub(super) struct Entry {
    pub count: u64,
    pub pair: u64,
    pub pos: Pos,
}

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        self.count == o.count && self.pair == o.pair
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        // Max-heap: larger count first; on ties the smaller (left, right) pair first.
        self.count
            .cmp(&o.count)
            .then_with(|| o.pair.cmp(&self.pair))
    }
}

/// char -> id for the initial alphabet (dense below 0x800, hashed above).
pub(super) struct CharIds {
    low: Vec<u32>,
    high: FxHashMap<char, u32>,
}

const LOW: usize = 0x800;
use crate::tokenizer::ids::NONE;

impl CharIds {
    pub fn get(&self, c: char) -> u32 {
        let u = c as usize;
        if u < LOW {
            self.low[u]
        } else {
            self.high.get(&c).copied().unwrap_or(NONE)
        }
    }
}

/// Calls `progress` at most ~200 times per phase.
pub(super) struct Ticker<'a> {
    f: &'a mut dyn FnMut(Progress),
}

impl<'a> Ticker<'a> {
    pub fn new(f: &'a mut dyn FnMut(Progress)) -> Self {
        Ticker { f }
    }
    #[inline]
    pub fn tick(&mut self, phase: Phase, done: u64, total: u64) {
        let step = (total / 200).max(1);
        if done == 0 || done >= total || done.is_multiple_of(step) {
            (self.f)(Progress { phase, done, total });
        }
    }
}

pub(super) struct Engine {
    pub vocab: Vec<String>,
    pub word_to_id: FxHashMap<String, u32>,
    pub special_count: usize,
    pub alphabet_len: usize,
    /// Length in chars of each token (HF `Symbol::len` in training).
    pub(super) tok_len: Vec<usize>,
    pub(super) syms: Syms,
    pub(super) starts: Vec<usize>,
    pub(super) lens: Vec<u32>,
    pub(super) counts: Vec<u64>,
    /// Occurrences of each pair; a pair whose count is 0 has no entry (there are many once
    /// merges have consumed the char pairs of SuperBPE's phrases).
    pub(super) pair_counts: FxHashMap<u64, i64>,
    where_to_update: FxHashMap<u64, PosBuilder>,
    /// (pair, new id) in the order merges were made (duplicates possible, as in HF).
    pub merges: Vec<(u64, u32)>,
    pub(super) max_len: usize,
    min_frequency: u64,
    vocab_size: usize,
}

impl Engine {
    /// Steps 1-3 of HF `do_train`: specials, alphabet, words as id sequences.
    pub fn new(wc: &WordCounts, cfg: &BpeTrainerConfig, t: &mut Ticker) -> Result<Engine> {
        let mut e = Engine::vocabulary(wc, cfg, t)?;
        e.fill_symbols(wc, t);
        Ok(e)
    }

    /// Steps 1-2: specials and alphabet; no words yet.
    pub fn vocabulary(wc: &WordCounts, cfg: &BpeTrainerConfig, t: &mut Ticker) -> Result<Engine> {
        if wc.is_empty() {
            return Err(Error::Other(
                "cannot train: the word counts are empty (no text was counted)".into(),
            ));
        }
        let mut vocab: Vec<String> = Vec::new();
        let mut word_to_id: FxHashMap<String, u32> = FxHashMap::default();
        for s in &cfg.special_tokens {
            if !word_to_id.contains_key(s) {
                word_to_id.insert(s.clone(), vocab.len() as u32);
                vocab.push(s.clone());
            }
        }
        let special_count = vocab.len();

        // Alphabet: per-char frequency, initial alphabet forced, limit, sort by code point.
        let n = wc.len() as u64;
        let mut low = vec![0u64; LOW];
        let mut high: FxHashMap<char, u64> = FxHashMap::default();
        for i in 0..wc.len() {
            let c = wc.count(i);
            for ch in wc.word(i).chars() {
                let slot = if (ch as usize) < LOW {
                    &mut low[ch as usize]
                } else {
                    high.entry(ch).or_insert(0)
                };
                *slot = slot.saturating_add(c);
            }
            t.tick(Phase::Alphabet, i as u64, 2 * n);
        }
        let mut alphabet: Vec<(char, u64)> = low
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(u, &c)| (char::from_u32(u as u32).unwrap(), c))
            .chain(high)
            .collect();
        // Chars only in words of count 0 still enter HF's alphabet map (count 0).
        let mut seen: FxHashMap<char, usize> = alphabet
            .iter()
            .enumerate()
            .map(|(i, &(c, _))| (c, i))
            .collect();
        for i in 0..wc.len() {
            if wc.count(i) == 0 {
                for ch in wc.word(i).chars() {
                    if let std::collections::hash_map::Entry::Vacant(v) = seen.entry(ch) {
                        v.insert(alphabet.len());
                        alphabet.push((ch, 0));
                    }
                }
            }
        }
        let seen_chars = alphabet.len();
        let forced: std::collections::BTreeSet<char> =
            cfg.initial_alphabet.iter().copied().collect();
        if let Some(limit) = cfg.limit_alphabet {
            // The forced chars are kept first, so a limit below their number drops chars the
            // corpus has for chars it may not have: with the 256 byte chars and a limit of 50,
            // every lowercase letter goes and "ab ab" encodes to nothing. HF does this silently.
            if limit < forced.len() {
                return Err(Error::InvalidField {
                    field: "limit_alphabet".into(),
                    reason: format!(
                        "limit_alphabet {limit} is below the {} chars of the initial alphabet, which \
                         are always kept: chars of the corpus would be dropped for them; use \
                         initial_alphabet \"seen\" (the corpus has {seen_chars} chars) or a larger limit",
                        forced.len()
                    ),
                });
            }
        }
        for &ch in &cfg.initial_alphabet {
            match seen.get(&ch) {
                Some(&i) => alphabet[i].1 = u64::MAX,
                None => {
                    seen.insert(ch, alphabet.len());
                    alphabet.push((ch, u64::MAX));
                }
            }
        }
        if let Some(limit) = cfg.limit_alphabet {
            if alphabet.len() > limit {
                let to_remove = alphabet.len() - limit;
                // HF sorts by count with an unstable sort (ties arbitrary); we remove the least
                // frequent first and, among equal counts, the highest code point first.
                alphabet.sort_unstable_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
                alphabet.drain(..to_remove);
            }
        }
        alphabet.sort_unstable_by_key(|&(c, _)| c as u32);
        for &(c, _) in &alphabet {
            let s = c.to_string();
            if !word_to_id.contains_key(&s) {
                word_to_id.insert(s.clone(), vocab.len() as u32);
                vocab.push(s);
            }
        }
        let alphabet_len = vocab.len() - special_count;
        if cfg.vocab_size < vocab.len() {
            return Err(Error::InvalidField {
                field: "vocab_size".into(),
                reason: if forced.is_empty() {
                    format!(
                        "vocab_size {} is smaller than the {} special tokens plus the {} chars \
                         of the corpus ({} in all); raise vocab_size to at least {}",
                        cfg.vocab_size,
                        special_count,
                        alphabet_len,
                        vocab.len(),
                        vocab.len()
                    )
                } else {
                    format!(
                        "vocab_size {} is smaller than the {} special tokens plus the {} alphabet \
                         chars ({} in all, the {} of the initial alphabet included); raise \
                         vocab_size to at least {}, or use initial_alphabet \"seen\" (the \
                         corpus has {seen_chars} chars)",
                        cfg.vocab_size,
                        special_count,
                        alphabet_len,
                        vocab.len(),
                        forced.len(),
                        vocab.len()
                    )
                },
            });
        }

        let tok_len = vocab.iter().map(|s| s.chars().count()).collect();
        let syms = if cfg.vocab_size <= NARROW_MAX_VOCAB {
            Syms::Narrow(Vec::new())
        } else {
            Syms::Wide(Vec::new())
        };
        Ok(Engine {
            vocab,
            word_to_id,
            special_count,
            alphabet_len,
            tok_len,
            syms,
            starts: Vec::new(),
            lens: Vec::new(),
            counts: Vec::new(),
            pair_counts: FxHashMap::default(),
            where_to_update: FxHashMap::default(),
            merges: Vec::new(),
            max_len: cfg.max_token_length.unwrap_or(usize::MAX),
            min_frequency: cfg.min_frequency,
            vocab_size: cfg.vocab_size,
        })
    }

    /// Every 1-char vocab entry (alphabet or special) by its char.
    pub(super) fn char_ids(&self) -> CharIds {
        let mut ids = CharIds {
            low: vec![NONE; LOW],
            high: FxHashMap::default(),
        };
        for (id, s) in self.vocab.iter().enumerate() {
            let mut it = s.chars();
            if let (Some(c), None) = (it.next(), it.next()) {
                if (c as usize) < LOW {
                    ids.low[c as usize] = id as u32;
                } else {
                    ids.high.insert(c, id as u32);
                }
            }
        }
        ids
    }

    /// Step 3: every word as its chars' ids (chars outside the vocabulary dropped).
    pub fn fill_symbols(&mut self, wc: &WordCounts, t: &mut Ticker) {
        let ids = self.char_ids();
        let mut words = Words {
            wc,
            ids: &ids,
            starts: &mut self.starts,
            lens: &mut self.lens,
            counts: &mut self.counts,
        };
        self.syms = match self.syms {
            Syms::Narrow(_) => Syms::Narrow(words.symbols(t)),
            Syms::Wide(_) => Syms::Wide(words.symbols(t)),
        };
    }

    /// Step 4, `count_pairs`: fills `pair_counts` and returns the initial queue entries.
    ///
    /// Built in passes so that no two per-pair tables of the same size live at once (a SuperBPE
    /// stage 2 has tens of millions of distinct pairs): first each pair gets a dense index, then
    /// counts and word lists are filled by index, then the entries take the lists over.
    pub fn count_pairs(&mut self, t: &mut Ticker) -> Vec<Entry> {
        fn each<S: Sym>(
            syms: &[S],
            starts: &[usize],
            lens: &[u32],
            f: &mut impl FnMut(usize, u64),
        ) {
            for (w, (&s, &n)) in starts.iter().zip(lens).enumerate() {
                for win in syms[s..s + n as usize].windows(2) {
                    f(w, pack(win[0].id(), win[1].id()));
                }
            }
        }
        fn walk(e: &Engine, f: &mut impl FnMut(usize, u64)) {
            match &e.syms {
                Syms::Narrow(v) => each(v, &e.starts, &e.lens, f),
                Syms::Wide(v) => each(v, &e.starts, &e.lens, f),
            }
        }
        let n = self.counts.len() as u64;
        t.tick(Phase::CountPairs, 0, n);
        let mut index: FxHashMap<u64, u32> = FxHashMap::default();
        walk(self, &mut |_, p| {
            let k = index.len() as u32;
            index.entry(p).or_insert(k);
        });
        t.tick(Phase::CountPairs, n / 3, n);
        let d = index.len();
        let mut counts = vec![0i64; d];
        let mut lists: Vec<PosBuilder> = Vec::with_capacity(d);
        lists.resize_with(d, PosBuilder::default);
        walk(self, &mut |w, p| {
            let k = index[&p] as usize;
            counts[k] += self.counts[w] as i64;
            lists[k].push(w as u32);
        });
        t.tick(Phase::CountPairs, 2 * n / 3, n);
        let mut pairs = vec![0u64; d];
        for (p, k) in index {
            pairs[k as usize] = p;
        }
        let live = counts.iter().filter(|&&c| c > 0).count();
        let mut out = Vec::with_capacity(live);
        for (k, pos) in lists.into_iter().enumerate() {
            if counts[k] > 0 {
                out.push(Entry {
                    count: counts[k] as u64,
                    pair: pairs[k],
                    pos: pos.finish(),
                });
            }
        }
        self.pair_counts
            .reserve(counts.iter().filter(|&&c| c != 0).count());
        for (k, &c) in counts.iter().enumerate() {
            if c != 0 {
                self.pair_counts.insert(pairs[k], c);
            }
        }
        t.tick(Phase::CountPairs, n, n);
        out
    }

    /// Occurrences of `pair` now (0 when it has none).
    pub fn pair_count(&self, pair: u64) -> i64 {
        self.pair_counts.get(&pair).copied().unwrap_or(0)
    }

    /// The string a merge of `pair` would create.
    pub fn new_token(&self, pair: u64) -> String {
        let (a, b) = unpack(pair);
        let mut s =
            String::with_capacity(self.vocab[a as usize].len() + self.vocab[b as usize].len());
        s.push_str(&self.vocab[a as usize]);
        s.push_str(&self.vocab[b as usize]);
        s
    }

    /// Makes the merge `pair` -> `new_token` in the words of `pos` and hands every pair that
    /// gained occurrences, with a positive total count, to `push` as a new entry.
    pub fn apply(&mut self, pair: u64, new_token: String, pos: &Pos, push: &mut dyn FnMut(Entry)) {
        let new_id = match self.word_to_id.get(&new_token) {
            Some(&id) => id,
            None => {
                let id = self.vocab.len() as u32;
                self.tok_len.push(new_token.chars().count());
                self.word_to_id.insert(new_token.clone(), id);
                self.vocab.push(new_token);
                id
            }
        };
        self.merges.push((pair, new_id));
        let (c1, c2) = unpack(pair);
        let new_len = self.tok_len[new_id as usize];
        let max_len = self.max_len;
        self.syms.check(new_id);
        let m = MergeStep {
            c1,
            c2,
            new_id,
            new_len,
            max_len,
        };
        for w in pos.iter() {
            let wi = w as usize;
            let s = self.starts[wi];
            let n = self.lens[wi] as usize;
            let count = self.counts[wi] as i64;
            let pc = &mut self.pair_counts;
            let wtu = &mut self.where_to_update;
            let mut change = |p: u64, d: i64| {
                match pc.entry(p) {
                    std::collections::hash_map::Entry::Occupied(mut o) => {
                        *o.get_mut() += d * count;
                        if *o.get() == 0 {
                            o.remove();
                        }
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        if d * count != 0 {
                            v.insert(d * count);
                        }
                    }
                }
                if d > 0 {
                    wtu.entry(p).or_default().push(w);
                }
            };
            let tok_len = &self.tok_len;
            self.lens[wi] = match &mut self.syms {
                Syms::Narrow(v) => m.word(&mut v[s..s + n], tok_len, &mut change),
                Syms::Wide(v) => m.word(&mut v[s..s + n], tok_len, &mut change),
            } as u32;
        }
        for (p, pos) in self.where_to_update.drain() {
            let count = self.pair_counts.get(&p).copied().unwrap_or(0);
            if count > 0 {
                push(Entry {
                    count: count as u64,
                    pair: p,
                    pos: pos.finish(),
                });
            }
        }
    }

    /// Step 5, the greedy loop. `allow` may veto a merge by its new token (SuperBPE filters):
    /// a vetoed entry is dropped, as in the fork.
    pub fn run(
        &mut self,
        mut queue: BinaryHeap<Entry>,
        allow: Option<&dyn Fn(&str) -> bool>,
        t: &mut Ticker,
    ) {
        let start = self.word_to_id.len();
        let total = self.vocab_size.saturating_sub(start) as u64;
        t.tick(Phase::Merge, 0, total);
        loop {
            if self.word_to_id.len() >= self.vocab_size {
                break;
            }
            let Some(mut top) = queue.pop() else { break };
            let current = self.pair_count(top.pair) as u64;
            if top.count != current {
                top.count = current;
                queue.push(top);
                continue;
            }
            if top.count < 1 || self.min_frequency > top.count {
                break;
            }
            let new_token = self.new_token(top.pair);
            if let Some(allow) = allow {
                if !allow(&new_token) {
                    continue;
                }
            }
            self.apply(top.pair, new_token, &top.pos, &mut |e| queue.push(e));
            t.tick(Phase::Merge, (self.word_to_id.len() - start) as u64, total);
        }
        t.tick(Phase::Merge, total, total);
    }

    /// The merges as strings in rank order. A pair merged twice (possible only when a merge
    /// result already existed) keeps its last rank only, as HF's model (a pair -> rank map) does.
    pub fn merge_strings(&self) -> Vec<(String, String)> {
        let mut last: FxHashMap<u64, usize> = FxHashMap::default();
        for (i, &(p, _)) in self.merges.iter().enumerate() {
            last.insert(p, i);
        }
        self.merges
            .iter()
            .enumerate()
            .filter(|&(i, &(p, _))| last[&p] == i)
            .map(|(_, &(p, _))| {
                let (a, b) = unpack(p);
                (
                    self.vocab[a as usize].clone(),
                    self.vocab[b as usize].clone(),
                )
            })
            .collect()
    }
}

/// Step 3 of `do_train`, turning words into symbol arrays (kept apart from `Engine::new` to be
/// generic over the stored width).
struct Words<'a> {
    wc: &'a WordCounts,
    ids: &'a CharIds,
    starts: &'a mut Vec<usize>,
    lens: &'a mut Vec<u32>,
    counts: &'a mut Vec<u64>,
}

impl Words<'_> {
    /// Every char that is a vocab entry (alphabet or a 1-char special) becomes its id.
    fn symbols<S: Sym>(&mut self, t: &mut Ticker) -> Vec<S> {
        let wc = self.wc;
        let n = wc.len() as u64;
        // Reserved by chars, not bytes: a byte-level char such as `Ġ` is two UTF-8 bytes, and
        // sized by bytes the list of a large stage 2 is twice the size it needs (at 3 GB: a
        // 2.16 GB reserve, past wasm32's 2 GiB limit on one allocation).
        let chars = (0..wc.len()).map(|i| wc.word(i).chars().count()).sum();
        let mut syms: Vec<S> = Vec::with_capacity(chars);
        for i in 0..wc.len() {
            let start = syms.len();
            for ch in wc.word(i).chars() {
                let id = self.ids.get(ch);
                if id != NONE {
                    syms.push(S::from_id(id));
                }
            }
            let len = syms.len() - start;
            // Words of fewer than two symbols never hold a pair: HF keeps them, to no effect.
            if len < 2 {
                syms.truncate(start);
            } else {
                self.starts.push(start);
                self.lens.push(len as u32);
                self.counts.push(wc.count(i));
            }
            t.tick(Phase::Alphabet, n + i as u64, 2 * n);
        }
        t.tick(Phase::Alphabet, 2 * n, 2 * n);
        syms.shrink_to_fit();
        syms
    }
}

/// One merge (c1, c2) -> new_id, applied to a word by [`MergeStep::word`].
struct MergeStep {
    c1: u32,
    c2: u32,
    new_id: u32,
    new_len: usize,
    max_len: usize,
}

impl MergeStep {
    /// HF `Word::merge`: left to right, non-overlapping, reporting each pair change to
    /// `change`; returns the word's new length.
    #[inline]
    fn word<S: Sym>(
        &self,
        word: &mut [S],
        tok_len: &[usize],
        change: &mut impl FnMut(u64, i64),
    ) -> usize {
        let (c1, c2, new_id) = (self.c1, self.c2, self.new_id);
        let n = word.len();
        let (mut r, mut o) = (0usize, 0usize);
        while r < n {
            if word[r].id() == c1 && r + 1 < n && word[r + 1].id() == c2 {
                if o > 0 {
                    let prev = word[o - 1].id();
                    change(pack(prev, c1), -1);
                    if tok_len[prev as usize] + self.new_len < self.max_len {
                        change(pack(prev, new_id), 1);
                    }
                }
                if r + 2 < n {
                    let next = word[r + 2].id();
                    change(pack(c2, next), -1);
                    if tok_len[next as usize] + self.new_len < self.max_len {
                        change(pack(new_id, next), 1);
                    }
                }
                word[o] = S::from_id(new_id);
                o += 1;
                r += 2;
            } else {
                word[o] = word[r];
                o += 1;
                r += 1;
            }
        }
        o
    }
}
