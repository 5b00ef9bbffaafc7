//! The Unigram model of a tokenizer (XLM-R, mT5, ALBERT, T5 style `tokenizer.json`): a list of
//! `[piece, score]`, and a piece of text becomes the path of pieces with the highest total score.
//!
//! This follows HF `tokenizers` `models/unigram/model.rs` (`encode_optimized`, `tokenize`) step for
//! step, so that ids and ties come out the same:
//! - Every vocabulary entry (special pieces such as `<unk>` included) is in the trie; a duplicated
//!   piece string means its last id (HF's `token_to_ids` is filled in order, later ids overwrite).
//! - Viterbi over byte positions, visiting char starts left to right and, at each start, matching
//!   pieces shortest first. A candidate replaces the best path into its end only when its score is
//!   strictly greater (`f64`, `score + best_so_far`), so on ties the earliest start wins.
//! - A char with no single-char piece gets an unk candidate scored `min_score - 10` (`kUnkPenalty`,
//!   min over every score in the vocabulary). Without `unk_id` such a char is dropped (HF fails).
//! - Backtracking fuses consecutive unk nodes into one string (HF's `fuse_unk` is always true for
//!   Unigram). Each output string is then looked up again: a vocabulary piece gives its id, else with
//!   `byte_fallback` its UTF-8 bytes become `<0xNN>` pieces if all of them exist, else unk.
use crate::error::{Error, Result};
use rustc_hash::FxHashMap;

use crate::tokenizer::ids::NONE;
/// HF `K_UNK_PENALTY`: the unk score is this much below the lowest piece score.
pub const UNK_PENALTY: f64 = 10.0;

pub struct UnigramModel {
    /// id -> (piece, score), as written.
    pub pieces: Vec<(String, f64)>,
    /// id -> piece (same strings as `pieces`; the shape the rest of the pipeline reads).
    pub id_to_token: Vec<String>,
    pub token_to_id: FxHashMap<String, u32>,
    pub unk: Option<u32>,
    pub byte_fallback: bool,
    pub min_score: f64,
    /// Byte trie: (node << 8 | byte) -> child node.
    edges: FxHashMap<u64, u32>,
    /// node -> the id of the piece ending there, or NONE.
    terminal: Vec<u32>,
    fallback: [u32; 256],
}

/// The best path into a byte position.
#[derive(Clone, Copy)]
struct Best {
    score: f64,
    /// Start of the last piece of the path, NONE while no path reaches here.
    start: u32,
    id: u32,
}

impl UnigramModel {
    pub fn new(
        pieces: Vec<(String, f64)>,
        unk: Option<u32>,
        byte_fallback: bool,
    ) -> Result<UnigramModel> {
        if let Some(u) = unk {
            if pieces.is_empty() {
                return Err(Error::InvalidField {
                    field: "model.vocab".into(),
                    reason: "a Unigram vocabulary with unk_id must not be empty".into(),
                });
            }
            if u as usize >= pieces.len() {
                return Err(Error::InvalidField {
                    field: "model.unk_id".into(),
                    reason: format!("{u} is outside the vocabulary (size {})", pieces.len()),
                });
            }
        }
        let mut token_to_id = FxHashMap::default();
        let mut min_score = f64::INFINITY;
        for (id, (p, score)) in pieces.iter().enumerate() {
            token_to_id.insert(p.clone(), id as u32);
            if *score < min_score {
                min_score = *score;
            }
        }
        let mut edges: FxHashMap<u64, u32> = FxHashMap::default();
        let mut terminal = vec![NONE];
        for (p, &id) in &token_to_id {
            let mut node = 0u32;
            for &b in p.as_bytes() {
                let key = (node as u64) << 8 | b as u64;
                node = match edges.get(&key) {
                    Some(&n) => n,
                    None => {
                        let n = terminal.len() as u32;
                        terminal.push(NONE);
                        edges.insert(key, n);
                        n
                    }
                };
            }
            if node != 0 {
                terminal[node as usize] = id;
            }
        }
        let mut fallback = [NONE; 256];
        if byte_fallback {
            for (b, f) in fallback.iter_mut().enumerate() {
                if let Some(&id) = token_to_id.get(&format!("<0x{b:02X}>")) {
                    *f = id;
                }
            }
        }
        let id_to_token = pieces.iter().map(|p| p.0.clone()).collect();
        Ok(UnigramModel {
            pieces,
            id_to_token,
            token_to_id,
            unk,
            byte_fallback,
            min_score,
            edges,
            terminal,
            fallback,
        })
    }

    pub fn vocab_size(&self) -> usize {
        self.token_to_id.len()
    }

