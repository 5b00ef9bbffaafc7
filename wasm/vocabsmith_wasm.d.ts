/* tslint:disable */
/* eslint-disable */
/**
 * What merges never cross.
 */

export type MergeBoundary = "pretoken" | "word" | "sentence";
/**
 * What a target reduction is relative to: the original length or the word-level length.
 */

export type ReductionBase = "original" | "word";
/**
 * How a target row is made from the source's rows.
 */

export type RemapMethod = "copy" | "fvt" | "focus" | "omp";
/**
 * What a model's vectors hold: log-probabilities (log-softmax) or probabilities (softmax).
 */

export type VectorOutput = "logProbs" | "probs";

/** A phase of training (rust/core/src/train/bpe.rs `Phase`), as `progress` callbacks receive it. */
export type TrainPhase = "Alphabet" | "CountPairs" | "Replay" | "Merge";



/** A stage of loading a tokenizer.json (rust/core/src/tokenizer/progress.rs `LoadStage`), in order. */
export type LoadStage = "parse" | "vocab" | "merges" | "merge table" | "added";



/**
 * Next-byte masses, relative to `exp(reference)`.
 */
export class ByteMasses {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * End nodes' mass on tokens that may not follow them (non-canonical or special).
     */
    readonly lost: number;
    /**
     * Mass per next byte 0..255, and index 256 = end of text.
     */
    readonly next: Float64Array;
    /**
     * Mass of the covers of the bytes as a prefix.
     */
    readonly prefix: number;
    /**
     * log of the weight every mass is relative to.
     */
    readonly reference: number;
}

/**
 * Where an output tensor's bytes come from.
 */
export enum GgufSource {
    /**
     * The input tensor, byte for byte.
     */
    Copy = 0,
    /**
     * Whole rows of the input tensor, in the order of `rowIds()`.
     */
    Rows = 1,
    /**
     * Rows computed by `rowComputer(i, bytes)`.
     */
    Computed = 2,
}

/**
 * The GGUF metadata value types (numbering of the GGUF specification).
 */
export enum GgufValueType {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
}

/**
 * A node's place in the tree of token sequences: the node it extends and the token added.
 */
export class NodeLink {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    parent: number;
    token: number;
}

/**
 * The values of a plan's `kinds()`: how each target row was made.
 */
export enum PlanKind {
    Copy = 0,
    Fvt = 1,
    Focus = 2,
    Omp = 3,
    /**
     * The mean of all source rows.
     */
    Fallback = 4,
}

export class WasmByteModel {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Checks a vector (one value per id, `ids` of them; log-probs: finite, log-softmax;
     * probabilities: finite, ≥ 0, total near 1) without keeping it: vectors read only for the
     * weights of chain links (no byte-order sums are built). Returns the total (Σ exp or Σ).
     */
    checkVector32(q: Float32Array | number[], ids: number, output: VectorOutput): number;
    checkVector64(q: Float64Array | number[], ids: number, output: VectorOutput): number;
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
     * True when every result is exact under the canonical-encoding assumption: no splitting
     * pretokenizer, or one of the known scanners (see the core docs).
     */
    readonly exact: boolean;
    readonly maxTokenLength: number;
    /**
     * Ids the tokenizer knows, added tokens included.
     */
    readonly vocabSize: number;
}

/**
 * Counts and entropies of one corpus (counts are exact integers as f64, JS numbers).
 */
export class WasmCorpusCounts {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    readonly added: number;
    readonly byteFallback: number;
    readonly bytes: number;
    readonly chars: number;
    readonly continuedWords: number;
    /**
     * Token occurrences by UTF-8 byte length 0..15, then 16 or more.
     */
    readonly lenHist: Float64Array;
    readonly renyiBits: number;
    readonly renyiEfficiency: number;
    readonly shannonBits: number;
    readonly superword: number;
    readonly tokens: number;
    /**
     * Distinct ids used in this corpus.
     */
    readonly types: number;
    /**
     * Tokens of each unit, in the order given.
     */
    readonly unitTokens: Float64Array;
    readonly unk: number;
    readonly words: number;
}

/**
 * Counts pretokens of text with one pretokenizer spec (a known name or a regex).
 */
export class WasmCounter {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Counts `bytes[start..end]` for each end in `ends`, each as one sequence.
     */
    countSequences(bytes: Uint8Array | number[], ends: Uint32Array | number[], counts: WasmWordCounts): void;
    constructor(pattern: string);
    /**
     * The `pre_tokenizer` JSON this counter splits with.
     */
    preTokenizerJson(): string;
}

