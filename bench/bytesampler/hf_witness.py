"""Whether HF `tokenizers` itself emits a token after a node: the check behind by_definition.py
and cover_sets.py. Token t is canonical after node `path` (whose bytes are `head`) when, for some
continuation y, the tokenizer's encoding of head ++ bytes(t) ++ y starts with path ++ [t]. A
witness proves validity; no witness among finitely many y does not prove the opposite."""


def completions(s):
    """Ways to finish a UTF-8 char left open at the end of s (every char it can become)."""
    for k in range(1, min(3, len(s)) + 1):
        b = s[-k]
        if b & 0xC0 != 0x80:
            need = 2 if b >= 0xC0 and b < 0xE0 else 3 if b < 0xF0 else 4
            if b < 0xC0 or need <= k:
                return [b""]
            tails = [b""]
            for _ in range(need - k):
                tails = [t + bytes([c]) for t in tails for c in range(0x80, 0xC0)]
            return tails
    return [b""]


def witnessed(hf, head, path, t, t_bytes, probes, complete=False):
    """Some y in `probes` (each after every completion of an open char when `complete`) makes
    HF's encoding of head ++ t_bytes ++ y start with path ++ [t]; undecodable texts are skipped."""
    opens = completions(head + t_bytes) if complete else [b""]
    for y in (c + p for c in opens for p in probes):
        try:
            text = (head + t_bytes + y).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if hf.encode(text, add_special_tokens=False).ids[: len(path) + 1] == list(path) + [t]:
            return True
    return False
