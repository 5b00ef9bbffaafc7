//! Vocabulary trimming of a BPE tokenizer with merge closure, and of a Unigram tokenizer.
//!
//! Definitions. `V` is the id space (model vocabulary ∪ added tokens), `K ⊆ V` the kept set.
//! For a model token `t`, `replay(t)` runs the model's own BPE on `t`'s string (its raw bytes for
//! byte-level vocabularies) and records every symbol that appears: the initial units and the result
//! of every merge. `t` is *derivable* when the replay ends in exactly `[t]`.
//!
//! Closure: `K` is closed when `replay(t) ⊆ K` for every derivable `t ∈ K`. Always in `K`: added
//! tokens, post-processor ids, the byte alphabet (the 256 byte chars of a byte-level vocabulary,
//! or `<0x00>`..`<0xFF>` with byte fallback) and unk. A merge `(a, b)` is kept iff `a`, `b` and
//! `ab` are all in `K`, in its original rank order. Ids are renumbered contiguously in old order.
//!
//! Guarantee: a text whose original encoding uses only ids in `K` encodes to the same ids mapped
//! old → new. Why: inside a token's span no merge crosses the span's edges (else the token would
//! not exist), so the merges that built it are exactly those of `replay(t)`, all kept by closure.
//! At each step of the merge loop the trimmed merges are a subset of the original ones, with the
//! same relative ranks, that still contains the original lowest-rank pair; so every step, and the
//! result, is the same. Initial units are the same because every unit of the text is in some
//! replay (or is a byte/fallback unit, always kept).
//!
//! `ignore_merges` (Llama-3): a pretoken whose whole string is a vocabulary token is emitted
//! without merging. A kept token used that way need not be derivable, and it is kept as is: the
//! lookup finds it in the trimmed vocabulary too. A pretoken not in the original vocabulary is not
//! in the trimmed one either, so it still goes through the (closed) merges. Non-derivable tokens
//! get no replay parents: nothing ever builds them by merging.
//!
//! Unigram (XLM-R, mT5). Closure here means: every single-char piece, and one piece with the
//! lowest score, join `K` (with unk, byte-fallback pieces, added tokens and post-processor ids, as
//! for BPE); pieces keep their scores; `model.vocab` keeps the kept entries in old order and
//! `unk_id` is renumbered. Guarantee: a text whose original encoding uses only ids in `K` encodes to
//! the same ids mapped old → new. Why: the trimmed lattice of a piece of text is the original one
//! minus some edges, and nothing else changes. (a) A char gets an unk edge iff it has no single-char
//! piece; all single-char pieces are kept, so the same chars get unk edges. (b) The unk score is
//! `min score − 10`; keeping a lowest-score piece keeps the minimum, so unk edges score the same.
//! (c) Every edge of the original best path is kept (its pieces are used, hence in `K`). Viterbi
//! keeps, per end position, the first candidate (earliest start) of maximal score; removing edges
//! lowers no score on the best path and raises no competitor, and a competitor that lost to the
//! best-path edge either scored strictly less or started later, so it loses again: ties included,
//! the path is the same. (d) Fused unk strings are looked up in the vocabulary: a hit was a used id
//! (kept), a miss stays a miss in a subset; the byte-fallback pieces are always kept.
//! Without (a) a dropped single char of the text becomes a new, possibly winning, unk edge; without
//! (b) every unk edge scores higher: the naive trim (`closure: false`, used pieces only, as Ushio
//! et al.'s tool) can change encodings.
use crate::error::{Error, Result};
use crate::tokenizer::bytes::token_to_bytes;
use crate::tokenizer::json::edit::{
    post_processor_ids, renumber_ids, reparsing_to, without_vocab_and_merges,
};
use crate::tokenizer::models::unigram::UnigramModel;
use crate::tokenizer::models::{bpe::BpeModel, Model};
use crate::tokenizer::Tokenizer;
use serde_json::{Map, Value};

/// The new id of a dropped token in an old -> new id map.
pub use crate::tokenizer::ids::NONE as DROPPED;

/// What a trim does with added tokens (`added_tokens` of tokenizer.json).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddedTokens {
    /// Every added token is kept, used or not (the default).
    KeepAll,
    /// Special added tokens are kept; a non-special one only when the seed has it (used in the
    /// corpus, asked for, named by a config or the chat template). For vocabularies padded with
    /// placeholders (Gemma3's 6,000+ `<unusedN>`), which are non-special and never produced.
    KeepSpecial,
}

