"""Independent check of a remapped model folder, in Python with `safetensors` (numpy) and HF
`tokenizers`, no vocabsmith code: the folder loads; every copied row equals the source row with
the same token; every FVT row equals the mean of the source rows of HF's own `model.tokenize` of
the token's byte-level form (f64 sum / n -> f32 -> dtype, round to nearest even). bf16, which
numpy lacks, is read and rounded by raw bits.

usage: check_remap.py SRC_DIR OUT_DIR KINDS_JSON  -> prints a JSON summary, exits 1 on any mismatch
"""
import json, os, sys
import numpy as np
from safetensors import safe_open
from tokenizers import Tokenizer

src_dir, out_dir = sys.argv[1], sys.argv[2]


def load(d):
    idx = os.path.join(d, "model.safetensors.index.json")
    files = sorted(set(json.load(open(idx))["weight_map"].values())) if os.path.exists(idx) else ["model.safetensors"]
    out = {}
    for f in files:
        path = os.path.join(d, f)
        raw = open(path, "rb").read()
        n = int.from_bytes(raw[:8], "little")
        header = json.loads(raw[8 : 8 + n])
        header.pop("__metadata__", None)
        for name, t in header.items():
            a, b = t["data_offsets"]
            out[name] = (t["dtype"], t["shape"], raw[8 + n + a : 8 + n + b])
        if all(t["dtype"] != "BF16" for t in header.values()):
            with safe_open(path, framework="numpy") as g:  # the folder must load with the library
                for name in g.keys():
                    assert g.get_tensor(name).tobytes() == out[name][2], name
    return out


def as_f32(dtype, shape, data):
    if dtype == "F32":
        return np.frombuffer(data, "<f4").reshape(shape)
    if dtype == "F16":
        return np.frombuffer(data, "<f2").astype(np.float32).reshape(shape)
    return (np.frombuffer(data, "<u2").astype(np.uint32) << 16).view(np.float32).reshape(shape)


def to_dtype_bytes(x32, dtype):
    if dtype == "F32":
        return x32.astype("<f4").tobytes()
    if dtype == "F16":
        return x32.astype("<f2").tobytes()
    u = x32.astype("<f4").view(np.uint32).astype(np.uint64)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype("<u2").tobytes()


def byte_chars():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b); cs.append(256 + n); n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


src, out = load(src_dir), load(out_dir)
src_tok = Tokenizer.from_file(os.path.join(src_dir, "tokenizer.json"))
tgt_tok = Tokenizer.from_file(os.path.join(out_dir, "tokenizer.json"))
tgt_json = json.load(open(os.path.join(out_dir, "tokenizer.json")))
byte_level = json.load(open(os.path.join(src_dir, "tokenizer.json")))["model"].get("byte_fallback") is not True
B2C = byte_chars()
C2B = {c: b for b, c in B2C.items()}
tgt_byte_level = not tgt_json["model"].get("byte_fallback", False) and tgt_json.get("decoder", {}).get("type") == "ByteLevel"


def canon(tok):
    if tgt_byte_level:
        return bytes(C2B[c] for c in tok)
    if len(tok) == 6 and tok.startswith("<0x") and tok.endswith(">"):
        return bytes([int(tok[3:5], 16)])
    return tok.replace("▁", " ").encode()


src_vocab = {}
for t, i in src_tok.get_vocab(with_added_tokens=False).items():
    key = bytes(C2B[c] for c in t) if byte_level else t.replace("▁", " ").encode()
    src_vocab.setdefault(key, i)
report = json.load(open(sys.argv[3]))
kinds = report["kinds"]
checked = {"copy": 0, "fvt": 0}
for name, (dtype, shape, data) in out.items():
    s_dtype, s_shape, s_data = src[name]
    assert dtype == s_dtype, name
    if name.endswith("embed_tokens.weight") or name.endswith("lm_head.weight"):
        dim = shape[1]
        rb = dim * len(data) // (shape[0] * dim)
        S = as_f32(s_dtype, s_shape, s_data)
        vocab = tgt_tok.get_vocab(with_added_tokens=False)
        inv = {i: t for t, i in vocab.items()}
        for i in range(0, shape[0], max(1, shape[0] // 3000)):
            if i not in inv:
                continue
            row = data[i * rb : (i + 1) * rb]
            key = canon(inv[i])
            if kinds[i] == 0:
                j = src_vocab[key]
                assert row == s_data[j * rb : (j + 1) * rb], (name, i, inv[i])
                checked["copy"] += 1
            elif kinds[i] == 1:
                ids = [t.id for t in src_tok.model.tokenize("".join(B2C[b] for b in key))] if byte_level else None
                acc = np.zeros(dim, np.float64)
                for j in ids:
                    acc = acc + S[j].astype(np.float64)
                want = to_dtype_bytes((acc / len(ids)).astype(np.float32), dtype)
                assert row == want, (name, i, inv[i], ids)
                checked["fvt"] += 1
    else:
        assert data == s_data and shape == s_shape, name
cfg = json.load(open(os.path.join(out_dir, "config.json")))
assert cfg["vocab_size"] == len(kinds), (cfg["vocab_size"], len(kinds))
print(json.dumps({"ok": True, "checked": checked, "tensors": sorted(out)}))
