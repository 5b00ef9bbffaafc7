//! Word counts: model-space words -> how often they occur, stored compactly.
//!
//! Guarantees:
//! - A word is the exact string HF's `BpeTrainer` counts: one pretokenizer piece, and for
//!   byte-level models each byte replaced by its GPT-2 char (what `Split` + `ByteLevel` with
//!   `use_regex: false` hand the trainer via `get_splits(Original, Byte)`).
//! - All words live in one byte arena; the index is a `hashbrown::HashTable<u32>` of entry
//!   numbers, so a word costs its bytes plus ~24 bytes of bookkeeping, never its own allocation
//!   (SuperBPE stage 2 has many long unique words).
//! - `add`/`merge_from` are associative and commutative: the multiset of (word, count) never
//!   depends on the order of calls. Iteration order is insertion order (deterministic).
//! - `Counter::count_lines` cuts text like HF `train_from_files` (`lines_with_ending`: each line
//!   keeps its `\n`, so `\r\n` stays whole; a last line without `\n` is a sequence too). HF does
//!   not extract the trainer's special tokens while counting (they join the tokenizer only after
//!   training; checked against tokenizers 0.23.3), and neither do we.
use crate::error::{Error, Result};
use crate::tokenizer::pretokenize::{PreTokenizer, Span};
use hashbrown::HashTable;
use std::hash::Hasher;

fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(b);
    h.write_usize(b.len());
    h.finish()
}

/// A multiset of words with u64 counts.
#[derive(Clone, Default)]
pub struct WordCounts {
    arena: Vec<u8>,
    /// `ends[i]` is the arena offset one past word i; word i starts at `ends[i-1]` (or 0).
    ends: Vec<usize>,
    counts: Vec<u64>,
    index: HashTable<u32>,
    total: u64,
}

impl std::fmt::Debug for WordCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordCounts")
            .field("len", &self.len())
            .field("total", &self.total)
            .finish()
    }
}

impl WordCounts {
    pub fn new() -> WordCounts {
        WordCounts::default()
    }

    #[inline]
    fn bytes_of(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.arena[start..self.ends[i]]
    }

    /// Word i (in insertion order).
    #[inline]
    pub fn word(&self, i: usize) -> &str {
        // SAFETY-free: every stored word came from a &str (or was validated in from_parts).
        std::str::from_utf8(self.bytes_of(i)).expect("arena holds UTF-8 words")
    }

    /// Count of word i (in insertion order).
    #[inline]
    pub fn count(&self, i: usize) -> u64 {
        self.counts[i]
    }

    /// Adds `count` occurrences of `word` (counts saturate at u64::MAX).
    pub fn add(&mut self, word: &str, count: u64) {
        let bytes = word.as_bytes();
        let h = hash_bytes(bytes);
        let WordCounts {
            arena,
            ends,
            counts,
            index,
            total,
        } = self;
        *total = total.saturating_add(count);
        let get = |i: u32| {
            let i = i as usize;
            let start = if i == 0 { 0 } else { ends[i - 1] };
            &arena[start..ends[i]]
        };
        if let Some(&i) = index.find(h, |&i| get(i) == bytes) {
            let c = &mut counts[i as usize];
            *c = c.saturating_add(count);
            return;
        }
        let n = counts.len();
        assert!(n < u32::MAX as usize, "more than 2^32-1 distinct words");
        arena.extend_from_slice(bytes);
        ends.push(arena.len());
        counts.push(count);
        let (arena, ends) = (&*arena, &*ends);
        index.insert_unique(h, n as u32, |&i| {
            let i = i as usize;
            let start = if i == 0 { 0 } else { ends[i - 1] };
            hash_bytes(&arena[start..ends[i]])
        });
    }

    /// Room for `words` more distinct words holding `bytes` more bytes, reserved exactly: a table
    /// built from parts of known size (a counting worker's) grows once instead of doubling, which
    /// leaves no freed halves behind in a memory that never shrinks (WASM) and keeps an arena of
    /// over 1 GiB from asking for 2 GiB (past `isize::MAX` on wasm32).
    pub fn reserve(&mut self, words: usize, bytes: usize) {
        self.arena.reserve_exact(bytes);
        self.ends.reserve_exact(words);
        self.counts.reserve_exact(words);
        let WordCounts {
            arena, ends, index, ..
        } = self;
        let (arena, ends) = (&*arena, &*ends);
        index.reserve(words, |&i| {
            let i = i as usize;
            let start = if i == 0 { 0 } else { ends[i - 1] };
            hash_bytes(&arena[start..ends[i]])
        });
    }