export class WasmCoverState {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The node of the canonical encoding of the bytes so far; 2^32 - 1 when there is none.
     */
    canonical(): number;
    /**
     * Byte length of a node's tokens.
     */
    end(node: number): number;
    hasVector(node: number): boolean;
    /**
     * Lays out the covers of the bytes so far and returns their nodes, each once. Before
     * `masses`, every one needs its vector (`setVector32`/`setVector64`) and a weight.
     */
    layOut(): Uint32Array;
    /**
     * The parent node and last token of a node; undefined for the root.
     */
    link(node: number): NodeLink | undefined;
    /**
     * Next-byte masses of the last `layOut`; `weights[i]` = log P(tokens of node i) for the
     * nodes `layOut` returned, in that order.
     */
    masses(nodes: Uint32Array | number[], weights: Float64Array | number[]): ByteMasses;
    /**
     * Token ids of a node.
     */
    path(node: number): Uint32Array;
    push(byte: number): void;
    /**
     * Takes the model's next-token vector after `node` (one value per id, `ids` of them;
     * `eos` is the end-of-text id; `output`: what the values are): checked (as
     * `checkVector32`) and kept as range sums in the core, so only 257 numbers come back per
     * byte. Returns the total (Σ exp or Σ; probabilities are read divided by it).
     */
    setVector32(node: number, q: Float32Array | number[], eos: number, ids: number, output: VectorOutput): number;
    setVector64(node: number, q: Float64Array | number[], eos: number, ids: number, output: VectorOutput): number;
    /**
     * False once a piece boundary taken as settled moved under some continuation.
     */
    readonly chainOk: boolean;
    readonly length: number;
    /**
     * Whether the text may end here (not after a partial char for SentencePiece BPE).
     */
    readonly mayEnd: boolean;
}

/**
 * A text encoded as it arrives in chunks (core `encode_stream.rs`): push chunks, take ids.
 */
export class WasmEncodeStream {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Encodes the rest; call once, after the last `push`.
     */
    finish(tok: WasmTokenizer): void;
    constructor(add_special_tokens: boolean);
    /**
     * Appends UTF-8 bytes (cut anywhere) and encodes up to the last cut point.
     */
    push(tok: WasmTokenizer, chunk: Uint8Array | number[]): void;
    /**
     * Room for `bytes` more bytes of text (the input's size, when known).
     */
    reserve(bytes: number): void;
    /**
     * Up to `max` ids not yet taken (empty: none left).
     */
    take(max: number): Uint32Array;
}

/**
 * Many texts' ids, concatenated: the first `counts[0]` are text 0's, and so on.
 */
export class WasmEncodedBatch {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    readonly counts: Uint32Array;
    readonly ids: Uint32Array;
}

/**
 * One text's ids and each token's [start, end) in UTF-16 code units (JS string indices).
 */
export class WasmEncoding {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    readonly ends: Uint32Array;
    readonly ids: Uint32Array;
    readonly starts: Uint32Array;
}

export class WasmGguf {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The element type of an array value.
     */
    arrayType(key: string): GgufValueType | undefined;
    /**
     * A scalar number or bool (as 0/1).
     */
    getNumber(key: string): number | undefined;
    getNumbers(key: string): Float64Array | undefined;
    getString(key: string): string | undefined;
    getStrings(key: string): string[] | undefined;
    /**
     * Metadata keys in file order.
     */
    keys(): string[];
    tensors(): WasmGgufTensor[];
    /**
     * The tokenizer in the metadata as a tokenizer.json document (core `gguf::tokenizer`);
     * throws for a tokenizer model or pretokenizer that cannot be written exactly.
     */
    tokenizerJson(): string;
    valueType(key: string): GgufValueType | undefined;
    readonly alignment: number;
    readonly dataStart: number;
    readonly headerLen: number;
    readonly version: number;
}

/**
 * One tensor of the output file.
 */
export class WasmGgufOutTensor {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    name: string;
    /**
     * Absolute offset in the output file.
     */
    outOffset: number;
    outSize: number;
    source: GgufSource;
    /**
     * Absolute offset of the input tensor in the input file.
     */
    srcOffset: number;
    /**
     * Bytes of one input row (Rows, Computed).
     */
    srcRowBytes: number;
    /**
     * Bytes of the input tensor.
     */
    srcSize: number;
    typeName: string;
}

export class WasmGgufRewrite {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The output file's first `dataStart` bytes: header, tensor table, padding.
     */
    header(): Uint8Array;
    /**
     * Remap only: per target id, its `PlanKind`.
     */
    kinds(): Uint8Array;
    /**
     * Remap only: the plan's terms of row i are `ptr[i]..ptr[i + 1]` of `weights`.
     */
    ptr(): Uint32Array;
    /**
     * The computer of tensor `i`'s rows (a `Computed` tensor), from the input tensor's bytes.
     */
    rowComputer(i: number, bytes: Uint8Array | number[]): WasmGgufRows;
    /**
     * Input row of each output row of the `Rows` tensors.
     */
    rowIds(): Uint32Array;
    tensors(): WasmGgufOutTensor[];
    /**
     * Remap only: the weight of each term, row after row.
     */
    weights(): Float32Array;
    readonly alignment: number;
    readonly fileLen: number;
}

export class WasmGgufRows {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Output rows `start..end`, in the output tensor's type.
     */
    compute(start: number, end: number): Uint8Array;
    readonly rows: number;
}

/**
 * One entry of the tensor table.
 */
export class WasmGgufTensor {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * ggml order: `dims[0]` is the row length.
     */
    get dims(): Float64Array;
    /**
     * ggml order: `dims[0]` is the row length.
     */
    set dims(value: Float64Array | number[]);
    ggmlType: number;
    name: string;
    /**
     * From the start of the data section.
     */
    offset: number;
    rowBytes: number;
    size: number;
    typeName: string;
}

