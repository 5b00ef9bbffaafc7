"""Runs the Ray job in local mode on shards of the bundled corpus and reports what happened (JSON).

Called by test/engines/ray.test.ts, which asserts on the report:
    python dist-engines/ray/check_job.py WORKDIR
Good runs: text, JSONL and Parquet shards (BPE), text shards (SuperBPE); each tokenizer.json is
compared with `vocabsmith train --corpus` on the same data. Bad runs: a truncated count file in the
middle of the tree, a corrupt one, an undecodable shard, a shard counted with other settings.
"""
from __future__ import annotations

import filecmp
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import ray

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vocabsmith_ray import ShardError, run  # noqa: E402
from vocabsmith_ray.serve import vocabsmith_command  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CLI = vocabsmith_command()


def vs(*args: str) -> None:
    p = subprocess.run([*CLI, *args], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"vocabsmith {' '.join(args)}: {p.stderr}")


def main(work: Path) -> None:
    en = sorted(p for p in (ROOT / "corpora" / "en").glob("*.txt") if not p.name.startswith("COPYING"))
    text = work / "text"
    text.mkdir(parents=True)
    # Four shards: consecutive files concatenated (each file ends with a newline).
    groups = [en[i::4] for i in range(4)]
    for i, g in enumerate(groups):
        (text / f"shard{i}.txt").write_bytes(b"".join(p.read_bytes() for p in g))
    shards = sorted(str(p) for p in text.iterdir())
    # The same lines as JSONL (gzipped, one shard) and Parquet records.
    jsonl, parquet = work / "jsonl", work / "parquet"
    jsonl.mkdir()
    parquet.mkdir()
    for i, s in enumerate(shards):
        lines = Path(s).read_bytes().decode().splitlines(keepends=True)
        body = "".join(json.dumps({"id": n, "text": line}) + "\n" for n, line in enumerate(lines)).encode()
        (jsonl / f"shard{i}.jsonl{'.gz' if i == 0 else ''}").write_bytes(gzip.compress(body) if i == 0 else body)
        pq.write_table(pa.table({"text": lines}), parquet / f"shard{i}.parquet", row_group_size=5000)

    report: list[dict] = []

    def good(name: str, inputs: list[str], direct: list[str], args: list[str], count_args: list[str] | None = None, **kw) -> None:
        out = work / name / "ray" / "tokenizer.json"
        ref = work / name / "direct" / "tokenizer.json"
        run(inputs, str(out), args, count_args, workers=2, fan_in=2, batch_rows=20_000, **kw)
        vs("train", "--corpus", *direct, *(count_args or []), *args, "--out", str(ref))
        report.append({"name": name, "identical": filecmp.cmp(out, ref, shallow=False), "merges": len(json.loads(out.read_text())["model"]["merges"])})

    def bad(name: str, inputs: list[str], **kw) -> None:
        out = work / name / "tokenizer.json"
        try:
            run(inputs, str(out), ["--vocab-size", "1000", "--transition", "800"], ["--superbpe"] if kw.pop("superbpe", True) else None, workers=2, fan_in=2, **kw)
            report.append({"name": name, "error": None})
        except ShardError as e:
            report.append({"name": name, "error": str(e), "written": out.parent.exists() and any(out.parent.iterdir())})

    good("text-bpe", shards, shards, ["--vocab-size", "3000"])
    good("jsonl-bpe", [str(jsonl)], sorted(str(p) for p in jsonl.iterdir()), ["--vocab-size", "3000"])
    good("parquet-bpe", [str(parquet)], sorted(str(p) for p in jsonl.iterdir()), ["--vocab-size", "3000"])
    good("text-superbpe", shards, shards, ["--vocab-size", "3000", "--transition", "2000"], ["--superbpe"])

    # Count files made elsewhere join the tree as shards; a bad one sits in the middle of it.
    counts = work / "counts"
    counts.mkdir()
    for i, s in enumerate(shards):
        vs("count", "--corpus", s, "--superbpe", "--out", str(counts / f"shard{i}.counts"))
    good_counts = sorted(str(p) for p in counts.iterdir())
    whole = (counts / "shard1.counts").read_bytes()
    (work / "truncated.counts").write_bytes(whole[: len(whole) // 2])
    flipped = bytearray(whole)
    flipped[len(flipped) // 3] ^= 0x10
    (work / "flipped.counts").write_bytes(bytes(flipped))
    vs("count", "--corpus", shards[0], "--out", str(work / "o200k.counts"))
    (work / "latin1.txt").write_bytes(b"good line\ncaf\xe9\n")
    (work / "notgzip.txt.gz").write_bytes(b"plain text\n")

    bad("truncated-counts", [*good_counts[:2], str(work / "truncated.counts"), *good_counts[2:]])
    bad("corrupt-counts", [*good_counts[:3], str(work / "flipped.counts"), good_counts[3]])
    bad("undecodable-shard", [shards[0], str(work / "latin1.txt"), shards[1]])
    bad("not-gzip-shard", [shards[0], str(work / "notgzip.txt.gz")])
    bad("mixed-settings", [*good_counts, str(work / "o200k.counts")])
    print(json.dumps(report))


if __name__ == "__main__":
    ray.init(num_cpus=3, log_to_driver=False, include_dashboard=False, configure_logging=False)
    try:
        main(Path(sys.argv[1]))
    finally:
        ray.shutdown()
