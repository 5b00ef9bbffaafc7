"""Token offsets from native HF tokenizers, converted to UTF-16 code units (JS string indices).

stdin: {"tokenizer": path, "texts": [...]}; stdout: {"offsets": [[[start, end], ...], ...]}.
"""
import json
import sys

from tokenizers import Tokenizer


def utf16_index(text):
    out, u = [0], 0
    for ch in text:
        u += 2 if ord(ch) > 0xFFFF else 1
        out.append(u)
    return out


req = json.load(sys.stdin)
tok = Tokenizer.from_file(req["tokenizer"])
result = []
for text, enc in zip(req["texts"], tok.encode_batch(req["texts"], add_special_tokens=False)):
    idx = utf16_index(text)
    result.append([[idx[s], idx[e]] for s, e in enc.offsets])
json.dump({"offsets": result}, sys.stdout)
