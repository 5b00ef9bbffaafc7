//! Byte-level view of a token-level language model (Phan et al. 2024, BTR lemma; Hayase et al.
//! 2025, valid covering tree). This module holds the tokenizer side; the model's numbers live in
//! the caller (TS), which asks [`CoverState`] which token prefixes it needs.
//!
//! Definitions. `E(s)` is the canonical encoding of bytes `s` (the tokenizer's own encoding, added
//! tokens never matched in text). A token sequence is *canonical* when it equals `E` of its bytes.
//! Canonical-encoding assumption: the LM gives mass only to canonical sequences.
//!
//! BTR lemma. For a byte prefix `x` (|x| = n), P(x) = Σ_{c ∈ cover(x)} P(c), where a cover is
//! `c = a ++ [t]` with `dec(a) = x[..j]`, `j < n`, and `x[j..]` a prefix of `bytes(t)`.
//! Under the assumption only canonical covers count, and for BPE without pretokenizer splits:
//! 1. `a = E(x[..j])` (uniqueness of valid encodings);
//! 2. `a ++ [t]` is canonical iff the pair `(last(a), t)` is: `E(bytes(l) ++ bytes(t)) = [l, t]`
//!    (substrings of valid sequences are valid; validity is checked pairwise);
//! 3. only `j ≥ n − L_max` matter (L_max = longest token), so each new byte adds one split point
//!    `j = n` and one model call (at `E(x)`): amortised model calls per byte ≤ 1.
//!
//! Hence P(x b) = Σ_j Σ_{valid t, bytes(t) ⊒ x[j..] b} P(E(x[..j])) · q_j(t), exactly.
//!
//! With a splitting pretokenizer a cover is valid iff some continuation y gives
//! `E(dec c ++ y)` starting with c, and several encodings of the same bytes can be valid
//! prefixes (`\s+(?!\S)` gives the last space of a run to the next word; Llama-3 `"\n \n"` is one
//! piece `["\n ", "\n"]` while `"\n "` alone is two). The state then keeps a tree of nodes (token
//! sequences) instead of one encoding per position: the bytes before the last two pieces are
//! settled (checked on every advance), and the tail may take one structure per continuation,
//! each giving its own node (`branches`: continuations are stood for by probes, one char of
//! each class the scanners tell apart, one and two chars long). A cover is accepted when the
//! text ending after it witnesses it (fast: `classes` decides the piece structure once per pair
//! of char-class strings, `pairs` the pair validity without the merge loop) or a probe does.
//! For the known scanners (GPT-2, Llama-3, cl100k, o200k: `classes::class_based`) this is
//! checked against brute force on small trained tokenizers and reported `exact`; other
//! splitting pretokenizers (general regexes) take the same path but are reported `exact =
//! false`, as the probes are not known to stand for every continuation there. (Accepting a
//! cover that is not valid would not change results under the assumption, only count leaked
//! non-canonical mass as canonical; missing a valid one would, and the brute-force tests catch it.)
//!
//! SentencePiece-style BPE with byte fallback (Gemma3: spaces replaced by `▁`, merges over chars,
//! `<0xNN>` tokens for chars missing from the vocabulary) is exact too (module `spm`): a
//! byte-fallback char is a barrier no merge crosses, so the pairwise theory holds on the runs
//! between such chars, and split points inside a char exist only through byte tokens of a char
//! that falls back. Text containing a literal U+2581 is not canonical (it decodes to a space), and
//! a text may not end inside a char (`may_end`). Non-special added tokens that are the model's own
//! tokens (Gemma3's "\n", "\t") stay text. Refused: a prepended `▁` (Llama-2, Mistral: the first
//! token's bytes would depend on its position), other normalizers, splitting pretokenizers.
//! `E` never matches added tokens, so it differs from the tokenizer's encoding on text containing
//! an added token's content that BPE splits (Gemma3 `<b>`, `<start_of_turn>`).
mod branches;
mod classes;
pub mod masses;
mod memo;
mod pairs;
mod spm;
mod state;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_real;
#[cfg(test)]
mod tests_spm;

pub use masses::{Masses, VectorError, VectorKind};
pub use state::{CoverState, End, Layout, Offer, Plan, Split, TokSet};

use crate::error::{Error, Result};
use crate::tokenizer::models::bpe::merge::merge;
use crate::tokenizer::pretokenize::PreTokenizer;
use crate::tokenizer::{Tokenizer, Transform};
use classes::Outcome;
use memo::Memo;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::rc::Rc;

