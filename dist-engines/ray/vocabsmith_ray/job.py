"""Count a sharded corpus on Ray Data, tree-merge the count files, train with vocabsmith.

    python -m vocabsmith_ray SHARD... --out DIR --vocab-size N [--superbpe ...] [--address ray://host:10001]

Shards: text (.txt, .txt.gz, any other name: each line with its ending is a sequence, exactly as
`vocabsmith train --corpus FILE`), JSONL (.jsonl, .jsonl.gz: one sequence per record's
--jsonl-field), Parquet (.parquet: one sequence per row of --parquet-column), and count files
(.counts, counted elsewhere). Local paths, directories, globs, or any URI Ray's filesystem layer
reads (s3://, gs://, ...).

Steps: Ray Data reads the shards into blocks; an actor pool (--workers) counts them, each actor
keeping ONE `vocabsmith count --serve` process for all its blocks, one count file per block (in
Ray's object store, so it works across nodes); Ray tasks merge count files --fan-in at a time with
`vocabsmith count --merge` (a streaming merge of sorted runs) until one is left; --min-count prunes
only that last merge (pruning is not associative). The driver then runs
`vocabsmith train --from-counts`. The tokenizer is the one `vocabsmith train --corpus` gives on
the same files (CI checks byte identity). Any failure is one error naming the shard; nothing is
written unless everything succeeded.
"""
from __future__ import annotations

import argparse
import codecs
import glob
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa

from .serve import CountServer, vocabsmith_command

MARK = "vocabsmith-ray error: "
# Lone surrogates (JSON "\\ud800") become U+FFFD, as JavaScript's TextEncoder in `vocabsmith train` does.
codecs.register_error("vocabsmith-fffd", lambda e: (b"\xef\xbf\xbd" * (e.end - e.start), e.end))
TEXT_CHUNK = 64 << 20  # text shards are sent in runs of whole lines of about this size
COUNT_SCHEMA = pa.schema([("counts", pa.large_binary()), ("shards", pa.string())])


class ShardError(Exception):
    """A failure that names the shard(s) it came from. Ray wraps it; the driver finds it by MARK."""

    def __init__(self, shards: list[str] | str, message: str):
        names = shards if isinstance(shards, str) else ", ".join(shards)
        super().__init__(f"{MARK}{names}: {message}" if names else f"{MARK}{message}")


def kind_of(path: str) -> str:
    p = path.lower()
    if p.endswith(".counts"):
        return "counts"
    if p.endswith(".parquet"):
        return "parquet"
    if re.search(r"\.jsonl(\.gz)?$", p):
        return "jsonl"
    return "text"


def expand(inputs: list[str]) -> list[str]:
    """Local directories and globs to sorted files; URIs are passed to Ray as they are."""
    out: list[str] = []
    for i in inputs:
        if "://" in i:
            out.append(i)
        elif os.path.isdir(i):
            out.extend(sorted(str(p) for p in Path(i).rglob("*") if p.is_file() and not p.name.startswith(".")))
        elif any(c in i for c in "*?["):
            found = sorted(glob.glob(i, recursive=True))
            if not found:
                raise ShardError(i, "the glob matches no file")
            out.extend(found)
        elif os.path.exists(i):
            out.append(os.path.abspath(i))
        else:
            raise ShardError(i, "no such file")
    return out


def _row(counts: bytes, shards: list[str]) -> dict:
    return {"counts": counts, "shards": json.dumps(shards)}


def _table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=COUNT_SCHEMA)


