//! Embedding remapping for zero-shot tokenizer transfer: for every id of a target tokenizer, say
//! how its embedding row is made from a source model's rows. Only the plan lives here — which
//! source rows and with what weights; the caller applies it to each vocabulary tensor.
//!
//! Guarantees:
//! 1. Tokens are compared by byte-canonical form ([`crate::tokenizer::canon`]), so `Ġthe`, `▁the` and
//!    ` the` are one token across families; added tokens match by content. A target token whose
//!    form equals a source token's is copied (`Copy`, weight 1, exactly that row) whatever the
//!    method — so remapping to the source's own tokenizer is the identity, and to a permuted or
//!    trimmed vocabulary moves rows without touching them.
//! 2. `Fvt` (Gee et al. 2022, as zett/tokenkit apply it): the mean of the rows of the token's
//!    decomposition by the source BPE model alone (no normalizer, no pretokenizer), each weight
//!    1/n — the caller sums in f64 and divides by n.
//! 3. `Focus` (Dobler & de Melo 2023): with auxiliary vectors f over the target vocabulary,
//!    e_n = Σ_o sparsemax(cos(f_n, f_O))_o · E[o] over the copied tokens O.
//! 4. `Omp` (mergekit-tokensurgeon): with donor vectors d over the target vocabulary, fit d_n by
//!    orthogonal matching pursuit (k atoms) over the copied tokens' d_O; apply the coefficients
//!    to E.
//! 5. Fallbacks, stated: FOCUS/OMP tokens without an auxiliary vector (an all-zero row) use FVT;
//!    FVT tokens without a decomposition (the source cannot spell them, or only with `unk`), added
//!    tokens the source lacks, vocabulary holes, and every non-copied token under `Copy` get
//!    `Fallback`: the mean of all source rows.
//! 6. A target token that cannot be byte-canonicalised is an error, never a silent fallback.
pub mod fit;

use crate::error::{Error, Result};
use crate::tokenizer::canon;
use crate::tokenizer::models::bpe::merge::merge;
use crate::tokenizer::{Tokenizer, Transform};
pub use fit::Aux;
use rustc_hash::FxHashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Copy,
    Fvt,
    Focus,
    Omp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    Copy = 0,
    Fvt = 1,
    Focus = 2,
    Omp = 3,
    Fallback = 4,
}

/// Per target id, its kind and a sparse row of (source id, weight): CSR layout.
pub struct Plan {
    pub kinds: Vec<Kind>,
    pub ptr: Vec<u32>,
    pub src: Vec<u32>,
    pub weights: Vec<f32>,
}

pub const OMP_K: usize = 8;

/// One target row while planning: its kind and (source id, weight) terms.
type Row = (Kind, Vec<(u32, f32)>);

pub fn plan(src: &Tokenizer, tgt: &Tokenizer, method: Method, aux: Option<Aux>) -> Result<Plan> {
    plan_with_progress(src, tgt, method, aux, &mut |_, _| {})
}

/// Rows computed between two calls of `progress(done, total)` (total: the rows that are not
/// copies); FOCUS/OMP cost a pass over every copied token per row, seconds to minutes in all.
const PROGRESS_EVERY: usize = 64;

