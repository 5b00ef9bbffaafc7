//! Hand-computed toy cases: every expected number below was worked out on paper (shown in comments).
use super::*;

#[test]
fn entropies_of_a_toy_distribution() {
    // counts 2,1,1 -> p = 1/2, 1/4, 1/4.
    let c = [2u64, 1, 1];
    // Shannon: 1/2·1 + 1/4·2 + 1/4·2 = 1.5 bits.
    assert!((shannon_bits(c.iter().copied()) - 1.5).abs() < 1e-12);
    // α = 2: Σp² = 1/4 + 1/16 + 1/16 = 3/8; H₂ = −log₂(3/8) = 1.415037...
    assert!((renyi_bits(c.iter().copied(), 2.0) - 1.415_037_499_278_844).abs() < 1e-12);
    // α = 2.5: Σp^2.5 = 2^−2.5 + 2·2^−5 = 0.239277; H = log₂(0.239277)/(−1.5) = 1.375499.
    assert!((renyi_bits(c.iter().copied(), 2.5) - 1.375_498_803_040_117).abs() < 1e-12);
    // Efficiency with |V| = 8: 1.375499 / 3.
    assert!((renyi_efficiency(c.iter().copied(), 2.5, 8) - 0.458_499_601_013_372).abs() < 1e-12);
    // α → 1 is Shannon; a uniform distribution over 4 has every H_α = 2 bits.
    assert_eq!(renyi_bits(c.iter().copied(), 1.0), 1.5);
    assert!((renyi_bits([5u64, 5, 5, 5].into_iter(), 2.5) - 2.0).abs() < 1e-12);
}

#[test]
fn gini_of_a_toy_set() {
    // c = 1,2,3,4: Σ over ordered pairs |cᵢ−cⱼ| = 2·(1+2+3+1+2+1) = 20; n = 4, μ = 2.5 -> 20/80.
    assert!((gini(&[4.0, 1.0, 3.0, 2.0]) - 0.25).abs() < 1e-12);
    assert_eq!(gini(&[3.0, 3.0, 3.0]), 0.0);
    assert_eq!(gini(&[1.0]), 0.0);
    // One language pays everything: (n−1)/n.
    assert!((gini(&[0.0, 0.0, 0.0, 1.0]) - 0.75).abs() < 1e-12);
}

#[test]
fn words_whitespace_and_unspaced_scripts() {
    let w = |t: &str| {
        word_spans(t)
            .into_iter()
            .map(|(s, e)| t[s as usize..e as usize].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(w("  ab\u{a0}cd, ef\n"), ["ab", "cd,", "ef"]);
    assert_eq!(w("中文ab 東京"), ["中", "文", "ab", "東", "京"]);
    assert_eq!(w("ภาษา ไทย"), ["ภ", "า", "ษ", "า", "ไ", "ท", "ย"]);
    assert!(w(" \t").is_empty());
}

#[test]
fn text_stats_of_a_toy_tokenization() {
    // Vocabulary: 0 "a", 1 "b", 2 " cd", 3 "x y" (superword), 4 <0xE4> byte fallback, 5 <unk>, 6 <s>.
    let v = VocabFacts::new(
        &[
            (b"a".to_vec(), Kind::Normal),
            (b"b".to_vec(), Kind::Normal),
            (b" cd".to_vec(), Kind::Normal),
            (b"x y".to_vec(), Kind::Normal),
            (vec![0xE4], Kind::ByteFallback),
            (b"<unk>".to_vec(), Kind::Unk),
            (b"<s>".to_vec(), Kind::Added),
        ],
        7,
    );
    assert_eq!(
        v.superword,
        [false, false, false, true, false, false, false]
    );
    // "ab cd x y": words ab, cd, x, y. Tokens: <s>(0,0) a(0,1) b(1,2) " cd"(2,5) " "(5,6)=unk "x y"(6,9).
    let text = "ab cd x y";
    let ids = [6, 0, 1, 2, 5, 3];
    let offs = [(0, 0), (0, 1), (1, 2), (2, 5), (5, 6), (6, 9)];
    let mut counts = TokenCounts::new(7);
    let s = text_stats(&v, text, &ids, &offs, &mut counts);
    assert_eq!((s.tokens, s.bytes, s.chars, s.words), (6, 9, 9, 4));
    // Only "ab" is covered by two tokens; "x" and "y" share one superword token.
    assert_eq!(s.continued_words, 1);
    assert_eq!((s.byte_fallback, s.unk, s.added, s.superword), (0, 1, 1, 1));
    // Lengths: a,b -> 1; " cd","x y","<s>" -> 3; "<unk>" -> 5.
    let mut want = [0u64; LEN_BUCKETS];
    want[1] = 2;
    want[3] = 3;
    want[5] = 1;
    assert_eq!(s.len_hist, want);
    assert_eq!((counts.types(), counts.total), (6, 6));
    // Three byte-fallback tokens for one CJK char: one word, continued, three fallbacks.
    let text = "中";
    let s = text_stats(&v, text, &[4, 4, 4], &[(0, 3), (0, 3), (0, 3)], &mut counts);
    assert_eq!(
        (
            s.words,
            s.continued_words,
            s.byte_fallback,
            s.chars,
            s.bytes
        ),
        (1, 1, 3, 1, 3)
    );
    assert_eq!((counts.types(), counts.total), (7, 9));
}

#[test]
fn counts_merge_and_stats_add() {
    let mut a = TokenCounts::new(2);
    a.add(0);
    let mut b = TokenCounts::new(4);
    b.add(0);
    b.add(3);
    a.merge(&b);
    assert_eq!(
        (a.counts.clone(), a.types(), a.total),
        (vec![2, 0, 0, 1], 2, 3)
    );
    let mut s = TextStats {
        tokens: 1,
        ..TextStats::default()
    };
    s.add(&TextStats {
        tokens: 2,
        words: 3,
        ..TextStats::default()
    });
    assert_eq!((s.tokens, s.words), (3, 3));
}

#[test]
fn token_lengths_are_the_bytes_decoding_gives() {
    // One definition of a token's bytes (canon::token_bytes): Gemma3's added whitespace tokens
    // ("▁▁", ...) stand for that many spaces, so "▁▁" is 2 bytes long, not the 6 of its string.
    for name in ["llama3", "gemma3", "gpt4o"] {
        let tok =
            crate::tokenizer::json::from_json_str(&crate::testdata::real_tokenizer_json(name))
                .unwrap();
        let facts = VocabFacts::of(&tok);
        for id in 0..crate::tokenizer::canon::id_bound(&tok) as u32 {
            if let Some(b) = crate::tokenizer::canon::token_bytes(&tok, id) {
                assert_eq!(
                    facts.byte_len[id as usize] as usize,
                    b.len(),
                    "{name} id {id}"
                );
            }
        }
        if name == "gemma3" {
            let two = tok.token_to_id("▁▁").unwrap() as usize;
            assert_eq!((facts.byte_len[two], facts.kind[two]), (2, Kind::Added));
        }
    }
}
