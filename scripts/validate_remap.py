#!/usr/bin/env python3
"""Do trimmed and remapped model folders serve in transformers? Builds tiny randomly initialised
models of Llama-3, Qwen3 and Gemma3 shape (no hub downloads: configs in code, the real tokenizer
files given), runs the vocabsmith CLI on them, and checks with torch (CPU) + transformers:

  identity   remap to the model's own tokenizer: logits equal, bit for bit (all three families;
             Gemma3 with its byte-fallback twins and 262,145 ids over 262,144 rows);
  roles      cross-family remaps (Llama-3 -> Qwen3, Qwen3 -> Llama-3, Gemma3 -> Llama-3): the
             folder loads with AutoTokenizer/AutoModelForCausalLM; config/generation_config bos
             and eos are the target tokenizer's own; `generate` stops when the target's eos comes;
             the chat template is the target's;
  fvt        copied and FVT rows equal an independent numpy computation (test/remap/check_remap.py),
             and the same check FAILS on a copy of the output with one FVT row perturbed;
  template   trims to UDHR deu+fra keep apply_chat_template's tokenization (ids mapped);
  logits     a trimmed model's logits equal the original's restricted to the kept ids;
  configs    Gemma-2 (final_logit_softcapping 30.0) and Gemma-3n (per-layer embeddings) shaped
             folders load and run after trim and remap.

usage: validate_remap.py --cli dist/cli/index.js --tokenizers DIR [--node node] [--only NAME,...]
  DIR holds llama3/, qwen3/, gemma3/, each with tokenizer.json and tokenizer_config.json.
prints one JSON line per check and a summary line {"ok": ...}; exit 1 on any failure.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from transformers import AutoModelForCausalLM, AutoTokenizer, LogitsProcessor, LogitsProcessorList

ap = argparse.ArgumentParser()
ap.add_argument("--cli", required=True)
ap.add_argument("--tokenizers", required=True)
ap.add_argument("--node", default="node")
ap.add_argument("--only", default="")
args = ap.parse_args()
ONLY = set(filter(None, args.only.split(",")))
HERE = os.path.dirname(os.path.abspath(__file__))
CHECK_REMAP = os.path.join(HERE, "..", "test", "remap", "check_remap.py")
work = tempfile.mkdtemp(prefix="vocabsmith-validate-")
torch.set_num_threads(2)
failures = []


def report(check, ok, **info):
    print(json.dumps({"check": check, "ok": bool(ok), **info}), flush=True)
    if not ok:
        failures.append(check)


def cli(*argv):
    r = subprocess.run([args.node, args.cli, *argv, "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"vocabsmith {' '.join(argv)} failed: {r.stderr.strip()}")
    return json.loads(r.stdout)


def tok_dir(name):
    return os.path.join(args.tokenizers, name)


def family_config(family, vocab, **extra):
    """A tiny config of the family's own class (the architecture code under test is transformers')."""
    small = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, head_dim=16, vocab_size=vocab, max_position_embeddings=256)
    tc = json.load(open(os.path.join(tok_dir({"llama": "llama3", "qwen3": "qwen3", "gemma3_text": "gemma3",
                                              "gemma2": "gemma3", "gemma3n_text": "gemma3"}[family]), "tokenizer_config.json")))
    if family == "llama":
        from transformers import LlamaConfig as C
        cfg = C(**small, rope_theta=500000.0, bos_token_id=128000, eos_token_id=[128001, 128008, 128009])
    elif family == "qwen3":
        from transformers import Qwen3Config as C
        cfg = C(**small, bos_token_id=151643, eos_token_id=151645, pad_token_id=151643)
    elif family == "gemma3_text":
        from transformers import Gemma3TextConfig as C
        cfg = C(**small, bos_token_id=2, eos_token_id=[1, 106], pad_token_id=0)
    elif family == "gemma2":
        from transformers import Gemma2Config as C
        cfg = C(**small, bos_token_id=2, eos_token_id=1, pad_token_id=0, final_logit_softcapping=30.0)
    elif family == "gemma3n_text":
        from transformers import Gemma3nTextConfig as C
        small.pop("intermediate_size")
        cfg = C(**small, vocab_size_per_layer_input=262144,
                hidden_size_per_layer_input=8, laurel_rank=4, altup_num_inputs=2, num_kv_shared_layers=0,
                layer_types=["sliding_attention", "full_attention"], activation_sparsity_pattern=[0.0, 0.0],
                intermediate_size=[128, 128], bos_token_id=2, eos_token_id=1, pad_token_id=0)
    for k, v in extra.items():
        setattr(cfg, k, v)
    return cfg, tc


def build(dir, family, vocab, tokenizer, tied=True, dtype=torch.float32, template=True):
    torch.manual_seed(0)
    cfg, _ = family_config(family, vocab)
    cfg.tie_word_embeddings = tied
    model = AutoModelForCausalLM.from_config(cfg).to(dtype).eval()
    with torch.no_grad():  # random init leaves some tensors at exact 0/1: make every row distinct
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.02)
    model.save_pretrained(dir, safe_serialization=True)
    for f in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(tok_dir(tokenizer), f), os.path.join(dir, f))
    return dir


def load(dir, dtype=torch.float32):
    return AutoModelForCausalLM.from_pretrained(dir, dtype=dtype).eval()


def logits(model, ids):
    with torch.no_grad():
        return model(torch.tensor([ids])).logits[0].float()


SAMPLE = "Hello, world!  Two  spaces, a tab\there and e.g. naïve café.\n\nEnd."


def identity():
    for family, tok, vocab in (("llama", "llama3", 128256), ("qwen3", "qwen3", 151936), ("gemma3_text", "gemma3", 262144)):
        for tied in (True, False):
            src = build(os.path.join(work, f"id-{family}-{tied}"), family, vocab, tok, tied=tied, dtype=torch.bfloat16)
            out = os.path.join(work, f"id-{family}-{tied}-out")
            rep = cli("remap", "--model", src, "--target-tokenizer", os.path.join(tok_dir(tok), "tokenizer.json"), "--out", out)
            ids = AutoTokenizer.from_pretrained(src)(SAMPLE)["input_ids"]
            a, b = logits(load(src, torch.bfloat16), ids), logits(load(out, torch.bfloat16), ids)
            # Padding rows past the tokenizer's ids (Qwen3: 151,936 rows, 151,669 ids) are not carried over.
            a = a[:, : b.shape[-1]]
            report("identity", b.shape[-1] == rep["targetIds"] - rep["idsPastRows"] and torch.equal(a, b), family=family, tied=tied,
                   rows=rep["rows"], vocab=b.shape[-1], max_abs_diff=float((a - b).abs().max()))


class ForceAt(LogitsProcessor):
    """Forces `token` at generation step `step`: generate must stop there iff the config's eos is right."""

    def __init__(self, prompt_len, step, token):
        self.at, self.token = prompt_len + step, token

    def __call__(self, input_ids, scores):
        if input_ids.shape[1] == self.at:
            scores[:] = -float("inf")
            scores[:, self.token] = 0
        return scores