/// [`plan`], reporting the rows of pass 2 (the non-copies) as they are computed.
pub fn plan_with_progress(
    src: &Tokenizer,
    tgt: &Tokenizer,
    method: Method,
    aux: Option<Aux>,
    progress: &mut dyn FnMut(u32, u32),
) -> Result<Plan> {
    let bound = canon::id_bound(tgt);
    let src_added: FxHashMap<&str, u32> = src
        .added
        .iter()
        .map(|t| (t.content.as_str(), t.id))
        .collect();
    // Each byte form maps to the source token the source tokenizer itself produces for those
    // bytes: its pieces and non-special added tokens (Gemma's added `\n`, `▁▁`) first, a byte-
    // fallback piece `<0xNN>` only for a byte nothing else spells — Gemma encodes `e` as `e`
    // (236744), never as `<0x65>` (339), so the row of `e` is the one a target `e` must copy.
    let mut src_by_bytes: FxHashMap<Vec<u8>, u32> = FxHashMap::default();
    let mut src_fallback: FxHashMap<u8, u32> = FxHashMap::default();
    for (id, tok) in src.model.id_to_token().iter().enumerate() {
        let id = id as u32;
        if tok.is_empty() || src_added.contains_key(tok.as_str()) {
            continue;
        }
        if canon::is_fallback_piece(src, id) {
            if let Some(f) = canon::token_bytes(src, id) {
                src_fallback.insert(f[0], id);
            }
        } else if let Some(f) = canon::token_bytes(src, id) {
            src_by_bytes.entry(f).or_insert(id);
        }
    }
    for t in src.added.iter().filter(|t| !t.special) {
        if let Some(f) = canon::token_bytes(src, t.id) {
            src_by_bytes.entry(f).or_insert(t.id);
        }
    }
    for (&b, &id) in &src_fallback {
        src_by_bytes.entry(vec![b]).or_insert(id);
    }
    if let Some(a) = &aux {
        if a.dim == 0 || a.vectors.len() != a.dim * bound {
            return Err(Error::Other(format!(
                "auxiliary vectors: {} floats is not {bound} target ids × dim {}",
                a.vectors.len(),
                a.dim
            )));
        }
    } else if matches!(method, Method::Focus | Method::Omp) {
        return Err(Error::Other(format!(
            "{method:?} needs auxiliary vectors over the target vocabulary"
        )));
    }
    // Pass 1: copies, and the bytes of every other token.
    let tgt_added: FxHashMap<u32, &str> = tgt
        .added
        .iter()
        .map(|t| (t.id, t.content.as_str()))
        .collect();
    let mut rows: Vec<Option<Row>> = Vec::with_capacity(bound);
    let mut pending: Vec<(u32, Vec<u8>)> = Vec::new();
    for id in 0..bound as u32 {
        if let Some(&content) = tgt_added.get(&id) {
            let form = canon::token_bytes(tgt, id).unwrap_or_else(|| content.as_bytes().to_vec());
            let hit = src_added.get(content).or_else(|| src_by_bytes.get(&form));
            rows.push(Some(match hit {
                Some(&s) => (Kind::Copy, vec![(s, 1.0)]),
                None => (Kind::Fallback, vec![]),
            }));
            continue;
        }
        let tok = &tgt
            .model
            .id_to_token()
            .get(id as usize)
            .map_or("", |s| s.as_str());
        if tok.is_empty() {
            rows.push(Some((Kind::Fallback, vec![])));
            continue;
        }
        let form = canon::token_bytes(tgt, id).ok_or_else(|| {
            Error::Other(format!(
                "the target tokenizer cannot be byte-canonicalised: token {tok:?} (id {id}) has chars outside the byte-level alphabet"
            ))
        })?;
        // A target byte piece `<0xNN>` is the source's byte piece when it has one (the identity
        // remap of a byte-fallback tokenizer keeps both rows); otherwise whatever spells the byte.
        let fallback_twin = canon::is_fallback_piece(tgt, id)
            .then(|| src_fallback.get(&form[0]))
            .flatten();
        match fallback_twin.or_else(|| src_by_bytes.get(&form)) {
            Some(&s) => rows.push(Some((Kind::Copy, vec![(s, 1.0)]))),
            None => {
                rows.push(None);
                pending.push((id, form));
            }
        }
    }
    // Pass 2: new tokens, by method.
    let overlap: Vec<(u32, u32)> = rows
        .iter()
        .enumerate()
        .filter_map(|(t, r)| match r {
            Some((Kind::Copy, w)) if !tgt_added.contains_key(&(t as u32)) => {
                Some((t as u32, w[0].0))
            }
            _ => None,
        })
        .collect();
    let fitter = aux.map(|a| crate::remap::fit::Fitter::new(a, &overlap));
    let total = pending.len();
    progress(0, total as u32);
    for (done, (id, form)) in pending.into_iter().enumerate() {
        if done % PROGRESS_EVERY == 0 && done > 0 {
            progress(done as u32, total as u32);
        }
        let fitted = match (method, &fitter) {
            (Method::Focus, Some(f)) => f.focus(id).map(|w| (Kind::Focus, w)),
            (Method::Omp, Some(f)) => f.omp(id, OMP_K).map(|w| (Kind::Omp, w)),
            _ => None,
        };
        let row = match fitted {
            Some(r) => r,
            None if method == Method::Copy => (Kind::Fallback, vec![]),
            None => match decompose(src, &form) {
                Some(d) => {
                    let w = 1.0 / d.len() as f32;
                    (Kind::Fvt, d.into_iter().map(|s| (s, w)).collect())
                }
                None => (Kind::Fallback, vec![]),
            },
        };
        rows[id as usize] = Some(row);
    }
    progress(total as u32, total as u32);
    let mut p = Plan {
        kinds: Vec::with_capacity(bound),
        ptr: vec![0],
        src: vec![],
        weights: vec![],
    };
    for r in rows {
        let (k, w) = r.expect("every target id has a row after pass 2");
        p.kinds.push(k);
        for (s, x) in w {
            p.src.push(s);
            p.weights.push(x);
        }
        p.ptr.push(p.src.len() as u32);
    }
    Ok(p)
}

/// The source BPE model's tokenization of canonical bytes, without normalizer or pretokenizer
/// (zett's `model.tokenize(token)`); None when it needs `unk` or drops bytes.
pub fn decompose(src: &Tokenizer, bytes: &[u8]) -> Option<Vec<u32>> {
    let m = &src.model;
    let mut ids = Vec::new();
    if let Some(bpe) = m.as_bpe().filter(|b| b.byte_level) {
        // Bytes map to their unit tokens directly, so fragments that are not UTF-8 work too.
        let mut starts = Vec::with_capacity(bytes.len());
        for (k, &b) in bytes.iter().enumerate() {
            ids.push(bpe.piece_id(&[b])?);
            starts.push(k as u32);
        }
        merge(&bpe.merges, &mut ids, &mut starts);
    } else {
        let space = match &src.transform {
            Transform::Metaspace { replacement, .. } => *replacement,
            _ => '\u{2581}',
        };
        for chunk in bytes.utf8_chunks() {
            let s = chunk.valid().replace(' ', &space.to_string());
            m.tokenize(&s, &mut ids, None);
            for &b in chunk.invalid() {
                ids.push(*m.token_to_id().get(&format!("<0x{b:02X}>"))?);
            }
        }
    }
    let spelled: Vec<u8> = ids
        .iter()
        .filter_map(|&i| canon::token_bytes(src, i))
        .flatten()
        .collect();
    (!ids.is_empty() && Some(ids.as_slice()).is_some_and(|_| spelled == bytes)).then_some(ids)
}

#[cfg(test)]
mod tests;