    /// Adds every (word, count) of `other`.
    pub fn merge_from(&mut self, other: &WordCounts) {
        for (w, c) in other.iter() {
            self.add(w, c);
        }
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Sum of all counts.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Bytes held by the word arena (for memory reports).
    pub fn arena_bytes(&self) -> usize {
        self.arena.len()
    }

    /// (word, count) in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> + '_ {
        (0..self.len()).map(move |i| (self.word(i), self.counts[i]))
    }

    /// Count of `word`, 0 when absent.
    pub fn get(&self, word: &str) -> u64 {
        let bytes = word.as_bytes();
        self.index
            .find(hash_bytes(bytes), |&i| self.bytes_of(i as usize) == bytes)
            .map_or(0, |&i| self.counts[i as usize])
    }

    /// The words' UTF-8, concatenated (in iteration order).
    pub fn arena(&self) -> &[u8] {
        &self.arena
    }

    /// Byte length of each word.
    pub fn lens(&self) -> Vec<u32> {
        let mut lens = Vec::with_capacity(self.len());
        let mut prev = 0;
        for &e in &self.ends {
            lens.push((e - prev) as u32);
            prev = e;
        }
        lens
    }

    /// Count of each word.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// (concatenated UTF-8 of the words, byte length of each word, count of each word).
    pub fn to_parts(&self) -> (Vec<u8>, Vec<u32>, Vec<u64>) {
        (self.arena.clone(), self.lens(), self.counts.clone())
    }

    /// Entry numbers in the order of their words' UTF-8 bytes (each word once, so the order is
    /// strict). Count files hold sorted runs, so merging any number of them is one linear pass in
    /// bounded memory; a table is written in this order through [`parts_at`](Self::parts_at),
    /// chunk by chunk. The table is not touched: the sort costs 4 bytes a word, not a second copy
    /// of the arena (SuperBPE's stage-2 table at 3 GB of text is ~2.6 GB; two did not fit in
    /// 32-bit WebAssembly's 4 GiB).
    pub fn order_by_word(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.bytes_of(a as usize).cmp(self.bytes_of(b as usize)));
        order
    }

    /// The words `order` names, as parts (see [`to_parts`](Self::to_parts)), in that order.
    /// Panics on an entry number past the table (a caller bug: they come from
    /// [`order_by_word`](Self::order_by_word)).
    pub fn parts_at(&self, order: &[u32]) -> (Vec<u8>, Vec<u32>, Vec<u64>) {
        let at = |&i: &u32| {
            let i = i as usize;
            assert!(
                i < self.len(),
                "entry {i} of a table of {} words",
                self.len()
            );
            i
        };
        let bytes = order.iter().map(|i| self.bytes_of(at(i)).len()).sum();
        let mut words = Vec::with_capacity(bytes);
        let mut lens = Vec::with_capacity(order.len());
        let mut counts = Vec::with_capacity(order.len());
        for i in order.iter().map(at) {
            let w = self.bytes_of(i);
            words.extend_from_slice(w);
            lens.push(w.len() as u32);
            counts.push(self.counts[i]);
        }
        (words, lens, counts)
    }

    /// Reorders the words by their UTF-8 bytes. Builds the sorted table beside this one (the
    /// arena twice at the peak): for version-1 count files, read whole anyway. Count files are
    /// written through [`order_by_word`](Self::order_by_word) and [`parts_at`](Self::parts_at),
    /// which leave the table as it is.
    pub fn sort_by_word(&mut self) {
        let order = self.order_by_word();
        let mut arena = Vec::with_capacity(self.arena.len());
        let mut ends = Vec::with_capacity(self.len());
        let mut counts = Vec::with_capacity(self.len());
        for &i in &order {
            arena.extend_from_slice(self.bytes_of(i as usize));
            ends.push(arena.len());
            counts.push(self.counts[i as usize]);
        }
        // Entry numbers changed: rebuild the index (words are distinct, no lookups needed).
        let mut index = HashTable::with_capacity(counts.len());
        for n in 0..counts.len() {
            let start = if n == 0 { 0 } else { ends[n - 1] };
            let (a, e) = (&arena, &ends);
            index.insert_unique(hash_bytes(&arena[start..ends[n]]), n as u32, |&i| {
                let i = i as usize;
                let start = if i == 0 { 0 } else { e[i - 1] };
                hash_bytes(&a[start..e[i]])
            });
        }
        self.arena = arena;
        self.ends = ends;
        self.counts = counts;
        self.index = index;
    }

    /// Inverse of [`to_parts`](Self::to_parts). Fails when the lengths do not add up, a word is
    /// not UTF-8, or `lens` and `counts` differ in length. Duplicate words are summed.
    pub fn from_parts(bytes: &[u8], lens: &[u32], counts: &[u64]) -> Result<WordCounts> {
        let mut out = WordCounts::new();
        out.arena.reserve(bytes.len());
        out.ends.reserve(lens.len());
        out.counts.reserve(lens.len());
        out.add_parts(bytes, lens, counts)?;
        Ok(out)
    }

    /// Adds words given as parts (see [`to_parts`](Self::to_parts)): a count file read in
    /// chunks goes straight into one table. On error nothing is added.
    pub fn add_parts(&mut self, bytes: &[u8], lens: &[u32], counts: &[u64]) -> Result<()> {
        if lens.len() != counts.len() {
            return Err(Error::InvalidField {
                field: "counts".into(),
                reason: format!("{} word lengths but {} counts", lens.len(), counts.len()),
            });
        }
        let sum: u64 = lens.iter().map(|&l| l as u64).sum();
        if sum != bytes.len() as u64 {
            return Err(Error::InvalidField {
                field: "lens".into(),
                reason: format!(
                    "word lengths add up to {sum} bytes but {} bytes were given",
                    bytes.len()
                ),
            });
        }
        let mut words = Vec::with_capacity(lens.len());
        let mut at = 0usize;
        for (i, &l) in lens.iter().enumerate() {
            let w = &bytes[at..at + l as usize];
            words.push(std::str::from_utf8(w).map_err(|e| Error::InvalidField {
                field: "bytes".into(),
                reason: format!("word #{i} is not valid UTF-8: {e}"),
            })?);
            at += l as usize;
        }
        for (w, &c) in words.into_iter().zip(counts) {
            self.add(w, c);
        }
        Ok(())
    }
}

