//! Loading tokenizers: Hugging Face `tokenizer.json` (BPE and Unigram models) and tiktoken rank
//! files.
//!
//! Checks follow HF's loader: every merge's parts and their concatenation must be in the
//! vocabulary (`MergeTokenOutOfVocabulary`), merges are `"a b"` strings (split on the single
//! space; `#version` lines skipped) or `["a", "b"]` pairs, and rank = position in the list.
use crate::error::{Error, Result};
use crate::tokenizer::added::AddedToken;
use crate::tokenizer::decoders::Decoder;
use crate::tokenizer::ids::{check_id, id_of, ID_LIMIT};
use crate::tokenizer::json::parse::parse_with_progress;
use crate::tokenizer::models::bpe::{BpeModel, ModelOptions};
use crate::tokenizer::models::unigram::UnigramModel;
use crate::tokenizer::models::Model;
use crate::tokenizer::normalizers::Normalizer;
use crate::tokenizer::postprocess::PostProcessor;
use crate::tokenizer::pretokenize::PreTokenizer;
use crate::tokenizer::progress::{LoadProgress, LoadStage, StageReport, PARSE_STEP};
use crate::tokenizer::{Prepend, Tokenizer, Transform};
use base64::Engine;
use rustc_hash::FxHashMap;
use serde_json::Value;

/// Without progress, serde_json's own parse, exactly as before progress existed; the reporting
/// parse (json/parse.rs, the same document) runs only for a caller that shows progress.
pub fn from_json_str(json: &str) -> Result<Tokenizer> {
    let v: Value = serde_json::from_str(json).map_err(|e| Error::Json(e.to_string()))?;
    from_json(&v)
}

/// [`from_json_str`], reporting each [`LoadStage`] as it runs (see `tokenizer/progress.rs`): the
/// same tokenizer, the same errors.
pub fn from_json_str_with_progress(
    json: &str,
    progress: &mut dyn FnMut(LoadProgress),
) -> Result<Tokenizer> {
    let v = parse_with_progress(json, PARSE_STEP, &mut |done, total| {
        progress(LoadProgress {
            stage: LoadStage::Parse,
            done,
            total,
        })
    })?;
    from_json_with_progress(&v, progress)
}

pub fn from_json(v: &Value) -> Result<Tokenizer> {
    from_json_with_progress(v, &mut |_| {})
}

/// [`from_json`], reporting the stages after parsing.
pub fn from_json_with_progress(
    v: &Value,
    progress: &mut dyn FnMut(LoadProgress),
) -> Result<Tokenizer> {
    if !v.is_object() {
        return Err(Error::Json("the top level is not an object".into()));
    }
    if let Some(ver) = v.get("version").and_then(Value::as_str) {
        if ver != "1.0" {
            return Err(Error::InvalidField {
                field: "version".into(),
                reason: format!("expected \"1.0\", found {ver:?}"),
            });
        }
    }
    let m = v
        .get("model")
        .filter(|m| m.is_object())
        .ok_or_else(|| Error::MissingField("model".into()))?;
    let ty = m
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or(if m.get("merges").is_some() {
            "BPE"
        } else if m.get("vocab").is_some_and(Value::is_array) {
            "Unigram"
        } else {
            ""
        });
    let pre = v.get("pre_tokenizer").filter(|p| !p.is_null());
    let model = match ty {
        "BPE" => Model::Bpe(bpe_from_json(m, pre, progress)?),
        "Unigram" => Model::Unigram(unigram_from_json(m, progress)?),
        _ => {
            return Err(Error::UnknownType {
                what: "model (BPE and Unigram are supported)",
                name: ty.to_string(),
            })
        }
    };
    let added_v = v.get("added_tokens");
    let stage = StageReport::start(
        LoadStage::Added,
        added_v.and_then(Value::as_array).map_or(0, Vec::len),
        progress,
    );
    let added = parse_added(added_v)?;
    let normalizer = opt(v.get("normalizer"), Normalizer::from_json)?;
    let pre_tokenizer = opt(pre, PreTokenizer::from_json)?;
    let transform = match pre {
        Some(p) => transform_of(p)?,
        None => Transform::None,
    };
    let post = opt(v.get("post_processor"), PostProcessor::from_json)?;
    let decoder = opt(v.get("decoder"), Decoder::from_json)?;
    let tok = Tokenizer::new(
        model,
        added,
        normalizer,
        pre_tokenizer,
        transform,
        post,
        decoder,
    );
    stage.finish();
    Ok(tok)
}