type EndMemo = Memo<(u32, Vec<u32>, bool, Vec<u8>), state::Runs>;
type RescueMemo = Memo<Vec<u32>, Rc<RefCell<FxHashMap<u32, Rc<Vec<branches::Probe>>>>>>;
/// `branches::open_next`'s groups: (group id, tokens).
pub(crate) type OpenGroups = Rc<Vec<(u32, Vec<u32>)>>;
/// `Rescuer::open_witnessed`'s group structures by (class of t, group id).
pub(crate) type OpenKinds = Rc<RefCell<FxHashMap<(u32, u32), Outcome>>>;

/// Marks "no token" / "no next byte" in flat outputs.
pub use crate::tokenizer::ids::NONE;

pub struct ByteModel {
    pub tok: Tokenizer,
    /// id -> bytes (empty for ids that are no text token: gaps, added tokens).
    pub bytes: Vec<Vec<u8>>,
    /// Text tokens sorted by bytes: a byte prefix is one contiguous range.
    pub sorted: Vec<u32>,
    /// id -> its index in `sorted` (NONE for ids without bytes).
    pub pos: Vec<u32>,
    /// `sorted[first[b]..first[b + 1]]` are the tokens whose first byte is b.
    pub first: Vec<usize>,
    /// Ids that are no text token (added tokens, gaps): not in `sorted`.
    pub others: Vec<u32>,
    /// `E(bytes(t)) == [t]`: tokens BPE can emit on their own (others are unreachable).
    pub reachable: Vec<bool>,
    pub max_len: usize,
    /// The pretokenizer never splits (and no ignore_merges): one node per byte position.
    pub simple: bool,
    /// Every result is exact under the canonical-encoding assumption: no splitting, or a
    /// splitting pretokenizer whose continuations the probes stand for (module doc).
    pub exact: bool,
    pair_cache: Memo<u64, bool>,
    /// `pairs::PairIndex::invalid_after` by last token.
    pair_invalid: Memo<u32, Option<Rc<[u32]>>>,
    /// ignore_merges: last piece P -> tokens t with P ++ bytes(t) in the vocabulary.
    whole_cache: Memo<Vec<u8>, Rc<Vec<u32>>>,
    /// `bpe` of one piece, by its bytes (`piece_tokens`). Sized for code: on SmolLM2 each byte of
    /// an indentation run encodes ~1,000 pieces (a rescue candidate's bytes and a probe), the same
    /// ones at every run byte; at 2^16 entries the memo was dropped every ~65 bytes and 528 k
    /// pieces were encoded over 512 bytes of Python, 135 k at 2^18 (no drop over 2 KB).
    piece_memo: Memo<Vec<u8>, Rc<[u32]>>,
    /// End-of-prefix invalid sets by (last token, window class, keep, last piece): `state`.
    pub(crate) end_memo: EndMemo,
    /// End sets that are no function of w's class (some check encoded w), by w's bytes.
    pub(crate) exact_memo: EndMemo,
    /// The part of end sets that depends on w through its outcome row only (`state::EndBase`),
    /// by (row id, whether glued tokens go by their pair).
    pub(crate) base_memo: Memo<(u32, bool), Rc<state::EndBase>>,
    /// The base's rescue candidates split by what their rescue depends on (`state::RescueBase`),
    /// by (class of w, whether glued tokens go by their pair).
    pub(crate) rescue_base: Memo<(Vec<u32>, bool), Rc<state::RescueBase>>,
    /// SentencePiece: the end sets' parts that hold after every last token (`spm_end_invalid`).
    pub(crate) spm_base: Memo<(), Rc<(state::Runs, state::Runs)>>,
    /// Memos of `branches`: probe continuations by partial char, tail structures by tail
    /// bytes, valid sets after nodes of another structure by (tail, node tokens).
    pub(crate) probe_memo: Memo<Vec<u8>, Rc<Vec<Vec<u8>>>>,
    pub(crate) struct_memo: Memo<Vec<u8>, Rc<Vec<Vec<usize>>>>,
    pub(crate) alt_memo: Memo<(Vec<u8>, Vec<u32>), state::Runs>,
    /// Probes that keep a token class in one piece after a context class (`branches`).
    pub(crate) rescue_memo: RescueMemo,
    /// The key of `rescue_memo` by the class of w (`branches::rescue_key`).
    pub(crate) rescue_key: Memo<Vec<u32>, Rc<Vec<u32>>>,
    /// `branches::Rescuer::passing` by (class of w, token class, node ends in class
    /// coordinates): shared by the contexts of one class (`branches::PassKey`).
    pub(crate) pass_memo: Memo<branches::PassKey, Rc<[u8]>>,
    /// `branches::rescuable` of each token: 0 never, 1 whitespace (or all) probes, 2 letters.
    pub(crate) rescue_kind: Vec<u8>,
    /// Tokens that may follow an open char (`branches::open_next`), grouped by the class of
    /// the completed char and what follows it, by the open char's bytes.
    pub(crate) open_next: Memo<Vec<u8>, OpenGroups>,
    /// `open_next` groups' piece structure after w (`Outcome`), by the key of `rescue_memo`,
    /// then (class of t, group id).
    pub(crate) open_kind: Memo<Vec<u32>, OpenKinds>,
    /// Whether open-char tokens are tried with the tokens that may follow them
    /// (`Rescuer::open_witnessed`); on by default, off only to compare with the covers before
    /// (example `byteprob_open_check`).
    pub open_chars: bool,
    /// Ids of the class keys `open_next` groups by.
    pub(crate) open_keys: RefCell<FxHashMap<Vec<u32>, u32>>,
    /// Fast pair validity (module `pairs`): `None` when the merges are not rank-monotone.
    pairs: Option<pairs::PairIndex>,
    /// Piece-structure classes of token bytes (module `classes`); `None` for pretokenizers whose
    /// decisions are not functions of the char classes the classes keep.
    pub(crate) classes: Option<classes::TokenClasses>,
    /// SentencePiece-style BPE with byte fallback (module `spm`); None for byte-level BPE.
    pub(crate) spm: Option<spm::Spm>,
}

