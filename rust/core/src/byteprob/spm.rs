//! SentencePiece-style BPE with byte fallback (Gemma3): merges over chars, text spaces become
//! `▁` (a Replace normalizer), and a char missing from the vocabulary becomes its UTF-8 bytes as
//! `<0xNN>` tokens that no merge touches.
//!
//! Bytes of a token: its string with `▁` read as a space; `<0xNN>` is the byte NN. `E(s)` is the
//! model's encoding of `s` with spaces as `▁`; an incomplete UTF-8 tail (a prefix that ends inside
//! a char) becomes byte tokens, the prefix of a byte-fallback char. A literal U+2581 in the text
//! is encoded as `▁` and decodes to a space: such text is not canonical.
//!
//! Why pairs still decide validity: a byte-fallback char is a barrier (its byte tokens never
//! merge), so BPE runs independently on the in-vocabulary runs between such chars, and the
//! pairwise theory of the module doc holds inside each run. A cover `E(x[..j]) ++ [t]` is
//! canonical in exactly these cases (`valid_next`):
//! - t a byte token: the partial char at j followed by t's byte starts a byte-fallback char;
//! - t a text token after a partial char: never (a text token starts at a char boundary);
//! - t a text token at j = 0 or after a complete byte-fallback char: t reachable (a new run);
//! - t a text token after a text token l: the pair (l, t) (the merge loop on chars).
use super::{ByteModel, NONE};
use crate::tokenizer::bytes::utf8_len;
use crate::tokenizer::decoders::Decoder;
use crate::tokenizer::normalizers::{Normalizer, Pattern};
use crate::tokenizer::pretokenize::{Matcher, PreTokenizer};
use crate::tokenizer::{Tokenizer, Transform};
use rustc_hash::FxHashMap;
use std::rc::Rc;

pub(crate) struct Spm {
    /// Single-char tokens: the model's initial symbol of each in-vocabulary char.
    chars: FxHashMap<char, u32>,
    /// The `<0xNN>` token of each byte.
    pub(crate) fallback: [u32; 256],
    /// By id: a `<0xNN>` token (asked once per token per end-of-prefix check: no scan).
    byte_token: Vec<bool>,
    /// Reachable text tokens (not byte tokens) by their bytes.
    by_bytes: FxHashMap<Vec<u8>, u32>,
    /// UTF-8 prefix (1..=4 bytes) -> how many chars that the model does not byte-fall-back start
    /// with it: a prefix starts some byte-fallback char iff fewer than all its valid chars.
    in_vocab: FxHashMap<Vec<u8>, u32>,
}

/// Why a non-byte-level tokenizer cannot be handled, or None when it is SentencePiece-style BPE
/// with byte fallback as Gemma3's.
pub(crate) fn unsupported(tok: &Tokenizer) -> Option<&'static str> {
    let Some(m) = tok.model.as_bpe() else {
        return Some("only BPE is supported (this tokenizer's model is Unigram)");
    };
    if !m.byte_fallback || (0..256).any(|b| !m.token_to_id.contains_key(&fallback_name(b))) {
        return Some("char-level BPE needs byte_fallback with all 256 <0xNN> tokens (else text is lost to unk)");
    }
    if m.ignore_merges || !m.token_to_id.contains_key("▁") {
        return Some("SentencePiece BPE needs ignore_merges off and a \"▁\" token");
    }
    let byte_ids: Vec<u32> = (0..256).map(|b| m.token_to_id[&fallback_name(b)]).collect();
    if m.merges
        .iter()
        .any(|(a, b, _, _)| byte_ids.contains(&a) || byte_ids.contains(&b))
    {
        return Some("a merge involves a <0xNN> byte token (SentencePiece never merges them)");
    }
    let spaces_only = matches!(tok.transform, Transform::None)
        && tok.normalizer.as_ref().is_some_and(replaces_space);
    // Metaspace without a prepended ▁ is the same Replace, done by the pretokenizer.
    let metaspace = matches!(
        tok.transform,
        Transform::Metaspace {
            replacement: '▁',
            prepend: crate::tokenizer::Prepend::Never
        }
    ) && tok.normalizer.is_none();
    if tok.normalizer.as_ref().is_some_and(prepends)
        || matches!(tok.transform, Transform::Metaspace { .. }) && !metaspace
    {
        return Some("a prepended \"▁\" (Llama-2/Mistral style) is not supported: the first token's bytes depend on whether it starts the text, which the pair theory does not cover");
    }
    if !spaces_only && !metaspace {
        return Some("SentencePiece BPE is supported only with a normalizer that just replaces \" \" by \"▁\"");
    }
    if !tok.pre_tokenizer.as_ref().is_none_or(no_split) {
        return Some("SentencePiece BPE is supported only with a pretokenizer that splits nothing once spaces are \"▁\"");
    }
    if !tok.decoder.as_ref().is_some_and(decodes_spm) {
        return Some("SentencePiece BPE needs the decoder Replace(\"▁\", \" \"), ByteFallback, Fuse (no Strip)");
    }
    None
}

