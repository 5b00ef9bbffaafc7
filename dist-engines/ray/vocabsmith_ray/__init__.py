"""Distributed counting for vocabsmith on Ray Data: count shards, tree-merge count files, train."""
from .job import run, ShardError

__all__ = ["run", "ShardError"]
