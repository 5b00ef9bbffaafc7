"""The comparison's stub LM, twin of `stubLogProbs` in compare.ts: the same float32 vector for
the same prefix ids (FNV-1a over the ids picks a phase; logits 3·sin(0.0123·i + phase) in float64,
log-softmax in float64, then float32). `masked` ids get no mass (logit -inf)."""
import numpy as np


def prefix_hash(ids):
    h = 2166136261
    for t in ids:
        h = ((h ^ t) * 16777619) & 0xFFFFFFFF
    return h


def stub_log_probs(ids, vocab_size, masked=()):
    phase = (prefix_hash(ids) % 10007) * 0.37
    logits = 3.0 * np.sin(np.arange(vocab_size, dtype=np.float64) * 0.0123 + phase)
    if len(masked):
        logits[list(masked)] = -np.inf
    m = logits.max()
    lse = m + np.log(np.exp(logits - m).sum())
    return (logits - lse).astype(np.float32)