impl ByteModel {
    /// Wraps a tokenizer; refuses what cannot be handled byte-exactly.
    pub fn new(tok: Tokenizer) -> Result<ByteModel> {
        let unsupported = |why: &str| Err(Error::Other(format!("byte probabilities: {why}")));
        let is_spm = !tok.model.byte_level();
        if is_spm {
            if let Some(why) = spm::unsupported(&tok) {
                return unsupported(why);
            }
        } else if tok.normalizer.is_some() {
            return unsupported(
                "tokenizers with a normalizer change the bytes and are not supported",
            );
        }
        if !is_spm && tok.transform != Transform::None {
            return unsupported(
                "a prefix space or Metaspace transform changes the bytes and is not supported",
            );
        }
        let n = tok.model.id_to_token().len();
        let mut bytes: Vec<Vec<u8>> = (0..n as u32)
            .map(|id| crate::tokenizer::canon::token_bytes(&tok, id).unwrap_or_default())
            .collect();
        for a in &tok.added {
            // Gemma3's "\n" and "\t" are non-special added tokens and the model's only symbols
            // for those chars: they stay text (reachability below decides whether BPE makes one).
            let text = is_spm
                && !a.special
                && tok.model.id_to_token().get(a.id as usize) == Some(&a.content);
            if let Some(b) = bytes.get_mut(a.id as usize).filter(|_| !text) {
                b.clear();
            }
        }
        let mut sorted: Vec<u32> = (0..n as u32)
            .filter(|&i| !bytes[i as usize].is_empty())
            .collect();
        sorted.sort_by(|&a, &b| bytes[a as usize].cmp(&bytes[b as usize]));
        let max_len = bytes.iter().map(Vec::len).max().unwrap_or(0);
        let mut pos = vec![NONE; n];
        for (p, &t) in sorted.iter().enumerate() {
            pos[t as usize] = p as u32;
        }
        let first = (0..=256)
            .map(|b| sorted.partition_point(|&t| (bytes[t as usize][0] as usize) < b))
            .collect();
        // ignore_merges treats a whole piece specially, which breaks the pairwise theory when the
        // whole text is one piece: such tokenizers take the window path (and are not exact).
        // SentencePiece BPE: `unsupported` admits only pretokenizers that split nothing.
        let simple = is_spm
            || tok.pre_tokenizer.as_ref().is_none_or(never_splits) && !bpe(&tok).ignore_merges;
        let spm = is_spm.then(|| spm::Spm::new(&tok, &bytes));
        let others = (0..n as u32)
            .filter(|&i| bytes[i as usize].is_empty())
            .collect();
        let mut m = ByteModel {
            tok,
            bytes,
            sorted,
            pos,
            first,
            others,
            reachable: Vec::new(),
            max_len,
            simple,
            exact: simple,
            pair_cache: Memo::new(1 << 16),
            pair_invalid: Memo::new(1 << 12),
            whole_cache: Memo::new(1 << 14),
            piece_memo: Memo::new(1 << 18),
            end_memo: Memo::new(1 << 12),
            exact_memo: Memo::new(1 << 12),
            base_memo: Memo::new(1 << 10),
            rescue_base: Memo::new(1 << 10),
            spm_base: Memo::new(1),
            probe_memo: Memo::new(1 << 12),
            struct_memo: Memo::new(1 << 14),
            alt_memo: Memo::new(1 << 10),
            rescue_memo: Memo::new(1 << 12),
            rescue_key: Memo::new(1 << 12),
            pass_memo: Memo::new(1 << 16),
            rescue_kind: Vec::new(),
            open_next: Memo::new(1 << 12),
            open_kind: Memo::new(1 << 12),
            open_chars: true,
            open_keys: RefCell::default(),
            pairs: None,
            classes: None,
            spm,
        };
        // Reachable within one piece: a token the pretokenizer never isolates (Llama-3 "\n ") can
        // still be canonical inside a longer piece ("\n \n").
        let mut one = Vec::new();
        m.reachable = (0..n)
            .map(|i| {
                one.clear();
                m.bpe(&m.bytes[i], &mut one);
                !m.bytes[i].is_empty() && one == [i as u32]
            })
            .collect();
        if let Some(mut s) = m.spm.take() {
            s.keep_reachable(&m.bytes, &m.reachable);
            m.spm = Some(s);
        }
        m.pairs = pairs::PairIndex::new(&m);
        if !m.simple
            && m.tok
                .pre_tokenizer
                .as_ref()
                .is_some_and(classes::class_based)
        {
            m.classes = Some(classes::TokenClasses::new(&m.bytes));
            m.exact = true;
        }
        m.rescue_kind = (0..n as u32)
            .map(|t| match branches::rescuable(&m, t) {
                None => 0,
                Some(true) => 1,
                Some(false) => 2,
            })
            .collect();
        Ok(m)
    }