fn fallback_name(b: usize) -> String {
    format!("<0x{b:02X}>")
}

fn replaces_space(n: &Normalizer) -> bool {
    match n {
        Normalizer::Replace {
            pattern: Pattern::Literal(p),
            content,
        } => p == " " && content == "▁",
        Normalizer::Sequence(v) => v.len() == 1 && replaces_space(&v[0]),
        _ => false,
    }
}

fn prepends(n: &Normalizer) -> bool {
    match n {
        Normalizer::Prepend(_) => true,
        Normalizer::Sequence(v) => v.iter().any(prepends),
        _ => false,
    }
}

/// Splits nothing in text without spaces: Identity, or a literal Split on a string with a space
/// (the normalizer has replaced every space before the pretokenizer runs).
fn no_split(p: &PreTokenizer) -> bool {
    match p {
        PreTokenizer::Identity => true,
        PreTokenizer::Split {
            matcher: Matcher::Literal(s),
            invert: false,
            ..
        } => s.contains(' '),
        PreTokenizer::Split {
            matcher: Matcher::Char(' '),
            invert: false,
            ..
        } => true,
        PreTokenizer::Sequence(v) => v.iter().all(no_split),
        _ => false,
    }
}

fn decodes_spm(d: &Decoder) -> bool {
    let Decoder::Sequence(v) = d else {
        return false;
    };
    let replace = v.iter().any(|d| {
        matches!(d, Decoder::Replace { pattern: Pattern::Literal(p), content } if p == "▁" && content == " ")
    });
    let fallback = v.iter().any(|d| matches!(d, Decoder::ByteFallback));
    let others = v.iter().all(|d| {
        matches!(
            d,
            Decoder::Replace { .. } | Decoder::ByteFallback | Decoder::Fuse
        )
    });
    replace
        && fallback
        && others
        && v.iter()
            .filter(|d| matches!(d, Decoder::Replace { .. }))
            .count()
            == 1
}

/// Number of valid chars whose UTF-8 starts with `q` (q of at most its lead's length).
fn valid_chars_with_prefix(q: &[u8]) -> u32 {
    let l = utf8_len(q[0]);
    if l == 0 || q.len() > l || q[1..].iter().any(|&b| b & 0xC0 != 0x80) {
        return 0;
    }
    let decode = |fill: u8| -> u32 {
        let mut cp = (q[0] as u32) & [0x7F, 0x1F, 0x0F, 0x07][l - 1];
        for k in 1..l {
            cp = (cp << 6) | (q.get(k).copied().unwrap_or(fill) as u32 & 0x3F);
        }
        cp
    };
    let (lo, hi) = (decode(0x80), decode(0xBF));
    let (min, max) = [
        (0, 0x7F),
        (0x80, 0x7FF),
        (0x800, 0xFFFF),
        (0x10000, 0x10FFFF),
    ][l - 1];
    let (lo, hi) = (lo.max(min), hi.min(max));
    if lo > hi {
        return 0;
    }
    let surrogates = hi
        .min(0xDFFF)
        .saturating_add(1)
        .saturating_sub(lo.max(0xD800));
    hi - lo + 1 - surrogates
}

#[cfg(test)]
pub(super) fn last_char_for_tests(x: &[u8]) -> Option<(usize, bool)> {
    last_char(x)
}

/// `x` ends with a complete char.
pub(crate) fn ends_at_char(x: &[u8]) -> bool {
    matches!(last_char(x), Some((_, true)))
}

/// Where the last char of `x` starts, and whether it is complete; None when the bytes at the end
/// of `x` cannot belong to any valid UTF-8 char (then nothing decodes to `x`).
fn last_char(x: &[u8]) -> Option<(usize, bool)> {
    let n = x.len();
    let mut i = n.checked_sub(1)?;
    while i > 0 && n - i < 4 && x[i] & 0xC0 == 0x80 {
        i -= 1;
    }
    let l = utf8_len(x[i]);
    (l >= n - i && valid_chars_with_prefix(&x[i..]) > 0).then_some((i, l == n - i))
}

