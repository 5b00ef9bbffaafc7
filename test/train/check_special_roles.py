"""Loads a tokenizer folder written by `vocabsmith train` in transformers and reports what a user
gets: the role ids, what tokenizer(text) adds, and where a causal LM's generate() stops.

Usage: check_special_roles.py FOLDER  -> one JSON line on stdout.
The model is a tiny random GPT-2 built here (no download); a bias on the tokenizer's EOS makes it
the first token generated, so generate() must stop right there when it uses tokenizer.eos_token_id.
"""
import json
import sys

import torch
from transformers import AutoTokenizer, GPT2Config, GPT2LMHeadModel

folder = sys.argv[1]
tok = AutoTokenizer.from_pretrained(folder)
enc = tok("Shall I compare thee", return_tensors="pt")
torch.manual_seed(0)
model = GPT2LMHeadModel(GPT2Config(vocab_size=len(tok), n_positions=64, n_embd=16, n_layer=1, n_head=2))
model.eval()
out = model.generate(
    **enc,
    max_new_tokens=8,
    do_sample=False,
    eos_token_id=tok.eos_token_id,
    pad_token_id=tok.pad_token_id,
    sequence_bias={(tok.eos_token_id,): 1000.0},
)
print(json.dumps({
    "bos_token_id": tok.bos_token_id,
    "eos_token_id": tok.eos_token_id,
    "pad_token_id": tok.pad_token_id,
    "model_max_length": tok.model_max_length,
    "input_ids": enc["input_ids"][0].tolist(),
    "plain_ids": tok("Shall I compare thee", add_special_tokens=False)["input_ids"],
    "generated": out[0][enc["input_ids"].shape[1]:].tolist(),
    "decoded": tok.decode(out[0], skip_special_tokens=True),
}))
