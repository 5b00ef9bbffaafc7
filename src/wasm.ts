// The one module that talks to wasm/: it loads the core, guards every export, reaches a
// Tokenizer's handle, and decodes what the core returns into the TS API's shapes.
//
// Loads the WebAssembly core once, synchronously, in Node, and guards every call into it.
//
// The core is built with panic = "abort": a Rust panic (a bug, or input no check caught) traps
// with a bare `RuntimeError: unreachable`, and the instance is left mid-call (stack pointer,
// borrow flags), so every later call could fail strangely ("attempted to take ownership of Rust
// value while it was borrowed"). So every export is wrapped here: the panic hook
// (rust/bindings/src/panic.rs) hands over the panic message before the trap, the wrapper turns the
// trap into a VocabsmithError naming the call and that message, and the instance is replaced by a
// fresh one (wasm-bindgen's reset-state function). Objects made before the reset belong to the
// old instance and refuse further use; new ones work — so one failing tokenizer in a report does
// not take the others down.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as glue from '../wasm/vocabsmith_wasm.js';
import { InternalError, OutOfMemoryError, VocabsmithError } from './errors.js';
import type { Tokenizer } from './tokenizer.js';

let loaded = false;
let lastPanic: string | undefined;
/** Bumped at every reset: how often the core has been replaced after a crash. */
let resets = 0;

const resetState = (glue as unknown as { __wbg_reset_state?: () => void }).__wbg_reset_state;

export function loadWasm(): void {
  if (loaded) return;
  const path = fileURLToPath(new URL('../wasm/vocabsmith_wasm_bg.wasm', import.meta.url));
  glue.initSync({ module: readFileSync(path) });
  glue.setPanicSink((message: string) => (lastPanic = message));
  loaded = true;
}

/** A fresh instance after a trap; without wasm-bindgen's reset function, the core stays unusable. */
function reset(): void {
  if (resetState === undefined) return;
  resetState(); // the old instance and its memory are dropped: nothing here keeps them
  resets++;
  glue.setPanicSink((message: string) => (lastPanic = message));
}

/** How many times the core was replaced after an internal error (tests). */
export function coreResets(): number {
  return resets;
}

const MB = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;

/**
 * After a trap without a panic message, on the trapped instance (before it is replaced): whether
 * the core ran out of memory (its allocator notes a refused allocation; rust/bindings/src/panic.rs)
 * and how much WebAssembly memory it held then.
 */
function refusedAllocation(): { bytes: number; memory: number } | undefined {
  try {
    const bytes = glue.allocFailure();
    return bytes > 0 ? { bytes, memory: glue.initSync(undefined as never).memory.buffer.byteLength } : undefined;
  } catch {
    return undefined;
  }
}

