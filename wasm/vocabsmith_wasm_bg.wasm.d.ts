/* tslint:disable */
/* eslint-disable */
export const memory: WebAssembly.Memory;
export const __wbg_wasmtokenizer_free: (a: number, b: number) => void;
export const version: () => [number, number];
export const wasmtokenizer_decode: (a: number, b: number, c: number, d: number) => [number, number];
export const wasmtokenizer_encode: (a: number, b: number, c: number, d: number) => [number, number];
export const wasmtokenizer_encodeBatch: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
export const wasmtokenizer_encodeUtf8: (a: number, b: number, c: number, d: number) => [number, number];
export const wasmtokenizer_encodeWithOffsets: (a: number, b: number, c: number, d: number) => [number, number];
export const wasmtokenizer_fromJson: (a: number, b: number) => [number, number, number];
export const wasmtokenizer_fromTiktoken: (a: number, b: number, c: number, d: number) => [number, number, number];
export const wasmtokenizer_idToToken: (a: number, b: number) => [number, number];
export const wasmtokenizer_tokenToId: (a: number, b: number, c: number) => number;
export const wasmtokenizer_vocabSize: (a: number) => number;
export const __wbindgen_externrefs: WebAssembly.Table;
export const __wbindgen_free: (a: number, b: number, c: number) => void;
export const __wbindgen_malloc: (a: number, b: number) => number;
export const __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
export const __externref_table_dealloc: (a: number) => void;
export const __wbindgen_start: () => void;