/// The result of trimming: what is kept, the id map, the new `tokenizer.json`, and counts.
pub struct Trim {
    /// Old ids kept, ascending; the new id of `kept_ids[i]` is `i`.
    pub kept_ids: Vec<u32>,
    /// Old id -> new id, [`DROPPED`] for dropped ids; length = the id space.
    pub old_to_new: Vec<u32>,
    /// Kept only because a kept token's derivation needs them.
    pub closure_added: u32,
    /// Always kept: added tokens, post-processor ids, byte alphabet, unk.
    pub always_kept: u32,
    /// Kept tokens that BPE cannot build from their own string (kept as is; see module docs).
    pub not_derivable: u32,
    /// Non-special added tokens dropped under [`AddedTokens::KeepSpecial`].
    pub added_dropped: u32,
    pub merges_kept: u32,
    pub merges_total: u32,
    pub json: Value,
}

/// Trims `tok` (loaded from `json`) to `seed` plus what is always kept, closed under derivation
/// when `closure` is true. `closure: false` is the naive trim of existing tools, kept for
/// demonstrating (and testing) why closure is needed.
pub fn trim(tok: &Tokenizer, json: &Value, seed: &[u32], closure: bool) -> Result<Trim> {
    trim_with(tok, json, seed, closure, AddedTokens::KeepAll)
}

/// [`trim`] with a choice of what to do with unused added tokens.
pub fn trim_with(
    tok: &Tokenizer,
    json: &Value,
    seed: &[u32],
    closure: bool,
    added: AddedTokens,
) -> Result<Trim> {
    trim_with_progress(tok, json, seed, closure, added, &mut |_, _| {})
}

/// Work units between two calls of `progress(done, total)`: a closure replay or a merge rewritten
/// is one unit; Gemma3 (262k tokens, 514k merges) takes seconds in WASM.
const PROGRESS_EVERY: u32 = 16_384;

/// [`trim_with`], reporting `progress(done, total)` over the closure's replays (every kept model
/// token, found as it goes: `total` can grow) and then the merges rewritten.
pub fn trim_with_progress(
    tok: &Tokenizer,
    json: &Value,
    seed: &[u32],
    closure: bool,
    added: AddedTokens,
    progress: &mut dyn FnMut(u32, u32),
) -> Result<Trim> {
    let bpe = tok.model.as_bpe();
    let n = crate::tokenizer::canon::id_bound(tok);
    if bpe.is_some_and(|m| m.merge_list.is_empty() && !m.merges.is_empty()) {
        return Err(Error::Other(
            "this tokenizer has no merge list (tiktoken ranks): trim its tokenizer.json instead"
                .into(),
        ));
    }
    let mut keep = vec![false; n];
    for &id in seed {
        if id as usize >= n {
            return Err(Error::Other(format!(
                "keep id {id} is outside the vocabulary (size {n})"
            )));
        }
        keep[id as usize] = true;
    }
    let always = always_kept(tok, json, added);
    let mut always_new = 0;
    for &id in &always {
        if (id as usize) < n && !std::mem::replace(&mut keep[id as usize], true) {
            always_new += 1;
        }
    }
    let merges = bpe.map_or(0, |m| m.merge_list.len() as u32);
    let (closure_added, not_derivable, replays) = if closure {
        match &tok.model {
            Model::Bpe(m) => close(m, &mut keep, merges, progress),
            Model::Unigram(m) => (close_unigram(m, &mut keep), 0, 0),
        }
    } else {
        (0, 0, 0)
    };
    let kept_ids: Vec<u32> = (0..n as u32).filter(|&i| keep[i as usize]).collect();
    let mut old_to_new = vec![DROPPED; n];
    for (new, &old) in kept_ids.iter().enumerate() {
        old_to_new[old as usize] = new as u32;
    }
    let added_dropped = tok
        .added
        .iter()
        .filter(|t| (t.id as usize) < n && !keep[t.id as usize])
        .count() as u32;
    let (json, merges_kept) = match &tok.model {
        Model::Bpe(m) => rewrite(json, m, &keep, &old_to_new, &mut |done, total| {
            progress(replays + done, replays + total)
        })?,
        Model::Unigram(_) => (rewrite_unigram(json, &keep, &old_to_new)?, 0),
    };
    Ok(Trim {
        kept_ids,
        old_to_new,
        closure_added,
        always_kept: always_new,
        not_derivable,
        added_dropped,
        merges_kept,
        merges_total: merges,
        json,
    })
}

