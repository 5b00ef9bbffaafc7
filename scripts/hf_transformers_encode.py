"""Encodes texts with transformers' AutoTokenizer loaded offline from a local folder.

stdin: {"dir": path, "texts": [...]}; stdout: {"ids": [[...]], "class": name}.
"""
import json
import os
import sys

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
from transformers import AutoTokenizer  # noqa: E402

req = json.load(sys.stdin)
tok = AutoTokenizer.from_pretrained(req["dir"])
ids = [tok(t, add_special_tokens=False)["input_ids"] for t in req["texts"]]
json.dump({"ids": ids, "class": type(tok).__name__}, sys.stdout)
