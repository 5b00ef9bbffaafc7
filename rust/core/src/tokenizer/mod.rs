//! A loaded tokenizer and its encode/decode pipeline, in HF `tokenizers` order:
//! added tokens (raw text) -> normalizer -> added tokens (normalized text) -> pretokenizer
//! transform (Metaspace / ByteLevel prefix space) -> pretokenizer split -> model (BPE or Unigram)
//! per piece.
pub mod added;
pub mod bytes;
pub mod canon;
pub mod cut;
pub mod decoders;
pub mod encode_stream;
pub mod ids;
pub mod json;
pub mod models;
pub mod normalizers;
pub mod postprocess;
pub mod pretokenize;
pub mod progress;

use crate::tokenizer::added::{AddedToken, Matcher};
use crate::tokenizer::decoders::Decoder;
use crate::tokenizer::models::Model;
use crate::tokenizer::normalizers::{Normalized, Normalizer};
use crate::tokenizer::postprocess::PostProcessor;
use crate::tokenizer::pretokenize::{PreTokenizer, Span};
use rustc_hash::FxHashMap;

/// What a pretokenizer does to a segment's text before splitting it.
#[derive(Clone, Debug, PartialEq)]
pub enum Transform {
    None,
    /// ByteLevel `add_prefix_space`: prepend " " unless the segment starts with one.
    PrefixSpace,
    /// Metaspace: replace " " by `replacement`, then prepend it per `prepend`.
    Metaspace {
        replacement: char,
        prepend: Prepend,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Prepend {
    Always,
    First,
    Never,
}

pub struct Tokenizer {
    pub model: Model,
    pub added: Vec<AddedToken>,
    pub normalizer: Option<Normalizer>,
    pub pre_tokenizer: Option<PreTokenizer>,
    pub transform: Transform,
    pub post_processor: Option<PostProcessor>,
    pub decoder: Option<Decoder>,
    raw_matcher: Matcher,
    normalized_matcher: Matcher,
    added_by_id: FxHashMap<u32, usize>,
    added_by_content: FxHashMap<String, usize>,
}

/// Ids with, when asked for, each token's byte range in the input.
#[derive(Default, Debug, Clone)]
pub struct Encoding {
    pub ids: Vec<u32>,
    pub offsets: Option<Vec<(u32, u32)>>,
}

impl Tokenizer {
    pub fn new(
        model: Model,
        added: Vec<AddedToken>,
        normalizer: Option<Normalizer>,
        pre_tokenizer: Option<PreTokenizer>,
        transform: Transform,
        post_processor: Option<PostProcessor>,
        decoder: Option<Decoder>,
    ) -> Tokenizer {
        let raw = added
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.normalized)
            .map(|(i, t)| (i, t.content.clone()))
            .collect();
        let norm = added
            .iter()
            .enumerate()
            .filter(|(_, t)| t.normalized)
            .map(|(i, t)| {
                (
                    i,
                    normalizer
                        .as_ref()
                        .map_or_else(|| t.content.clone(), |n| n.normalize_str(&t.content)),
                )
            })
            .collect();
        let added_by_id = added.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        let added_by_content = added
            .iter()
            .enumerate()
            .map(|(i, t)| (t.content.clone(), i))
            .collect();
        Tokenizer {
            model,
            raw_matcher: Matcher::new(raw),
            normalized_matcher: Matcher::new(norm),
            added,
            normalizer,
            pre_tokenizer,
            transform,
            post_processor,
            decoder,
            added_by_id,
            added_by_content,
        }
    }

    /// Ids of `text`. A long text is encoded block by block, cut at cut points (`cut.rs`): the
    /// same ids, with the pipeline's per-text buffers bounded by the block size.
    pub fn encode(&self, text: &str, add_special_tokens: bool) -> Vec<u32> {
        if text.len() > crate::tokenizer::cut::BLOCK && self.cuttable() {
            return self.encode_blocks(text, add_special_tokens);
        }
        self.encode_full(text, add_special_tokens, false).ids
    }

    /// Encodes `text`; with `offsets`, also each token's byte range in `text` (added tokens around
    /// the sequence get the empty range (0, 0), as HF).
    pub fn encode_full(&self, text: &str, add_special_tokens: bool, offsets: bool) -> Encoding {
        self.encode_marked(text, add_special_tokens, offsets, None)
    }

    /// Encodes `text` and appends to `piece_ends` the id count after every pretokenized piece and
    /// every added token: token k and k+1 came from one piece iff no mark equals k+1. Dynamic
    /// merging uses this to never merge across pieces.
    pub fn encode_pieces(
        &self,
        text: &str,
        add_special_tokens: bool,
        piece_ends: &mut Vec<u32>,
    ) -> Vec<u32> {
        self.encode_marked(text, add_special_tokens, false, Some(piece_ends))
            .ids
    }

    fn encode_marked(
        &self,
        text: &str,
        add_special_tokens: bool,
        offsets: bool,
        mut marks: Option<&mut Vec<u32>>,
    ) -> Encoding {
        let mut ids = Vec::with_capacity(text.len() / 3 + 4);
        let mut offs = offsets.then(Vec::new);
        // Copies of the text are made per segment, and moved on where the segment is whole: a
        // long text would otherwise be held three or four times over.
        let base = offsets.then(|| Normalized::new(text, true));
        let mut spans = Vec::new();
        let mut pieces: Vec<Span> = Vec::new();
        for (tok, (s, e)) in self.raw_matcher.split(&self.added, text) {
            if let Some(i) = tok {
                ids.push(self.added[i].id);
                if let Some(o) = &mut offs {
                    o.push((s as u32, e as u32));
                }
                if let Some(m) = marks.as_deref_mut() {
                    m.push(ids.len() as u32);
                }
                continue;
            }
            // Without offsets, a normalizer that changes nothing here and no transform, the
            // segment is split where it lies: a long text is not copied (64 MB of letters).
            let seg_text = &text[s..e];
            if base.is_none()
                && self.transform == Transform::None
                && self
                    .normalizer
                    .as_ref()
                    .is_none_or(|n| !n.changes(seg_text))
            {
                for (tok, (s2, e2)) in self.normalized_matcher.split(&self.added, seg_text) {
                    match tok {
                        Some(i) => ids.push(self.added[i].id),
                        None => self.tokenize_pieces(
                            &seg_text[s2..e2],
                            &mut pieces,
                            &mut ids,
                            marks.as_deref_mut(),
                        ),
                    }
                    if let (Some(m), Some(_)) = (marks.as_deref_mut(), tok) {
                        m.push(ids.len() as u32);
                    }
                }
                continue;
            }
            let mut seg = match &base {
                Some(b) => slice(b, s, e),
                None => Normalized {
                    text: text[s..e].to_string(),
                    align: None,
                },
            };
            if let Some(n) = &self.normalizer {
                n.apply(&mut seg);
            }
            let parts = self.normalized_matcher.split(&self.added, &seg.text);
            let whole = parts.len() == 1 && parts[0].1 == (0, seg.text.len());
            for (tok, (s2, e2)) in parts {
                if let Some(i) = tok {
                    ids.push(self.added[i].id);
                    if let (Some(o), Some(a)) = (&mut offs, &seg.align) {
                        o.push(span_of(a, s2, e2));
                    }
                    if let Some(m) = marks.as_deref_mut() {
                        m.push(ids.len() as u32);
                    }
                    continue;
                }
                let mut sub = if whole {
                    Normalized {
                        text: std::mem::take(&mut seg.text),
                        align: seg.align.take(),
                    }
                } else {
                    slice(&seg, s2, e2)
                };
                self.apply_transform(&mut sub, s == 0 && s2 == 0);
                pieces.clear();
                match &self.pre_tokenizer {
                    Some(p) => p.split(&sub.text, &mut pieces),
                    None if sub.text.is_empty() => {}
                    None => pieces.push((0, sub.text.len())),
                }
                for &(ps, pe) in &pieces {
                    let piece = &sub.text[ps..pe];
                    match (&mut offs, &sub.align) {
                        (Some(o), Some(a)) => {
                            spans.clear();
                            self.model.tokenize(piece, &mut ids, Some(&mut spans));
                            for &(ts, te) in &spans {
                                o.push(span_of(a, ps + ts as usize, ps + te as usize));
                            }
                        }
                        _ => self.model.tokenize(piece, &mut ids, None),
                    }
                    if let Some(m) = marks.as_deref_mut() {
                        m.push(ids.len() as u32);
                    }
                }
            }
        }
        if add_special_tokens {
            if let Some(p) = &self.post_processor {
                let (before, after) = p.wrap();
                if let Some(o) = &mut offs {
                    o.splice(0..0, std::iter::repeat_n((0, 0), before.len()));
                    o.extend(std::iter::repeat_n((0, 0), after.len()));
                }
                if let Some(m) = marks {
                    // Each wrapping token is a piece of its own; shift the marks past the prefix.
                    let n = before.len() as u32;
                    m.iter_mut().for_each(|x| *x += n);
                    m.splice(0..0, 1..=n);
                    let end = (ids.len() + before.len()) as u32;
                    m.extend(end + 1..=end + after.len() as u32);
                }
                ids.splice(0..0, before);
                ids.extend(after);
            }
        }
        Encoding { ids, offsets: offs }
    }

    /// Pretokenizes `text` and appends each piece's ids (and a mark after each piece).
    fn tokenize_pieces(
        &self,
        text: &str,
        pieces: &mut Vec<Span>,
        ids: &mut Vec<u32>,
        mut marks: Option<&mut Vec<u32>>,
    ) {
        pieces.clear();
        match &self.pre_tokenizer {
            Some(p) => p.split(text, pieces),
            None if text.is_empty() => {}
            None => pieces.push((0, text.len())),
        }
        for &(ps, pe) in pieces.iter() {
            self.model.tokenize(&text[ps..pe], ids, None);
            if let Some(m) = marks.as_deref_mut() {
                m.push(ids.len() as u32);
            }
        }
    }

    fn apply_transform(&self, n: &mut Normalized, at_input_start: bool) {
        match &self.transform {
            Transform::None => {}
            Transform::PrefixSpace => {
                if !n.text.is_empty() && !n.text.starts_with(' ') {
                    prepend(n, " ");
                }
            }
            Transform::Metaspace {
                replacement,
                prepend: scheme,
            } => {
                let rep = replacement.to_string();
                if n.text.contains(' ') {
                    Normalizer::Replace {
                        pattern: crate::tokenizer::normalizers::Pattern::Literal(" ".into()),
                        content: rep.clone(),
                    }
                    .apply(n);
                }
                let wanted = match scheme {
                    Prepend::Always => true,
                    Prepend::First => at_input_start,
                    Prepend::Never => false,
                };
                if wanted && !n.text.is_empty() && !n.text.starts_with(*replacement) {
                    prepend(n, &rep);
                }
            }
        }
    }

    /// Decodes ids to text (ids unknown to the tokenizer are skipped, as HF).
    pub fn decode(&self, ids: &[u32], skip_special_tokens: bool) -> String {
        if matches!(self.decoder, Some(Decoder::ByteLevel)) {
            return self.decode_byte_level(ids, skip_special_tokens);
        }
        let tokens: Vec<String> = ids
            .iter()
            .filter_map(|&id| match self.added_by_id.get(&id) {
                Some(&i) if skip_special_tokens && self.added[i].special => None,
                Some(&i) => Some(self.added[i].content.clone()),
                None => self
                    .model
                    .id_to_token()
                    .get(id as usize)
                    .filter(|t| !t.is_empty())
                    .cloned(),
            })
            .collect();
        match &self.decoder {
            Some(d) => d.decode(tokens),
            None => tokens.join(" "),
        }
    }

    /// `decode` with the ByteLevel decoder alone, straight from ids to bytes: the same text as
    /// the decoder's chain over token strings, without a heap string per token (5M ids held
    /// 200 MB of them).
    fn decode_byte_level(&self, ids: &[u32], skip_special_tokens: bool) -> String {
        let vocab = self.model.id_to_token();
        let mut bytes = Vec::with_capacity(ids.len() * 3);
        for &id in ids {
            let token = match self.added_by_id.get(&id) {
                Some(&i) if skip_special_tokens && self.added[i].special => continue,
                Some(&i) => self.added[i].content.as_str(),
                None => match vocab.get(id as usize) {
                    Some(t) if !t.is_empty() => t.as_str(),
                    _ => continue,
                },
            };
            let start = bytes.len();
            for c in token.chars() {
                match crate::tokenizer::bytes::char_to_byte(c) {
                    Some(b) => bytes.push(b),
                    None => {
                        // A char outside the byte alphabet: the token contributes its own UTF-8.
                        bytes.truncate(start);
                        bytes.extend_from_slice(token.as_bytes());
                        break;
                    }
                }
            }
        }
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// The added token with this id, if any (a hash lookup: Gemma3 has 6,000+ added tokens).
    pub fn added_token(&self, id: u32) -> Option<&AddedToken> {
        self.added_by_id.get(&id).map(|&i| &self.added[i])
    }

    /// The added token with this content, if any.
    pub fn added_by_content(&self, content: &str) -> Option<&AddedToken> {
        self.added_by_content.get(content).map(|&i| &self.added[i])
    }

    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.added_by_content
            .get(token)
            .map(|&i| self.added[i].id)
            .or_else(|| self.model.token_to_id().get(token).copied())
    }

    pub fn id_to_token(&self, id: u32) -> Option<&str> {
        match self.added_by_id.get(&id) {
            Some(&i) => Some(&self.added[i].content),
            None => self
                .model
                .id_to_token()
                .get(id as usize)
                .map(String::as_str)
                .filter(|t| !t.is_empty()),
        }
    }

    /// Number of distinct ids: model vocabulary plus added tokens outside it (HF `get_vocab_size(true)`).
    pub fn vocab_size(&self) -> usize {
        let outside = self
            .added
            .iter()
            .filter(|t| !self.model.token_to_id().contains_key(&t.content))
            .count();
        self.model.vocab_size() + outside
    }
}

fn slice(n: &Normalized, s: usize, e: usize) -> Normalized {
    Normalized {
        text: n.text[s..e].to_string(),
        align: n.align.as_ref().map(|a| a[s..e].to_vec()),
    }
}

fn prepend(n: &mut Normalized, p: &str) {
    Normalizer::Prepend(p.to_string()).apply(n)
}

/// The input range covered by output bytes [s, e).
fn span_of(align: &[(u32, u32)], s: usize, e: usize) -> (u32, u32) {
    if s >= e || align.is_empty() {
        let at = align.get(s).or(align.last()).map_or(0, |x| x.0);
        return (at, at);
    }
    (align[s].0, align[e - 1].1)
}

/// Converts byte offsets into `text` to UTF-16 code-unit offsets (what JS string indices are).
pub fn utf16_offsets(text: &str, offsets: &mut [(u32, u32)]) {
    let mut map = vec![0u32; text.len() + 1];
    let mut u = 0u32;
    for (i, c) in text.char_indices() {
        for k in 0..c.len_utf8() {
            map[i + k] = u;
        }
        u += c.len_utf16() as u32;
    }
    map[text.len()] = u;
    for o in offsets.iter_mut() {
        *o = (map[o.0 as usize], map[o.1 as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ByteLevel fast path gives the decoder chain's text: random ids, added tokens (skipped
    /// or not), ids past the vocabulary, byte tokens that split a character.
    #[test]
    fn byte_level_decode_equals_the_decoder_chain() {
        let tok =
            crate::tokenizer::json::from_json_str(&crate::testdata::real_tokenizer_json("llama3"))
                .unwrap();
        assert!(matches!(tok.decoder, Some(Decoder::ByteLevel)));
        let mut x = 3u64;
        for round in 0..200 {
            let ids: Vec<u32> = (0..round * 7)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    match (x >> 60) % 4 {
                        0 => (x >> 33) as u32 % 256,
                        1 => 128_000 + (x >> 33) as u32 % 300,
                        _ => (x >> 33) as u32 % 128_000,
                    }
                })
                .collect();
            for skip in [false, true] {
                let tokens: Vec<String> = ids
                    .iter()
                    .filter_map(|&id| match tok.added_token(id) {
                        Some(t) if skip && t.special => None,
                        Some(t) => Some(t.content.clone()),
                        None => tok
                            .model
                            .id_to_token()
                            .get(id as usize)
                            .filter(|t| !t.is_empty())
                            .cloned(),
                    })
                    .collect();
                let want = Decoder::ByteLevel.decode(tokens);
                assert_eq!(tok.decode(&ids, skip), want, "round {round} skip {skip}");
            }
        }
    }
}
