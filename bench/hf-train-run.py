"""One native HF training run in its own process, for bench/train.ts.

    python bench/hf-train-run.py REQUEST.json OUT.json

Runs scripts/hf_train.py unchanged (request on its stdin, tokenizer.json from its
stdout into OUT.json) and prints one JSON line: the trainer's own train() seconds
(from hf_train.py's stderr), process wall seconds and peak RSS (getrusage, self).
"""
import io
import json
import os
import resource
import runpy
import sys
import time

t_start = time.perf_counter()
req_path, out_path = sys.argv[1], sys.argv[2]
script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "hf_train.py")
with open(req_path, "r", encoding="utf-8") as f:
    sys.stdin = io.StringIO(f.read())
err = io.StringIO()
real_out, real_err = sys.stdout, sys.stderr
with open(out_path, "w", encoding="utf-8") as out:
    sys.stdout, sys.stderr = out, err
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        sys.stdout, sys.stderr = real_out, real_err
train_s = None
for line in err.getvalue().splitlines():
    if line.startswith("hf_train:"):
        train_s = float(line.split()[1])
ru = resource.getrusage(resource.RUSAGE_SELF)
import tokenizers  # noqa: E402  (already imported by hf_train.py)

print(json.dumps({
    "trainS": train_s,
    "processS": time.perf_counter() - t_start,
    "maxRssMB": ru.ru_maxrss / 1024,  # KiB on Linux; includes the rayon threads
    "userS": ru.ru_utime,
    "systemS": ru.ru_stime,
    "version": tokenizers.__version__,
    "stderr": err.getvalue(),
}))