class CountBlocks:
    """Ray Data actor: counts blocks with one long-lived `vocabsmith count --serve` process."""

    def __init__(self, command: list[str], count_args: list[str], kind: str, column: str):
        self.server = CountServer(command, count_args)
        self.kind = kind
        self.column = column
        self.tmp = tempfile.mkdtemp(prefix="vocabsmith-ray-")
        self.n = 0

    def _count(self, name: str, data, ends=None, first_line: int = 0) -> bytes:
        out = os.path.join(self.tmp, f"{self.n}.counts")
        self.n += 1
        res = self.server.count(name, out, data, ends, first_line)
        if not res.get("ok"):
            # vocabsmith names the shard first ("path: problem"); keep its words.
            msg = res.get("error", "counting failed")
            raise ShardError(name, msg[len(name) + 2 :] if msg.startswith(name + ": ") else msg)
        with open(out, "rb") as f:
            body = f.read()
        os.unlink(out)
        return body

    def __call__(self, batch: pa.Table) -> pa.Table:
        if self.kind == "parquet":
            return _table([self._records(batch)])
        rows = []
        for path in batch.column("path").to_pylist():
            data = read_bytes(path)
            if path.lower().endswith(".gz"):
                try:
                    data = gzip.decompress(data)
                except (OSError, EOFError, ValueError, gzip.BadGzipFile) as e:
                    raise ShardError(path, f"cannot decompress: {e}") from None
            rows.extend(self._text(path, data) if self.kind == "text" else [self._jsonl(path, data)])
        return _table(rows)

    def _jsonl(self, path: str, data: bytes) -> dict:
        """One sequence per record's field, as `vocabsmith train --corpus x.jsonl` (blank lines skipped)."""
        texts = []
        for n, line in enumerate(data.split(b"\n"), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                raise ShardError(path, f"line {n} is not valid JSON") from None
            v = rec.get(self.column) if isinstance(rec, dict) else None
            if not isinstance(v, str):
                raise ShardError(path, f'line {n} has no string field "{self.column}"')
            texts.append(v.encode("utf-8", "vocabsmith-fffd"))
        ends = np.cumsum([len(t) for t in texts], dtype=np.int64)
        if len(ends) and ends[-1] >= 2**32:
            raise ShardError(path, "a shard of 4 GiB of text or more: split it")
        return _row(self._count(path, b"".join(texts), ends.astype(np.uint32)), [path])

    def _text(self, path: str, data: bytes):
        if not data:
            yield _row(self._count(path, b""), [path])
            return
        view = memoryview(data)
        start, line = 0, 0
        while start < len(data):
            end = len(data) if len(data) - start <= TEXT_CHUNK else data.rfind(b"\n", start, start + TEXT_CHUNK) + 1
            if end <= start:  # one line longer than a chunk: send it whole
                nl = data.find(b"\n", start + TEXT_CHUNK)
                end = len(data) if nl < 0 else nl + 1
            yield _row(self._count(path, view[start:end], None, line), [path])
            line += data.count(b"\n", start, end)
            start = end

    def _records(self, batch: pa.Table) -> dict:
        paths = batch.column("path").to_pylist()
        shards = sorted(set(paths))
        if self.column not in batch.column_names:
            raise ShardError(shards, f'no field "{self.column}" (set --jsonl-field / --parquet-column)')
        col = batch.column(self.column)
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            raise ShardError(shards, f'field "{self.column}" is {col.type}, not a string')
        arr = col.combine_chunks().cast(pa.large_string())
        if arr.null_count:
            bad = paths[arr.is_null().to_pylist().index(True)]
            raise ShardError(bad, f'a record has no string field "{self.column}"')
        offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64, count=len(arr) + 1, offset=arr.offset * 8)
        base = int(offsets[0])
        data = memoryview(arr.buffers()[2])[base : int(offsets[-1])] if len(arr) else b""
        name = shards[0] if len(shards) == 1 else f"{shards[0]} (+{len(shards) - 1} more in this block)"
        return _row(self._count(name, data, (offsets[1:] - base).astype(np.uint32)), shards)


def read_bytes(path: str) -> bytes:
    """A whole shard as stored (no decompression: a bad .gz must fail here, naming the shard)."""
    import pyarrow.fs as pafs

    try:
        fs, p = pafs.FileSystem.from_uri(path) if "://" in path else (pafs.LocalFileSystem(), os.path.abspath(path))
        with fs.open_input_stream(p, compression=None) as f:
            return f.read()
    except (OSError, ValueError) as e:
        raise ShardError(path, f"cannot read: {e}") from None


def pass_counts(batch: pa.Table) -> pa.Table:
    """Count files given as shards join the tree as they are (the merge checks them)."""
    return _table([_row(read_bytes(p), [p]) for p in batch.column("path").to_pylist()])