export class WasmMergeResult {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Total length after k merges, k = 0..=merges.
     */
    curve(): Uint32Array;
    decompositionLengths(): Uint32Array;
    /**
     * Decompositions as an n × max_len row-major matrix padded with -1 (longer ones truncated;
     * `max_len` 0 means the longest).
     */
    decompositions(max_len: number): Int32Array;
    /**
     * Merged sequences, concatenated.
     */
    ids(): Uint32Array;
    lengths(): Uint32Array;
    /**
     * Original (unmerged) sequences, concatenated.
     */
    originalIds(): Uint32Array;
    originalLengths(): Uint32Array;
    /**
     * Canonical bytes of every new token, concatenated (see `surfaceLengths`).
     */
    surfaceBytes(): Uint8Array;
    surfaceLengths(): Uint32Array;
    readonly base: number;
    readonly mergedLength: number;
    readonly merges: number;
    readonly newTokenCount: number;
    readonly originalLength: number;
    readonly wordLength: number | undefined;
}

export class WasmMetrics {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Encodes each unit `bytes[ends[i-1]..ends[i]]` (no special tokens added) and counts it.
     * Entropies are of this corpus's own unigram distribution, with Rényi order `alpha`.
     */
    measure(tok: WasmTokenizer, bytes: Uint8Array | number[], ends: Uint32Array | number[], alpha: number): WasmCorpusCounts;
    constructor(tok: WasmTokenizer);
    /**
     * The pooled unigram distribution of every corpus measured so far, Rényi order `alpha`.
     */
    pooled(alpha: number): WasmPooledCounts;
}

/**
 * The pooled unigram distribution of every corpus measured so far.
 */
export class WasmPooledCounts {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    readonly renyiBits: number;
    readonly renyiEfficiency: number;
    readonly shannonBits: number;
    readonly tokens: number;
    readonly types: number;
    readonly vocabSize: number;
}

export class WasmRemapPlan {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Per target id, its `PlanKind`.
     */
    readonly kinds: Uint8Array;
    /**
     * Row i uses `sources[ptr[i]..ptr[i+1]]` with the same range of `weights`.
     */
    readonly ptr: Uint32Array;
    readonly sources: Uint32Array;
    readonly weights: Float32Array;
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
     */
    encodeBatch(bytes: Uint8Array | number[], ends: Uint32Array | number[], add_special_tokens: boolean): WasmEncodedBatch;
    /**
     * `encodeUtf8` of one part of a text cut at cut points: the post-processor's leading special
     * tokens only on the first part, its trailing ones only on the last.
     */
    encodePart(bytes: Uint8Array | number[], add_special_tokens: boolean, first: boolean, last: boolean): Uint32Array;
    /**
     * Encodes UTF-8 bytes (invalid sequences become U+FFFD, as `TextDecoder` does).
     */
    encodeUtf8(bytes: Uint8Array | number[], add_special_tokens: boolean): Uint32Array;
    /**
     * Ids and each token's [start, end) in UTF-16 code units.
     */
    encodeWithOffsets(text: string, add_special_tokens: boolean): WasmEncoding;
    encode(text: string, add_special_tokens: boolean): Uint32Array;
    /**
     * Parses a Hugging Face `tokenizer.json` document. `progress(stage, done, total)` is called
     * as the load runs (rust/core/src/tokenizer/progress.rs: every ~1 MiB parsed, every 16k
     * tokens or merges built; each stage from 0 to its total).
     */
    static fromJson(json: string, progress?: (stage: LoadStage, done: number, total: number) => void): WasmTokenizer;
    /**
     * Parses a tiktoken rank file for a known encoding (`o200k_base`, `cl100k_base`, ...);
     * `progress` as `fromJson` ('parse': bytes of the file, 'merge table': tokens, 'added').
     */
    static fromTiktoken(ranks: string, encoding: string, progress?: (stage: LoadStage, done: number, total: number) => void): WasmTokenizer;
    idToToken(id: number): string | undefined;
    /**
     * The last cut point of the UTF-8 `bytes` (0 if none; see core `cut.rs`): encoding the
     * text before it and the text from it with `encodePart` gives the ids of the whole. Only the
     * valid UTF-8 prefix is searched (a chunk may end inside a char).
     */
    lastCut(bytes: Uint8Array | number[]): number;
    /**
     * The bytes `id` contributes to decoded text (the core's `canon::token_bytes`), or
     * `undefined` for an id the tokenizer skips or cannot map to bytes.
     */
    tokenBytes(id: number): Uint8Array | undefined;
    tokenToId(token: string): number | undefined;
    /**
     * One more than the largest id, added tokens included (the core's `canon::id_bound`).
     */
    readonly idBound: number;
    readonly vocabSize: number;
}

/**
 * A trained vocabulary and merge list.
 */