/// Pretokenizes text into [`WordCounts`] the way HF's trainer does.
pub struct Counter {
    pub pretokenizer: PreTokenizer,
    /// Map every byte of a piece to its GPT-2 char (ByteLevel after the split).
    pub byte_level: bool,
}

struct Scratch {
    spans: Vec<Span>,
    buf: String,
    map: [char; 256],
}

impl Counter {
    pub fn new(pretokenizer: PreTokenizer, byte_level: bool) -> Counter {
        Counter {
            pretokenizer,
            byte_level,
        }
    }

    fn scratch(&self) -> Scratch {
        Scratch {
            spans: Vec::new(),
            buf: String::new(),
            map: crate::tokenizer::bytes::byte_to_char(),
        }
    }

    fn count_one(&self, text: &str, counts: &mut WordCounts, s: &mut Scratch) {
        s.spans.clear();
        self.pretokenizer.split(text, &mut s.spans);
        for &(a, b) in &s.spans {
            let piece = &text[a..b];
            if self.byte_level {
                s.buf.clear();
                for &byte in piece.as_bytes() {
                    s.buf.push(s.map[byte as usize]);
                }
                counts.add(&s.buf, 1);
            } else {
                counts.add(piece, 1);
            }
        }
    }

    /// Pretokenizes `text` as one sequence and adds each piece (model space) with count 1.
    pub fn count_sequence(&self, text: &str, counts: &mut WordCounts) {
        let mut s = self.scratch();
        self.count_one(text, counts, &mut s);
    }