def merge_tables(command: list[str], min_count: int, *tables: pa.Table) -> pa.Table:
    """One node of the tree: `vocabsmith count --merge` of every count file in `tables`."""
    rows = [r for t in tables for r in t.to_pylist()]
    with tempfile.TemporaryDirectory(prefix="vocabsmith-ray-merge-") as d:
        files, shards = [], {}
        for i, r in enumerate(rows):
            f = os.path.join(d, f"in{i}.counts")
            with open(f, "wb") as h:
                h.write(r["counts"])
            files.append(f)
            shards[f] = json.loads(r["shards"])
        out = os.path.join(d, "out.counts")
        args = [*command, "count", "--merge", *files, "--out", out]
        if min_count > 1:
            args += ["--min-count", str(min_count)]
        p = subprocess.run(args, capture_output=True, text=True)
        if p.returncode != 0:
            msg = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"exit {p.returncode}"
            msg = re.sub(r"^vocabsmith: ", "", msg)
            # Name shards, not temporary files: the file vocabsmith blames comes first.
            culprit = next((f for f in files if msg.startswith(f + ": ")), None)
            if culprit:
                msg = msg[len(culprit) + 2 :]
            for f in files:
                msg = msg.replace(f, ", ".join(shards[f]))
            raise ShardError(shards[culprit] if culprit else sorted({s for v in shards.values() for s in v}), msg)
        with open(out, "rb") as h:
            body = h.read()
    return _table([_row(body, sorted({s for v in shards.values() for s in v}))])


def error_message(e: BaseException) -> str:
    """The ShardError message inside whatever Ray wrapped it in."""
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        m = re.search(re.escape(MARK) + r"(.*)", str(e))
        if m:
            return m.group(1).strip()
        e = getattr(e, "cause", None) or e.__cause__ or e.__context__
    return ""


def run(
    inputs: list[str],
    out: str,
    train_args: list[str],
    count_args: list[str] | None = None,
    *,
    address: str | None = None,
    workers: int = 2,
    batch_rows: int = 100_000,
    fan_in: int = 8,
    min_count: int = 1,
    jsonl_field: str = "text",
    parquet_column: str = "text",
    counts_out: str | None = None,
    vocabsmith: str | None = None,
) -> str:
    """Runs the job; returns the tokenizer.json written. Raises ShardError on bad input."""
    import ray
    import ray.data

    command = vocabsmith_command(vocabsmith)
    count_args = count_args or []
    files = expand(inputs)
    if not files:
        raise ShardError(inputs, "no shard found")
    by_kind: dict[str, list[str]] = {}
    for f in files:
        by_kind.setdefault(kind_of(f), []).append(f)
    started = not ray.is_initialized()
    if started:
        # Local mode: enough logical CPUs for the counting actors plus the read and merge tasks
        # (each actor holds one CPU for its whole life; fewer would starve the readers).
        local = {} if address else {"num_cpus": max(os.cpu_count() or 1, workers + 1)}
        ray.init(address=address, log_to_driver=False, include_dashboard=False, configure_logging=False, **local)
    try:
        return _run(ray, command, count_args, by_kind, out, train_args, workers, batch_rows, fan_in, min_count, jsonl_field, parquet_column, counts_out)
    finally:
        if started:
            ray.shutdown()