export class WasmTrained {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * SuperBPE stage 2: continue from `stage1`'s first merges (a merge count, or a vocab size
     * when `transitionIsVocabSize`) on stage-2 counts, with the superword filters. Empties
     * `counts2` (its memory is reused by stage 2).
     */
    static extend(counts2: WasmWordCounts, stage1: WasmTrained, transition: number, transition_is_vocab_size: boolean, config_json: string, max_words: number | null | undefined, forbid_colon_space: boolean, progress: (phase: TrainPhase, done: number, total: number) => void): WasmTrained;
    /**
     * The matching tokenizer_config.json (transformers: `PreTrainedTokenizerFast`), with the
     * special tokens' roles and `model_max_length` when given.
     */
    tokenizerConfigJson(bos?: string | null, eos?: string | null, pad?: string | null, unk?: string | null, model_max_length?: number | null): string;
    /**
     * The HF tokenizer.json, with the given `pre_tokenizer` JSON and a ByteLevel decoder; with
     * `bos`, a post-processor that adds it before each sequence.
     */
    tokenizerJson(pre_tokenizer_json: string, bos?: string | null): string;
    /**
     * HF-identical BPE training on `counts` with settings `config` (JSON).
     */
    static trainBpe(counts: WasmWordCounts, config_json: string, progress: (phase: TrainPhase, done: number, total: number) => void): WasmTrained;
    readonly mergeCount: number;
    readonly vocabSize: number;
}

/**
 * The result of trimming a tokenizer, held in WASM memory; call `free()` when done.
 */
