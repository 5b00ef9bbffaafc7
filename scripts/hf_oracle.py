#!/usr/bin/env python3
"""Reference oracle: native Hugging Face `tokenizers` (Rust, via Python).

Reads one JSON request from stdin and writes one JSON response to stdout.

Encode (default mode):
    {"tokenizer": "path/to/tokenizer.json",
     "texts": ["...", ...],
     "add_special_tokens": false}
  -> {"ids": [[...], ...], "version": "<tokenizers.__version__>"}

Decode:
    {"mode": "decode", "tokenizer": "...", "ids": [[...], ...],
     "skip_special_tokens": false}
  -> {"texts": ["...", ...], "version": "..."}

Timing (used by bench/encode.ts; the process times itself so that start-up
and JSON transfer are excluded):
    {"mode": "bench", "tokenizer": "...", "text_file": "path", "runs": 5,
     "warmup": 1, "batch": false}
  -> {"times_s": [...], "bytes": N, "tokens": N, "ids_sha256": "...",
      "threads": "...", "version": "..."}

Notes
  * JSON carries strings as UTF-16 escapes; a lone surrogate can't be turned
    into a Python `str` that Rust accepts, so callers must replace lone
    surrogates (the test suite uses U+FFFD, i.e. what TextEncoder does).
    We still guard: lone surrogates left in a text are replaced by U+FFFD here
    and the indices of such texts are listed in "replaced".
  * encode_batch runs on Rust's thread pool (RAYON_RS_NUM_THREADS / the
    TOKENIZERS_PARALLELISM env var control it); results are identical to
    sequential encode().
"""
import hashlib
import json
import os
import sys
import time

import tokenizers
from tokenizers import Tokenizer


def _has_lone_surrogate(s: str) -> bool:
    try:
        s.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def _fix(s: str) -> str:
    # Replace lone surrogates by U+FFFD (same as JS TextEncoder / WHATWG).
    return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in s)


def main() -> int:
    raw = sys.stdin.buffer.read()
    # JSON may contain \udXXX escapes for lone surrogates; json.loads accepts them.
    req = json.loads(raw.decode("utf-8"))
    mode = req.get("mode", "encode")
    tok = Tokenizer.from_file(req["tokenizer"])
    out = {"version": tokenizers.__version__}

    if mode == "encode":
        texts = req["texts"]
        add = bool(req.get("add_special_tokens", False))
        replaced = []
        fixed = []
        for i, t in enumerate(texts):
            if _has_lone_surrogate(t):
                replaced.append(i)
                fixed.append(_fix(t))
            else:
                fixed.append(t)
        if req.get("batch", True):
            encs = tok.encode_batch(fixed, add_special_tokens=add)
        else:
            encs = [tok.encode(t, add_special_tokens=add) for t in fixed]
        out["ids"] = [e.ids for e in encs]
        if req.get("tokens"):
            out["tokens"] = [e.tokens for e in encs]
        if replaced:
            out["replaced"] = replaced
    elif mode == "decode":
        skip = bool(req.get("skip_special_tokens", False))
        out["texts"] = tok.decode_batch(req["ids"], skip_special_tokens=skip)
    elif mode == "bench":
        with open(req["text_file"], "r", encoding="utf-8") as f:
            text = f.read()
        runs = int(req.get("runs", 5))
        warmup = int(req.get("warmup", 1))
        batch = bool(req.get("batch", False))
        add = bool(req.get("add_special_tokens", False))
        if batch:
            lines = text.split("\n")
            chunk = int(req.get("batch_lines", 64))
            docs = ["\n".join(lines[i:i + chunk]) for i in range(0, len(lines), chunk)]

            def run():
                return [i for e in tok.encode_batch(docs, add_special_tokens=add) for i in e.ids]
        else:

            def run():
                return tok.encode(text, add_special_tokens=add).ids

        ids = None
        for _ in range(warmup):
            ids = run()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            ids = run()
            times.append(time.perf_counter() - t0)
        h = hashlib.sha256()
        h.update(",".join(map(str, ids)).encode())
        out.update({
            "times_s": times,
            "bytes": len(text.encode("utf-8")),
            "tokens": len(ids),
            "ids_sha256": h.hexdigest(),
            "threads": os.environ.get("RAYON_RS_NUM_THREADS", "default"),
        })
    else:
        print(json.dumps({"error": f"unknown mode {mode!r}"}))
        return 2

    sys.stdout.write(json.dumps(out, ensure_ascii=True, separators=(",", ":")))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
