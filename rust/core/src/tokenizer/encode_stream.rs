//! Encoding a text that arrives in chunks (stdin): the ids of `encode` on the whole text, with
//! only the text since the last cut point held (`cut.rs`), and the ids handed out in slices.
//!
//! Why here and not in JS: a text without cut points (megabytes of letters with no whitespace)
//! must be held whole; gathered in JS and then copied into WebAssembly memory it was held twice,
//! and its ids returned in one array were held twice too. Here the bytes are held once, where
//! they are encoded, and the ids leave a slice at a time ([`EncodeStream::take`]).
use crate::tokenizer::cut::last_cut_between;
use crate::tokenizer::Tokenizer;

pub struct EncodeStream {
    add_special_tokens: bool,
    first: bool,
    /// The bytes since the last cut point; `pending[..checked]` is valid UTF-8 (invalid
    /// sequences were replaced by U+FFFD there, as `String::from_utf8_lossy` of the whole does).
    pending: Vec<u8>,
    checked: usize,
    out: Vec<u32>,
    taken: usize,
}

impl EncodeStream {
    pub fn new(add_special_tokens: bool) -> EncodeStream {
        EncodeStream {
            add_special_tokens,
            first: true,
            pending: Vec::new(),
            checked: 0,
            out: Vec::new(),
            taken: 0,
        }
    }

    /// Room for `bytes` more bytes of text (the input's size, when known): a buffer grown by
    /// doubling would leave its earlier copies behind in WebAssembly memory.
    pub fn reserve(&mut self, bytes: usize) {
        self.pending.reserve_exact(bytes);
    }

    /// Appends a chunk (cut anywhere, even inside a char) and encodes the text up to its last
    /// cut point, if the chunk brought one.
    pub fn push(&mut self, tok: &Tokenizer, chunk: &[u8]) {
        let before = self.checked;
        self.pending.extend_from_slice(chunk);
        self.check();
        let valid = std::str::from_utf8(&self.pending[..self.checked]).expect("checked prefix");
        // A cut needs the char before it: one byte back from what was checked before is enough.
        let cut = tok
            .cuttable()
            .then(|| last_cut_between(valid, before.saturating_sub(1).max(1), valid.len()))
            .flatten();
        if let Some(cut) = cut {
            let ids = tok.encode_part(&valid[..cut], self.add_special_tokens, self.first, false);
            self.emit(ids);
            self.first = false;
            self.pending.drain(..cut);
            self.checked -= cut;
        }
    }

    /// Encodes what is left (an incomplete char at the end becomes U+FFFD).
    pub fn finish(&mut self, tok: &Tokenizer) {
        let pending = std::mem::take(&mut self.pending);
        let text = String::from_utf8_lossy(&pending);
        let ids = tok.encode_part(&text, self.add_special_tokens, self.first, true);
        drop(text);
        drop(pending);
        self.emit(ids);
        self.first = false;
        self.checked = 0;
    }

    /// Up to `max` of the ids encoded so far and not yet taken (none: all were taken).
    pub fn take(&mut self, max: usize) -> Vec<u32> {
        let end = (self.taken + max.max(1)).min(self.out.len());
        let ids = self.out[self.taken..end].to_vec();
        self.taken = end;
        if self.taken == self.out.len() {
            self.out = Vec::new();
            self.taken = 0;
        }
        ids
    }

    fn emit(&mut self, ids: Vec<u32>) {
        if self.out.is_empty() {
            self.out = ids;
        } else {
            self.out.extend(ids);
        }
    }

    /// Extends the valid prefix over the new bytes, replacing each invalid sequence by U+FFFD;
    /// an incomplete char at the end waits for the next chunk.
    fn check(&mut self) {
        loop {
            match std::str::from_utf8(&self.pending[self.checked..]) {
                Ok(_) => {
                    self.checked = self.pending.len();
                    return;
                }
                Err(e) => {
                    self.checked += e.valid_up_to();
                    let Some(n) = e.error_len() else { return };
                    let at = self.checked;
                    self.pending.splice(at..at + n, "\u{FFFD}".bytes());
                    self.checked += 3;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text with cut points and long stretches without, and invalid bytes, in chunks cut
    /// anywhere (inside chars too): the ids of encoding the lossy text whole.
    #[test]
    fn chunks_encode_as_the_whole() {
        let tok =
            crate::tokenizer::json::from_json_str(&crate::testdata::real_tokenizer_json("llama3"))
                .unwrap();
        let mut text: Vec<u8> = Vec::new();
        for i in 0..3000 {
            text.extend_from_slice(
                ["Größe naïve\n", "x", "wörter ", "😀", "a.b"][i % 5].as_bytes(),
            );
            if i % 700 == 0 {
                text.extend_from_slice(&[0xff, b'a', 0xe2, 0x82]);
            }
        }
        let whole = tok.encode(&String::from_utf8_lossy(&text), true);
        for size in [1usize, 2, 3, 7, 100, 4096] {
            let mut s = EncodeStream::new(true);
            let mut got = Vec::new();
            for chunk in text.chunks(size) {
                s.push(&tok, chunk);
                got.extend(s.take(1000));
            }
            s.finish(&tok);
            loop {
                let ids = s.take(999);
                if ids.is_empty() {
                    break;
                }
                got.extend(ids);
            }
            assert!(got == whole, "chunks of {size}");
        }
    }
}
