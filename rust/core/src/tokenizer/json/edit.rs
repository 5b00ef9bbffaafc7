//! Edits of a tokenizer.json document that keep everything else as written (key order, merge
//! format, fields this crate does not model): ids renumbered, vocabulary and merges replaced, and
//! floats written so they read back bit-identical. Trimming rewrites a document through these.
use crate::error::{Error, Result};
use crate::tokenizer::ids::NONE;
use serde_json::{Map, Value};

/// A float whose JSON text parses back to exactly `v`. serde_json's default float parser (which
/// HF `tokenizers` uses too, and so do we) can be one ulp off on 17-digit numbers, so `v` is what
/// both read from the original file, and the shortest text of `v` may read back one ulp away. A
/// neighbour whose shortest text reads back as `v` keeps every score bit-identical in both.
pub fn reparsing_to(v: f64) -> f64 {
    let reads_as_v = |w: f64| {
        serde_json::to_string(&w)
            .ok()
            .and_then(|t| serde_json::from_str::<f64>(&t).ok())
            == Some(v)
    };
    if !v.is_finite() || reads_as_v(v) {
        return v;
    }
    for k in 1..=4u64 {
        for w in [
            f64::from_bits(v.to_bits().wrapping_add(k)),
            f64::from_bits(v.to_bits().wrapping_sub(k)),
        ] {
            if w.is_finite() && reads_as_v(w) {
                return w;
            }
        }
    }
    v
}

/// Calls `f` on every id in a post-processor (TemplateProcessing `special_tokens.*.ids`,
/// Bert/Roberta `sep`/`cls`, nested in `Sequence`), mutably so that ids can be rewritten.
pub fn post_processor_ids(v: &Value, f: &mut dyn FnMut(&u64)) {
    let mut v = v.clone();
    post_processor_ids_mut(&mut v, &mut |id| f(id));
}

fn post_processor_ids_mut(v: &mut Value, f: &mut dyn FnMut(&mut u64)) {
    let Some(obj) = v.as_object_mut() else { return };
    if let Some(Value::Object(specials)) = obj.get_mut("special_tokens") {
        for s in specials.values_mut() {
            if let Some(Value::Array(ids)) = s.get_mut("ids") {
                for id in ids.iter_mut() {
                    map_id(id, f);
                }
            }
        }
    }
    for key in ["sep", "cls"] {
        if let Some(Value::Array(pair)) = obj.get_mut(key) {
            if let Some(id) = pair.get_mut(1) {
                map_id(id, f);
            }
        }
    }
    if let Some(Value::Array(list)) = obj.get_mut("processors") {
        for p in list.iter_mut() {
            post_processor_ids_mut(p, f);
        }
    }
}

fn map_id(id: &mut Value, f: &mut dyn FnMut(&mut u64)) {
    if let Some(mut x) = id.as_u64() {
        f(&mut x);
        *id = Value::from(x);
    }
}

/// A copy of `json` whose `model.vocab` and `model.merges` are `null` placeholders (same key order).
pub fn without_vocab_and_merges(json: &Value) -> Value {
    let Some(doc) = json.as_object() else {
        return json.clone();
    };
    let mut out = Map::new();
    for (k, v) in doc {
        let v = match (k.as_str(), v.as_object()) {
            ("model", Some(model)) => Value::Object(
                model
                    .iter()
                    .map(|(mk, mv)| match mk.as_str() {
                        "vocab" | "merges" => (mk.clone(), Value::Null),
                        _ => (mk.clone(), mv.clone()),
                    })
                    .collect(),
            ),
            _ => v.clone(),
        };
        out.insert(k.clone(), v);
    }
    Value::Object(out)
}

/// Renumbers added-token and post-processor ids (`old_to_new`, [`NONE`] for a dropped id); an
/// added token whose id was dropped leaves the list unless it is special (a trim only drops
/// non-special ones, under `trim::AddedTokens::KeepSpecial`); a dropped special or
/// post-processor id is an error.
pub fn renumber_ids(out: &mut Value, old_to_new: &[u32]) -> Result<()> {
    let mut bad = None;
    let mut remap = |id: &mut u64| match old_to_new.get(*id as usize) {
        Some(&new) if new != NONE => *id = new as u64,
        _ => bad = Some(*id),
    };
    if let Some(Value::Array(list)) = out.get_mut("added_tokens") {
        list.retain(|t| {
            let id = t.get("id").and_then(Value::as_u64);
            let gone = id.is_some_and(|i| old_to_new.get(i as usize) == Some(&NONE));
            !(gone && t.get("special") != Some(&Value::Bool(true)))
        });
        for t in list.iter_mut() {
            if let Some(id) = t.get_mut("id") {
                map_id(id, &mut remap);
            }
        }
    }
    if let Some(pp) = out.get_mut("post_processor") {
        post_processor_ids_mut(pp, &mut remap);
    }
    if let Some(id) = bad {
        return Err(Error::Other(format!(
            "id {id} of an added token or post-processor was dropped (internal error: these are always kept)"
        )));
    }
    Ok(())
}