export class WasmTrim {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    readonly addedDropped: number;
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

export class WasmWordCounts {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Adds `words`/`lens`/`counts` (a chunk of a count file) into this table; on error nothing is added.
     */
    addParts(words: Uint8Array | number[], lens: Uint32Array | number[], counts: BigUint64Array | bigint[]): void;
    counts(): BigUint64Array;
    /**
     * From `words` (concatenated UTF-8), their byte `lens` and `counts` (a count file's arrays).
     */
    static fromParts(words: Uint8Array | number[], lens: Uint32Array | number[], counts: BigUint64Array | bigint[]): WasmWordCounts;
    lens(): Uint32Array;
    mergeFrom(other: WasmWordCounts): void;
    constructor();
    /**
     * Entry numbers in the order of the words' UTF-8 bytes (4 bytes a word; the table is not
     * touched): pass chunks of it to `partsAt` to write the table as a sorted run.
     */
    orderByWord(): Uint32Array;
    /**
     * The words with entry numbers `order` (from `orderByWord`), in that order, as parts.
     */
    partsAt(order: Uint32Array | number[]): WasmWordParts;
    /**
     * Room for `words` more distinct words holding `bytes` more bytes, reserved exactly (before
     * adding parts of known size: the table grows once instead of doubling).
     */
    reserve(words: number, bytes: number): void;
    /**
     * Reorders the words by their UTF-8 bytes (count files are sorted runs). Builds the sorted
     * table beside this one: for version-1 count files; a count file is written through
     * `orderByWord` and `partsAt` instead, which leave the table as it is.
     */
    sortByWord(): void;
    words(): Uint8Array;
    /**
     * Bytes held by the word arena (what grows with the number of distinct words).
     */
    readonly arenaBytes: number;
    /**
     * Number of distinct words.
     */
    readonly size: number;
    /**
     * Sum of all counts.
     */
    readonly total: number;
}

/**
 * Words as a count file's arrays: concatenated UTF-8, byte length and count of each.
 */
export class WasmWordParts {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    get counts(): BigUint64Array;
    set counts(value: BigUint64Array | bigint[]);
    get lens(): Uint32Array;
    set lens(value: Uint32Array | number[]);
    get words(): Uint8Array;
    set words(value: Uint8Array | number[]);
}

export function __wbg_reset_state(): void;

/**
 * Bytes of the last allocation the core could not get (its memory is full: 32-bit WebAssembly
 * has at most 4 GiB), 0 when none failed. Safe to call on an instance that trapped: it only
 * reads one static.
 */
export function allocFailure(): number;

/**
 * Asks for `bytes` at once and keeps them (tests of the out-of-memory path: past what 32-bit
 * WebAssembly can hold, the allocation fails and the instance traps as in a real exhaustion).
 */
export function allocForTest(bytes: number): number;

/**
 * Searches of a custom pretokenizer regex that stopped at the backtracking limit, each leaving
 * the rest of a text unsplit (rust/core/src/tokenizer/pretokenize/regex.rs), since this instance started.
 */
export function backtrackLimitHits(): number;

/**
 * The new id of a dropped token in a trim's old -> new id map (the core's `trim::DROPPED`).
 */
export function droppedId(): number;

/**
 * The rewrite of the GGUF to `target`; `source` is the GGUF's own tokenizer (same ids).
 */
export function ggufRemap(prefix: Uint8Array | number[], file_len: number, source: WasmTokenizer, target: WasmTokenizer, method: RemapMethod, aux: Float32Array | number[] | null | undefined, aux_dim: number, progress?: Function | null): WasmGgufRewrite;

/**
 * Ids a trim of this GGUF must keep: every `*_token_id` and every control / user-defined token.
 */
export function ggufSeedIds(prefix: Uint8Array | number[], file_len: number): Uint32Array;

/**
 * The rewrite of the GGUF whose header is `prefix` keeping `kept` (old ids, ascending).
 */
export function ggufTrim(prefix: Uint8Array | number[], file_len: number, kept: Uint32Array | number[]): WasmGgufRewrite;

/**
 * Tokenizer Fairness Gini of per-language costs.
 */
export function gini(values: Float64Array | number[]): number;

/**
 * Merges already-tokenized sequences (concatenated ids and each sequence's length).
 */
export function mergeBatchIds(tokenizer: WasmTokenizer, ids: Uint32Array | number[], lengths: Uint32Array | number[], boundary: MergeBoundary, max_merges: number | null | undefined, target: ReductionBase | null | undefined, target_value: number, word_level: boolean): WasmMergeResult;

/**
 * Merges a batch of texts given as one UTF-8 buffer and the end offset of each text.
 */
export function mergeBatchTexts(tokenizer: WasmTokenizer, bytes: Uint8Array | number[], ends: Uint32Array | number[], add_special_tokens: boolean, boundary: MergeBoundary, max_merges: number | null | undefined, target: ReductionBase | null | undefined, target_value: number, word_level: boolean): WasmMergeResult;

/**
 * Panics on purpose: lets the tests check that a panic becomes one clear error and that the
 * core keeps working afterwards.
 */
export function panicForTest(message: string): void;

/**
 * Parses a GGUF header from the first bytes of a file of `file_len` bytes. `undefined`: the
 * header goes on past `prefix` (read more and call again). Throws on a corrupt header.
 */
export function parseGgufHeader(prefix: Uint8Array | number[], file_len: number): WasmGguf | undefined;

/**
 * Plans the target tokenizer's embedding rows from the source's. `aux` (target ids × `aux_dim`
 * floats) is required for `focus` and `omp`. `progress(done, total)` is called as the rows that
 * are not copies are computed.
 */
export function remapPlan(source: WasmTokenizer, target: WasmTokenizer, method: RemapMethod, aux: Float32Array | number[] | null | undefined, aux_dim: number, progress?: Function | null): WasmRemapPlan;

/**
 * Registers `sink(message)`, called with the message of any panic just before the instance traps.
 */
export function setPanicSink(sink: (message: string) => void): void;

/**
 * The tiktoken encodings `fromTiktoken` knows (the core's one list).
 */
export function tiktokenEncodings(): string[];

/**
 * The pretokenizer names `pattern` may take in training (anything else must be given as a regex).
 */
export function trainPatternNames(): string[];

/**
 * Trims the tokenizer in `json` to `keep` (old ids) plus what is always kept, closed under BPE
 * derivation unless `closure` is false (the naive trim, for comparison only). With
 * `drop_unused_added`, non-special added tokens not in `keep` are dropped too. `progress(done,
 * total)` is called as the closure replays tokens and the merges are rewritten.
 */
export function trimTokenizer(tokenizer: WasmTokenizer, json: string, keep: Uint32Array | number[], closure: boolean, drop_unused_added: boolean, progress?: Function | null): WasmTrim;

export function version(): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_bytemasses_free: (a: number, b: number) => void;
    readonly __wbg_get_nodelink_parent: (a: number) => number;
    readonly __wbg_get_nodelink_token: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_added: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_byteFallback: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_bytes: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_chars: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_continuedWords: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_lenHist: (a: number) => [number, number];
    readonly __wbg_get_wasmcorpuscounts_renyiBits: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_renyiEfficiency: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_shannonBits: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_superword: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_tokens: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_types: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_unitTokens: (a: number) => [number, number];
    readonly __wbg_get_wasmcorpuscounts_unk: (a: number) => number;
    readonly __wbg_get_wasmcorpuscounts_words: (a: number) => number;
    readonly __wbg_get_wasmencodedbatch_counts: (a: number) => [number, number];
    readonly __wbg_get_wasmencodedbatch_ids: (a: number) => [number, number];
    readonly __wbg_get_wasmencoding_ends: (a: number) => [number, number];
    readonly __wbg_get_wasmencoding_ids: (a: number) => [number, number];
    readonly __wbg_get_wasmencoding_starts: (a: number) => [number, number];
    readonly __wbg_get_wasmggufouttensor_name: (a: number) => [number, number];
    readonly __wbg_get_wasmggufouttensor_outOffset: (a: number) => number;
    readonly __wbg_get_wasmggufouttensor_outSize: (a: number) => number;
    readonly __wbg_get_wasmggufouttensor_source: (a: number) => number;
    readonly __wbg_get_wasmggufouttensor_srcOffset: (a: number) => number;
    readonly __wbg_get_wasmggufouttensor_srcRowBytes: (a: number) => number;
    readonly __wbg_get_wasmggufouttensor_srcSize: (a: number) => number;
    readonly __wbg_get_wasmggufouttensor_typeName: (a: number) => [number, number];
    readonly __wbg_get_wasmgguftensor_dims: (a: number) => [number, number];
    readonly __wbg_get_wasmgguftensor_ggmlType: (a: number) => number;
    readonly __wbg_get_wasmgguftensor_name: (a: number) => [number, number];
    readonly __wbg_get_wasmgguftensor_offset: (a: number) => number;
    readonly __wbg_get_wasmgguftensor_rowBytes: (a: number) => number;
    readonly __wbg_get_wasmgguftensor_size: (a: number) => number;
    readonly __wbg_get_wasmgguftensor_typeName: (a: number) => [number, number];
    readonly __wbg_get_wasmpooledcounts_renyiBits: (a: number) => number;
    readonly __wbg_get_wasmpooledcounts_renyiEfficiency: (a: number) => number;
    readonly __wbg_get_wasmpooledcounts_shannonBits: (a: number) => number;
    readonly __wbg_get_wasmpooledcounts_tokens: (a: number) => number;
    readonly __wbg_get_wasmpooledcounts_types: (a: number) => number;
    readonly __wbg_get_wasmpooledcounts_vocabSize: (a: number) => number;
    readonly __wbg_get_wasmwordparts_counts: (a: number) => [number, number];
    readonly __wbg_get_wasmwordparts_lens: (a: number) => [number, number];
    readonly __wbg_get_wasmwordparts_words: (a: number) => [number, number];
    readonly __wbg_nodelink_free: (a: number, b: number) => void;
    readonly __wbg_set_nodelink_parent: (a: number, b: number) => void;
    readonly __wbg_set_nodelink_token: (a: number, b: number) => void;
    readonly __wbg_set_wasmggufouttensor_name: (a: number, b: number, c: number) => void;
    readonly __wbg_set_wasmggufouttensor_outOffset: (a: number, b: number) => void;
    readonly __wbg_set_wasmggufouttensor_outSize: (a: number, b: number) => void;
    readonly __wbg_set_wasmggufouttensor_source: (a: number, b: number) => void;
    readonly __wbg_set_wasmggufouttensor_srcOffset: (a: number, b: number) => void;
    readonly __wbg_set_wasmggufouttensor_srcRowBytes: (a: number, b: number) => void;
    readonly __wbg_set_wasmggufouttensor_srcSize: (a: number, b: number) => void;
    readonly __wbg_set_wasmggufouttensor_typeName: (a: number, b: number, c: number) => void;
    readonly __wbg_set_wasmgguftensor_dims: (a: number, b: number, c: number) => void;
    readonly __wbg_set_wasmgguftensor_ggmlType: (a: number, b: number) => void;
    readonly __wbg_set_wasmgguftensor_name: (a: number, b: number, c: number) => void;
    readonly __wbg_set_wasmgguftensor_offset: (a: number, b: number) => void;
    readonly __wbg_set_wasmgguftensor_rowBytes: (a: number, b: number) => void;
    readonly __wbg_set_wasmgguftensor_size: (a: number, b: number) => void;
    readonly __wbg_set_wasmgguftensor_typeName: (a: number, b: number, c: number) => void;
    readonly __wbg_set_wasmwordparts_counts: (a: number, b: number, c: number) => void;
    readonly __wbg_set_wasmwordparts_lens: (a: number, b: number, c: number) => void;
    readonly __wbg_set_wasmwordparts_words: (a: number, b: number, c: number) => void;
    readonly __wbg_wasmbytemodel_free: (a: number, b: number) => void;
    readonly __wbg_wasmcorpuscounts_free: (a: number, b: number) => void;
    readonly __wbg_wasmcounter_free: (a: number, b: number) => void;
    readonly __wbg_wasmcoverstate_free: (a: number, b: number) => void;
    readonly __wbg_wasmencodedbatch_free: (a: number, b: number) => void;
    readonly __wbg_wasmencodestream_free: (a: number, b: number) => void;
    readonly __wbg_wasmencoding_free: (a: number, b: number) => void;
    readonly __wbg_wasmgguf_free: (a: number, b: number) => void;
    readonly __wbg_wasmggufouttensor_free: (a: number, b: number) => void;
    readonly __wbg_wasmggufrewrite_free: (a: number, b: number) => void;
    readonly __wbg_wasmggufrows_free: (a: number, b: number) => void;
    readonly __wbg_wasmgguftensor_free: (a: number, b: number) => void;
    readonly __wbg_wasmmergeresult_free: (a: number, b: number) => void;
    readonly __wbg_wasmmetrics_free: (a: number, b: number) => void;
    readonly __wbg_wasmpooledcounts_free: (a: number, b: number) => void;
    readonly __wbg_wasmremapplan_free: (a: number, b: number) => void;
    readonly __wbg_wasmtokenizer_free: (a: number, b: number) => void;
    readonly __wbg_wasmtrained_free: (a: number, b: number) => void;
    readonly __wbg_wasmtrim_free: (a: number, b: number) => void;
    readonly __wbg_wasmwordcounts_free: (a: number, b: number) => void;
    readonly __wbg_wasmwordparts_free: (a: number, b: number) => void;
    readonly allocFailure: () => number;
    readonly allocForTest: (a: number) => number;
    readonly backtrackLimitHits: () => number;
    readonly bytemasses_lost: (a: number) => number;
    readonly bytemasses_next: (a: number) => [number, number];
    readonly bytemasses_prefix: (a: number) => number;
    readonly bytemasses_reference: (a: number) => number;
    readonly droppedId: () => number;
    readonly ggufRemap: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number) => [number, number, number];
    readonly ggufSeedIds: (a: number, b: number, c: number) => [number, number, number, number];
    readonly ggufTrim: (a: number, b: number, c: number, d: number, e: number) => [number, number, number];
    readonly gini: (a: number, b: number) => number;
    readonly mergeBatchIds: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number) => [number, number, number];
    readonly mergeBatchTexts: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number, k: number) => [number, number, number];
    readonly panicForTest: (a: number, b: number) => void;
    readonly parseGgufHeader: (a: number, b: number, c: number) => [number, number, number];
    readonly remapPlan: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number, number];
    readonly setPanicSink: (a: any) => void;
    readonly tiktokenEncodings: () => [number, number];
    readonly trainPatternNames: () => [number, number];
    readonly trimTokenizer: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) => [number, number, number];
    readonly version: () => [number, number];
    readonly wasmbytemodel_checkVector32: (a: number, b: number, c: number, d: number, e: number) => [number, number, number];
    readonly wasmbytemodel_checkVector64: (a: number, b: number, c: number, d: number, e: number) => [number, number, number];
    readonly wasmbytemodel_exact: (a: number) => number;
    readonly wasmbytemodel_fromJson: (a: number, b: number) => [number, number, number];
    readonly wasmbytemodel_maxTokenLength: (a: number) => number;
    readonly wasmbytemodel_prefixIds: (a: number, b: number, c: number) => [number, number];
    readonly wasmbytemodel_state: (a: number) => number;
    readonly wasmbytemodel_tokenBytes: (a: number, b: number) => [number, number];
    readonly wasmbytemodel_vocabSize: (a: number) => number;
    readonly wasmcounter_countSequences: (a: number, b: number, c: number, d: number, e: number, f: number) => void;
    readonly wasmcounter_new: (a: number, b: number) => [number, number, number];
    readonly wasmcounter_preTokenizerJson: (a: number) => [number, number];
    readonly wasmcoverstate_canonical: (a: number) => number;
    readonly wasmcoverstate_chainOk: (a: number) => number;
    readonly wasmcoverstate_end: (a: number, b: number) => number;
    readonly wasmcoverstate_hasVector: (a: number, b: number) => number;
    readonly wasmcoverstate_layOut: (a: number) => [number, number];
    readonly wasmcoverstate_length: (a: number) => number;
    readonly wasmcoverstate_link: (a: number, b: number) => number;
    readonly wasmcoverstate_masses: (a: number, b: number, c: number, d: number, e: number) => [number, number, number];
    readonly wasmcoverstate_mayEnd: (a: number) => number;
    readonly wasmcoverstate_path: (a: number, b: number) => [number, number];
    readonly wasmcoverstate_push: (a: number, b: number) => void;
    readonly wasmcoverstate_setVector32: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number, number];
    readonly wasmcoverstate_setVector64: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number, number];
    readonly wasmencodestream_finish: (a: number, b: number) => void;
    readonly wasmencodestream_new: (a: number) => number;
    readonly wasmencodestream_push: (a: number, b: number, c: number, d: number) => void;
    readonly wasmencodestream_reserve: (a: number, b: number) => void;
    readonly wasmencodestream_take: (a: number, b: number) => [number, number];
    readonly wasmgguf_alignment: (a: number) => number;
    readonly wasmgguf_arrayType: (a: number, b: number, c: number) => number;
    readonly wasmgguf_dataStart: (a: number) => number;
    readonly wasmgguf_getNumber: (a: number, b: number, c: number) => [number, number];
    readonly wasmgguf_getNumbers: (a: number, b: number, c: number) => [number, number];
    readonly wasmgguf_getString: (a: number, b: number, c: number) => [number, number];
    readonly wasmgguf_getStrings: (a: number, b: number, c: number) => [number, number];
    readonly wasmgguf_headerLen: (a: number) => number;
    readonly wasmgguf_keys: (a: number) => [number, number];
    readonly wasmgguf_tensors: (a: number) => [number, number];
    readonly wasmgguf_tokenizerJson: (a: number) => [number, number, number, number];
    readonly wasmgguf_valueType: (a: number, b: number, c: number) => number;
    readonly wasmgguf_version: (a: number) => number;
    readonly wasmggufrewrite_alignment: (a: number) => number;
    readonly wasmggufrewrite_fileLen: (a: number) => number;
    readonly wasmggufrewrite_header: (a: number) => [number, number];
    readonly wasmggufrewrite_kinds: (a: number) => [number, number];
    readonly wasmggufrewrite_ptr: (a: number) => [number, number];
    readonly wasmggufrewrite_rowComputer: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly wasmggufrewrite_rowIds: (a: number) => [number, number];
    readonly wasmggufrewrite_tensors: (a: number) => [number, number];
    readonly wasmggufrewrite_weights: (a: number) => [number, number];
    readonly wasmggufrows_compute: (a: number, b: number, c: number) => [number, number];
    readonly wasmggufrows_rows: (a: number) => number;
    readonly wasmmergeresult_base: (a: number) => number;
    readonly wasmmergeresult_curve: (a: number) => [number, number];
    readonly wasmmergeresult_decompositionLengths: (a: number) => [number, number];
    readonly wasmmergeresult_decompositions: (a: number, b: number) => [number, number];
    readonly wasmmergeresult_ids: (a: number) => [number, number];
    readonly wasmmergeresult_lengths: (a: number) => [number, number];
    readonly wasmmergeresult_mergedLength: (a: number) => number;
    readonly wasmmergeresult_merges: (a: number) => number;
    readonly wasmmergeresult_newTokenCount: (a: number) => number;
    readonly wasmmergeresult_originalIds: (a: number) => [number, number];
    readonly wasmmergeresult_originalLength: (a: number) => number;
    readonly wasmmergeresult_originalLengths: (a: number) => [number, number];
    readonly wasmmergeresult_surfaceBytes: (a: number) => [number, number];
    readonly wasmmergeresult_surfaceLengths: (a: number) => [number, number];
    readonly wasmmergeresult_wordLength: (a: number) => number;
    readonly wasmmetrics_measure: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => number;
    readonly wasmmetrics_new: (a: number) => number;
    readonly wasmmetrics_pooled: (a: number, b: number) => number;
    readonly wasmremapplan_kinds: (a: number) => [number, number];
    readonly wasmremapplan_ptr: (a: number) => [number, number];
    readonly wasmremapplan_sources: (a: number) => [number, number];
    readonly wasmremapplan_weights: (a: number) => [number, number];
    readonly wasmtokenizer_decode: (a: number, b: number, c: number, d: number) => [number, number];
    readonly wasmtokenizer_encode: (a: number, b: number, c: number, d: number) => [number, number];
    readonly wasmtokenizer_encodeBatch: (a: number, b: number, c: number, d: number, e: number, f: number) => number;
    readonly wasmtokenizer_encodePart: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number];
    readonly wasmtokenizer_encodeUtf8: (a: number, b: number, c: number, d: number) => [number, number];
    readonly wasmtokenizer_encodeWithOffsets: (a: number, b: number, c: number, d: number) => number;
    readonly wasmtokenizer_fromJson: (a: number, b: number, c: number) => [number, number, number];
    readonly wasmtokenizer_fromTiktoken: (a: number, b: number, c: number, d: number, e: number) => [number, number, number];
    readonly wasmtokenizer_idBound: (a: number) => number;
    readonly wasmtokenizer_idToToken: (a: number, b: number) => [number, number];
    readonly wasmtokenizer_lastCut: (a: number, b: number, c: number) => number;
    readonly wasmtokenizer_tokenBytes: (a: number, b: number) => [number, number];
    readonly wasmtokenizer_tokenToId: (a: number, b: number, c: number) => number;
    readonly wasmtokenizer_vocabSize: (a: number) => number;
    readonly wasmtrained_extend: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: any) => [number, number, number];
    readonly wasmtrained_mergeCount: (a: number) => number;
    readonly wasmtrained_tokenizerConfigJson: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number, i: number, j: number, k: number) => [number, number];
    readonly wasmtrained_tokenizerJson: (a: number, b: number, c: number, d: number, e: number) => [number, number, number, number];
    readonly wasmtrained_trainBpe: (a: number, b: number, c: number, d: any) => [number, number, number];
    readonly wasmtrained_vocabSize: (a: number) => number;
    readonly wasmtrim_addedDropped: (a: number) => number;
    readonly wasmtrim_alwaysKept: (a: number) => number;
    readonly wasmtrim_closureAdded: (a: number) => number;
    readonly wasmtrim_keptIds: (a: number) => [number, number];
    readonly wasmtrim_mergesKept: (a: number) => number;
    readonly wasmtrim_mergesTotal: (a: number) => number;
    readonly wasmtrim_notDerivable: (a: number) => number;
    readonly wasmtrim_oldToNew: (a: number) => [number, number];
    readonly wasmtrim_tokenizerJson: (a: number) => [number, number];
    readonly wasmwordcounts_addParts: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly wasmwordcounts_arenaBytes: (a: number) => number;
    readonly wasmwordcounts_counts: (a: number) => [number, number];
    readonly wasmwordcounts_fromParts: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number, number];
    readonly wasmwordcounts_lens: (a: number) => [number, number];
    readonly wasmwordcounts_mergeFrom: (a: number, b: number) => void;
    readonly wasmwordcounts_new: () => number;
    readonly wasmwordcounts_orderByWord: (a: number) => [number, number];
    readonly wasmwordcounts_partsAt: (a: number, b: number, c: number) => [number, number, number];
    readonly wasmwordcounts_reserve: (a: number, b: number, c: number) => void;
    readonly wasmwordcounts_size: (a: number) => number;
    readonly wasmwordcounts_sortByWord: (a: number) => void;
    readonly wasmwordcounts_total: (a: number) => number;
    readonly wasmwordcounts_words: (a: number) => [number, number];
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __externref_drop_slice: (a: number, b: number) => void;
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