fn bpe_from_json(
    m: &Value,
    pre: Option<&Value>,
    progress: &mut dyn FnMut(LoadProgress),
) -> Result<BpeModel> {
    for field in ["continuing_subword_prefix", "end_of_word_suffix"] {
        if let Some(s) = m.get(field).and_then(Value::as_str) {
            if !s.is_empty() {
                return Err(Error::InvalidField {
                    field: format!("model.{field}"),
                    reason: format!("{s:?} is not supported"),
                });
            }
        }
    }
    if let Some(d) = m.get("dropout").and_then(Value::as_f64) {
        if d > 0.0 {
            return Err(Error::InvalidField {
                field: "model.dropout".into(),
                reason: "dropout makes encoding random; set it to null".into(),
            });
        }
    }
    let vocab_v = m
        .get("vocab")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::MissingField("model.vocab".into()))?;
    let mut vocab = FxHashMap::default();
    let mut owner: FxHashMap<u32, &str> = FxHashMap::default();
    let mut stage = StageReport::start(LoadStage::Vocab, vocab_v.len(), progress);
    for (i, (tok, id)) in vocab_v.iter().enumerate() {
        stage.tick(i);
        // The token is formatted only for the error: formatting all of them was 6% of a load.
        let id = match id.as_u64() {
            Some(x) if x < ID_LIMIT => x as u32,
            _ => id_of(id, "model.vocab", &format!("{tok:?}"))?,
        };
        // HF keeps one of the two silently (its reverse map); decoding then depends on the order.
        if let Some(other) = owner.insert(id, tok) {
            return Err(Error::InvalidField {
                field: "model.vocab".into(),
                reason: format!("id {id} is given to two tokens, {other:?} and {tok:?}"),
            });
        }
        vocab.insert(tok.clone(), id);
    }
    stage.finish();
    let merges = parse_merges(m.get("merges"), progress)?;
    let byte_level = pre.is_some_and(has_byte_level);
    let options = ModelOptions {
        unk_token: m
            .get("unk_token")
            .and_then(Value::as_str)
            .map(str::to_string),
        byte_fallback: m
            .get("byte_fallback")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        fuse_unk: m.get("fuse_unk").and_then(Value::as_bool).unwrap_or(false),
        ignore_merges: m
            .get("ignore_merges")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    };
    BpeModel::new(vocab, &merges, byte_level, options, progress)
}

/// HF `models.Unigram`: `vocab` is a list of `[piece, score]` (id = position), `unk_id` an index.
fn unigram_from_json(m: &Value, progress: &mut dyn FnMut(LoadProgress)) -> Result<UnigramModel> {
    let list = m
        .get("vocab")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::MissingField("model.vocab".into()))?;
    let mut pieces = Vec::with_capacity(list.len());
    let mut stage = StageReport::start(LoadStage::Vocab, list.len(), progress);
    for (i, item) in list.iter().enumerate() {
        stage.tick(i);
        let pair = item.as_array().filter(|a| a.len() == 2);
        let (Some(p), Some(score)) = (
            pair.and_then(|a| a[0].as_str()),
            pair.and_then(|a| a[1].as_f64()),
        ) else {
            return Err(Error::InvalidField {
                field: format!("model.vocab[{i}]"),
                reason: "expected [piece, score]".into(),
            });
        };
        pieces.push((p.to_string(), score));
    }
    stage.finish();
    let unk = match m.get("unk_id") {
        None | Some(Value::Null) => None,
        Some(x) => Some(id_of(x, "model.unk_id", "the unknown token")?),
    };
    let byte_fallback = m
        .get("byte_fallback")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    UnigramModel::new(pieces, unk, byte_fallback)
}

fn opt<T>(v: Option<&Value>, f: impl Fn(&Value) -> Result<T>) -> Result<Option<T>> {
    match v {
        Some(x) if !x.is_null() => f(x).map(Some),
        _ => Ok(None),
    }
}

fn parse_merges(
    v: Option<&Value>,
    progress: &mut dyn FnMut(LoadProgress),
) -> Result<Vec<(String, String)>> {
    let list = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(Error::InvalidField {
                field: "model.merges".into(),
                reason: format!("expected a list of merges, found {}", kind(other)),
            })
        }
    };
    let mut out = Vec::with_capacity(list.len());
    let mut stage = StageReport::start(LoadStage::Merges, list.len(), progress);
    for (i, item) in list.iter().enumerate() {
        stage.tick(i);
        let bad = |reason: &str| Error::InvalidField {
            field: format!("model.merges[{i}]"),
            reason: reason.into(),
        };
        match item {
            Value::String(s) => {
                if s.starts_with("#version") {
                    continue;
                }
                let parts: Vec<&str> = s.split(' ').collect();
                if parts.len() != 2 {
                    return Err(bad(&format!(
                        "{s:?} is not two tokens separated by one space"
                    )));
                }
                out.push((parts[0].to_string(), parts[1].to_string()));
            }
            Value::Array(a) if a.len() == 2 => match (a[0].as_str(), a[1].as_str()) {
                (Some(x), Some(y)) => out.push((x.to_string(), y.to_string())),
                _ => return Err(bad("expected two strings")),
            },
            _ => return Err(bad("expected \"a b\" or [\"a\", \"b\"]")),
        }
    }
    stage.finish();
    Ok(out)
}

