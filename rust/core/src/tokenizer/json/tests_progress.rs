//! Load progress on the real tokenizers: what the reports promise (`tokenizer/progress.rs`), and
//! that the reporting parse builds the very document serde_json does.
use super::*;
use crate::testdata::real_tokenizer_json;
use crate::tokenizer::models::Model;
use crate::tokenizer::progress::{LoadProgress, LoadStage, ITEM_STEP, PARSE_STEP};
use serde_json::Value;
use std::time::Instant;

fn load_recording(json: &str) -> Vec<LoadProgress> {
    let mut calls = Vec::new();
    from_json_str_with_progress(json, &mut |p| calls.push(p)).unwrap();
    calls
}

#[test]
fn gemma3_load_reports_each_stage_monotone_up_to_its_total() {
    let json = real_tokenizer_json("gemma3");
    let calls = load_recording(&json);
    let stages: Vec<LoadStage> = {
        let mut s: Vec<LoadStage> = calls.iter().map(|p| p.stage).collect();
        s.dedup();
        s
    };
    // Each stage once, in order (Gemma3 is BPE: every stage runs).
    assert_eq!(
        stages,
        [
            LoadStage::Parse,
            LoadStage::Vocab,
            LoadStage::Merges,
            LoadStage::MergeTable,
            LoadStage::Added
        ]
    );
    for stage in stages {
        let of: Vec<&LoadProgress> = calls.iter().filter(|p| p.stage == stage).collect();
        let total = of[0].total;
        assert!(of.iter().all(|p| p.total == total), "{stage:?}: one total");
        assert_eq!(of[0].done, 0, "{stage:?} starts at 0");
        assert_eq!(
            of.last().unwrap().done,
            total,
            "{stage:?} ends at its total"
        );
        assert!(
            of.windows(2).all(|w| w[0].done <= w[1].done),
            "{stage:?} monotone: {of:?}"
        );
        // Sparse but live: no report closer than a step to the previous one (but the last), and
        // none further than a step (items) or 4 steps (bytes: a stretch without a plain string).
        let (step, max_gap) = match stage {
            LoadStage::Parse => (PARSE_STEP as u64, 4 * PARSE_STEP as u64),
            _ => (ITEM_STEP as u64, ITEM_STEP as u64),
        };
        for w in of.windows(2) {
            let gap = w[1].done - w[0].done;
            assert!(gap <= max_gap, "{stage:?}: a gap of {gap} ({w:?})");
            assert!(
                gap >= step || w[1].done == total,
                "{stage:?}: too frequent ({w:?})"
            );
        }
    }
    let count = |s: LoadStage| calls.iter().filter(|p| p.stage == s).count();
    let parse = calls.iter().find(|p| p.stage == LoadStage::Parse).unwrap();
    assert_eq!(parse.total, json.len() as u64);
    // 33 MB in ~1 MiB steps; 262k tokens and 514k merges in 16k steps.
    assert!(count(LoadStage::Parse) > 20, "{}", count(LoadStage::Parse));
    assert!(count(LoadStage::Vocab) > 10, "{}", count(LoadStage::Vocab));
    assert!(
        count(LoadStage::Merges) > 20,
        "{}",
        count(LoadStage::Merges)
    );
    assert!(
        count(LoadStage::MergeTable) > 20,
        "{}",
        count(LoadStage::MergeTable)
    );
    assert!(calls.len() < 300, "sparse: {} reports", calls.len());
}

#[test]
fn the_reporting_parse_builds_serde_jsons_document_and_the_same_tokenizer() {
    for name in ["llama3", "qwen3", "gemma3"] {
        let json = real_tokenizer_json(name);
        let plain: Value = serde_json::from_str(&json).unwrap();
        let reported = parse_with_progress(&json, PARSE_STEP, &mut |_, _| {}).unwrap();
        assert!(plain == reported, "{name}: same document");
        assert_eq!(
            serde_json::to_string(&plain).unwrap(),
            serde_json::to_string(&reported).unwrap(),
            "{name}: same document, same key order"
        );
        let a = from_json(&plain).unwrap();
        let b = from_json_str_with_progress(&json, &mut |_| {}).unwrap();
        let (Model::Bpe(ma), Model::Bpe(mb)) = (&a.model, &b.model) else {
            panic!("{name} is BPE")
        };
        assert_eq!(ma.id_to_token, mb.id_to_token, "{name}");
        assert_eq!(ma.merge_list, mb.merge_list, "{name}");
        assert_eq!(format!("{:?}", a.added), format!("{:?}", b.added), "{name}");
        let text = "Hello, world! Ça va? 日本語のテキスト <start_of_turn>user\n  12345";
        assert_eq!(a.encode(text, true), b.encode(text, true), "{name}");
    }
}

