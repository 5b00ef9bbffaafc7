#!/usr/bin/env python3
"""Checks trimmed and remapped real-model folders (SmolLM2 safetensors, from
scripts/make_smollm2_safetensors.py) in transformers + PyTorch, on cuda when available.

  trim  --orig DIR --trimmed DIR --texts FILE [--greedy N]
      For every text whose original token ids were all kept (id_map.json): at every position the
      trimmed model's next-token log-probs equal the original's restricted to the kept ids and
      renormalised (max abs difference reported; the check fails above --tol, default 1e-4), and
      greedy generation of N tokens gives the same text (ids mapped) as long as the original's
      greedy tokens are kept.
  same  --orig DIR --remapped DIR --texts FILE
      Remap to the model's own tokenizer: every tensor byte-identical, logits identical.
  bpb   --model NAME=DIR ... --texts FILE
      Bits per byte of each model on the texts with its own tokenizer: each text (one per line)
      is preceded by the document separator <|endoftext|> and scored token by token (chain rule),
      -sum log2 P / UTF-8 bytes; plus bits/token, tokens/byte and the input embedding's row norms.

Prints one JSON line; exit 1 when a check fails.
"""
import argparse, json, math, os, sys

import torch
from safetensors import safe_open
from transformers import AutoModelForCausalLM
from tokenizers import Tokenizer

ap = argparse.ArgumentParser()
ap.add_argument("cmd", choices=["trim", "same", "bpb"])
ap.add_argument("--orig")
ap.add_argument("--trimmed")
ap.add_argument("--remapped")
ap.add_argument("--model", nargs="*", default=[])
ap.add_argument("--texts", required=True)
ap.add_argument("--greedy", type=int, default=16)
ap.add_argument("--tol", type=float, default=1e-4)
ap.add_argument("--max-texts", type=int, default=1000)
args = ap.parse_args()

device = "cuda" if torch.cuda.is_available() else "cpu"
torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)) if device == "cpu" else os.cpu_count() or 1)
texts = [l for l in open(args.texts, encoding="utf-8").read().split("\n") if l.strip()][: args.max_texts]
out = {"device": device, "torch": torch.__version__, "texts": len(texts)}


def load(d):
    return AutoModelForCausalLM.from_pretrained(d, dtype=torch.float32).to(device).eval()


def sep_id(tok):
    i = tok.token_to_id("<|endoftext|>")
    if i is None:
        sys.exit("the tokenizer has no <|endoftext|> to start a text with")
    return i


@torch.no_grad()
def logprobs(model, ids):
    return torch.log_softmax(model(torch.tensor([ids], device=device)).logits[0].double(), -1).cpu()


@torch.no_grad()
def greedy(model, ids, n):
    return model.generate(torch.tensor([ids], device=device), max_new_tokens=n, do_sample=False, pad_token_id=ids[0])[0, len(ids):].tolist()


ok = True
if args.cmd == "trim":
    kept = json.load(open(os.path.join(args.trimmed, "id_map.json")))["kept_old_ids"]
    new_of = {o: i for i, o in enumerate(kept)}
    idx = torch.tensor(kept)
    tok = Tokenizer.from_file(os.path.join(args.orig, "tokenizer.json"))
    ttok = Tokenizer.from_file(os.path.join(args.trimmed, "tokenizer.json"))
    a, b = load(args.orig), load(args.trimmed)
    worst, positions, used, skipped, same_greedy, greedy_cmp = 0.0, 0, 0, 0, 0, 0
    for t in texts:
        ids = [sep_id(tok)] + tok.encode(t, add_special_tokens=False).ids
        if any(i not in new_of for i in ids):
            skipped += 1
            continue
        tids = [new_of[i] for i in ids]
        if [sep_id(ttok)] + ttok.encode(t, add_special_tokens=False).ids != tids:
            ok = False
            out.setdefault("encoding_differs", []).append(t[:80])
        used += 1
        la, lb = logprobs(a, ids), logprobs(b, tids)
        ren = la[:, idx] - torch.logsumexp(la[:, idx], -1, keepdim=True)
        worst = max(worst, (ren - lb).abs().max().item())
        positions += len(ids)
        # Greedy: the same as long as the original's choices are kept ids.
        ga, gb = greedy(a, ids, args.greedy), greedy(b, tids, args.greedy)
        n = next((k for k, g in enumerate(ga) if g not in new_of), len(ga))
        greedy_cmp += 1
        if [new_of[g] for g in ga[:n]] == gb[:n]:
            same_greedy += 1
        else:
            ok = False
        if used == 1:
            out["greedy_example"] = {"prompt": t[:120], "original": tok.decode(ga), "trimmed": ttok.decode(gb)}
    ok &= worst <= args.tol and used > 0
    out.update({"kept": len(kept), "texts_used": used, "texts_with_dropped_tokens": skipped, "positions": positions,
                "max_abs_logprob_diff": worst, "tol": args.tol, "greedy_same": f"{same_greedy}/{greedy_cmp}"})
elif args.cmd == "same":
    def tensors(d):
        with safe_open(os.path.join(d, "model.safetensors"), framework="pt") as f:
            return {k: f.get_tensor(k) for k in f.keys()}
    ta, tb = tensors(args.orig), tensors(args.remapped)
    identical = ta.keys() == tb.keys() and all(torch.equal(ta[k], tb[k]) for k in ta)
    tok = Tokenizer.from_file(os.path.join(args.orig, "tokenizer.json"))
    a, b = load(args.orig), load(args.remapped)
    worst = 0.0
    for t in texts[:8]:
        ids = [sep_id(tok)] + tok.encode(t, add_special_tokens=False).ids
        worst = max(worst, (logprobs(a, ids) - logprobs(b, ids)).abs().max().item())
    ok = identical and worst == 0.0
    out.update({"tensors_identical": identical, "max_abs_logprob_diff": worst})
else:
    res = {}
    for spec in args.model:
        name, d = spec.split("=", 1)
        tok = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
        m = load(d)
        nll, ntok, nbytes = 0.0, 0, 0
        for t in texts:
            ids = [sep_id(tok)] + tok.encode(t, add_special_tokens=False).ids
            for s in range(0, len(ids) - 1, 1023):  # windows of 1024 positions, the separator first
                w = ids[s : s + 1024] if s == 0 else [ids[0]] + ids[s + 1 : s + 1024]
                lp = logprobs(m, w)
                nll -= sum(lp[k, w[k + 1]].item() for k in range(len(w) - 1))
            ntok += len(ids) - 1
            nbytes += len(t.encode("utf-8"))
        norms = m.get_input_embeddings().weight.detach().double().norm(dim=1)
        res[name] = {"bits_per_byte": nll / math.log(2) / nbytes, "bits_per_token": nll / math.log(2) / ntok,
                     "tokens_per_byte": ntok / nbytes, "bytes": nbytes, "tokens": ntok,
                     # A remap whose computed rows are far longer than any source row dominates the
                     # (tied) head: the row norms say so before any text is scored.
                     "embedding_row_norm": {"median": norms.median().item(), "p99": norms.quantile(0.99).item(),
                                            "max": norms.max().item()}}
        ok &= math.isfinite(res[name]["bits_per_byte"])
        del m
    out["models"] = res
out["ok"] = bool(ok)
print(json.dumps(out))
sys.exit(0 if ok else 1)
