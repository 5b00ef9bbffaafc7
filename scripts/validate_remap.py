#!/usr/bin/env python3
"""Validates `vocabsmith remap` with PyTorch/transformers: builds a small randomly initialised
Llama from a config (no hub downloads), saves it with the given source tokenizer, remaps it with
the vocabsmith CLI, loads the result with AutoModelForCausalLM and runs a forward pass on cuda
when available (CPU otherwise).

Checks: remapping to the model's own tokenizer gives logits *equal* to the original's (f32 and
bf16, tied and untied heads); remapping to another tokenizer loads unchanged and gives logits of
the target's vocabulary size.

usage: validate_remap.py --cli dist/cli/index.js --tokenizer llama3/tokenizer.json [--target gemma3/tokenizer.json]
prints one JSON line; exit 1 on a mismatch.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile

import torch
from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM

ap = argparse.ArgumentParser()
ap.add_argument("--cli", required=True)
ap.add_argument("--tokenizer", required=True)
ap.add_argument("--target")
ap.add_argument("--node", default="node")
args = ap.parse_args()

device = "cuda" if torch.cuda.is_available() else "cpu"
vocab = len(json.load(open(args.tokenizer))["model"]["vocab"]) + len(json.load(open(args.tokenizer)).get("added_tokens", []))
work = tempfile.mkdtemp(prefix="vocabsmith-validate-")
results = {"device": device, "torch": torch.__version__, "cases": []}


def build(dir, dtype, tied):
    torch.manual_seed(0)
    cfg = LlamaConfig(vocab_size=vocab, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, tie_word_embeddings=tied,
                      bos_token_id=None, eos_token_id=None, pad_token_id=None)
    model = LlamaForCausalLM(cfg).to(dtype)
    model.save_pretrained(dir, safe_serialization=True)
    shutil.copy(args.tokenizer, os.path.join(dir, "tokenizer.json"))


def remap(src, target, out, method="fvt"):
    r = subprocess.run([args.node, args.cli, "remap", "--json", "--model", src, "--target-tokenizer", target,
                        "--method", method, "--out", out], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"remap failed: {r.stderr}")
    return json.loads(r.stdout)


def logits(dir, dtype, ids):
    m = AutoModelForCausalLM.from_pretrained(dir, dtype=dtype).to(device).eval()
    with torch.no_grad():
        return m(torch.tensor([ids], device=device)).logits.float().cpu()


ok = True
for dtype in (torch.float32, torch.bfloat16):
    for tied in (True, False):
        src = os.path.join(work, f"src-{dtype}-{tied}")
        out = os.path.join(work, f"same-{dtype}-{tied}")
        build(src, dtype, tied)
        remap(src, args.tokenizer, out)
        ids = [9906, 11, 1917, 0, 128000, 55, 1234]
        a, b = logits(src, dtype, ids), logits(out, dtype, ids)
        same = bool(torch.equal(a, b))
        ok &= same
        results["cases"].append({"dtype": str(dtype), "tied": tied, "target": "same", "logits_equal": same})
        if args.target:
            cross = os.path.join(work, f"cross-{dtype}-{tied}")
            rep = remap(src, args.target, cross)
            c = logits(cross, dtype, [2, 100, 1000, 5000])
            good = c.shape[-1] == rep["targetIds"] and bool(torch.isfinite(c).all())
            ok &= good
            results["cases"].append({"dtype": str(dtype), "tied": tied, "target": args.target,
                                     "loads": True, "vocab": c.shape[-1], "finite": good, "rows": rep["rows"]})
shutil.rmtree(work)
results["ok"] = ok
print(json.dumps(results))
sys.exit(0 if ok else 1)
