/* tslint:disable */
/* eslint-disable */

export class WasmByteModel {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * First byte of each text token's bytes, 256 for ids that are no text token.
     */
    firstBytes(): Uint16Array;
    /**
     * Parses a `tokenizer.json` and checks it can be handled byte-exactly.
     */
    static fromJson(json: string): WasmByteModel;
    /**
     * Ids of the text tokens whose bytes start with `prefix`.
     */
    prefixIds(prefix: Uint8Array | number[]): Uint32Array;
    /**
     * A cover state for the empty prefix.
     */
    state(): WasmCoverState;
    tokenBytes(id: number): Uint8Array;
    /**
     * True when every result is exact under the canonical-encoding assumption (no splitting
     * pretokenizer); false when piece boundaries are taken as settled (see the core docs).
     */
    readonly exact: boolean;
    readonly maxTokenLength: number;
    /**
     * Ids the tokenizer knows, added tokens included.
     */
    readonly vocabSize: number;
}

export class WasmCoverState {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * `[previous position, last token]` of position j, or `[]` for j = 0 / no encoding.
     */
    link(j: number): Uint32Array;
    /**
     * Token ids of the canonical encoding of the first `j` bytes.
     */
    path(j: number): Uint32Array;
    /**
     * Flat plan: `[S, (j, k, t1, b1, ..., tk, bk) × S, m, invalid_1..invalid_m]`; `b` is the
     * byte t adds after x, or 256 when t ends exactly at the end of x.
     */
    plan(include_exact: boolean): Uint32Array;
    push(byte: number): void;
    /**
     * False once an encoding was seen that is not prefix-closed (results then approximate).
     */
    readonly chainOk: boolean;
    readonly length: number;
}

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

export function version(): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_wasmbytemodel_free: (a: number, b: number) => void;
    readonly __wbg_wasmcoverstate_free: (a: number, b: number) => void;
    readonly __wbg_wasmtokenizer_free: (a: number, b: number) => void;
    readonly version: () => [number, number];
    readonly wasmbytemodel_exact: (a: number) => number;
    readonly wasmbytemodel_firstBytes: (a: number) => [number, number];
    readonly wasmbytemodel_fromJson: (a: number, b: number) => [number, number, number];
    readonly wasmbytemodel_maxTokenLength: (a: number) => number;
    readonly wasmbytemodel_prefixIds: (a: number, b: number, c: number) => [number, number];
    readonly wasmbytemodel_state: (a: number) => number;
    readonly wasmbytemodel_tokenBytes: (a: number, b: number) => [number, number];
    readonly wasmbytemodel_vocabSize: (a: number) => number;
    readonly wasmcoverstate_chainOk: (a: number) => number;
    readonly wasmcoverstate_length: (a: number) => number;
    readonly wasmcoverstate_link: (a: number, b: number) => [number, number];
    readonly wasmcoverstate_path: (a: number, b: number) => [number, number];
    readonly wasmcoverstate_plan: (a: number, b: number) => [number, number];
    readonly wasmcoverstate_push: (a: number, b: number) => void;
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
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
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
