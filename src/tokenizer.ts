import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { about, VocabsmithError } from './errors.js';
import { tokenizerFile } from './files.js';
import { loadWasm, provideTokenizerHandle, readEncodedBatch, readEncoding, WasmEncodeStream, WasmTokenizer } from './wasm.js';
import { packTexts } from './pack.js';
import type { LoadProgressCallback } from './load-progress.js';

export interface EncodeOptions {
  /** Add the post-processor's special tokens (e.g. Llama-3's BOS), as HF `add_special_tokens=True`. Default false. */
  addSpecialTokens?: boolean;
}

export interface EncodingWithOffsets {
  ids: Uint32Array;
  /** [start, end) of each token in the input string, in UTF-16 code units (JS string indices). */
  starts: Uint32Array;
  ends: Uint32Array;
}

export type TiktokenEncoding = 'o200k_base' | 'cl100k_base' | 'r50k_base' | 'p50k_base';

export interface LoadOptions {
  /**
   * Called as a tokenizer.json loads (seconds for Gemma3's 33 MB): `done` of `total` units of each
   * stage in turn ('parse': bytes; 'vocab': tokens; 'merges', 'merge table': merges; 'added': added
   * tokens), each from 0 to its total, about every 1 MiB or 16k items. A tiktoken rank file reports
   * 'parse' (bytes), 'merge table' (tokens) and 'added'. `loadFraction` (load-progress.ts) turns a
   * report into the fraction of the whole load.
   */
  onProgress?: LoadProgressCallback;
}

/** A file's text; invalid UTF-8 is an error (read as U+FFFD, two different tokens could collide). */
function readUtf8(path: string): string {
  const bytes = about(path, () => readFileSync(path));
  if (!isUtf8(bytes)) throw new VocabsmithError('not valid UTF-8', path);
  return bytes.toString('utf8');
}

// Backs up free(): a tokenizer dropped without free() releases its WASM memory when collected.
const registry = new FinalizationRegistry<WasmTokenizer>((inner) => inner.free());

/**
 * A BPE tokenizer that encodes exactly as Hugging Face `tokenizers` (or tiktoken) does.
 * The compiled state lives in WebAssembly memory; call `free()` when done.
 */
export class Tokenizer {
  #inner: WasmTokenizer | undefined;
  readonly source: string | undefined;

  private constructor(inner: WasmTokenizer, source?: string) {
    this.#inner = inner;
    this.source = source;
    registry.register(this, inner, this);
  }

  /** Loads a Hugging Face `tokenizer.json` file (or the one inside a model or tokenizer folder). */
  static fromFile(pathOrFolder: string, options: LoadOptions = {}): Tokenizer {
    const path = tokenizerFile(pathOrFolder);
    const text = readUtf8(path);
    return Tokenizer.fromJSON(text, path, options);
  }

  /** Parses a Hugging Face `tokenizer.json` document (string or parsed object). */
  static fromJSON(json: string | object, source?: string, options: LoadOptions = {}): Tokenizer {
    loadWasm();
    const text = typeof json === 'string' ? json : JSON.stringify(json);
    return new Tokenizer(about(source, () => WasmTokenizer.fromJson(text, options.onProgress)), source);
  }

  /** Loads a tiktoken rank file (`<base64> <rank>` lines) of a known encoding. */
  static fromTiktoken(path: string, encoding: TiktokenEncoding, options: LoadOptions = {}): Tokenizer {
    const text = readUtf8(path);
    loadWasm();
    return new Tokenizer(about(path, () => WasmTokenizer.fromTiktoken(text, encoding, options.onProgress)), path);
  }

  static {
    // Other vocabsmith modules reach the handle through wasm.ts's handle(), never this field.
    provideTokenizerHandle((t) => t.inner);
  }

