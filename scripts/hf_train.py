"""Trains native Hugging Face BPE (the oracle for vocabsmith's trainer).

stdin: {"files": [...], "vocab_size": N, "min_frequency": F, "special_tokens": [...],
        "pretokenizer": <HF pre_tokenizer JSON>, "limit_alphabet": N|null, "max_token_length": N|null}
stdout: the trained tokenizer.json (HF's own serialisation), timing on stderr.
"""
import json
import sys
import time

from tokenizers import Tokenizer, models, pre_tokenizers, trainers

req = json.load(sys.stdin)
tok = Tokenizer(models.BPE())
# Build the pre_tokenizer from the exact JSON vocabsmith writes, through HF's own deserialiser.
probe = json.loads(tok.to_str())
probe["pre_tokenizer"] = req["pretokenizer"]
tok = Tokenizer.from_str(json.dumps(probe))
kwargs = dict(
    vocab_size=req["vocab_size"],
    min_frequency=req.get("min_frequency", 0),
    special_tokens=req.get("special_tokens", []),
    initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    show_progress=False,
)
if req.get("limit_alphabet") is not None:
    kwargs["limit_alphabet"] = req["limit_alphabet"]
if req.get("max_token_length") is not None:
    kwargs["max_token_length"] = req["max_token_length"]
t0 = time.perf_counter()
tok.train(req["files"], trainers.BpeTrainer(**kwargs))
sys.stderr.write(f"hf_train: {time.perf_counter() - t0:.3f} s\n")
sys.stdout.write(tok.to_str())
