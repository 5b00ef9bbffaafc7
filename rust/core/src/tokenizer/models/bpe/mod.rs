//! The BPE model of a tokenizer: vocabulary, merges, and how a pretokenized piece becomes ids.
//!
//! A piece is cut into units first — bytes for byte-level vocabularies (each byte stands for its
//! GPT-2 char), chars otherwise — each unit looked up in the vocabulary, then merged by
//! [`crate::tokenizer::models::bpe::merge::merge`]. A unit missing from the vocabulary follows HF `merge_word`:
//! `<0xNN>` tokens when `byte_fallback` (only if all of the char's bytes have one), else `unk`
//! (consecutive unks fused when `fuse_unk`), else the unit is dropped silently.
pub mod blocks;
pub mod merge;
pub mod merge_queue;
use crate::error::{Error, Result};
use crate::tokenizer::bytes::{byte_to_char, token_to_bytes};
use crate::tokenizer::models::bpe::blocks::{merge_symbols, Symbols, BLOCK};
use crate::tokenizer::models::bpe::merge::{merge, Merges};
use rustc_hash::FxHashMap;
use std::cell::RefCell;

use crate::tokenizer::ids::NONE;
use crate::tokenizer::progress::{LoadProgress, LoadStage, StageReport};
/// Pieces shorter than this are cached (HF caches pieces under 256 bytes too).
const CACHE_PIECE_MAX: usize = 256;
/// The cache is dropped and restarted when it holds this many pieces: bounded memory, no LRU cost.
const CACHE_ENTRIES_MAX: usize = 200_000;

pub struct BpeModel {
    /// id -> token string as written in the vocabulary ("" for ids the vocabulary skips).
    pub id_to_token: Vec<String>,
    pub token_to_id: FxHashMap<String, u32>,
    pub merges: Merges,
    /// The merge list in rank order, as written (for saving, trimming and training).
    pub merge_list: Vec<(u32, u32)>,
    pub byte_level: bool,
    pub byte_fallback: bool,
    pub unk: Option<u32>,
    pub fuse_unk: bool,
    pub ignore_merges: bool,
    /// Model-space bytes (raw bytes for byte-level, UTF-8 of the token otherwise) -> id.
    bytes_to_id: FxHashMap<Box<[u8]>, u32>,
    unit_byte: [u32; 256],
    fallback: [u32; 256],
    char_ids: FxHashMap<char, u32>,
    cache: RefCell<PieceCache>,
}

/// Piece bytes -> its ids.
type PieceCache = FxHashMap<Box<[u8]>, Box<[u32]>>;

impl BpeModel {
    /// Builds a model from a vocabulary (token -> id) and merges given as token-string pairs.
    pub fn new(
        vocab: FxHashMap<String, u32>,
        merges: &[(String, String)],
        byte_level: bool,
        options: ModelOptions,
        progress: &mut dyn FnMut(LoadProgress),
    ) -> Result<BpeModel> {
        let mut stage = StageReport::start(LoadStage::MergeTable, merges.len(), progress);
        let max_id = vocab.values().copied().max().map_or(0, |m| m as usize + 1);
        let mut id_to_token = vec![String::new(); max_id];
        for (tok, &id) in &vocab {
            id_to_token[id as usize] = tok.clone();
        }
        let mut table = Merges::default();
        table.reserve(merges.len());
        let mut merge_list = Vec::with_capacity(merges.len());
        // One buffer for every concatenation: half a million allocations are slow in WASM.
        let mut merged = String::new();
        for (rank, (a, b)) in merges.iter().enumerate() {
            stage.tick(rank);
            let bad = |reason: &str| Error::BadMerge {
                index: rank,
                left: a.clone(),
                right: b.clone(),
                reason: reason.to_string(),
            };
            let ia = *vocab
                .get(a)
                .ok_or_else(|| bad("left part is not in the vocabulary"))?;
            let ib = *vocab
                .get(b)
                .ok_or_else(|| bad("right part is not in the vocabulary"))?;
            merged.clear();
            merged.push_str(a);
            merged.push_str(b);
            let im = *vocab
                .get(&merged)
                .ok_or_else(|| bad("merged token is not in the vocabulary"))?;
            table.insert(ia, ib, rank as u32, im);
            merge_list.push((ia, ib));
        }
        let mut model = BpeModel::assemble(id_to_token, vocab, table, byte_level, options)?;
        model.merge_list = merge_list;
        stage.finish();
        Ok(model)
    }

