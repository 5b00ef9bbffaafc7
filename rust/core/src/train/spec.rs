//! Pretokenizer specs for training: a known name or a regex -> the `pre_tokenizer` JSON written
//! into tokenizer.json, and the pretokenizer built *from that JSON*, so training and every later
//! load of the file split text identically.
use crate::error::{Error, Result};
use crate::tokenizer::pretokenize::{self as pt, PreTokenizer};
use serde_json::{json, Value};

/// The pretokenizer names training knows (every other spec is a regex): the one list the CLI and
/// API validate `pattern` against.
pub const PATTERN_NAMES: &[&str] = &[
    "gpt2",
    "llama3",
    "qwen2",
    "cl100k",
    "o200k",
    "superbpe",
    "superbpe-stage1",
    "superbpe-paper",
    "superbpe-paper-stage1",
];

/// Known names: [`PATTERN_NAMES`] — gpt2, llama3, qwen2, cl100k, o200k, superbpe (stage 2,
/// current), superbpe-stage1, superbpe-paper (stage 2, paper era), superbpe-paper-stage1.
/// Anything else is a regex.
pub fn pretokenizer_json(spec: &str) -> Result<Value> {
    let split = |r: &str| json!({"type": "Split", "pattern": {"Regex": r}, "behavior": "Isolated", "invert": false});
    let digits = json!({"type": "Digits", "individual_digits": false});
    let steps = match spec {
        "gpt2" => vec![split(pt::GPT2)],
        "llama3" => vec![split(pt::LLAMA3)],
        "qwen2" => vec![split(pt::QWEN2)],
        "cl100k" => vec![split(pt::CL100K)],
        "o200k" => vec![split(pt::O200K)],
        "superbpe" => vec![split(pt::SUPERBPE_STAGE2)],
        "superbpe-stage1" => vec![split(pt::SUPERBPE_STAGE1)],
        // Paper era (SuperBPE before commit d731c76): Digits first, then the split.
        "superbpe-paper" => vec![digits, split(pt::DIGIT_GROUPS3)],
        "superbpe-paper-stage1" => vec![digits, split(pt::SUPERBPE_PAPER_STAGE1)],
        "" => {
            return Err(Error::InvalidField {
                field: "pattern".into(),
                reason: "empty pattern".into(),
            })
        }
        regex => {
            PreTokenizer::from_regex(regex)?;
            vec![split(regex)]
        }
    };
    let mut all = steps;
    // Split must come before ByteLevel (SuperBPE issue #1: ByteLevel first makes superwords in stage 1).
    all.push(json!({"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}));
    Ok(json!({"type": "Sequence", "pretokenizers": all}))
}

/// The pretokenizer JSON of `spec` and the pretokenizer built from it.
pub fn pretokenizer(spec: &str) -> Result<(Value, PreTokenizer)> {
    let v = pretokenizer_json(spec)?;
    let p = PreTokenizer::from_json(&v)?;
    Ok((v, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_regexes() {
        let (v, p) = pretokenizer("superbpe").unwrap();
        assert_eq!(
            v["pretokenizers"][0]["pattern"]["Regex"],
            pt::SUPERBPE_STAGE2
        );
        let mut out = vec![];
        p.split("of the 12345", &mut out);
        assert_eq!(out, vec![(0, 7), (7, 10), (10, 12)]);
        assert!(pretokenizer(r"\p{L}+|\s+").is_ok());
        assert!(matches!(
            pretokenizer("(unclosed"),
            Err(Error::BadPattern { .. })
        ));
        let (_, paper) = pretokenizer("superbpe-paper").unwrap();
        out.clear();
        paper.split("a b 1234567", &mut out);
        assert_eq!(out, vec![(0, 4), (4, 5), (5, 8), (8, 11)]);
    }
}