/// Ids that every trim keeps, whatever the corpus says.
fn always_kept(tok: &Tokenizer, json: &Value, added: AddedTokens) -> Vec<u32> {
    let m = &tok.model;
    let mut out: Vec<u32> = tok
        .added
        .iter()
        .filter(|t| added == AddedTokens::KeepAll || t.special)
        .map(|t| t.id)
        .collect();
    if let Some(pp) = json.get("post_processor") {
        let mut ids = Vec::new();
        post_processor_ids(pp, &mut |id| {
            ids.push(*id as u32);
        });
        out.extend(ids);
    }
    out.extend(m.unk());
    let chars = crate::tokenizer::bytes::byte_to_char();
    for (b, c) in chars.iter().enumerate() {
        if m.byte_level() {
            out.extend(m.token_to_id().get(&c.to_string()));
        }
        if m.byte_fallback() {
            out.extend(m.token_to_id().get(&format!("<0x{b:02X}>")));
        }
    }
    out
}

/// Closes `keep` under derivation; returns (tokens added, kept tokens not derivable, tokens
/// replayed). Progress counts replays, plus the `merges` the rewrite will walk after it.
fn close(
    model: &BpeModel,
    keep: &mut [bool],
    merges: u32,
    progress: &mut dyn FnMut(u32, u32),
) -> (u32, u32, u32) {
    let mut done = vec![false; keep.len()];
    let mut stack: Vec<u32> = (0..keep.len() as u32)
        .filter(|&i| keep[i as usize])
        .collect();
    let (mut grown, mut not_derivable) = (0, 0);
    let mut popped = 0u32;
    while let Some(t) = stack.pop() {
        popped += 1;
        if popped.is_multiple_of(PROGRESS_EVERY) {
            progress(popped, popped + stack.len() as u32 + merges);
        }
        let in_model = model
            .id_to_token
            .get(t as usize)
            .is_some_and(|s| !s.is_empty());
        // An added token that is also a model token is replayed too: the added-token matcher does
        // not catch every occurrence (Gemma3's "▁▁" is `normalized: false`, so the text "  "
        // reaches BPE as "▁▁" and BPE builds it from "▁" + "▁").
        if std::mem::replace(&mut done[t as usize], true) || !in_model {
            continue;
        }
        match replay(model, t) {
            Some(symbols) => {
                for s in symbols {
                    if !keep[s as usize] {
                        keep[s as usize] = true;
                        grown += 1;
                        stack.push(s);
                    }
                }
            }
            None => not_derivable += 1,
        }
    }
    (grown, not_derivable, popped)
}

/// Unigram closure (see module docs): keeps every single-char piece, the first piece of lowest
/// score, and, for each kept piece, the id its string resolves to (the last of duplicates).
/// Returns how many ids it added.
fn close_unigram(model: &UnigramModel, keep: &mut [bool]) -> u32 {
    let mut grown = 0;
    let mut add = |id: u32, keep: &mut [bool]| {
        if (id as usize) < keep.len() && !std::mem::replace(&mut keep[id as usize], true) {
            grown += 1;
        }
    };
    let lowest = model.pieces.iter().position(|p| p.1 == model.min_score);
    if let Some(i) = lowest {
        add(i as u32, keep);
    }
    for (id, (p, _)) in model.pieces.iter().enumerate() {
        let single = p.chars().count() == 1;
        if single || keep[id] {
            if let Some(&eff) = model.token_to_id.get(p) {
                add(eff, keep);
            }
        }
    }
    grown
}