impl Spm {
    pub(crate) fn new(tok: &Tokenizer, bytes: &[Vec<u8>]) -> Spm {
        let m = super::bpe(tok);
        let fallback: [u32; 256] = std::array::from_fn(|b| m.token_to_id[&fallback_name(b)]);
        let mut chars = FxHashMap::default();
        for (s, &id) in &m.token_to_id {
            let mut cs = s.chars();
            if let (Some(c), None) = (cs.next(), cs.next()) {
                chars.insert(c, id);
            }
        }
        // A text space is encoded as ▁: it is in the vocabulary like ▁ itself.
        let mut in_vocab = FxHashMap::default();
        for c in chars.keys().copied().chain([' ']) {
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            for k in 1..=b.len() {
                *in_vocab.entry(b[..k].to_vec()).or_insert(0u32) += 1;
            }
        }
        let mut byte_token = vec![false; bytes.len()];
        fallback.iter().for_each(|&t| byte_token[t as usize] = true);
        let mut s = Spm {
            chars,
            fallback,
            byte_token,
            by_bytes: FxHashMap::default(),
            in_vocab,
        };
        for (id, b) in bytes.iter().enumerate() {
            if !b.is_empty() && !s.is_byte(id as u32) {
                s.by_bytes.entry(b.clone()).or_insert(id as u32);
            }
        }
        s
    }

    /// Keeps only the reachable text token for each bytes (several strings can decode alike).
    pub(crate) fn keep_reachable(&mut self, bytes: &[Vec<u8>], reachable: &[bool]) {
        self.by_bytes.clear();
        for (id, b) in bytes.iter().enumerate() {
            if reachable[id] && !self.is_byte(id as u32) {
                self.by_bytes.insert(b.clone(), id as u32);
            }
        }
    }

    pub(crate) fn is_byte(&self, t: u32) -> bool {
        self.byte_token.get(t as usize).copied().unwrap_or(false)
    }

    /// Some char that the model byte-falls-back starts with `q`.
    pub(crate) fn starts_fallback_char(&self, q: &[u8]) -> bool {
        !q.is_empty() && valid_chars_with_prefix(q) > self.in_vocab.get(q).copied().unwrap_or(0)
    }

    /// The model's initial symbols of decoded bytes: in-vocabulary chars (a space as `▁`), else
    /// the byte tokens of the char; bytes that are no complete char become byte tokens too.
    pub(crate) fn units(&self, s: &[u8], out: &mut Vec<u32>) {
        for chunk in s.utf8_chunks() {
            for c in chunk.valid().chars() {
                let key = if c == ' ' { '▁' } else { c };
                match self.chars.get(&key) {
                    Some(&id) => out.push(id),
                    None => {
                        let mut buf = [0u8; 4];
                        let b = c.encode_utf8(&mut buf).as_bytes();
                        out.extend(b.iter().map(|&b| self.fallback[b as usize]));
                    }
                }
            }
            out.extend(chunk.invalid().iter().map(|&b| self.fallback[b as usize]));
        }
    }
}

impl ByteModel {
    /// Whether `E(w) ++ [t]` is canonical, where `l` is the last token of `E(w)` (NONE when w
    /// has no encoding); the cases are those of the module doc.
    /// `scan`: pairs by `pair_ok` (many t after one l).
    pub(super) fn spm_valid_next(&self, s: &Spm, w: &[u8], l: u32, t: u32, scan: bool) -> bool {
        if !w.is_empty() && l == NONE {
            return false;
        }
        let partial = match last_char(w) {
            Some((i, false)) => &w[i..],
            Some((_, true)) => &[][..],
            None if w.is_empty() => &[][..],
            None => return false,
        };
        if s.is_byte(t) {
            // The byte continues the partial char (or starts a char) that must fall back.
            let mut q = partial.to_vec();
            q.push(self.bytes[t as usize][0]);
            return s.starts_fallback_char(&q);
        }
        if !partial.is_empty() {
            return false; // A text token starts at a char boundary.
        }
        // At the start or after a complete byte-fallback char, a new run begins.
        w.is_empty()
            || s.is_byte(l)
            || if scan {
                self.pair_ok(l, t)
            } else {
                self.valid_pair(l, t)
            }
    }