    /// Builds a model whose merges are implied by token ranks (tiktoken): the pair (x, y) merges
    /// with the rank of the token x+y, for every split of every token into two tokens.
    pub fn from_ranks(
        tokens: Vec<Vec<u8>>,
        progress: &mut dyn FnMut(LoadProgress),
    ) -> Result<BpeModel> {
        let mut stage = StageReport::start(LoadStage::MergeTable, tokens.len(), progress);
        let map = byte_to_char();
        let mut vocab = FxHashMap::default();
        let mut by_bytes: FxHashMap<&[u8], u32> = FxHashMap::default();
        for (id, t) in tokens.iter().enumerate() {
            by_bytes.insert(t, id as u32);
        }
        let mut table = Merges::default();
        for (id, t) in tokens.iter().enumerate() {
            stage.tick(id);
            for cut in 1..t.len() {
                if let (Some(&x), Some(&y)) = (by_bytes.get(&t[..cut]), by_bytes.get(&t[cut..])) {
                    table.insert(x, y, id as u32, id as u32);
                }
            }
        }
        let id_to_token: Vec<String> = tokens
            .iter()
            .map(|t| t.iter().map(|&b| map[b as usize]).collect())
            .collect();
        for (id, s) in id_to_token.iter().enumerate() {
            vocab.insert(s.clone(), id as u32);
        }
        let model = BpeModel::assemble(id_to_token, vocab, table, true, ModelOptions::default());
        stage.finish();
        model
    }

    fn assemble(
        id_to_token: Vec<String>,
        token_to_id: FxHashMap<String, u32>,
        merges: Merges,
        byte_level: bool,
        o: ModelOptions,
    ) -> Result<BpeModel> {
        let unk = match &o.unk_token {
            Some(u) => Some(*token_to_id.get(u).ok_or_else(|| Error::InvalidField {
                field: "model.unk_token".into(),
                reason: format!("{u:?} is not in the vocabulary"),
            })?),
            None => None,
        };
        let mut bytes_to_id = FxHashMap::default();
        for (tok, &id) in &token_to_id {
            let bytes = if byte_level {
                token_to_bytes(tok)
            } else {
                Some(tok.as_bytes().to_vec())
            };
            if let Some(b) = bytes {
                bytes_to_id.entry(b.into_boxed_slice()).or_insert(id);
            }
        }
        let map = byte_to_char();
        let mut unit_byte = [NONE; 256];
        let mut fallback = [NONE; 256];
        for b in 0..256 {
            if let Some(&id) = token_to_id.get(&map[b].to_string()) {
                unit_byte[b] = id;
            }
            if let Some(&id) = token_to_id.get(&format!("<0x{b:02X}>")) {
                fallback[b] = id;
            }
        }
        let mut char_ids = FxHashMap::default();
        for (tok, &id) in &token_to_id {
            let mut cs = tok.chars();
            if let (Some(c), None) = (cs.next(), cs.next()) {
                char_ids.insert(c, id);
            }
        }
        Ok(BpeModel {
            id_to_token,
            token_to_id,
            merges,
            merge_list: Vec::new(),
            byte_level,
            byte_fallback: o.byte_fallback,
            unk,
            fuse_unk: o.fuse_unk,
            ignore_merges: o.ignore_merges,
            bytes_to_id,
            unit_byte,
            fallback,
            char_ids,
            cache: RefCell::new(FxHashMap::default()),
        })
    }

    /// The id of a piece given in model space, if the whole piece is one token.
    pub fn piece_id(&self, piece: &[u8]) -> Option<u32> {
        self.bytes_to_id.get(piece).copied()
    }

    /// Encodes one piece, appending ids and, when `spans` is given, each token's byte range
    /// relative to the piece start.
    pub fn tokenize(&self, piece: &str, ids: &mut Vec<u32>, spans: Option<&mut Vec<(u32, u32)>>) {
        let bytes = piece.as_bytes();
        if bytes.is_empty() {
            return;
        }
        if self.ignore_merges {
            if let Some(id) = self.piece_id(bytes) {
                ids.push(id);
                if let Some(s) = spans {
                    s.push((0, bytes.len() as u32));
                }
                return;
            }
        }
        let cacheable = spans.is_none() && bytes.len() < CACHE_PIECE_MAX;
        if cacheable {
            if let Some(hit) = self.cache.borrow().get(bytes) {
                ids.extend_from_slice(hit);
                return;
            }
        }
        // Symbol starts only for offsets: 4 bytes a symbol that a long piece would pay for nothing.
        let track = spans.is_some();
        if bytes.len() > 2 * BLOCK {
            // A long piece (megabytes of letters): its symbols made a block at a time, its ids
            // appended as blocks become final, never 4 bytes a byte of symbols for the whole.
            let (first, mut starts) = (ids.len(), Vec::new());
            let mut src = PieceUnits {
                model: self,
                piece,
                at: 0,
                last_unk: false,
                track,
            };
            merge_symbols(&self.merges, &mut src, track, ids, &mut starts, BLOCK);
            if let Some(s) = spans {
                push_spans(s, &starts, bytes.len());
            }
            debug_assert!(!track || ids.len() - first == starts.len());
            return;
        }
        let mut sym = Vec::with_capacity(bytes.len());
        let mut starts = Vec::with_capacity(if track { bytes.len() } else { 0 });
        self.units(piece, &mut sym, &mut starts, track);
        merge(&self.merges, &mut sym, &mut starts);
        if cacheable {
            let mut cache = self.cache.borrow_mut();
            if cache.len() >= CACHE_ENTRIES_MAX {
                cache.clear();
            }
            cache.insert(bytes.into(), sym.clone().into_boxed_slice());
        }
        if let Some(s) = spans {
            push_spans(s, &starts, bytes.len());
        }
        ids.extend_from_slice(&sym);
    }