def _run(ray, command, count_args, by_kind, out, train_args, workers, batch_rows, fan_in, min_count, jsonl_field, parquet_column, counts_out) -> str:
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    # Blocks in input order: the tree (and so which file an error blames) is the same every run.
    ctx.execution_options.preserve_order = True
    parts = []
    for kind, paths in by_kind.items():
        # Text, JSONL and count files: one row per shard, read by the worker that counts it
        # (local paths or any pyarrow filesystem URI); Parquet: Ray Data's reader, in row blocks.
        files = ray.data.from_items([{"path": p} for p in paths], override_num_blocks=len(paths))
        if kind == "counts":
            ds = files.map_batches(pass_counts, batch_format="pyarrow", batch_size=1)
        else:
            if kind in ("text", "jsonl"):
                ds, size, column = files, 1, jsonl_field
            else:
                ds = ray.data.read_parquet(paths, include_paths=True)
                size, column = batch_rows, parquet_column
            ds = ds.map_batches(
                CountBlocks,
                fn_constructor_kwargs={"command": command, "count_args": count_args, "kind": kind, "column": column},
                batch_format="pyarrow",
                batch_size=size,
                concurrency=workers,
            )
        parts.append(ds)
    merge = ray.remote(merge_tables)
    try:
        ds = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
        level = ds.to_arrow_refs()
        while True:
            last = len(level) <= fan_in
            level = [merge.remote(command, min_count if last else 1, *level[i : i + fan_in]) for i in range(0, len(level), fan_in)]
            if last:
                break
        root = ray.get(level[0])
    except Exception as e:  # Ray wraps worker errors; report the shard, not a traceback
        msg = error_message(e)
        if msg:
            raise ShardError([], msg) from None
        raise
    body = root.column("counts")[0].as_py()
    out_file = out if out.endswith(".json") else os.path.join(out, "tokenizer.json")
    with tempfile.TemporaryDirectory(prefix="vocabsmith-ray-root-") as d:
        counts = os.path.join(d, "all.counts")
        with open(counts, "wb") as h:
            h.write(body)
        p = subprocess.run([*command, "train", "--from-counts", counts, *count_args, *train_args, "--out", out_file], capture_output=True, text=True)
        if p.returncode != 0:
            raise ShardError([], "training failed: " + (p.stderr.strip().splitlines() or ["?"])[-1])
        if counts_out:
            os.makedirs(os.path.dirname(os.path.abspath(counts_out)), exist_ok=True)
            tmp = counts_out + f".{os.getpid()}.tmp"
            with open(tmp, "wb") as h:
                h.write(body)
            os.replace(tmp, counts_out)
    return out_file


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m vocabsmith_ray",
        description="Count shards on Ray Data, tree-merge the count files, train a vocabsmith BPE/SuperBPE tokenizer. "
        "Options not listed here go to `vocabsmith train` (e.g. --vocab-size, --transition, --special).",
    )
    ap.add_argument("shards", nargs="+", help="files, directories, globs or URIs: text, .jsonl(.gz), .parquet, .counts")
    ap.add_argument("--out", required=True, help="tokenizer.json (or a directory for it)")
    ap.add_argument("--address", default=None, help="Ray cluster address (e.g. ray://head:10001 or auto); default: local")
    ap.add_argument("--workers", type=int, default=2, help="counting actors, each with one vocabsmith process")
    ap.add_argument("--batch-rows", type=int, default=100_000, help="JSONL/Parquet records per counted block")
    ap.add_argument("--fan-in", type=int, default=8, help="count files per merge in the tree")
    ap.add_argument("--min-count", type=int, default=1, help="drop words rarer than this at the root merge")
    ap.add_argument("--jsonl-field", default="text")
    ap.add_argument("--parquet-column", default="text")
    ap.add_argument("--counts-out", default=None, help="also keep the merged count file here")
    ap.add_argument("--vocabsmith", default=None, help="command running vocabsmith (default: $VOCABSMITH, PATH, this checkout)")
    ap.add_argument("--pattern", default=None)
    ap.add_argument("--superbpe", action="store_true")
    ap.add_argument("--paper", action="store_true")
    a, train_args = ap.parse_known_args(argv)
    count_args = (["--pattern", a.pattern] if a.pattern else []) + (["--superbpe"] if a.superbpe else []) + (["--paper"] if a.paper else [])
    try:
        out = run(
            a.shards, a.out, train_args, count_args,
            address=a.address, workers=a.workers, batch_rows=a.batch_rows, fan_in=a.fan_in, min_count=a.min_count,
            jsonl_field=a.jsonl_field, parquet_column=a.parquet_column, counts_out=a.counts_out, vocabsmith=a.vocabsmith,
        )
    except ShardError as e:
        print(str(e).replace(MARK, "vocabsmith-ray: ", 1), file=sys.stderr)
        return 1
    print(out)
    return 0