    /// Encodes one piece, appending ids and, when `spans` is given, each token's byte range
    /// relative to the piece start (byte-fallback tokens all get their whole string's range, as HF).
    pub fn tokenize(&self, piece: &str, ids: &mut Vec<u32>, spans: Option<&mut Vec<(u32, u32)>>) {
        let bytes = piece.as_bytes();
        let n = bytes.len();
        if n == 0 {
            return;
        }
        let unk_score = self.min_score - UNK_PENALTY;
        let mut best = vec![
            Best {
                score: 0.0,
                start: NONE,
                id: NONE
            };
            n + 1
        ];
        for (at, c) in piece.char_indices() {
            let here = best[at].score;
            let mblen = c.len_utf8();
            let mut single = false;
            let mut node = 0u32;
            for (k, &b) in bytes[at..].iter().enumerate() {
                match self.edges.get(&((node as u64) << 8 | b as u64)) {
                    Some(&next) => node = next,
                    None => break,
                }
                let id = self.terminal[node as usize];
                if id == NONE {
                    continue;
                }
                let len = k + 1;
                let cand = self.pieces[id as usize].1 + here;
                let t = &mut best[at + len];
                if t.start == NONE || cand > t.score {
                    *t = Best {
                        score: cand,
                        start: at as u32,
                        id,
                    };
                }
                single |= len == mblen;
            }
            if !single {
                if let Some(unk) = self.unk {
                    let cand = unk_score + here;
                    let t = &mut best[at + mblen];
                    if t.start == NONE || cand > t.score {
                        *t = Best {
                            score: cand,
                            start: at as u32,
                            id: unk,
                        };
                    }
                }
            }
        }
        // Backtrack into (start, end, id) with consecutive unk nodes fused (id NONE: look it up).
        let mut path: Vec<(u32, u32, u32)> = Vec::new();
        let mut end = n;
        let mut unk_end = NONE;
        while end > 0 {
            let node = best[end];
            if node.start == NONE {
                // Unreachable char (no unk id): HF fails; we drop it.
                let mut s = end - 1;
                while !piece.is_char_boundary(s) {
                    s -= 1;
                }
                if unk_end != NONE {
                    path.push((end as u32, unk_end, NONE));
                    unk_end = NONE;
                }
                end = s;
                continue;
            }
            if Some(node.id) == self.unk {
                if unk_end == NONE {
                    unk_end = end as u32;
                }
            } else {
                if unk_end != NONE {
                    path.push((end as u32, unk_end, NONE));
                    unk_end = NONE;
                }
                path.push((node.start, end as u32, node.id));
            }
            end = node.start as usize;
        }
        if unk_end != NONE {
            path.push((0, unk_end, NONE));
        }
        let mut spans = spans;
        for &(s, e, id) in path.iter().rev() {
            if id != NONE {
                ids.push(id);
                if let Some(sp) = spans.as_deref_mut() {
                    sp.push((s, e));
                }
                continue;
            }
            let text = &piece[s as usize..e as usize];
            if let Some(&id) = self.token_to_id.get(text) {
                ids.push(id);
                if let Some(sp) = spans.as_deref_mut() {
                    sp.push((s, e));
                }
            } else if self.byte_fallback && text.bytes().all(|b| self.fallback[b as usize] != NONE)
            {
                for b in text.bytes() {
                    ids.push(self.fallback[b as usize]);
                    if let Some(sp) = spans.as_deref_mut() {
                        sp.push((s, e));
                    }
                }
            } else if let Some(unk) = self.unk {
                ids.push(unk);
                if let Some(sp) = spans.as_deref_mut() {
                    sp.push((s, e));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(v: &[(&str, f64)], unk: Option<u32>, fb: bool) -> UnigramModel {
        UnigramModel::new(
            v.iter().map(|&(p, s)| (p.to_string(), s)).collect(),
            unk,
            fb,
        )
        .unwrap()
    }

    fn enc(m: &UnigramModel, s: &str) -> Vec<u32> {
        let mut ids = Vec::new();
        m.tokenize(s, &mut ids, None);
        ids
    }

    #[test]
    fn best_path_and_ties() {
        let m = model(
            &[
                ("<unk>", 0.0),
                ("a", -1.0),
                ("b", -1.0),
                ("ab", -2.0),
                ("abc", -5.0),
                ("c", -1.0),
            ],
            Some(0),
            false,
        );
        // "ab" (-2) ties with "a"+"b" (-2): the path from the earliest start (0, i.e. "ab") wins.
        assert_eq!(enc(&m, "ab"), vec![3]);
        assert_eq!(enc(&m, "abc"), vec![3, 5]);
        // Unknown chars: unk scored min - 10, consecutive ones fused into one unk.
        assert_eq!(enc(&m, "xyaz"), vec![0, 1, 0]);
        let mut spans = Vec::new();
        let mut ids = Vec::new();
        m.tokenize("xéa", &mut ids, Some(&mut spans));
        assert_eq!((ids, spans), (vec![0, 1], vec![(0, 3), (3, 4)]));
    }

    #[test]
    fn byte_fallback_of_fused_unks() {
        let m = model(
            &[
                ("<unk>", 0.0),
                ("a", -1.0),
                ("<0xC3>", -3.0),
                ("<0xA9>", -3.0),
                ("<0x78>", -3.0),
            ],
            Some(0),
            true,
        );
        assert_eq!(enc(&m, "éa"), vec![2, 3, 1]);
        assert_eq!(enc(&m, "xéa"), vec![4, 2, 3, 1]);
        // A byte without a fallback piece: the whole fused string becomes unk.
        assert_eq!(enc(&m, "zéa"), vec![0, 1]);
    }
}