    /// The initial symbols of a piece given in model space (raw bytes for byte-level vocabularies,
    /// UTF-8 text otherwise), before any merge: what trimming replays BPE from.
    pub fn initial_units(&self, piece: &[u8]) -> Vec<u32> {
        let (mut sym, mut starts) = (Vec::new(), Vec::new());
        if self.byte_level {
            self.byte_units_at(piece, 0, &mut false, &mut sym, &mut starts, true);
        } else if let Ok(s) = std::str::from_utf8(piece) {
            self.units(s, &mut sym, &mut starts, true);
        }
        sym
    }

    fn units(&self, piece: &str, sym: &mut Vec<u32>, starts: &mut Vec<u32>, track: bool) {
        self.units_at(piece, 0, &mut false, sym, starts, track)
    }

    /// `units` of a part of a piece that starts at byte `offset` of it; `last_unk` carries
    /// whether the symbol before the part was an unk (consecutive unks may fuse).
    fn units_at(
        &self,
        part: &str,
        offset: usize,
        last_unk: &mut bool,
        sym: &mut Vec<u32>,
        starts: &mut Vec<u32>,
        track: bool,
    ) {
        if self.byte_level {
            return self.byte_units_at(part.as_bytes(), offset, last_unk, sym, starts, track);
        }
        let mut buf = [0u8; 4];
        for (i, c) in part.char_indices() {
            if let Some(&id) = self.char_ids.get(&c) {
                sym.push(id);
                if track {
                    starts.push((offset + i) as u32);
                }
                *last_unk = false;
            } else {
                let bytes = c.encode_utf8(&mut buf).as_bytes();
                *last_unk = self.push_missing(sym, starts, offset + i, bytes, *last_unk, track);
            }
        }
    }

    /// The byte-level `units_at`: one unit a byte.
    fn byte_units_at(
        &self,
        bytes: &[u8],
        offset: usize,
        last_unk: &mut bool,
        sym: &mut Vec<u32>,
        starts: &mut Vec<u32>,
        track: bool,
    ) {
        for (i, &b) in bytes.iter().enumerate() {
            let id = self.unit_byte[b as usize];
            if id != NONE {
                sym.push(id);
                if track {
                    starts.push((offset + i) as u32);
                }
                *last_unk = false;
            } else {
                *last_unk = self.push_missing(sym, starts, offset + i, &[b], *last_unk, track);
            }
        }
    }

    /// Handles a unit missing from the vocabulary; returns whether it became an unk.
    fn push_missing(
        &self,
        sym: &mut Vec<u32>,
        starts: &mut Vec<u32>,
        at: usize,
        bytes: &[u8],
        last_unk: bool,
        track: bool,
    ) -> bool {
        if self.byte_fallback && bytes.iter().all(|&b| self.fallback[b as usize] != NONE) {
            for &b in bytes {
                sym.push(self.fallback[b as usize]);
                if track {
                    starts.push(at as u32);
                }
            }
            false
        } else if let Some(unk) = self.unk {
            if !(self.fuse_unk && last_unk) {
                sym.push(unk);
                if track {
                    starts.push(at as u32);
                }
            }
            true
        } else {
            false
        }
    }

    pub fn vocab_size(&self) -> usize {
        self.token_to_id.len()
    }
}

#[derive(Default, Clone)]
pub struct ModelOptions {
    pub unk_token: Option<String>,
    pub byte_fallback: bool,
    pub fuse_unk: bool,
    pub ignore_merges: bool,
}

/// A long piece's initial symbols, a segment of [`BLOCK`] bytes (to a char end) at a time.
struct PieceUnits<'a> {
    model: &'a BpeModel,
    piece: &'a str,
    at: usize,
    last_unk: bool,
    track: bool,
}

