/* tslint:disable */
/* eslint-disable */

/**
 * A compiled tokenizer held in WASM memory; call `free()` when done.
 */
export class WasmTokenizer {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    decode(ids: Uint32Array | number[], skip_special_tokens: boolean): string;
    /**
     * Encodes many texts given as one UTF-8 buffer and the end offset of each text.
     * Returns `[count of text 0, ..., count of text n-1, ids of text 0, ..., ids of text n-1]`.
     */
    encodeBatch(bytes: Uint8Array | number[], ends: Uint32Array | number[], add_special_tokens: boolean): Uint32Array;
    /**
     * Encodes UTF-8 bytes (invalid sequences become U+FFFD, as `TextDecoder` does).
     */
    encodeUtf8(bytes: Uint8Array | number[], add_special_tokens: boolean): Uint32Array;
    /**
     * Ids, then each token's [start, end) in UTF-16 code units: `[ids(n), starts(n), ends(n)]`.
     */
    encodeWithOffsets(text: string, add_special_tokens: boolean): Uint32Array;
    encode(text: string, add_special_tokens: boolean): Uint32Array;
    /**
     * Parses a Hugging Face `tokenizer.json` document.
     */
    static fromJson(json: string): WasmTokenizer;
    /**
     * Parses a tiktoken rank file for a known encoding (`o200k_base`, `cl100k_base`, ...).
     */
    static fromTiktoken(ranks: string, encoding: string): WasmTokenizer;
    idToToken(id: number): string | undefined;
    tokenToId(token: string): number | undefined;
    readonly vocabSize: number;
}

/**
 * The result of trimming a tokenizer, held in WASM memory; call `free()` when done.
 */
export class WasmTrim {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    readonly alwaysKept: number;
    readonly closureAdded: number;
    /**
     * Old ids kept, ascending: the new id of `keptIds[i]` is `i`.
     */
    readonly keptIds: Uint32Array;
    readonly mergesKept: number;
    readonly mergesTotal: number;
    readonly notDerivable: number;
    /**
     * Old id -> new id; 0xFFFFFFFF for dropped ids.
     */
    readonly oldToNew: Uint32Array;
    /**
     * The trimmed tokenizer.json (compact JSON).
     */
    readonly tokenizerJson: string;
}

/**
 * Trims the tokenizer in `json` to `keep` (old ids) plus what is always kept, closed under BPE
 * derivation unless `closure` is false (the naive trim, for comparison only).
 */
export function trimTokenizer(json: string, keep: Uint32Array | number[], closure: boolean): WasmTrim;

export function version(): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_wasmtokenizer_free: (a: number, b: number) => void;
    readonly __wbg_wasmtrim_free: (a: number, b: number) => void;
    readonly trimTokenizer: (a: number, b: number, c: number, d: number, e: number) => [number, number, number];
    readonly version: () => [number, number];
    readonly wasmtokenizer_decode: (a: number, b: number, c: number, d: number) => [number, number];
    readonly wasmtokenizer_encode: (a: number, b: number, c: number, d: number) => [number, number];
    readonly wasmtokenizer_encodeBatch: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
    readonly wasmtokenizer_encodeUtf8: (a: number, b: number, c: number, d: number) => [number, number];
    readonly wasmtokenizer_encodeWithOffsets: (a: number, b: number, c: number, d: number) => [number, number];
    readonly wasmtokenizer_fromJson: (a: number, b: number) => [number, number, number];
    readonly wasmtokenizer_fromTiktoken: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly wasmtokenizer_idToToken: (a: number, b: number) => [number, number];
    readonly wasmtokenizer_tokenToId: (a: number, b: number, c: number) => number;
    readonly wasmtokenizer_vocabSize: (a: number) => number;
    readonly wasmtrim_alwaysKept: (a: number) => number;
    readonly wasmtrim_closureAdded: (a: number) => number;
    readonly wasmtrim_keptIds: (a: number) => [number, number];
    readonly wasmtrim_mergesKept: (a: number) => number;
    readonly wasmtrim_mergesTotal: (a: number) => number;
    readonly wasmtrim_notDerivable: (a: number) => number;
    readonly wasmtrim_oldToNew: (a: number) => [number, number];
    readonly wasmtrim_tokenizerJson: (a: number) => [number, number];
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