    /// Range [lo, hi) of `sorted` whose tokens start with `prefix`.
    pub fn prefix_range(&self, prefix: &[u8]) -> (usize, usize) {
        let b = &self.bytes;
        let lo = self
            .sorted
            .partition_point(|&t| b[t as usize].as_slice() < prefix);
        let hi = lo + self.sorted[lo..].partition_point(|&t| b[t as usize].starts_with(prefix));
        (lo, hi)
    }

    /// Pieces of `s`: the pretokenizer on its longest valid UTF-8 prefix; an incomplete trailing
    /// char stays in the last piece (module doc: an assumption when the pretokenizer splits).
    pub fn pieces(&self, s: &[u8], out: &mut Vec<(usize, usize)>) {
        out.clear();
        let valid = match std::str::from_utf8(s) {
            Ok(v) => v.len(),
            Err(e) => e.valid_up_to(),
        };
        // Safe: checked just above.
        let text = std::str::from_utf8(&s[..valid]).unwrap_or_default();
        match &self.tok.pre_tokenizer {
            Some(p) => p.split(text, out),
            None if valid > 0 => out.push((0, valid)),
            None => {}
        }
        if valid < s.len() {
            match out.last_mut() {
                Some(last) if last.1 == valid => last.1 = s.len(),
                _ => out.push((valid, s.len())),
            }
        }
    }

    /// `E(s)`: the canonical encoding of arbitrary bytes (added tokens never matched).
    pub fn encode_bytes(&self, s: &[u8]) -> Vec<u32> {
        if self.spm.is_some() {
            // One piece: the normalizer only turns spaces into ▁, the pretokenizer splits nothing.
            let mut out = Vec::new();
            self.merges_only(s, &mut out);
            return out;
        }
        let mut pieces = Vec::new();
        self.pieces(s, &mut pieces);
        let mut out = Vec::new();
        for &(a, b) in &pieces {
            self.bpe(&s[a..b], &mut out);
        }
        out
    }

