//! Parsing a JSON document into a [`Value`] while reporting how many of its bytes are parsed.
//!
//! Guarantee: [`parse_with_progress`] returns exactly the [`Value`] `serde_json::from_str` does
//! (same deserializer, same errors, same recursion limit; the visitor below builds each value the
//! way serde_json's own `Value` visitor does, with the same `Map::insert` for objects), and calls
//! `progress(done, total)` with `done` non-decreasing, at most once per `step` bytes, and last
//! with `done == total` (the length of the text) on success.
//!
//! Where the position comes from: serde_json keeps its offset to itself, but a string without
//! escapes is handed to the visitor as a slice of the input (`visit_borrowed_str`), so its
//! address minus the input's is the offset. Tokenizer files are mostly such strings (every vocab
//! key, every merge), so the offset advances smoothly; a string with escapes (a copy) only skips
//! one update. A counting `io::Read` wrapper instead would force serde_json's reader path, which
//! copies every string through a scratch buffer: several times slower than parsing the `&str`.
//!
//! Cost (bench/load-progress.ts and a plain child-per-load script, Gemma3's 33 MB in WASM,
//! against the build before): within the noise wherever it could be told apart (warm: medians
//! within ±2%; a fresh process doing the same steps for each variant: -0.8% without and -1.9%
//! with a callback, CPU +0.3% and -0.7%; natively ±3%). Fresh-process runs through the bench
//! harness spread by ±10% (on a busy machine, and with unequal work before the load), the
//! unchanged serde_json path included. A load without a callback still takes serde_json's own
//! parse (`read.rs`): nothing changes for a caller that shows no progress.
use crate::error::{Error, Result};
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses `json`, calling `progress(bytes parsed, json.len())` about every `step` bytes.
pub fn parse_with_progress(
    json: &str,
    step: usize,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Value> {
    let total = json.len() as u64;
    progress(0, total);
    let mut at = At {
        base: json.as_ptr() as usize,
        next: step.max(1),
        step: step.max(1),
        total,
        progress,
    };
    let mut de = serde_json::Deserializer::from_str(json);
    let v = ValueSeed(&mut at)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| Error::Json(e.to_string()))?;
    progress(total, total);
    Ok(v)
}

/// The progress state: the input's address, the next offset worth a report.
struct At<'p> {
    base: usize,
    next: usize,
    step: usize,
    total: u64,
    progress: &'p mut dyn FnMut(u64, u64),
}

impl At<'_> {
    /// `s` is a slice of the input (a borrowed string): its offset is the parse position.
    #[inline]
    fn seen(&mut self, s: &str) {
        let pos = (s.as_ptr() as usize).wrapping_sub(self.base);
        if pos >= self.next {
            self.report(pos);
        }
    }

    #[cold]
    fn report(&mut self, pos: usize) {
        // Offsets of later strings are larger, so `next` only grows and `done` never goes back.
        self.next = pos + self.step;
        (self.progress)(pos as u64, self.total);
    }
}

/// serde_json's `Value` visitor, plus the position of every borrowed string.
struct ValueSeed<'a, 'p>(&'a mut At<'p>);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Value, E> {
        self.0.seen(v);
        Ok(Value::String(v.to_owned()))
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut vec = Vec::new();
        while let Some(v) = seq.next_element_seed(ValueSeed(&mut *self.0))? {
            vec.push(v);
        }
        Ok(Value::Array(vec))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut values = Map::new();
        while let Some(key) = map.next_key_seed(KeySeed(&mut *self.0))? {
            let value = map.next_value_seed(ValueSeed(&mut *self.0))?;
            values.insert(key, value);
        }
        Ok(Value::Object(values))
    }
}

/// An object's key (always a string in JSON), with its position when borrowed.
struct KeySeed<'a, 'p>(&'a mut At<'p>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_> {
    type Value = String;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, '_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<String, E> {
        self.0.seen(v);
        Ok(v.to_owned())
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E>(self, v: String) -> std::result::Result<String, E> {
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str, step: usize) -> (Result<Value>, Vec<(u64, u64)>) {
        let mut calls = Vec::new();
        let v = parse_with_progress(json, step, &mut |d, t| calls.push((d, t)));
        (v, calls)
    }

    #[test]
    fn the_value_is_serde_jsons_and_progress_climbs_to_the_length() {
        let doc = r#"{"a": [1, -2, 3.5, 1.5e300, -0.0, true, null, "x\ny", "plain"], "b": {"k": "v", "k": "w", "é\"": {}},
                      "c": [], "d": 18446744073709551615, "e": -9223372036854775808, "z": "tail"}"#;
        let (v, calls) = parse(doc, 8);
        let v = v.unwrap();
        let want: Value = serde_json::from_str(doc).unwrap();
        assert_eq!(v, want);
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            serde_json::to_string(&want).unwrap()
        );
        let n = doc.len() as u64;
        assert_eq!(calls.first(), Some(&(0, n)));
        assert_eq!(calls.last(), Some(&(n, n)));
        assert!(calls.len() > 4, "{calls:?}");
        assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0), "{calls:?}");
        // At most one report per step between the first and the last.
        assert!(
            calls
                .windows(2)
                .skip(1)
                .all(|w| w[1].0 >= w[0].0 + 8 || w[1].0 == n),
            "{calls:?}"
        );
    }

    #[test]
    fn errors_are_serde_jsons() {
        for bad in [
            "{\"a\": [1, 2}",
            "[1] x",
            "",
            "{\"a\": \"\\q\"}",
            &"[".repeat(200),
        ] {
            let want = serde_json::from_str::<Value>(bad).unwrap_err().to_string();
            let (v, calls) = parse(bad, 1);
            assert_eq!(
                v.unwrap_err().to_string(),
                format!("malformed JSON: {want}")
            );
            assert!(
                calls.iter().all(|&(d, t)| d < t || t == 0),
                "no final report on failure: {calls:?}"
            );
        }
    }
}
