"""One long-lived `vocabsmith count --serve` process: blocks in over stdin, one count file each.

The CLI over stdin (not Node + the WASM package driven from Python) because the count server is
the shipped CLI itself: the same option parsing, pattern validation and count-file writer as
`vocabsmith count`, nothing extra to install on a node beyond the `vocabsmith` command; the WASM
heap lives in the child (returned to the OS when it exits, never in the Ray worker's Python
heap); and bulk data crosses as raw bytes plus u32 end offsets (Arrow's own string buffers, no
per-record Python objects). Node's start-up and the WASM compile (~0.3 s) are paid once per worker.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np

REPO_CLI = Path(__file__).resolve().parents[3] / "dist" / "cli" / "index.js"


def vocabsmith_command(explicit: str | None = None) -> list[str]:
    """The command that runs vocabsmith: --vocabsmith, $VOCABSMITH, `vocabsmith` on PATH, or this checkout's build."""
    cmd = explicit or os.environ.get("VOCABSMITH")
    if cmd:
        return shlex.split(cmd)
    if shutil.which("vocabsmith"):
        return ["vocabsmith"]
    if REPO_CLI.exists():
        return ["node", str(REPO_CLI)]
    raise RuntimeError("vocabsmith not found: install it (npm i -g vocabsmith) or pass --vocabsmith 'node /path/to/dist/cli/index.js'")


class CountServer:
    """A `vocabsmith count --serve` child process; `count` sends one block and waits for its count file."""

    def __init__(self, command: list[str], count_args: list[str]):
        self.proc = subprocess.Popen(
            [*command, "count", "--serve", *count_args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def count(self, name: str, out: str, data: bytes | memoryview, ends: np.ndarray | None = None, first_line: int = 0) -> dict:
        """Counts `data` (kind "lines" when `ends` is None, else one sequence per end offset) into `out`."""
        kind = "lines" if ends is None else "sequences"
        header = json.dumps({"name": name, "out": out, "kind": kind, "firstLine": first_line}).encode()
        k = 0 if ends is None else len(ends)
        if len(data) >= 2**32:
            raise ValueError(f"{name}: a block of {len(data)} bytes is too large (at most 4 GiB)")
        parts = [struct.pack("<I", len(header)), header, struct.pack("<II", k, len(data))]
        if ends is not None:
            parts.append(np.ascontiguousarray(ends, dtype="<u4").tobytes())
        try:
            for p in parts:
                self.proc.stdin.write(p)
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except BrokenPipeError:
            line = b""
        if not line:
            err = self.proc.stderr.read().decode(errors="replace").strip()
            raise RuntimeError(f"{name}: the vocabsmith count server exited ({err or 'no message'})")
        return json.loads(line)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