  private get inner(): WasmTokenizer {
    if (this.#inner === undefined) throw new VocabsmithError('this tokenizer was freed', this.source);
    return this.#inner;
  }

  /** Token ids of `text` (a string, or UTF-8 bytes). */
  encode(text: string | Uint8Array, options: EncodeOptions = {}): Uint32Array {
    const add = options.addSpecialTokens ?? false;
    return about(this.source, () => (typeof text === 'string' ? this.inner.encode(text, add) : this.inner.encodeUtf8(text, add)));
  }

  /**
   * Ids of a UTF-8 text given in chunks (cut anywhere, even inside a character), yielded part by
   * part: together the ids of `encode` on the whole text. The core holds the text since the last
   * cut point (a newline or a space between letters or digits, on tokenizers where such a cut
   * provably changes no id: see rust/core/src/tokenizer/cut.rs) and encodes up to each cut as it comes, so
   * only about one chunk is held; a text without cut points is held once, in the core, and
   * encoded at the end (its ids yielded in slices of `maxIds`). `sizeHint`: the text's size in
   * bytes when known (a file), so that the core's buffer is allocated once.
   */
  *encodeStream(chunks: Iterable<Uint8Array>, options: EncodeOptions & { sizeHint?: number; maxIds?: number } = {}): Generator<Uint32Array> {
    const inner = this.inner;
    const stream = about(this.source, () => new WasmEncodeStream(options.addSpecialTokens ?? false));
    const max = options.maxIds ?? 1 << 20;
    try {
      if (options.sizeHint) stream.reserve(options.sizeHint);
      const drain = function* (): Generator<Uint32Array> {
        for (;;) {
          const ids = stream.take(max);
          if (ids.length === 0) return;
          yield ids;
        }
      };
      for (const chunk of chunks) {
        about(this.source, () => stream.push(inner, chunk));
        yield* drain();
      }
      about(this.source, () => stream.finish(inner));
      yield* drain();
    } finally {
      stream.free();
    }
  }

  /** Ids plus each token's position in `text`. */
  encodeWithOffsets(text: string, options: EncodeOptions = {}): EncodingWithOffsets {
    return readEncoding(about(this.source, () => this.inner.encodeWithOffsets(text, options.addSpecialTokens ?? false)));
  }

  /** Encodes many texts in one call into WASM (one UTF-8 buffer in, one id buffer out). */
  encodeBatch(texts: readonly string[], options: EncodeOptions = {}): Uint32Array[] {
    const { bytes, ends } = packTexts(texts);
    return readEncodedBatch(about(this.source, () => this.inner.encodeBatch(bytes, ends, options.addSpecialTokens ?? false)));
  }

  /** Text of `ids`; `decode(encode(s)) === s` for every string the tokenizer can represent. */
  decode(ids: Uint32Array | readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    const arr = ids instanceof Uint32Array ? ids : Uint32Array.from(ids);
    return about(this.source, () => this.inner.decode(arr, options.skipSpecialTokens ?? false));
  }

  tokenToId(token: string): number | undefined {
    return this.inner.tokenToId(token);
  }

  idToToken(id: number): string | undefined {
    return this.inner.idToToken(id);
  }

  /** Number of ids, added tokens included (HF `get_vocab_size(with_added_tokens=True)`). */
  get vocabSize(): number {
    return this.inner.vocabSize;
  }

  /** One more than the largest id, added tokens included: the rows a model needs (more than `vocabSize` when ids have holes). */
  get idBound(): number {
    return this.inner.idBound;
  }

  /** The bytes `id` contributes to decoded text (`Ġ` and `▁` as spaces, `<0xNN>` as one byte); undefined for an id the tokenizer skips. */
  tokenBytes(id: number): Uint8Array | undefined {
    return this.inner.tokenBytes(id);
  }

  /** Releases the WASM memory now. The tokenizer cannot be used afterwards. */
  free(): void {
    if (this.#inner === undefined) return;
    registry.unregister(this);
    const inner = this.#inner;
    this.#inner = undefined;
    try {
      inner.free();
    } catch {
      // Its core instance was replaced after an internal error: the memory went with it.
    }
  }
}