    /// BPE of one piece on bytes (the model's merge loop; `ignore_merges` as HF).
    pub fn bpe(&self, piece: &[u8], out: &mut Vec<u32>) {
        let m = bpe(&self.tok);
        if m.ignore_merges {
            if let Some(id) = m.piece_id(piece) {
                out.push(id);
                return;
            }
        }
        self.merges_only(piece, out);
    }

    /// `bpe` of one piece, memoised by its bytes (rescue checks encode the same pieces of a
    /// context for every token and probe they try).
    pub fn piece_tokens(&self, piece: &[u8]) -> Rc<[u32]> {
        if let Some(v) = self.piece_memo.get(piece) {
            return v;
        }
        let mut out = Vec::new();
        self.bpe(piece, &mut out);
        let v: Rc<[u32]> = out.into();
        self.piece_memo.insert(piece.to_vec(), Rc::clone(&v));
        v
    }

    /// The merge loop alone (what happens inside a piece that is not itself a token).
    pub fn merges_only(&self, piece: &[u8], out: &mut Vec<u32>) {
        let mut sym = Vec::with_capacity(piece.len());
        self.units(piece, &mut sym);
        // Only the order of starts matters to the merge loop, not their values.
        let mut starts: Vec<u32> = (0..sym.len() as u32).collect();
        merge(&bpe(&self.tok).merges, &mut sym, &mut starts);
        out.extend_from_slice(&sym);
    }

    /// The model's initial symbols of decoded bytes, before any merge: one per byte for
    /// byte-level BPE, one per char (or its byte-fallback tokens) for SentencePiece BPE.
    pub fn units(&self, s: &[u8], out: &mut Vec<u32>) {
        match &self.spm {
            Some(spm) => spm.units(s, out),
            // A byte missing from a byte-level vocabulary has no encoding: such a string never
            // occurs as canonical text, and NONE never equals a real id, so checks fail safely.
            None => out.extend(
                s.iter()
                    .map(|&b| bpe(&self.tok).piece_id(&[b]).unwrap_or(NONE)),
            ),
        }
    }

    /// Whether `E(w) ++ [t]` is canonical, given `l`, the last token of `E(w)` (NONE when w is
    /// empty or has no encoding); exact tokenizers only. Reachability is the caller's.
    pub fn valid_next(&self, w: &[u8], l: u32, t: u32) -> bool {
        match &self.spm {
            Some(s) => self.spm_valid_next(s, w, l, t, false),
            None => w.is_empty() || (l != NONE && self.valid_pair(l, t)),
        }
    }

    /// `valid_next` for a scan over every t after one l: pairs by `pair_ok`.
    pub fn valid_next_scan(&self, w: &[u8], l: u32, t: u32) -> bool {
        match &self.spm {
            Some(s) => self.spm_valid_next(s, w, l, t, true),
            None => w.is_empty() || (l != NONE && self.pair_ok(l, t)),
        }
    }

    /// `valid_pair(l, t)` for scans over many t after one l: the invalid ones after l are found
    /// once through the merge trees (`PairIndex::invalid_after`) and looked up.
    pub fn pair_ok(&self, l: u32, t: u32) -> bool {
        let Some(p) = &self.pairs else {
            return self.valid_pair(l, t);
        };
        if !p.makes(t) {
            return false;
        }
        self.invalid_after(l)
            .is_some_and(|v| v.binary_search(&t).is_err())
    }

    /// The tokens the merge loop makes on their own that may not follow l (sorted ids; None:
    /// none may, or no fast pair index). Memoised.
    pub(crate) fn invalid_after(&self, l: u32) -> Option<Rc<[u32]>> {
        let p = self.pairs.as_ref()?;
        self.pair_invalid
            .get_or(l, || p.invalid_after(l).map(Into::into))
    }

    /// The merge loop makes t on its own (else no pair ending in t is valid); None without a
    /// fast pair index.
    pub(crate) fn makes(&self, t: u32) -> Option<bool> {
        self.pairs.as_ref().map(|p| p.makes(t))
    }