    /// The tokens that may not follow `E(x)` (last token l), as runs of positions in `sorted`,
    /// without trying every token (`spm_valid_next` read case by case): after a partial char
    /// only byte tokens that continue it; otherwise the unreachable tokens, the byte tokens
    /// that start no byte-fallback char and, when a pair decides, the text tokens the merge
    /// loop does not make alone and those `invalid_after(l)` lists (found through the merge
    /// trees). O(runs + 256 + invalid pairs), not O(|V|). None: not SentencePiece BPE, or no
    /// fast pair index.
    pub(super) fn spm_end_invalid(&self, x: &[u8], l: u32) -> Option<super::state::Runs> {
        let s = self.spm.as_ref()?;
        self.makes(0)?;
        let all = self.sorted.len() as u32;
        if !x.is_empty() && l == NONE {
            return Some(vec![(0, all)].into());
        }
        let partial = match last_char(x) {
            Some((i, false)) => &x[i..],
            Some((_, true)) => &[][..],
            None if x.is_empty() => &[][..],
            None => return Some(vec![(0, all)].into()),
        };
        // Byte tokens that continue the partial char (or start a char) that must fall back.
        let mut q = partial.to_vec();
        let mut ok_bytes: Vec<u32> = Vec::new();
        let mut bad_bytes: Vec<u32> = Vec::new();
        for &t in &s.fallback {
            let p = self.pos[t as usize];
            if p == NONE {
                continue;
            }
            q.truncate(partial.len());
            q.push(self.bytes[t as usize][0]);
            if self.reachable[t as usize] && s.starts_fallback_char(&q) {
                ok_bytes.push(p);
            } else {
                bad_bytes.push(p);
            }
        }
        if !partial.is_empty() {
            // Only the byte tokens above may follow: the rest of the range is invalid.
            ok_bytes.sort_unstable();
            let mut out = Vec::with_capacity(ok_bytes.len() + 1);
            let mut from = 0;
            for p in ok_bytes {
                if p > from {
                    out.push((from, p));
                }
                from = p + 1;
            }
            if from < all {
                out.push((from, all));
            }
            return Some(out.into());
        }
        let base = self.spm_end_base(s);
        let mut add = bad_bytes;
        let paired = !(x.is_empty() || s.is_byte(l));
        let base = if paired {
            add.extend(
                self.invalid_after(l)
                    .iter()
                    .flat_map(|v| v.iter().copied())
                    .filter(|&t| !s.is_byte(t) && self.reachable[t as usize])
                    .map(|t| self.pos[t as usize]),
            );
            if self.invalid_after(l).is_none() {
                // No text token may follow l at all.
                add.extend((0..all).filter(|&p| !s.is_byte(self.sorted[p as usize])));
            }
            &base.1
        } else {
            &base.0
        };
        add.sort_unstable();
        add.dedup();
        Some(super::state::edit_runs(base, &[], &add))
    }

    /// Positions of the unreachable tokens, and of those plus the reachable text tokens the
    /// merge loop does not make alone (invalid after any text token): once per model.
    fn spm_end_base(&self, s: &Spm) -> Rc<(super::state::Runs, super::state::Runs)> {
        self.spm_base.get_or((), || {
            let (mut u, mut n) = (Vec::new(), Vec::new());
            for (p, &t) in self.sorted.iter().enumerate() {
                let p = p as u32;
                if !self.reachable[t as usize] {
                    u.push(p);
                    n.push(p);
                } else if !s.is_byte(t) && self.makes(t) != Some(true) {
                    n.push(p);
                }
            }
            Rc::new((super::state::runs_of(&u), super::state::runs_of(&n)))
        })
    }

    /// The last token of `E(x)` given `last[j]` for j < |x| (see `last_token`).
    pub(super) fn spm_last_token(&self, s: &Spm, x: &[u8], last: &[u32]) -> u32 {
        let n = x.len();
        let Some((i, complete)) = last_char(x) else {
            return NONE;
        };
        let ok_before = |j: usize| j == 0 || last[j] != NONE;
        // Inside a char, or at the end of a char the model byte-falls-back: a byte token whose
        // own validity (`spm_valid_next`) says whether such a char exists.
        let fallback = s.fallback[x[n - 1] as usize];
        if !complete || !s.in_vocab.contains_key(&x[i..]) {
            let ok = ok_before(n - 1)
                && self.spm_valid_next(s, &x[..n - 1], last[n - 1], fallback, false);
            return if ok { fallback } else { NONE };
        }
        // An in-vocabulary char ends here: the one text token whose chain is valid.
        for len in (1..=n.min(self.max_len)).rev() {
            if let Some(&t) = s.by_bytes.get(&x[n - len..]) {
                let j = n - len;
                if ok_before(j) && self.spm_valid_next(s, &x[..j], last[j], t, false) {
                    return t;
                }
            }
        }
        NONE
    }
}