    /// Each line of `text`, with its `\n` (so `\r\n` too), is one sequence, as in HF
    /// `train_from_files`.
    pub fn count_lines(&self, text: &str, counts: &mut WordCounts) {
        let mut s = self.scratch();
        for line in text.split_inclusive('\n') {
            self.count_one(line, counts, &mut s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn train_counts_add_merge_parts() {
        let mut a = WordCounts::new();
        a.add("ab", 2);
        a.add("c", 1);
        a.add("ab", 3);
        a.add("", 1);
        assert_eq!(a.len(), 3);
        assert_eq!(a.get("ab"), 5);
        assert_eq!(a.get(""), 1);
        assert_eq!(a.total(), 7);
        let mut b = WordCounts::new();
        b.add("c", 4);
        b.add("ĠdÃ©", 1);
        let mut ab = a.clone();
        ab.merge_from(&b);
        let mut ba = b.clone();
        ba.merge_from(&a);
        for w in ["ab", "c", "", "ĠdÃ©", "zz"] {
            assert_eq!(ab.get(w), ba.get(w), "{w}");
        }
        assert_eq!(ab.get("c"), 5);
        let (bytes, lens, counts) = ab.to_parts();
        let back = WordCounts::from_parts(&bytes, &lens, &counts).unwrap();
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            ab.iter().collect::<Vec<_>>()
        );
        assert!(WordCounts::from_parts(&bytes, &lens[1..], &counts[1..]).is_err());
        // Sorted by bytes, same multiset, lookups still work; add_parts sums into a table.
        let mut sorted = ab.clone();
        sorted.sort_by_word();
        let words: Vec<&str> = sorted.iter().map(|(w, _)| w).collect();
        assert_eq!(words, ["", "ab", "c", "ĠdÃ©"]);
        assert_eq!(sorted.get("c"), 5);
        assert_eq!(sorted.total(), ab.total());
        sorted.add_parts(&bytes, &lens, &counts).unwrap();
        assert_eq!(sorted.get("ab"), 10);
        assert_eq!(sorted.len(), 4);
        assert!(sorted.add_parts(b"x\xff", &[1, 1], &[1, 1]).is_err());
        assert_eq!(sorted.get("x"), 0, "nothing added on error");
        assert!(WordCounts::from_parts(&[0xff], &[1], &[1]).is_err());
        assert!(WordCounts::from_parts(b"ab", &[1], &[1, 2]).is_err());
    }

    #[test]
    fn train_counts_order_by_word_leaves_the_table() {
        let mut a = WordCounts::new();
        for (w, c) in [
            ("zeta", 1),
            ("", 2),
            ("ab", 3),
            ("ĠdÃ©", 4),
            ("a", 5),
            ("abc", 6),
        ] {
            a.add(w, c);
        }
        let before: Vec<(String, u64)> = a.iter().map(|(w, c)| (w.to_string(), c)).collect();
        let order = a.order_by_word();
        assert_eq!(order, [1, 4, 2, 5, 0, 3]);
        // The table is as it was: insertion order, lookups.
        let after: Vec<(String, u64)> = a.iter().map(|(w, c)| (w.to_string(), c)).collect();
        assert_eq!(after, before);
        assert_eq!(a.get("abc"), 6);
        // Chunks of the order give the sorted table's parts, piece by piece.
        let mut sorted = a.clone();
        sorted.sort_by_word();
        let whole = sorted.to_parts();
        let (mut words, mut lens, mut counts) = (Vec::new(), Vec::new(), Vec::new());
        for chunk in order.chunks(4) {
            let (w, l, c) = a.parts_at(chunk);
            words.extend(w);
            lens.extend(l);
            counts.extend(c);
        }
        assert_eq!((words, lens, counts), whole);
        assert_eq!(a.parts_at(&[]), (vec![], vec![], vec![]));
        // Reserving changes nothing but the room.
        let mut r = a.clone();
        r.reserve(1000, 10_000);
        assert!(r.arena.capacity() >= r.arena.len() + 10_000);
        r.add("new", 1);
        r.add("zeta", 1);
        assert_eq!((r.len(), r.get("zeta"), r.get("new")), (7, 2, 1));
        assert_eq!(
            r.iter().skip(1).take(5).collect::<Vec<_>>(),
            a.iter().skip(1).collect::<Vec<_>>()
        );
    }

    #[test]
    fn train_counts_many_words_grow() {
        let mut a = WordCounts::new();
        for i in 0..50_000u64 {
            a.add(&format!("w{}", i % 20_000), 1);
        }
        assert_eq!(a.len(), 20_000);
        assert_eq!(a.get("w19999"), 2);
        assert_eq!(a.get("w5"), 3);
    }

    #[test]
    fn train_counter_lines_keep_endings() {
        let c = Counter::new(PreTokenizer::by_name("gpt2").unwrap(), true);
        let mut wc = WordCounts::new();
        c.count_lines("hi there\r\nhi\n\nend", &mut wc);
        // Lines: "hi there\r\n", "hi\n", "\n", "end".
        assert_eq!(wc.get("hi"), 2);
        assert_eq!(wc.get("Ġthere"), 1);
        assert_eq!(wc.get("čĊ"), 1);
        assert_eq!(wc.get("Ċ"), 2);
        assert_eq!(wc.get("end"), 1);
        let mut seq = WordCounts::new();
        c.count_sequence("hi\n\n", &mut seq);
        assert_eq!(seq.get("ĊĊ"), 1);
    }
}
