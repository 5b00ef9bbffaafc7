//! GPT-2 ByteLevel maps between raw bytes and the printable chars that byte-level vocabularies use.
//!
//! Bytes `!..~`, `¡..¬` and `®..ÿ` map to the char with the same code point; every other byte b,
//! in increasing order, maps to `chr(256 + n)` for n = 0, 1, ... (HF `bytes_char`, OpenAI GPT-2).

/// `BYTE_TO_CHAR[b]` is the char that stands for byte `b` in a byte-level vocabulary.
pub fn byte_to_char() -> [char; 256] {
    let mut out = ['\0'; 256];
    let mut n = 0u32;
    for b in 0..256u32 {
        let printable =
            (0x21..=0x7E).contains(&b) || (0xA1..=0xAC).contains(&b) || (0xAE..=0xFF).contains(&b);
        out[b as usize] = if printable {
            char::from_u32(b).unwrap()
        } else {
            n += 1;
            char::from_u32(255 + n).unwrap()
        };
    }
    out
}

/// Inverse of [`byte_to_char`]: the byte a char stands for, or None if the char is not one of the 256.
pub fn char_to_byte(c: char) -> Option<u8> {
    let c = c as u32;
    match c {
        0x21..=0x7E | 0xA1..=0xAC | 0xAE..=0xFF => Some(c as u8),
        0x100..=0x143 => {
            // The n-th non-printable byte, counting up from 0.
            let n = c - 0x100;
            NON_PRINTABLE.get(n as usize).copied()
        }
        _ => None,
    }
}

/// The 68 bytes that are not printable in GPT-2's sense, in increasing order.
const NON_PRINTABLE: [u8; 68] = {
    let mut out = [0u8; 68];
    let mut i = 0;
    let mut b = 0usize;
    while b < 256 {
        let printable =
            (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        if !printable {
            out[i] = b as u8;
            i += 1;
        }
        b += 1;
    }
    out
};

/// Decodes a byte-level token string to its bytes; None if any char is outside the byte alphabet.
pub fn token_to_bytes(token: &str) -> Option<Vec<u8>> {
    token.chars().map(char_to_byte).collect()
}

/// Encodes bytes as a byte-level token string.
pub fn bytes_to_token(bytes: &[u8]) -> String {
    let map = byte_to_char();
    bytes.iter().map(|&b| map[b as usize]).collect()
}

/// UTF-8 length announced by a lead byte (0: not a lead byte).
pub fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_byte() {
        let map = byte_to_char();
        for b in 0..=255u8 {
            assert_eq!(char_to_byte(map[b as usize]), Some(b));
        }
        assert_eq!(map[b' ' as usize], 'Ġ');
        assert_eq!(map[b'\n' as usize], 'Ċ');
        assert_eq!(map[0], 'Ā');
        assert_eq!(map[0xAD], 'Ń');
    }
}
