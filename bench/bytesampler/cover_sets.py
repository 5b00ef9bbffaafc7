"""The covers of one byte prefix in vocabsmith and in ByteSampler, node by node, and every token
on which the two disagree checked against HF `tokenizers` itself: a token t after node P (which
decodes to the prefix's first bytes) is canonical when, for some continuation y from a fixed list,
the tokenizer's encoding of dec(P) ++ bytes(t) ++ y starts with P ++ [t]. A token that no
continuation witnesses is not proven invalid (the list is finite), but one that some continuation
witnesses is proven valid. Not part of vocabsmith: for the comparison in bench/README.md.

Usage: python cover_sets.py BYTE_SAMPLER_SRC TOKENIZER_JSON PREFIX_FILE VOCABSMITH_DUMP
  VOCABSMITH_DUMP: `BYTEPROB_PLAN_DUMP=file cargo run --release --manifest-path rust/Cargo.toml
  -p vocabsmith-core --example byteprob_plan -- TOKENIZER_JSON PREFIX_FILE` from the repository
  root (every node's token path and the tokens after it).
Both sides get BOS first; specials (ids without bytes in the model's vocabulary) are left out.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import torch  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from transformers import PreTrainedTokenizerFast  # noqa: E402

from byte_sampling.byte_conditioning import ByteConditioning  # noqa: E402

import hf_witness  # noqa: E402
from run_bytesampler import StubModel  # noqa: E402

PROBES = [b"", b" ", b"a", b"A", b"1", b".", b"*", b"'", b"\n", b"\t", b"  ", b"\xc3\xa9"]


def main():
    src, tok_path, prefix_path, dump_path = sys.argv[1:5]
    prefix = open(prefix_path, "rb").read()
    hf = Tokenizer.from_file(tok_path)
    tok = PreTrainedTokenizerFast(tokenizer_file=tok_path)
    bos = tok.convert_tokens_to_ids("<|begin_of_text|>")
    tok.bos_token = "<|begin_of_text|>"
    bc = ByteConditioning(StubModel(len(tok)), tokenizer=tok)
    sampler = ByteConditioning.BytewiseBatchSampler(bc, filter_tensors=True)
    sampler.add_context([prefix])
    tree = sampler.sbps[0].eval_tree(inclusive=True, filter_tensors=True)
    trunk = [t for t in sampler.trunks[0] if t != bos]
    vocab_bytes = bc.vrev  # text tokens only

    def nodes(t, path):
        for tid, sub in t.items():
            if tid is None:
                yield tuple(path), {x for x in sub.tolist() if x in vocab_bytes}
            else:
                yield from nodes(sub, path + [tid])

    theirs = {tuple(trunk) + p: s for p, s in nodes(tree, [])}
    ours = {tuple(n["path"]): set(n["tokens"]) for n in json.load(open(dump_path))}

    def witnessed(path, t):
        head = b"".join(vocab_bytes[x] for x in path)
        return hf_witness.witnessed(hf, head, path, t, vocab_bytes[t], PROBES, complete=True)

    show = lambda ids: [vocab_bytes[x] for x in sorted(ids)[:8]]  # noqa: E731
    for path in sorted(set(theirs) | set(ours), key=len):
        a, b = ours.get(path, set()), theirs.get(path, set())
        tail = [vocab_bytes[x] for x in path[-3:]]
        print(f"node [.. {tail}]: vocabsmith {len(a)} tokens, ByteSampler {len(b)}")
        only_b = b - a
        only_a = a - b
        if only_b:
            w = [t for t in only_b if witnessed(path, t)]
            print(f"  only ByteSampler: {len(only_b)}, witnessed canonical by HF: {len(w)}; e.g. {show(only_b)}")
            if w:
                print(f"    witnessed: {show(w)}")
        if only_a:
            w = [t for t in only_a if witnessed(path, t)]
            print(f"  only vocabsmith: {len(only_a)}, witnessed canonical by HF: {len(w)}; e.g. {show(only_a)}")
            if len(w) < len(only_a):
                print(f"    not witnessed by these probes: {show(only_a - set(w))}")


if __name__ == "__main__":
    main()