    /// The bytes of an incomplete last char of `x` (SentencePiece only: byte-level BPE does not
    /// look at chars), else empty.
    pub fn partial_char<'a>(&self, x: &'a [u8]) -> &'a [u8] {
        if self.spm.is_none() || x.is_empty() || spm::ends_at_char(x) {
            return &[];
        }
        &x[x.len() - branches::partial_tail(x).max(1).min(x.len())..]
    }

    /// Whether a text may end after `x`: SentencePiece BPE encodes only valid UTF-8, so end of
    /// text after a partial char is not canonical; byte-level BPE takes any bytes.
    pub fn may_end(&self, x: &[u8]) -> bool {
        self.spm.is_none() || x.is_empty() || spm::ends_at_char(x)
    }

    /// The last token of `E(x)` (exact tokenizers), given `last[j]`, the last token of `E(x[..j])`
    /// for 0 < j < |x|: the one suffix token whose pair with the encoding before it is valid
    /// (uniqueness of valid encodings); NONE when no encoding decodes to x.
    pub fn last_token(&self, x: &[u8], last: &[u32]) -> u32 {
        if let Some(s) = &self.spm {
            return self.spm_last_token(s, x, last);
        }
        let n = x.len();
        for len in (1..=n.min(self.max_len)).rev() {
            if let Some(t) = bpe(&self.tok).piece_id(&x[n - len..]) {
                let j = n - len;
                if self.reachable[t as usize] && self.valid_next(&x[..j], last[j], t) {
                    return t;
                }
            }
        }
        NONE
    }

    /// Pair validity within one piece: the merge loop on `bytes(l) ++ bytes(t)` gives `[l, t]`.
    /// (`ignore_merges` only acts on whole pieces; callers handle that case.) Cached.
    pub fn valid_pair(&self, l: u32, t: u32) -> bool {
        if let Some(p) = &self.pairs {
            return p.valid(l, t);
        }
        self.valid_pair_slow(l, t)
    }

    /// `valid_pair` by running the merge loop (cached): the definition the fast index must match.
    pub fn valid_pair_slow(&self, l: u32, t: u32) -> bool {
        let k = ((l as u64) << 32) | t as u64;
        self.pair_cache.get_or(k, || {
            let mut s = self.bytes[l as usize].clone();
            s.extend_from_slice(&self.bytes[t as usize]);
            let mut out = Vec::with_capacity(2);
            self.merges_only(&s, &mut out);
            out == [l, t]
        })
    }
}

impl ByteModel {
    /// ignore_merges only: the tokens t for which `p ++ bytes(t)` is itself a token (sorted).
    pub fn whole_after(&self, p: &[u8]) -> Rc<Vec<u32>> {
        if !bpe(&self.tok).ignore_merges {
            return Rc::new(Vec::new());
        }
        if let Some(v) = self.whole_cache.get(p) {
            return v;
        }
        let (lo, hi) = self.prefix_range(p);
        let mut v: Vec<u32> = self.sorted[lo..hi]
            .iter()
            .filter_map(|&u| {
                let rest = &self.bytes[u as usize][p.len()..];
                (!rest.is_empty())
                    .then(|| bpe(&self.tok).piece_id(rest))
                    .flatten()
            })
            .collect();
        v.sort_unstable();
        let v = Rc::new(v);
        self.whole_cache.insert(p.to_vec(), Rc::clone(&v));
        v
    }

    /// Piece structure of `w ++ tb` against `pieces(w)` (see `classes`).
    pub fn outcome_direct(&self, w: &[u8], tb: &[u8]) -> Outcome {
        let (mut pre, mut now) = (Vec::new(), Vec::new());
        self.pieces(w, &mut pre);
        let mut buf = w.to_vec();
        buf.extend_from_slice(tb);
        self.pieces(&buf, &mut now);
        if now.len() == pre.len() + 1
            && now[..pre.len()] == pre[..]
            && now[pre.len()] == (w.len(), buf.len())
        {
            Outcome::Own
        } else if !pre.is_empty()
            && now.len() == pre.len()
            && now[..pre.len() - 1] == pre[..pre.len() - 1]
            && now[pre.len() - 1] == (pre[pre.len() - 1].0, buf.len())
        {
            Outcome::Glued
        } else if now.iter().any(|&(a, _)| a > w.len() && a < buf.len()) {
            Outcome::Split
        } else {
            Outcome::Other
        }
    }
}

fn never_splits(p: &PreTokenizer) -> bool {
    match p {
        PreTokenizer::Identity => true,
        PreTokenizer::Sequence(v) => v.iter().all(never_splits),
        _ => false,
    }
}

/// The BPE model of a tokenizer that [`ByteModel::new`] accepted (BPE only).
pub(crate) fn bpe(tok: &Tokenizer) -> &crate::tokenizer::models::bpe::BpeModel {
    tok.model.as_bpe().expect("ByteModel::new accepts BPE only")
}