/// The trimmed Unigram `tokenizer.json`: `model.vocab` entries kept in old order (scores as
/// written), `unk_id`, added-token and post-processor ids renumbered.
fn rewrite_unigram(json: &Value, keep: &[bool], old_to_new: &[u32]) -> Result<Value> {
    let mut out = json.clone();
    let m = out
        .get_mut("model")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| Error::MissingField("model".into()))?;
    if let Some(Value::Array(list)) = m.get_mut("vocab") {
        let old = std::mem::take(list);
        *list = old
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep.get(*i).copied().unwrap_or(false))
            .map(|(_, mut v)| {
                if let Some(score) = v.get_mut(1).filter(|x| x.is_f64()) {
                    let f = score.as_f64().unwrap_or(0.0);
                    if let Some(n) = serde_json::Number::from_f64(reparsing_to(f)) {
                        *score = Value::Number(n);
                    }
                }
                v
            })
            .collect();
    }
    if let Some(id) = m.get_mut("unk_id").filter(|x| !x.is_null()) {
        let new = id
            .as_u64()
            .and_then(|u| old_to_new.get(u as usize))
            .filter(|&&x| x != DROPPED)
            .ok_or_else(|| {
                Error::Other("unk_id was dropped (internal error: always kept)".into())
            })?;
        *id = Value::from(*new);
    }
    renumber_ids(&mut out, old_to_new)?;
    Ok(out)
}

/// Every symbol of BPE run on token `t`'s own string, if that run ends in exactly `[t]`.
/// A plain rescan per merge (lowest rank, leftmost on ties: the rule of `encode::merge`);
/// tokens are short, and this must be obviously right rather than fast.
pub fn replay(model: &BpeModel, t: u32) -> Option<Vec<u32>> {
    let s = model
        .id_to_token
        .get(t as usize)
        .filter(|s| !s.is_empty())?;
    let bytes = if model.byte_level {
        token_to_bytes(s)?
    } else {
        s.as_bytes().to_vec()
    };
    let mut sym = model.initial_units(&bytes);
    let mut seen = sym.clone();
    loop {
        let best = (0..sym.len().saturating_sub(1))
            .filter_map(|i| model.merges.get(sym[i], sym[i + 1]).map(|(r, m)| (r, i, m)))
            .min();
        let Some((_, i, m)) = best else { break };
        sym[i] = m;
        sym.remove(i + 1);
        seen.push(m);
    }
    (sym == [t]).then_some(seen)
}

/// The trimmed `tokenizer.json`: the original document with the vocabulary, merges, added-token
/// ids and post-processor ids rewritten; everything else (and the merge format) as it was.
fn rewrite(
    json: &Value,
    model: &BpeModel,
    keep: &[bool],
    old_to_new: &[u32],
    progress: &mut dyn FnMut(u32, u32),
) -> Result<(Value, u32)> {
    // The vocabulary and merges are rebuilt below: cloning them first would copy the largest part
    // of the document for nothing (Gemma3: 262k entries, 514k merges).
    let mut out = without_vocab_and_merges(json);
    let mut vocab = Map::new();
    for (old, t) in model.id_to_token.iter().enumerate() {
        if keep[old] && !t.is_empty() && model.token_to_id.get(t) == Some(&(old as u32)) {
            vocab.insert(t.clone(), Value::from(old_to_new[old]));
        }
    }
    let mut merges_kept = 0u32;
    let kept_merges: Vec<Value> = match json.pointer("/model/merges").and_then(Value::as_array) {
        None => Vec::new(),
        Some(list) => {
            // Same walk as load::parse_merges: `#version` lines are not merges.
            let mut rank = 0usize;
            let mut out = Vec::new();
            let total = list.len() as u32;
            for (i, item) in list.iter().enumerate() {
                if (i as u32).is_multiple_of(PROGRESS_EVERY) {
                    progress(i as u32, total);
                }
                if item.as_str().is_some_and(|s| s.starts_with("#version")) {
                    continue;
                }
                let (a, b) = model.merge_list[rank];
                rank += 1;
                let ab = model.merges.get(a, b).map(|x| x.1);
                if keep[a as usize] && keep[b as usize] && ab.is_some_and(|m| keep[m as usize]) {
                    out.push(item.clone());
                    merges_kept += 1;
                }
            }
            out
        }
    };
    let m = out
        .get_mut("model")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| Error::MissingField("model".into()))?;
    m.insert("vocab".into(), Value::Object(vocab));
    if json.pointer("/model/merges").is_some() {
        m.insert("merges".into(), Value::Array(kept_merges));
    }
    renumber_ids(&mut out, old_to_new)?;
    let n = json
        .pointer("/model/merges")
        .and_then(Value::as_array)
        .map_or(0, |l| l.len() as u32);
    progress(n, n);
    Ok((out, merges_kept))
}

#[cfg(test)]
mod tests;
