"""ByteSampler (SewoongLab/byte-sampler, MIT) on the comparison cases, with the stub LM of
stub_lm.py standing in for the model. Not part of vocabsmith: `compare.ts` runs it.

Usage: python run_bytesampler.py BYTE_SAMPLER_SRC TOKENIZER_JSON CASES_JSON OUT_JSON
  BYTE_SAMPLER_SRC: the `src` folder of a byte-sampler checkout (imported, never copied here).
  CASES_JSON: {"bos": id, "eos": id, "masked": [ids the stub gives no mass], "float64": bool,
  "cases": [{"name", "bytes": [...]}]}.
  OUT_JSON: per case, the next-byte distribution (257 probabilities, 256 = end of text) before
  each byte, ByteSampler's own CPU seconds (total minus the stub's), forward passes and positions.
"""
import json
import sys
import time

sys.path.insert(0, sys.argv[1])

import numpy as np  # noqa: E402
import torch  # noqa: E402
from transformers import PreTrainedTokenizerFast  # noqa: E402

from byte_sampling.byte_conditioning import ByteConditioning  # noqa: E402
from stub_lm import stub_log_probs  # noqa: E402


class StubCache:
    """What RadixCacheManager keeps per position: (token id, position) in a tensor it can gather."""

    def __init__(self):
        self.key_cache = [torch.zeros((1, 1, 0, 2))]
        self.value_cache = [torch.zeros((1, 1, 0, 2))]

    def get_seq_length(self):
        return self.key_cache[0].shape[2]


class StubModel:
    """A causal LM whose next-token log-probs depend only on the prefix ids (stub_lm.py)."""

    class Config:
        max_position_embeddings = 1 << 20

    def __init__(self, vocab_size, masked=()):
        self.vocab_size = vocab_size
        self.masked = masked
        self.device = torch.device("cpu")
        self.dtype = torch.float32
        self.config = self.Config()
        self.stub_seconds = 0.0
        self.calls = 0
        self.positions = 0

    def forward(self, input_ids, use_cache, past_key_values, attention_mask, position_ids):
        cache = past_key_values if isinstance(past_key_values, StubCache) else StubCache()
        ncached = cache.get_seq_length()
        new = torch.stack([input_ids[0].float(), position_ids[0].float()], -1)[None, None]
        cache.key_cache[0] = torch.cat([cache.key_cache[0], new], 2)
        cache.value_cache[0] = cache.key_cache[0]
        ids = cache.key_cache[0][0, 0, :, 0].long().tolist()
        pos = cache.key_cache[0][0, 0, :, 1].long().tolist()
        mask = attention_mask[0, 0]
        logits = []
        start = time.process_time()
        for ni in range(input_ids.shape[1]):
            # The prefix of new token ni: the positions it attends to, in position order.
            seen = (mask[ni] == 0).nonzero().flatten().tolist()
            prefix = [ids[i] for i in sorted(seen, key=lambda i: pos[i])]
            logits.append(torch.from_numpy(stub_log_probs(prefix, self.vocab_size, self.masked)))
        self.stub_seconds += time.process_time() - start
        self.calls += 1
        self.positions += input_ids.shape[1]

        class Out:
            pass

        out = Out()
        out.logits = torch.stack(logits)[None]
        out.past_key_values = cache
        return out


def main():
    # CPU time on one thread: the machine is shared, wall time would measure the neighbours.
    torch.set_num_threads(1)
    src, tokenizer_json, cases_json, out_json = sys.argv[1:5]
    spec = json.load(open(cases_json))
    bos, eos = spec["bos"], spec["eos"]
    tok = PreTrainedTokenizerFast(tokenizer_file=tokenizer_json)
    tok.bos_token, tok.eos_token = tok.convert_ids_to_tokens(bos), tok.convert_ids_to_tokens(eos)
    assert (tok.bos_token_id, tok.eos_token_id) == (bos, eos)
    vocab_size = len(tok)
    model = StubModel(vocab_size, spec.get("masked", []))
    if spec.get("float64"):
        # ByteSampler takes log_softmax of the logits in float32 (radix_cache.py) and sums per byte
        # from there, so its sums carry float32 rounding (~1e-5 relative over a 128k vector).
        # Here the same float32 inputs go through log_softmax in float64 and everything after it
        # stays float64: what is left of a difference is then not rounding.
        import types

        import byte_sampling.radix_cache as rc

        rc.F = types.SimpleNamespace(log_softmax=lambda x, dim: torch.log_softmax(x.double(), dim))
    bc = ByteConditioning(model, tokenizer=tok)
    results = []
    for case in spec["cases"]:
        sampler = ByteConditioning.BytewiseBatchSampler(
            bc, filter_tensors=True, stop_override=torch.tensor([eos])
        )
        model.stub_seconds, model.calls, model.positions = 0.0, 0, 0
        dists = []
        start = time.process_time()
        for b in case["bytes"] + [None]:
            lp = sampler.get_dists()[0].double()
            dists.append(torch.softmax(lp, 0).tolist())
            if b is not None:
                sampler.add_context([bytes([b])])
        total = time.process_time() - start
        results.append(
            {
                "name": case["name"],
                "dists": dists,
                "ownSeconds": total - model.stub_seconds,
                "stubSeconds": model.stub_seconds,
                "forwardPasses": model.calls,
                "positions": model.positions,
            }
        )
        print(f"{case['name']}: {len(case['bytes'])} bytes, {total - model.stub_seconds:.2f} s own", file=sys.stderr)
    with open(out_json + ".tmp", "w") as f:
        json.dump({"torch": torch.__version__, "numpy": np.__version__, "results": results}, f)
    import os

    os.replace(out_json + ".tmp", out_json)


if __name__ == "__main__":
    main()
