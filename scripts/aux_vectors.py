"""Auxiliary vectors over a target vocabulary, for `vocabsmith remap --method focus|omp --aux`.

FOCUS (Dobler & de Melo, 2023) initialises a new token's embedding from the model's rows of the
tokens both vocabularies share, weighted by the similarity of the tokens in an auxiliary space:
fastText vectors trained on target-language text *tokenized with the target tokenizer*. This
script makes that space: it tokenizes the corpus with the target tokenizer (HF `tokenizers`, which
loads vocabsmith's tokenizer.json unchanged), trains gensim's FastText with every token string as
a "word" (its character n-grams give a vector to tokens the corpus never produced, as FOCUS does),
and writes one F32 tensor `vectors` of shape [target ids, dim]. Rows of added tokens (special
tokens and the like) are zero: vocabsmith gives them FVT or its fallback, never a guessed vector.

    .venv/bin/python scripts/aux_vectors.py --tokenizer new/tokenizer.json \
        --corpus corpora/en/*.txt --out aux.safetensors [--dim 100 --epochs 10 --seed 0]

Deterministic for a given seed (one worker thread, gensim's own seeded initialisation). The same
vectors serve OMP as the donor space: OMP fits a new token over the shared tokens in this space
and applies the coefficients to the model's rows.
"""

import argparse
import json
import os
import sys
import tempfile


def fail(path, message):
    print(f"vocabsmith: {path}: {message}", file=sys.stderr)
    sys.exit(1)


def read_lines(paths):
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if line:
                        yield line
        except (OSError, UnicodeDecodeError) as e:
            fail(path, f"cannot read the corpus file ({e})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tokenizer", required=True, help="the target tokenizer.json")
    ap.add_argument("--corpus", required=True, nargs="+", help="UTF-8 text files in the target language")
    ap.add_argument("--out", required=True, help="safetensors file to write (must not exist)")
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    from tokenizers import Tokenizer

    if os.path.exists(a.out):
        fail(a.out, "already exists; choose another --out")
    if not 1 <= a.dim <= 4096:
        fail(a.out, f"--dim {a.dim} is not between 1 and 4096")
    try:
        tok = Tokenizer.from_file(a.tokenizer)
    except Exception as e:  # the tokenizers library raises bare Exceptions
        fail(a.tokenizer, f"not a tokenizer.json this library loads ({e})")
    with open(a.tokenizer, encoding="utf-8") as f:
        added = {t["id"] for t in json.load(f).get("added_tokens", [])}

    sentences = [tok.encode(line, add_special_tokens=False).tokens for line in read_lines(a.corpus)]
    if not sentences:
        fail(a.corpus[0], "the corpus has no text")

    import numpy as np
    from gensim.models import FastText
    from safetensors.numpy import save_file

    ft = FastText(vector_size=a.dim, window=5, min_count=1, sg=1, min_n=2, max_n=5,
                  epochs=a.epochs, seed=a.seed, workers=1)
    ft.build_vocab(corpus_iterable=sentences)
    ft.train(corpus_iterable=sentences, total_examples=len(sentences), epochs=a.epochs)

    n = tok.get_vocab_size(with_added_tokens=True)
    vectors = np.zeros((n, a.dim), dtype=np.float32)
    for token, i in tok.get_vocab(with_added_tokens=True).items():
        if i not in added:
            vectors[i] = ft.wv[token]
    seen = len({t for s in sentences for t in s})

    out_dir = os.path.dirname(os.path.abspath(a.out))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(a.out)}.", suffix=".tmp", dir=out_dir)
    os.close(fd)
    try:
        save_file({"vectors": vectors}, tmp, metadata={"method": "fastText (gensim) on target-tokenized text",
                                                         "dim": str(a.dim), "seed": str(a.seed)})
        os.replace(tmp, a.out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    print(json.dumps({"out": a.out, "ids": n, "dim": a.dim, "lines": len(sentences),
                      "tokensSeen": seen, "zeroRows": len(added)}))


if __name__ == "__main__":
    main()