def roles():
    pairs = (("llama", "llama3", 128256, "qwen3"), ("qwen3", "qwen3", 151936, "llama3"), ("gemma3_text", "gemma3", 262144, "llama3"))
    for family, tok, vocab, target in pairs:
        src = build(os.path.join(work, f"roles-{family}"), family, vocab, tok, tied=False)
        out = os.path.join(work, f"roles-{family}-{target}")
        rep = cli("remap", "--model", src, "--target-tokenizer", os.path.join(tok_dir(target), "tokenizer.json"), "--out", out)
        t = AutoTokenizer.from_pretrained(out)
        m = load(out)
        gc = m.generation_config
        eos = gc.eos_token_id if isinstance(gc.eos_token_id, list) else [gc.eos_token_id]
        tgt_cfg = json.load(open(os.path.join(tok_dir(target), "tokenizer_config.json")))
        template_is_target = t.chat_template == tgt_cfg.get("chat_template")
        bos_ok = m.config.bos_token_id == t.bos_token_id  # both None when the target has no bos (Qwen3)
        eos_ok = t.eos_token_id in eos and None not in eos
        msgs = [{"role": "user", "content": "Hi"}]
        prompt = t.apply_chat_template(msgs, add_generation_prompt=True)
        prompt = prompt["input_ids"] if hasattr(prompt, "keys") else prompt
        forced = t.eos_token_id
        gen = m.generate(torch.tensor([prompt]), max_new_tokens=12, do_sample=False,
                         logits_processor=LogitsProcessorList([ForceAt(len(prompt), 3, forced)]))
        stops = gen.shape[1] == len(prompt) + 4 and int(gen[0, -1]) == forced
        report("roles", bos_ok and eos_ok and stops and template_is_target, source=family, target=target,
               mapped=rep["specialMapped"], bos=m.config.bos_token_id, eos=eos, stops=stops, template_is_target=template_is_target)