#[test]
fn a_tiktoken_load_reports_lines_read_then_the_merge_table() {
    use base64::Engine;
    // Every byte, every pair of bytes, and the triples starting with 0 or 1: 196,864 ranks
    // (~2.3 MB of lines).
    let tokens: Vec<Vec<u8>> =
        (0..=255u8)
            .map(|b| vec![b])
            .chain((0..=255u8).flat_map(|a| (0..=255u8).map(move |b| vec![a, b])))
            .chain((0..=1u8).flat_map(|a| {
                (0..=255u8).flat_map(move |b| (0..=255u8).map(move |c| vec![a, b, c]))
            }))
            .collect();
    let text: String = tokens
        .iter()
        .enumerate()
        .map(|(r, t)| {
            format!(
                "{} {r}\n",
                base64::engine::general_purpose::STANDARD.encode(t)
            )
        })
        .collect();
    let mut calls = Vec::new();
    let tok = from_tiktoken_with_progress(&text, "r50k_base", &mut |p| calls.push(p)).unwrap();
    assert_eq!(tok.encode("ab", false).len(), 1);
    let mut stages: Vec<LoadStage> = calls.iter().map(|p| p.stage).collect();
    stages.dedup();
    assert_eq!(
        stages,
        [LoadStage::Parse, LoadStage::MergeTable, LoadStage::Added]
    );
    for stage in stages {
        let of: Vec<&LoadProgress> = calls.iter().filter(|p| p.stage == stage).collect();
        assert_eq!(of[0].done, 0, "{stage:?}");
        assert_eq!(of.last().unwrap().done, of[0].total, "{stage:?}");
        assert!(of
            .windows(2)
            .all(|w| w[0].done <= w[1].done && w[0].total == w[1].total));
    }
    let table: Vec<_> = calls
        .iter()
        .filter(|p| p.stage == LoadStage::MergeTable)
        .collect();
    assert_eq!(table[0].total, tokens.len() as u64);
    assert_eq!(
        table.len(),
        2 + tokens.len() / ITEM_STEP,
        "every 16k tokens"
    );
    let parse: Vec<_> = calls
        .iter()
        .filter(|p| p.stage == LoadStage::Parse)
        .collect();
    assert_eq!(parse[0].total, text.len() as u64);
    assert!(parse.len() >= 4, "{parse:?}");
}

/// Load time of the real Gemma3 tokenizer.json: serde_json's parse + build (what loading was
/// before progress), the reporting load with a no-op callback, and with a callback that records.
/// `cargo test --release -p vocabsmith-core load_time -- --ignored --nocapture`
#[test]
#[ignore]
fn load_time_with_and_without_progress() {
    let json = real_tokenizer_json("gemma3");
    let rounds: usize = std::env::var("LOAD_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let mut t = [Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..rounds {
        // The parse alone: serde_json's, then the reporting one.
        let s = Instant::now();
        drop(std::hint::black_box(
            serde_json::from_str::<Value>(&json).unwrap(),
        ));
        t[3].push(s.elapsed().as_secs_f64());
        let s = Instant::now();
        drop(std::hint::black_box(
            parse_with_progress(&json, PARSE_STEP, &mut |_, _| {}).unwrap(),
        ));
        t[4].push(s.elapsed().as_secs_f64());
        // Interleaved, so that the machine's state is the same for the three.
        let s = Instant::now();
        let v: Value = serde_json::from_str(&json).unwrap();
        drop(std::hint::black_box(from_json(&v).unwrap()));
        drop(v);
        t[0].push(s.elapsed().as_secs_f64());
        let s = Instant::now();
        drop(std::hint::black_box(from_json_str(&json).unwrap()));
        t[1].push(s.elapsed().as_secs_f64());
        let s = Instant::now();
        let mut n = 0;
        drop(std::hint::black_box(
            from_json_str_with_progress(&json, &mut |_| n += 1).unwrap(),
        ));
        t[2].push(s.elapsed().as_secs_f64());
        assert!(n > 0);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    // Seconds per stage (from its first report to the next stage's), in the last round.
    let start = Instant::now();
    let mut marks: Vec<(LoadStage, f64)> = Vec::new();
    from_json_str_with_progress(&json, &mut |p| {
        if marks.last().is_none_or(|m| m.0 != p.stage) {
            marks.push((p.stage, start.elapsed().as_secs_f64()));
        }
    })
    .unwrap();
    let end = start.elapsed().as_secs_f64();
    let stages: Vec<String> = (0..marks.len())
        .map(|i| {
            let next = marks.get(i + 1).map_or(end, |m| m.1);
            format!("{} {:.3} s", marks[i].0.name(), next - marks[i].1)
        })
        .collect();
    println!("gemma3 load stages: {}", stages.join(", "));
    let m: Vec<f64> = t.iter_mut().map(median).collect();
    println!(
        "gemma3 load, median of {rounds}: serde_json parse + build {:.3} s; reporting parse, no-op callback {:.3} s ({:+.1}%); recording callback {:.3} s ({:+.1}%)",
        m[0],
        m[1],
        100.0 * (m[1] / m[0] - 1.0),
        m[2],
        100.0 * (m[2] / m[0] - 1.0)
    );
    println!(
        "gemma3 parse alone, median of {rounds}: serde_json {:.3} s; reporting parse {:.3} s ({:+.1}%)",
        m[3],
        m[4],
        100.0 * (m[4] / m[3] - 1.0)
    );
}