/// The JSON type of `v`, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn parse_added(v: Option<&Value>) -> Result<Vec<AddedToken>> {
    let list = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(other) => {
            return Err(Error::InvalidField {
                field: "added_tokens".into(),
                reason: format!("expected a list, found {}", kind(other)),
            })
        }
    };
    list.iter()
        .enumerate()
        .map(|(i, t)| {
            let flag = |k: &str| t.get(k).and_then(Value::as_bool).unwrap_or(false);
            let field = format!("added_tokens[{i}].id");
            let id = id_of(
                t.get("id")
                    .ok_or_else(|| Error::MissingField(field.clone()))?,
                &field,
                "the added token",
            )?;
            let content = t
                .get("content")
                .and_then(Value::as_str)
                .ok_or_else(|| Error::MissingField(format!("added_tokens[{i}].content")))?;
            Ok(AddedToken {
                id,
                content: content.to_string(),
                single_word: flag("single_word"),
                lstrip: flag("lstrip"),
                rstrip: flag("rstrip"),
                // HF's default for a missing flag is true.
                normalized: t.get("normalized").and_then(Value::as_bool).unwrap_or(true),
                special: flag("special"),
            })
        })
        .collect()
}

fn has_byte_level(v: &Value) -> bool {
    match v.get("type").and_then(Value::as_str) {
        Some("ByteLevel") => true,
        Some("Sequence") => v
            .get("pretokenizers")
            .and_then(Value::as_array)
            .is_some_and(|l| l.iter().any(has_byte_level)),
        _ => false,
    }
}

/// The text transform of a pretokenizer. Only the first step of a sequence may transform: a
/// prefix space or Metaspace after a split would apply per piece, which no known tokenizer does.
fn transform_of(v: &Value) -> Result<Transform> {
    let steps: Vec<&Value> = match v.get("type").and_then(Value::as_str) {
        Some("Sequence") => v
            .get("pretokenizers")
            .and_then(Value::as_array)
            .map(|l| l.iter().collect())
            .unwrap_or_default(),
        _ => vec![v],
    };
    let mut out = Transform::None;
    for (i, step) in steps.iter().enumerate() {
        let t = step_transform(step)?;
        if t != Transform::None {
            if i > 0 {
                return Err(Error::InvalidField {
                    field: "pre_tokenizer".into(),
                    reason: "a ByteLevel add_prefix_space or Metaspace step after another step is not supported".into(),
                });
            }
            out = t;
        }
    }
    Ok(out)
}

fn step_transform(v: &Value) -> Result<Transform> {
    Ok(match v.get("type").and_then(Value::as_str) {
        Some("ByteLevel")
            if v.get("add_prefix_space")
                .and_then(Value::as_bool)
                .unwrap_or(true) =>
        {
            Transform::PrefixSpace
        }
        Some("Metaspace") => {
            let replacement = v
                .get("replacement")
                .and_then(Value::as_str)
                .and_then(|s| s.chars().next())
                .unwrap_or('▁');
            let prepend = match v.get("prepend_scheme").and_then(Value::as_str) {
                Some("always") => Prepend::Always,
                Some("first") => Prepend::First,
                Some("never") => Prepend::Never,
                Some(other) => {
                    return Err(Error::InvalidField {
                        field: "pre_tokenizer.prepend_scheme".into(),
                        reason: format!("unknown {other:?}"),
                    })
                }
                None if v
                    .get("add_prefix_space")
                    .and_then(Value::as_bool)
                    .unwrap_or(true) =>
                {
                    Prepend::Always
                }
                None => Prepend::Never,
            };
            Transform::Metaspace {
                replacement,
                prepend,
            }
        }
        _ => Transform::None,
    })
}

/// The tiktoken encodings [`tiktoken_spec`] knows: the one list (the TS API reads it through the
/// bindings).
pub const TIKTOKEN_ENCODINGS: &[&str] = &["o200k_base", "cl100k_base", "r50k_base", "p50k_base"];

