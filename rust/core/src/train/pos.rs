//! The word lists ("pos") of BPE training queue entries, stored delta-varint coded.
//!
//! Why: SuperBPE stage 2 words are phrases, so its queue holds millions of entries whose lists
//! together name about one word per symbol of the distinct text (100 MB of the scale corpus: 2.5M
//! lists, 42M word indices, 255 MB as `Vec<u32>` with growth slack, 40% of the stage's peak).
//! Coded, an index mostly takes one byte. A list decodes to exactly the sequence it was built
//! from (any order; zigzag deltas), so training is unchanged.

/// A finished list: the bytes of zigzag-coded deltas between successive word indices.
pub(super) struct Pos(Box<[u8]>);

/// Builds a [`Pos`], skipping a word equal to the last one pushed (HF's per-word dedup).
#[derive(Default)]
pub(super) struct PosBuilder {
    bytes: Vec<u8>,
    last: Option<u32>,
}

impl PosBuilder {
    /// Appends `w` unless it is the last word appended.
    #[inline]
    pub fn push(&mut self, w: u32) {
        if self.last == Some(w) {
            return;
        }
        let d = w as i64 - self.last.map_or(0, |p| p as i64);
        let mut z = ((d << 1) ^ (d >> 63)) as u64;
        while z >= 0x80 {
            self.bytes.push(z as u8 | 0x80);
            z >>= 7;
        }
        self.bytes.push(z as u8);
        self.last = Some(w);
    }

    /// The list, in exactly as many bytes as it needs.
    pub fn finish(self) -> Pos {
        Pos(self.bytes.into_boxed_slice())
    }
}

impl Pos {
    /// The word indices, in the order they were pushed.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let mut i = 0;
        let mut prev = 0i64;
        let b = &self.0;
        std::iter::from_fn(move || {
            if i >= b.len() {
                return None;
            }
            let mut z = 0u64;
            let mut shift = 0;
            loop {
                let x = b[i];
                i += 1;
                z |= ((x & 0x7f) as u64) << shift;
                if x < 0x80 {
                    break;
                }
                shift += 7;
            }
            prev += ((z >> 1) as i64) ^ -((z & 1) as i64);
            Some(prev as u32)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(words: &[u32]) -> Vec<u32> {
        let mut b = PosBuilder::default();
        words.iter().for_each(|&w| b.push(w));
        b.finish().iter().collect()
    }

    #[test]
    fn train_pos_roundtrip_keeps_order_and_drops_repeats() {
        assert_eq!(roundtrip(&[]), Vec::<u32>::new());
        assert_eq!(roundtrip(&[0]), vec![0]);
        assert_eq!(roundtrip(&[0, 0, 1, 1, 1, 0]), vec![0, 1, 0]);
        let big = [
            u32::MAX - 1,
            0,
            5,
            127,
            128,
            16_383,
            16_384,
            u32::MAX,
            3,
            u32::MAX,
        ];
        assert_eq!(roundtrip(&big), big.to_vec());
        // Ascending lists, the usual case, take one byte per index while the gaps are small.
        let mut b = PosBuilder::default();
        (1000..2000).for_each(|w| b.push(w));
        let p = b.finish();
        assert_eq!(p.0.len(), 2 + 999);
        assert_eq!(
            p.iter().collect::<Vec<_>>(),
            (1000..2000).collect::<Vec<_>>()
        );
    }
}