impl Symbols for PieceUnits<'_> {
    fn next_segment(&mut self, sym: &mut Vec<u32>, starts: &mut Vec<u32>) -> bool {
        if self.at == self.piece.len() {
            return false;
        }
        let mut end = (self.at + BLOCK).min(self.piece.len());
        while !self.piece.is_char_boundary(end) {
            end += 1;
        }
        let part = &self.piece[self.at..end];
        let m = self.model;
        m.units_at(part, self.at, &mut self.last_unk, sym, starts, self.track);
        self.at = end;
        true
    }

    fn all(&mut self) -> (Vec<u32>, Vec<u32>) {
        let (mut sym, mut starts) = (Vec::new(), Vec::new());
        self.model
            .units(self.piece, &mut sym, &mut starts, self.track);
        (sym, starts)
    }
}

/// Each token's byte range from its symbol start: a token ends where the next token with a
/// later start begins (the byte-fallback tokens of one char all share its start, and all get
/// the whole char, as HF).
fn push_spans(s: &mut Vec<(u32, u32)>, starts: &[u32], piece_len: usize) {
    let first = s.len();
    let mut end = piece_len as u32;
    for k in (0..starts.len()).rev() {
        if k + 1 < starts.len() && starts[k + 1] > starts[k] {
            end = starts[k + 1];
        }
        s.push((starts[k], end));
    }
    s[first..].reverse();
}

#[cfg(test)]
mod tests {
    use crate::tokenizer::models::bpe::merge::run_linked;
    use crate::tokenizer::models::Model;
    use crate::tokenizer::pretokenize::Span;
    use crate::tokenizer::Tokenizer;

    /// The ids of one linked-list run over each piece's symbols, all made at once: what the
    /// windowed long-piece path must equal.
    fn unbounded(tok: &Tokenizer, text: &str) -> Vec<u32> {
        let Model::Bpe(m) = &tok.model else {
            panic!("a BPE tokenizer")
        };
        let mut pieces: Vec<Span> = Vec::new();
        match &tok.pre_tokenizer {
            Some(p) => p.split(text, &mut pieces),
            None => pieces.push((0, text.len())),
        }
        let mut ids = Vec::new();
        for (s, e) in pieces {
            let (mut sym, mut starts) = (Vec::new(), Vec::new());
            m.units(&text[s..e], &mut sym, &mut starts, false);
            ids.extend(run_linked(&m.merges, &sym, 0, None).0);
        }
        ids
    }

    /// A BPE whose tokens are a, aa, aaaa, … a^(2^17): its merges make tokens longer than a
    /// block, so block boundaries are crossed and the windowed path joins blocks or falls back.
    fn powers_of_a() -> Tokenizer {
        let mut vocab = serde_json::Map::new();
        let mut merges = Vec::new();
        let mut tok = "a".to_string();
        vocab.insert(tok.clone(), 0.into());
        vocab.insert("b".into(), 1.into());
        for k in 1..=17 {
            merges.push(format!("{tok} {tok}"));
            tok = tok.repeat(2);
            vocab.insert(tok.clone(), (k + 1).into());
        }
        let json = serde_json::json!({
            "model": {"type": "BPE", "vocab": vocab, "merges": merges},
            "added_tokens": [],
        });
        crate::tokenizer::json::from_json_str(&json.to_string()).unwrap()
    }

    /// Several MB of letters with no whitespace (one pretoken as long as the text under Llama-3
    /// and Qwen3's `\p{L}+`): the same ids as the unbounded run, offsets included.
    #[test]
    fn long_letter_runs_encode_as_one_unbounded_run() {
        let words = [
            "the",
            "quick",
            "brown",
            "fox",
            "Größe",
            "naïve",
            "tokenizer",
            "qu",
        ];
        let mut x = 1u64;
        let mut letters = String::new();
        while letters.len() < 3 << 20 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            letters.push_str(words[(x >> 33) as usize % words.len()]);
        }
        let mut cases: Vec<(String, Tokenizer, String)> = Vec::new();
        for name in ["llama3", "qwen3", "gpt4o"] {
            let tok =
                crate::tokenizer::json::from_json_str(&crate::testdata::real_tokenizer_json(name));
            cases.push((name.into(), tok.unwrap(), letters.clone()));
        }
        let a = "a".repeat((1 << 20) + 12345) + "b" + &"a".repeat(600_000);
        cases.push(("powers of a".into(), powers_of_a(), a));
        for (name, tok, text) in &cases {
            let want = unbounded(tok, text);
            let got = tok.encode(text, false);
            assert_eq!(got.len(), want.len(), "{name}");
            assert!(got == want, "{name}: ids differ");
            let full = tok.encode_full(text, false, true);
            assert!(full.ids == want, "{name}: ids with offsets differ");
            let offs = full.offsets.unwrap();
            assert_eq!(offs.len(), want.len());
            assert!(offs.windows(2).all(|w| w[0].1 == w[1].0), "{name}: offsets");
            assert_eq!(offs.last().unwrap().1 as usize, text.len(), "{name}");
        }
    }
}