/// Known tiktoken encodings: pretokenizer name and special tokens.
pub fn tiktoken_spec(name: &str) -> Result<(&'static str, Vec<(&'static str, u32)>)> {
    Ok(match name {
        "o200k_base" => (
            "o200k",
            vec![("<|endoftext|>", 199999), ("<|endofprompt|>", 200018)],
        ),
        "cl100k_base" => (
            "cl100k",
            vec![
                ("<|endoftext|>", 100257),
                ("<|fim_prefix|>", 100258),
                ("<|fim_middle|>", 100259),
                ("<|fim_suffix|>", 100260),
                ("<|endofprompt|>", 100276),
            ],
        ),
        "r50k_base" | "p50k_base" | "gpt2" => ("gpt2", vec![("<|endoftext|>", 50256)]),
        other => {
            return Err(Error::UnknownType {
                what: "tiktoken encoding (o200k_base, cl100k_base, r50k_base, p50k_base)",
                name: other.into(),
            })
        }
    })
}

/// Loads a tiktoken rank file (`base64 rank` per line, ranks 0..n-1) as a byte-level tokenizer.
pub fn from_tiktoken(text: &str, name: &str) -> Result<Tokenizer> {
    from_tiktoken_with_progress(text, name, &mut |_| {})
}

/// [`from_tiktoken`], reporting the lines read as [`LoadStage::Parse`] (bytes), then the merge
/// table (tokens) and the special tokens ([`LoadStage::Added`]).
pub fn from_tiktoken_with_progress(
    text: &str,
    name: &str,
    progress: &mut dyn FnMut(LoadProgress),
) -> Result<Tokenizer> {
    let (pattern, specials) = tiktoken_spec(name)?;
    let total = text.len() as u64;
    let mut parse = |done: usize| {
        progress(LoadProgress {
            stage: LoadStage::Parse,
            done: done as u64,
            total,
        })
    };
    parse(0);
    let mut next = PARSE_STEP;
    // Ranks are 0..n-1 without gaps (checked below), so a rank >= n (the number of lines) is an
    // error found before any table of that size is allocated.
    let n = text.lines().filter(|l| !l.trim().is_empty()).count();
    let mut tokens: Vec<Option<Vec<u8>>> = Vec::new();
    let mut rank_of: FxHashMap<Vec<u8>, usize> = FxHashMap::default();
    for (i, line) in text.lines().enumerate() {
        // A line is a slice of the text: its offset is how far the reading is.
        let at = line.as_ptr() as usize - text.as_ptr() as usize;
        if at >= next {
            parse(at);
            next = at + PARSE_STEP;
        }
        if line.trim().is_empty() {
            continue;
        }
        let bad = |reason: String| Error::BadRankFile {
            line: i + 1,
            reason,
        };
        let (b64, rank) = line
            .split_once(' ')
            .ok_or_else(|| bad("expected `<base64> <rank>`".into()))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| bad(format!("bad base64: {e}")))?;
        let rank: usize = rank
            .trim()
            .parse()
            .map_err(|_| bad(format!("bad rank {rank:?}")))?;
        check_id(rank as u64, "rank", "a token").map_err(|e| bad(e.to_string()))?;
        if rank >= n {
            return Err(bad(format!(
                "rank {rank} is not below the number of tokens ({n}): ranks must be 0..{} without gaps",
                n.saturating_sub(1)
            )));
        }
        if let Some(first) = rank_of.insert(bytes.clone(), rank) {
            return Err(bad(format!(
                "the bytes of rank {rank} are those of rank {first} too: each token must appear once"
            )));
        }
        if rank >= tokens.len() {
            tokens.resize(rank + 1, None);
        }
        if tokens[rank].replace(bytes).is_some() {
            return Err(bad(format!("rank {rank} appears twice")));
        }
    }
    let tokens: Vec<Vec<u8>> = tokens
        .into_iter()
        .enumerate()
        .map(|(r, t)| {
            t.ok_or_else(|| Error::BadRankFile {
                line: 0,
                reason: format!("rank {r} is missing"),
            })
        })
        .collect::<Result<_>>()?;
    if tokens.is_empty() {
        return Err(Error::BadRankFile {
            line: 0,
            reason: "the file has no tokens".into(),
        });
    }
    // Byte-level BPE encodes any text only when every single byte is a token.
    if let Some(b) = (0..=255u8).find(|b| !rank_of.contains_key(&vec![*b])) {
        return Err(Error::BadRankFile {
            line: 0,
            reason: format!("byte 0x{b:02x} has no rank: every single byte must be a token"),
        });
    }
    parse(text.len());
    let model = BpeModel::from_ranks(tokens, progress)?;
    let stage = StageReport::start(LoadStage::Added, specials.len(), progress);
    let added = specials
        .into_iter()
        .map(|(content, id)| AddedToken {
            id,
            content: content.into(),
            single_word: false,
            lstrip: false,
            rstrip: false,
            normalized: false,
            special: true,
        })
        .collect();
    let tok = Tokenizer::new(
        Model::Bpe(model),
        added,
        None,
        Some(PreTokenizer::by_name(pattern)?),
        Transform::None,
        None,
        Some(Decoder::ByteLevel),
    );
    stage.finish();
    Ok(tok)
}
