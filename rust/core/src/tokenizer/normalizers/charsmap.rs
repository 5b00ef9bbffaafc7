//! Checks a SentencePiece `precompiled_charsmap` before `spm_precompiled` (the crate HF uses)
//! walks it: that crate indexes its double-array trie and its normalized-string table without
//! bounds checks, so a malformed charsmap panics at the first input that reaches a bad entry
//! (HF Python raises a `PanicException` then). Here it is refused at load instead.
//!
//! Layout (`spm_precompiled::parse`): u32 LE trie size in bytes, the trie as u32 LE units, then
//! the normalized strings, each ended by a 0 byte. A search starts at unit 0 and for each input
//! byte `c` moves `pos ^= offset(unit); pos ^= c` and reads `array[pos]`; a unit whose leaf bit is
//! set yields `array[pos ^ offset]` as an index into the strings. The check visits every unit a
//! search can reach and requires that every read a search could make there is in bounds, and that
//! every string index is a char boundary (slicing there must not panic).
const MAX_UNITS: usize = 1 << 24;

fn has_leaf(u: usize) -> bool {
    (u >> 8) & 1 == 1
}
fn value(u: usize) -> usize {
    u & ((1 << 31) - 1)
}
fn label(u: usize) -> usize {
    u & ((1 << 31) | 0xFF)
}
fn offset(u: usize) -> usize {
    (u >> 10) << ((u & (1 << 9)) >> 6)
}

/// `Err(reason)` when a search in this charsmap could read out of bounds or slice mid-character.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let word = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let size = word(0).ok_or("shorter than its 4-byte header")?;
    let units = size / 4;
    if units == 0 || units > MAX_UNITS || 4 + units * 4 > bytes.len() {
        return Err(format!(
            "trie of {size} bytes does not fit in {} bytes",
            bytes.len()
        ));
    }
    let array: Vec<usize> = (0..units).map(|i| word(4 + 4 * i).unwrap_or(0)).collect();
    let normalized = std::str::from_utf8(&bytes[4 + units * 4..])
        .map_err(|_| "normalized strings are not UTF-8".to_string())?;
    let mut seen = vec![false; units];
    // Positions after `pos ^= offset(unit)`: where the next byte's XOR starts.
    let mut stack = vec![offset(array[0])];
    while let Some(base) = stack.pop() {
        for c in 1..=255usize {
            let pos = base ^ c;
            let Some(&unit) = array.get(pos) else {
                return Err(format!("trie unit {pos} is out of bounds ({units} units)"));
            };
            if label(unit) != c {
                continue;
            }
            let next = pos ^ offset(unit);
            if has_leaf(unit) {
                let leaf = *array
                    .get(next)
                    .ok_or_else(|| format!("trie leaf {next} is out of bounds ({units} units)"))?;
                let at = value(leaf);
                if !normalized.is_char_boundary(at) {
                    return Err(format!("string index {at} is not the start of a character in the {} bytes of normalized strings", normalized.len()));
                }
            }
            if next < units && !seen[next] {
                seen[next] = true;
                stack.push(next);
            } else if next >= units {
                return Err(format!("trie unit {next} is out of bounds ({units} units)"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;
    use base64::Engine;

    fn xlmr() -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../test/fixtures/unigram/spm-xlmr.json"
        );
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let b64 = v["normalizer"]["normalizers"]
            .as_array()
            .and_then(|l| l.iter().find(|n| n["type"] == "Precompiled"))
            .or_else(|| Some(&v["normalizer"]))
            .and_then(|n| n["precompiled_charsmap"].as_str())
            .expect("the fixture has a Precompiled normalizer");
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap()
    }

    /// Graphemes, chars and odd strings a search may be given.
    fn probes() -> Vec<String> {
        let mut p: Vec<String> = (1..0x3000u32)
            .filter_map(char::from_u32)
            .map(String::from)
            .collect();
        p.extend(["ｱ", "①", "ﬁ", "Å", "e\u{301}", "👍🏽", "\u{FEFF}", "\u{200B}"].map(String::from));
        p
    }

    #[test]
    fn the_real_xlmr_charsmap_passes() {
        assert_eq!(check(&xlmr()), Ok(()));
    }

    #[test]
    fn malformed_charsmaps_are_refused() {
        assert!(check(&[]).is_err());
        assert!(check(&[0xff, 0xff, 0xff, 0xff]).is_err());
        let mut lying = xlmr();
        lying[0..4].copy_from_slice(&(u32::MAX - 3).to_le_bytes());
        assert!(check(&lying).is_err());
    }

    /// The promise: whatever `check` accepts, `spm_precompiled` searches without panicking. Each
    /// mutation changes one trie unit of the real charsmap (deterministic xorshift).
    #[test]
    fn accepted_mutations_never_panic() {
        let real = xlmr();
        let units = u32::from_le_bytes([real[0], real[1], real[2], real[3]]) as usize / 4;
        let probes = probes();
        let (mut accepted, mut refused) = (0, 0);
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..300 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut m = real.clone();
            // Mutate one of the units a search reaches early (low positions), or any unit.
            let at = 4 + 4 * ((x as usize >> 8) % if x & 1 == 0 { 4096.min(units) } else { units });
            let v = (x >> 32) as u32;
            m[at..at + 4].copy_from_slice(&v.to_le_bytes());
            if check(&m).is_err() {
                refused += 1;
                continue;
            }
            accepted += 1;
            let p = spm_precompiled::Precompiled::from(&m).unwrap();
            let ok = std::panic::catch_unwind(|| {
                for s in &probes {
                    let _ = p.transform(s);
                }
            });
            assert!(
                ok.is_ok(),
                "a charsmap that check() accepted panicked (unit at byte {at} = {v:#x})"
            );
        }
        assert!(
            accepted > 0 && refused > 0,
            "accepted {accepted}, refused {refused}"
        );
    }
}