def fvt():
    src = build(os.path.join(work, "fvt-src"), "llama", 128256, "llama3", tied=False, dtype=torch.bfloat16)
    out = os.path.join(work, "fvt-out")
    cli("remap", "--model", src, "--target-tokenizer", os.path.join(tok_dir("gemma3"), "tokenizer.json"), "--out", out)
    kinds = plan_kinds(src, out)
    ok, res = run_check(src, out, kinds)
    report("fvt", ok, checked=res.get("checked"))
    # Mutation: one FVT row off by one bf16 ulp in its first element must be caught.
    broken = out + "-broken"
    shutil.copytree(out, broken)
    k = next(i for i in range(0, len(kinds["kinds"]), max(1, len(kinds["kinds"]) // 3000)) if kinds["kinds"][i] == 1)
    f = os.path.join(broken, "model.safetensors")
    ts = load_file(f)
    w = ts["model.embed_tokens.weight"].view(torch.int16)
    w[k, 0] += 1
    ts["model.embed_tokens.weight"] = w.view(torch.bfloat16)
    save_file(ts, f, metadata={"format": "pt"})
    bad_ok, _ = run_check(src, broken, kinds)
    report("fvt-mutation-caught", not bad_ok, row=k)


def plan_kinds(src, out):
    """The plan's row kinds, from the vocabsmith library (the check recomputes every row itself)."""
    code = ("import('%s').then(v => { const s = v.Tokenizer.fromFile(process.argv[1]), t = v.Tokenizer.fromFile(process.argv[2]);"
            "process.stdout.write(JSON.stringify({kinds: Array.from(v.planRemap(s, t, 'fvt').kinds)})); })"
            % os.path.abspath(os.path.join(os.path.dirname(args.cli), "..", "index.js")))
    r = subprocess.run([args.node, "-e", code, os.path.join(src, "tokenizer.json"), os.path.join(out, "tokenizer.json")],
                       capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def run_check(src, out, kinds):
    path = os.path.join(work, "kinds.json")
    json.dump(kinds, open(path, "w"))
    r = subprocess.run([sys.executable, CHECK_REMAP, src, out, path], capture_output=True, text=True)
    try:
        return r.returncode == 0, json.loads(r.stdout)
    except json.JSONDecodeError:
        return False, {"stderr": r.stderr[-300:]}


def template():
    for tok in ("llama3", "qwen3", "gemma3"):
        out = os.path.join(work, f"tpl-{tok}")
        cli("trim", "--tokenizer", os.path.join(tok_dir(tok), "tokenizer.json"), "--corpus", "udhr:deu_1996,fra", "--out", out)
        a, b = AutoTokenizer.from_pretrained(tok_dir(tok)), AutoTokenizer.from_pretrained(out)
        kept = json.load(open(os.path.join(out, "id_map.json")))["kept_old_ids"]
        new = {old: i for i, old in enumerate(kept)}
        # Contents from the corpus itself: what must survive is the markup around them.
        msgs = [{"role": "system", "content": "Jeder hat das Recht auf Leben, Freiheit und Sicherheit der Person."},
                {"role": "user", "content": "Alle Menschen sind frei und gleich an Würde und Rechten geboren."},
                {"role": "assistant", "content": "Tous les êtres humains naissent libres et égaux en dignité et en droits."},
                {"role": "user", "content": "Niemand darf in Sklaverei oder Leibeigenschaft gehalten werden."}]
        ids = lambda t: (lambda r: r["input_ids"] if hasattr(r, "keys") else r)(t.apply_chat_template(msgs, add_generation_prompt=True))
        want = [new.get(i, -1) for i in ids(a)]
        got = ids(b)
        diff = next((k for k in range(min(len(got), len(want))) if got[k] != want[k]), None)
        report("template", got == want and -1 not in want, tokenizer=tok, tokens=len(got), tokens_expected=len(want),
               first_difference=diff, eos=b.eos_token, pad=b.pad_token)


def trimmed_logits():
    for family, tok, vocab in (("llama", "llama3", 128256), ("gemma3_text", "gemma3", 262144)):
        src = build(os.path.join(work, f"lg-{family}"), family, vocab, tok, tied=False)
        out = os.path.join(work, f"lg-{family}-out")
        cli("trim", "--model", src, "--corpus", "udhr:eng", "--out", out)
        kept = json.load(open(os.path.join(out, "id_map.json")))["kept_old_ids"]
        rows = load_file(os.path.join(out, "model.safetensors"))["model.embed_tokens.weight"].shape[0]
        text = "All human beings are born free and equal in dignity and rights."
        ids = AutoTokenizer.from_pretrained(src)(text)["input_ids"]
        new = {old: i for i, old in enumerate(kept)}
        a = logits(load(src), ids)[:, torch.tensor(kept[:rows])]
        b = logits(load(out), [new[i] for i in ids])
        report("trimmed-logits", torch.equal(a, b), family=family, kept=len(kept), rows=rows,
               max_abs_diff=float((a - b).abs().max()))


def configs():
    for family in ("gemma2", "gemma3n_text"):
        vocab = 262400 if family == "gemma3n_text" else 262144
        src = build(os.path.join(work, f"cfg-{family}"), family, vocab, "gemma3", tied=True)
        ids = AutoTokenizer.from_pretrained(src)("Alle Menschen sind frei und gleich an Würde und Rechten geboren.")["input_ids"]
        trimmed = os.path.join(work, f"cfg-{family}-trim")
        cli("trim", "--model", src, "--corpus", "udhr:deu_1996", "--out", trimmed)
        kept = json.load(open(os.path.join(trimmed, "id_map.json")))["kept_old_ids"]
        new = {old: i for i, old in enumerate(kept)}
        same = torch.equal(logits(load(src), ids)[:, torch.tensor([k for k in kept if k < vocab])], logits(load(trimmed), [new[i] for i in ids]))
        remapped = os.path.join(work, f"cfg-{family}-remap")
        cli("remap", "--model", src, "--target-tokenizer", os.path.join(tok_dir("llama3"), "tokenizer.json"), "--out", remapped)
        m = load(remapped)
        lt = AutoTokenizer.from_pretrained(remapped)
        out = logits(m, lt("Alle Menschen sind frei.")["input_ids"])
        softcap = json.load(open(os.path.join(trimmed, "config.json")))
        softcap = softcap.get("final_logit_softcapping", softcap.get("text_config", {}).get("final_logit_softcapping"))
        report("configs", same and out.shape[-1] == m.config.vocab_size and bool(torch.isfinite(out).all()),
               family=family, trimmed_logits_equal=same, remapped_vocab=m.config.vocab_size, final_logit_softcapping=softcap)


CHECKS = {"identity": identity, "roles": roles, "fvt": fvt, "template": template, "logits": trimmed_logits, "configs": configs}
try:
    for name, fn in CHECKS.items():
        if ONLY and name not in ONLY:
            continue
        try:
            fn()
        except Exception as e:  # one failing check is reported; the others still run
            report(name, False, error=f"{type(e).__name__}: {e}"[:600])
finally:
    shutil.rmtree(work, ignore_errors=True)
print(json.dumps({"ok": not failures, "failures": failures, "torch": torch.__version__}))
sys.exit(1 if failures else 0)
