//! Oracle tests: every case in `test/fixtures/train/*.json` (HF tokenizers 0.23.3 `BpeTrainer`,
//! made by `test/fixtures/make_train_fixtures.py`) is counted with `Counter::count_lines` and
//! trained; vocab and merges must be identical, and `tokenizer_json` must equal HF's `to_str()`
//! where the fixture records it.
use super::*;
use crate::tokenizer::pretokenize::PreTokenizer;
use serde_json::Value;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub(super) fn cases() -> Vec<Value> {
    let dir = root().join("test/fixtures/train");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    assert!(names.len() >= 5, "fixtures missing in {dir:?}");
    names
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

fn cut(data: &[u8], max: Option<u64>) -> &[u8] {
    match max {
        Some(m) if data.len() as u64 > m => {
            let end = data[..m as usize]
                .iter()
                .rposition(|&b| b == b'\n')
                .unwrap();
            &data[..end + 1]
        }
        _ => data,
    }
}

/// Counts the case's files like HF `train_from_files` would.
pub(super) fn count_case(case: &Value, pretokenizer: PreTokenizer) -> WordCounts {
    let counter = Counter::new(pretokenizer, true);
    let mut wc = WordCounts::new();
    for f in case["files"].as_array().unwrap() {
        let data = std::fs::read(root().join(f["path"].as_str().unwrap())).unwrap();
        let text = std::str::from_utf8(cut(&data, f["max_bytes"].as_u64())).unwrap();
        counter.count_lines(text, &mut wc);
    }
    if let Some(text) = case["text"].as_str() {
        counter.count_lines(text, &mut wc);
    }
    wc
}

pub(super) fn config_of(case: &Value) -> BpeTrainerConfig {
    let mut cfg = if case["byte_alphabet"].as_bool().unwrap() {
        BpeTrainerConfig::byte_level(0)
    } else {
        BpeTrainerConfig::new(0)
    };
    cfg.vocab_size = case["vocab_size"].as_u64().unwrap() as usize;
    cfg.min_frequency = case["min_frequency"].as_u64().unwrap();
    cfg.special_tokens = case["special_tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    cfg.limit_alphabet = case["limit_alphabet"].as_u64().map(|x| x as usize);
    cfg.max_token_length = case["max_token_length"].as_u64().map(|x| x as usize);
    cfg
}

pub(super) fn expected_merges(case: &Value) -> Vec<(String, String)> {
    case["merges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m[0].as_str().unwrap().to_string(),
                m[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn train_oracle_fixtures_match_hf() {
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        let pt = PreTokenizer::from_regex(case["regex"].as_str().unwrap()).unwrap();
        let wc = count_case(&case, pt);
        let cfg = config_of(&case);
        let t = train(&wc, &cfg, &mut |_| {}).unwrap();
        let vocab: Vec<String> = case["vocab"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        let merges = expected_merges(&case);
        let first_diff = t.merges.iter().zip(&merges).position(|(a, b)| a != b);
        assert_eq!(
            (t.merges.len(), first_diff),
            (merges.len(), None),
            "{name}: merges differ (first at {first_diff:?})"
        );
        assert_eq!(t.vocab, vocab, "{name}: vocab differs");
        if let Some(json) = case["tokenizer_json"].as_str() {
            let pre = serde_json::json!({"type":"Sequence","pretokenizers":[
                {"type":"Split","pattern":{"Regex":case["regex"]},"behavior":"Isolated","invert":false},
                {"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":false}]});
            // HF's trainer leaves the decoder null; we write ByteLevel (byte_level = true).
            let ours = crate::tokenizer::json::tokenizer_json(&t, &pre, false, None);
            assert_eq!(ours, json, "{name}: tokenizer.json differs");
            let with_decoder = crate::tokenizer::json::tokenizer_json(&t, &pre, true, None);
            let v: Value = serde_json::from_str(&with_decoder).unwrap();
            assert_eq!(v["decoder"]["type"], "ByteLevel");
        }
    }
}

/// Timing, not a check: `cargo test --release -p vocabsmith-core train_bench -- --ignored
/// --nocapture`. Counts corpora/en x5 (~10 MB) with the o200k and SuperBPE stage-2 splits and
/// trains to 8k and 32k; with VOCABSMITH_HF_MERGES_DIR set, compares with HF's merges there.
#[test]
#[ignore]
fn train_bench_10mb() {
    let mut text = String::new();
    let mut files: Vec<_> = std::fs::read_dir(root().join("corpora/en"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().contains("COPYING"))
        .collect();
    files.sort();
    for _ in 0..5 {
        for f in &files {
            text.push_str(&std::fs::read_to_string(f).unwrap());
        }
    }
    for (name, pt) in [("o200k", "o200k"), ("superbpe-stage2", "superbpe")] {
        let t0 = std::time::Instant::now();
        let counter = Counter::new(PreTokenizer::by_name(pt).unwrap(), true);
        let mut wc = WordCounts::new();
        counter.count_lines(&text, &mut wc);
        let tc = t0.elapsed();
        for v in [8_000usize, 32_000] {
            let t1 = std::time::Instant::now();
            let t = train(&wc, &BpeTrainerConfig::new(v), &mut |_| {}).unwrap();
            println!(
                "{name}: {} MB, {} words, count {:.2}s, train to {v}: {:.2}s ({} merges)",
                text.len() / 1_000_000,
                wc.len(),
                tc.as_secs_f64(),
                t1.elapsed().as_secs_f64(),
                t.merges.len()
            );
            // Optional oracle check against merges dumped by HF on the same text.
            if let Ok(dir) = std::env::var("VOCABSMITH_HF_MERGES_DIR") {
                let p = PathBuf::from(dir).join(format!("hf_{name}_{v}.json"));
                let hf: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
                let hf = expected_merges(&serde_json::json!({ "merges": hf }));
                assert!(t.merges == hf, "{name} {v}: merges differ from HF");
                println!("  identical to HF ({} merges)", hf.len());
            }
        }
    }
}

#[test]
fn every_pattern_name_builds_and_nothing_else_is_a_name() {
    for name in spec::PATTERN_NAMES {
        spec::pretokenizer(name).unwrap();
        crate::tokenizer::pretokenize::PreTokenizer::by_name(name).unwrap();
    }
    // A typo of a name is not a name: the core would take it as a regex, which is why the CLI
    // and API check `pattern` against PATTERN_NAMES and take raw regexes apart.
    assert!(!spec::PATTERN_NAMES.contains(&"llama4"));
}
