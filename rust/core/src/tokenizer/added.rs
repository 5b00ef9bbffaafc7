//! Added tokens (special tokens and others), split out of the text before pretokenization.
//!
//! Follows HF `AddedVocabulary::extract_and_normalize`: tokens with `normalized: false` are found
//! in the raw text; the remaining text is normalized and tokens with `normalized: true` are found
//! in it (their patterns are the normalized token contents). Both searches are leftmost-longest
//! Aho-Corasick; `single_word`, `lstrip` and `rstrip` adjust each match as HF's `find_matches`.
use aho_corasick::{AhoCorasick, MatchKind};

#[derive(Clone, Debug)]
pub struct AddedToken {
    pub id: u32,
    pub content: String,
    pub single_word: bool,
    pub lstrip: bool,
    pub rstrip: bool,
    pub normalized: bool,
    pub special: bool,
}

/// One searcher over a set of token patterns.
pub struct Matcher {
    ac: Option<AhoCorasick>,
    /// Pattern index -> index into the added-token list.
    which: Vec<usize>,
}

impl Matcher {
    /// `patterns` are (token index, text to search for).
    pub fn new(patterns: Vec<(usize, String)>) -> Matcher {
        let patterns: Vec<(usize, String)> = patterns
            .into_iter()
            .filter(|(_, p)| !p.is_empty())
            .collect();
        if patterns.is_empty() {
            return Matcher {
                ac: None,
                which: vec![],
            };
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|(_, p)| p.as_str()))
            .expect("added-token automaton");
        Matcher {
            ac: Some(ac),
            which: patterns.iter().map(|(i, _)| *i).collect(),
        }
    }

    /// Splits `text` into (Some(token index) | None, byte range) in order, as HF `find_matches`.
    pub fn split(&self, tokens: &[AddedToken], text: &str) -> Vec<(Option<usize>, (usize, usize))> {
        let Some(ac) = &self.ac else {
            return vec![(None, (0, text.len()))];
        };
        let mut out = Vec::new();
        let mut start_offset = 0;
        for m in ac.find_iter(text) {
            let (mut start, mut stop) = (m.start(), m.end());
            let idx = self.which[m.pattern().as_usize()];
            let tok = &tokens[idx];
            if tok.single_word {
                let start_space = start == 0 || !ends_with_word(&text[..start]);
                let stop_space = stop == text.len() || !starts_with_word(&text[stop..]);
                if !start_space || !stop_space {
                    continue;
                }
            }
            if tok.lstrip {
                // Spaces already claimed by the previous match stay with it.
                start = space_leftmost_at_end(&text[..start]).max(start_offset);
            }
            if tok.rstrip {
                stop += space_rightmost_at_start(&text[stop..]);
            }
            if start_offset < start {
                out.push((None, (start_offset, start)));
            }
            out.push((Some(idx), (start, stop)));
            start_offset = stop;
        }
        if start_offset != text.len() {
            out.push((None, (start_offset, text.len())));
        }
        out
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn ends_with_word(s: &str) -> bool {
    s.chars().last().is_some_and(is_word_char)
}

fn starts_with_word(s: &str) -> bool {
    s.chars().next().is_some_and(is_word_char)
}

fn space_leftmost_at_end(s: &str) -> usize {
    s.char_indices()
        .rev()
        .take_while(|(_, c)| c.is_whitespace())
        .last()
        .map_or(s.len(), |(i, _)| i)
}

fn space_rightmost_at_start(s: &str) -> usize {
    s.char_indices()
        .take_while(|(_, c)| c.is_whitespace())
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(id: u32, content: &str, lstrip: bool, rstrip: bool, single_word: bool) -> AddedToken {
        AddedToken {
            id,
            content: content.into(),
            single_word,
            lstrip,
            rstrip,
            normalized: false,
            special: true,
        }
    }

    #[test]
    fn longest_match_and_strips() {
        let toks = vec![
            tok(0, "<a>", false, false, false),
            tok(1, "<a><b>", false, false, false),
            tok(2, "<m>", true, true, false),
        ];
        let m = Matcher::new(
            toks.iter()
                .enumerate()
                .map(|(i, t)| (i, t.content.clone()))
                .collect(),
        );
        let s = m.split(&toks, "x<a><b>y  <m>  z");
        assert_eq!(
            s,
            vec![
                (None, (0, 1)),
                (Some(1), (1, 7)),
                (None, (7, 8)),
                (Some(2), (8, 15)),
                (None, (15, 16))
            ]
        );
    }

    #[test]
    fn single_word_needs_word_boundaries() {
        let toks = vec![tok(0, "ab", false, false, true)];
        let m = Matcher::new(vec![(0, "ab".into())]);
        assert_eq!(
            m.split(&toks, "xab ab"),
            vec![(None, (0, 4)), (Some(0), (4, 6))]
        );
    }
}