/** The error a trap (or a call on an object of a replaced instance) becomes. */
function crashed(call: string, e: unknown): unknown {
  if (e instanceof WebAssembly.RuntimeError) {
    const oom = lastPanic === undefined ? refusedAllocation() : undefined;
    const why = lastPanic ?? e.message;
    lastPanic = undefined;
    reset();
    if (oom) {
      return new OutOfMemoryError(
        `out of memory in ${call}: an allocation of ${MB(oom.bytes)} failed with ${MB(oom.memory)} of WebAssembly memory in use (32-bit WebAssembly: 4 GiB at most)`,
      );
    }
    // Rust's "capacity overflow": a buffer asked for more than isize::MAX, 2 GiB on wasm32 (a
    // table's arena doubling past 1 GiB, stage 2's symbols): the address space, not a bug.
    if (/^capacity overflow\b/.test(why)) {
      return new OutOfMemoryError(`out of memory in ${call}: one buffer would pass 2 GiB (${why}; 32-bit WebAssembly: no allocation over 2 GiB, 4 GiB in all)`);
    }
    return new InternalError(`internal error in ${call}: ${why}`);
  }
  if (e instanceof Error && !(e instanceof VocabsmithError) && /stale|was borrowed|null pointer passed to rust|recursive use of an object/i.test(e.message)) {
    return new InternalError(`${call}: this object belongs to a core instance that stopped after an internal error; create it again (${e.message})`);
  }
  return e;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;

function guard<F extends Fn>(call: string, fn: F): F {
  return function (this: unknown, ...args: Parameters<F>): ReturnType<F> {
    try {
      return fn.apply(this, args) as ReturnType<F>;
    } catch (e) {
      throw crashed(call, e);
    }
  } as F;
}

interface Bound {
  __wbg_inst?: number;
  __destroy_into_raw(): number;
}

/**
 * `free()` of an object made by an instance that was since replaced: drops the pointer without
 * calling the new instance. wasm-bindgen's glue checks the instance in every method but not in
 * `free`, which would hand the old pointer to the new instance's allocator: it reads whatever
 * lies there as the object's reference count and throws "attempted to take ownership of Rust
 * value while it was borrowed" (or, by bad luck, frees a live object of the new instance). The
 * old memory went with its instance. (`__wbg_inst` is the glue's instance number, bumped by each
 * reset, which only reset() above makes: it equals `resets`.)
 */
function guardFree(proto: { free?: () => void }): void {
  const free = proto.free;
  if (typeof free !== 'function') return;
  proto.free = function (this: Bound) {
    if (this.__wbg_inst !== undefined && this.__wbg_inst !== resets) {
      this.__destroy_into_raw();
      return;
    }
    free.call(this);
  };
}

/** Wraps a class's methods, getters and statics in place, and its constructor through a proxy. */
function guardClass<C extends object>(cls: C): C {
  const ctor = cls as unknown as { name: string; prototype: object };
  const name = ctor.name.replace(/^Wasm/, '');
  guardFree(ctor.prototype as { free?: () => void });
  for (const target of [ctor.prototype, cls]) {
    for (const key of Object.getOwnPropertyNames(target)) {
      if (['constructor', 'length', 'name', 'prototype', 'free', '__destroy_into_raw', '__wrap'].includes(key)) continue;
      const d = Object.getOwnPropertyDescriptor(target, key)!;
      if (!d.configurable) continue;
      if (typeof d.value === 'function') d.value = guard(`${name}.${key}`, d.value as Fn);
      if (d.get) d.get = guard(`${name}.${key}`, d.get);
      Object.defineProperty(target, key, d);
    }
  }
  return new Proxy(cls, {
    construct(target, args, newTarget) {
      try {
        return Reflect.construct(target as unknown as new (...a: unknown[]) => object, args, newTarget) as object;
      } catch (e) {
        throw crashed(`new ${name}`, e);
      }
    },
  });
}

/** Bytes of WebAssembly memory in use by the core (it grows, never shrinks): for leak checks. */
export function wasmMemoryBytes(): number {
  loadWasm();
  // initSync returns the live instance's exports once initialised (after a reset: the new one's).
  return glue.initSync(undefined as never).memory.buffer.byteLength;
}

/** Version of the Rust core inside the WASM module. */
export function coreVersion(): string {
  loadWasm();
  return version();
}

export const WasmTokenizer = guardClass(glue.WasmTokenizer);
export const WasmEncodeStream = guardClass(glue.WasmEncodeStream);
export const WasmEncoding = guardClass(glue.WasmEncoding);
export const WasmEncodedBatch = guardClass(glue.WasmEncodedBatch);
export const WasmWordCounts = guardClass(glue.WasmWordCounts);
export const WasmWordParts = guardClass(glue.WasmWordParts);
export const WasmCounter = guardClass(glue.WasmCounter);
export const WasmTrained = guardClass(glue.WasmTrained);
export const WasmByteModel = guardClass(glue.WasmByteModel);
export const WasmCoverState = guardClass(glue.WasmCoverState);
export const WasmMetrics = guardClass(glue.WasmMetrics);
export const WasmCorpusCounts = guardClass(glue.WasmCorpusCounts);
export const WasmPooledCounts = guardClass(glue.WasmPooledCounts);
export const WasmMergeResult = guardClass(glue.WasmMergeResult);
export const WasmRemapPlan = guardClass(glue.WasmRemapPlan);
export const WasmTrim = guardClass(glue.WasmTrim);
export const WasmGguf = guardClass(glue.WasmGguf);
export const WasmGgufRewrite = guardClass(glue.WasmGgufRewrite);
export type WasmTokenizer = glue.WasmTokenizer;
export type WasmEncodeStream = glue.WasmEncodeStream;
export type WasmEncoding = glue.WasmEncoding;
export type WasmEncodedBatch = glue.WasmEncodedBatch;
export type WasmWordCounts = glue.WasmWordCounts;
export type WasmWordParts = glue.WasmWordParts;
export type WasmCounter = glue.WasmCounter;
export type WasmTrained = glue.WasmTrained;
export type WasmByteModel = glue.WasmByteModel;
export type WasmCoverState = glue.WasmCoverState;
export type WasmMetrics = glue.WasmMetrics;
export type WasmCorpusCounts = glue.WasmCorpusCounts;
export type WasmPooledCounts = glue.WasmPooledCounts;
export type WasmMergeResult = glue.WasmMergeResult;
export type WasmRemapPlan = glue.WasmRemapPlan;
export type WasmTrim = glue.WasmTrim;
export type WasmGguf = glue.WasmGguf;
export type WasmGgufRewrite = glue.WasmGgufRewrite;

export const gini = guard('gini', glue.gini);
export const mergeBatchIds = guard('mergeBatchIds', glue.mergeBatchIds);
export const mergeBatchTexts = guard('mergeBatchTexts', glue.mergeBatchTexts);
export const remapPlan = guard('remapPlan', glue.remapPlan);
export const trimTokenizer = guard('trimTokenizer', glue.trimTokenizer);
export const version = guard('version', glue.version);
export const trainPatternNames = guard('trainPatternNames', glue.trainPatternNames);
export const tiktokenEncodings = guard('tiktokenEncodings', glue.tiktokenEncodings);
export const droppedId = guard('droppedId', glue.droppedId);
export const parseGgufHeader = guard('parseGgufHeader', glue.parseGgufHeader);
export { GgufValueType, GgufSource, PlanKind } from '../wasm/vocabsmith_wasm.js';
export type { LoadStage, MergeBoundary, ReductionBase, RemapMethod, TrainPhase as CoreTrainPhase, VectorOutput } from '../wasm/vocabsmith_wasm.js';
export const ggufSeedIds = guard('ggufSeedIds', glue.ggufSeedIds);
export const ggufTrim = guard('ggufTrim', glue.ggufTrim);
export const ggufRemap = guard('ggufRemap', glue.ggufRemap);
export const backtrackLimitHits = guard('backtrackLimitHits', glue.backtrackLimitHits);
/** Asks the core for that many bytes at once and keeps them (tests of the out-of-memory path). */
export const allocForTest = guard('allocForTest', glue.allocForTest);
/** Panics inside the core on purpose (tests of the crash path). */
export const panicForTest = guard('panicForTest', glue.panicForTest);

// The one way to a Tokenizer's WASM handle: tokenizer.ts hands over an accessor of its private
// field when its class is defined, so no module casts its way to the field.
let tokenizerHandle: ((t: Tokenizer) => glue.WasmTokenizer) | undefined;

/** @internal Called once by the Tokenizer class. */
export function provideTokenizerHandle(get: (t: Tokenizer) => glue.WasmTokenizer): void {
  tokenizerHandle = get;
}

/** The WASM handle of `t` (a VocabsmithError when it was freed), for calls into the core. */
export function handle(t: Tokenizer): WasmTokenizer {
  if (tokenizerHandle === undefined) throw new InternalError('the Tokenizer class is not loaded');
  return tokenizerHandle(t);
}

// Decoders: each result the core returns becomes a plain object here, and its handle is freed.
// Result structs declare named fields in rust/bindings (wasm-bindgen getters); readFields copies
// them all, so a field added there arrives here with its type and no change to this file.

/** The named fields (getters) of a result struct, without its methods. */
export type Fields<T> = {
  readonly [K in keyof T as K extends string ? (T[K] extends (...args: never[]) => unknown ? never : K) : never]: T[K];
};

/** Every field of a result struct, as a plain object; frees the struct. */
export function readFields<T extends { free(): void }>(r: T): Fields<T> {
  try {
    const out: Record<string, unknown> = {};
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(Object.getPrototypeOf(r) as object))) {
      if (d.get) out[key] = d.get.call(r) as unknown;
    }
    return out as Fields<T>;
  } finally {
    r.free();
  }
}

/** An encoding's ids and UTF-16 offsets. */
export function readEncoding(e: WasmEncoding): Fields<WasmEncoding> {
  return readFields(e);
}

/** A batch's ids, one view per text (all views share one buffer). */
export function readEncodedBatch(b: WasmEncodedBatch): Uint32Array[] {
  const { counts, ids } = readFields(b);
  const out: Uint32Array[] = [];
  let pos = 0;
  for (const count of counts) {
    out.push(ids.subarray(pos, pos + count));
    pos += count;
  }
  return out;
}
