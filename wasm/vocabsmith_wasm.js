/* @ts-self-types="./vocabsmith_wasm.d.ts" */

/**
 * Next-byte masses, relative to `exp(reference)`.
 */
export class ByteMasses {
    static __wrap(ptr) {
        const obj = Object.create(ByteMasses.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        ByteMassesFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        ByteMassesFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_bytemasses_free(ptr, 0);

    }
    /**
     * End nodes' mass on tokens that may not follow them (non-canonical or special).
     * @returns {number}
     */
    get lost() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.bytemasses_lost(this.__wbg_ptr);
        return ret;
    }
    /**
     * Mass per next byte 0..255, and index 256 = end of text.
     * @returns {Float64Array}
     */
    get next() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.bytemasses_next(this.__wbg_ptr);
        var v1 = getArrayF64FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 8, 8);
        return v1;
    }
    /**
     * Mass of the covers of the bytes as a prefix.
     * @returns {number}
     */
    get prefix() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.bytemasses_prefix(this.__wbg_ptr);
        return ret;
    }
    /**
     * log of the weight every mass is relative to.
     * @returns {number}
     */
    get reference() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.bytemasses_reference(this.__wbg_ptr);
        return ret;
    }
}
if (Symbol.dispose) ByteMasses.prototype[Symbol.dispose] = ByteMasses.prototype.free;

/**
 * Where an output tensor's bytes come from.
 * @enum {0 | 1 | 2}
 */
export const GgufSource = Object.freeze({
    /**
     * The input tensor, byte for byte.
     */
    Copy: 0, "0": "Copy",
    /**
     * Whole rows of the input tensor, in the order of `rowIds()`.
     */
    Rows: 1, "1": "Rows",
    /**
     * Rows computed by `rowComputer(i, bytes)`.
     */
    Computed: 2, "2": "Computed",
});

/**
 * The GGUF metadata value types (numbering of the GGUF specification).
 * @enum {0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12}
 */
export const GgufValueType = Object.freeze({
    U8: 0, "0": "U8",
    I8: 1, "1": "I8",
    U16: 2, "2": "U16",
    I16: 3, "3": "I16",
    U32: 4, "4": "U32",
    I32: 5, "5": "I32",
    F32: 6, "6": "F32",
    Bool: 7, "7": "Bool",
    String: 8, "8": "String",
    Array: 9, "9": "Array",
    U64: 10, "10": "U64",
    I64: 11, "11": "I64",
    F64: 12, "12": "F64",
});

/**
 * A node's place in the tree of token sequences: the node it extends and the token added.
 */
export class NodeLink {
    static __wrap(ptr) {
        const obj = Object.create(NodeLink.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        NodeLinkFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        NodeLinkFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_nodelink_free(ptr, 0);

    }
    /**
     * @returns {number}
     */
    get parent() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_nodelink_parent(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {number}
     */
    get token() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_nodelink_token(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @param {number} arg0
     */
    set parent(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.__wbg_set_nodelink_parent(this.__wbg_ptr, arg0);
    }
    /**
     * @param {number} arg0
     */
    set token(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.__wbg_set_nodelink_token(this.__wbg_ptr, arg0);
    }
}
if (Symbol.dispose) NodeLink.prototype[Symbol.dispose] = NodeLink.prototype.free;

/**
 * The values of a plan's `kinds()`: how each target row was made.
 * @enum {0 | 1 | 2 | 3 | 4}
 */
export const PlanKind = Object.freeze({
    Copy: 0, "0": "Copy",
    Fvt: 1, "1": "Fvt",
    Focus: 2, "2": "Focus",
    Omp: 3, "3": "Omp",
    /**
     * The mean of all source rows.
     */
    Fallback: 4, "4": "Fallback",
});

export class WasmByteModel {
    static __wrap(ptr) {
        const obj = Object.create(WasmByteModel.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmByteModelFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmByteModelFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmbytemodel_free(ptr, 0);

    }
    /**
     * Checks a vector (one value per id, `ids` of them; log-probs: finite, log-softmax;
     * probabilities: finite, ≥ 0, total near 1) without keeping it: vectors read only for the
     * weights of chain links (no byte-order sums are built). Returns the total (Σ exp or Σ).
     * @param {Float32Array | number[]} q
     * @param {number} ids
     * @param {VectorOutput} output
     * @returns {number}
     */
    checkVector32(q, ids, output) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const val2 = +ids;
        const ptr0 = passArrayF32ToWasm0(q, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmbytemodel_checkVector32(this.__wbg_ptr, ptr0, len0, val2, (__wbindgen_enum_VectorOutput.indexOf(output) + 1 || 3) - 1);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0];
    }
    /**
     * @param {Float64Array | number[]} q
     * @param {number} ids
     * @param {VectorOutput} output
     * @returns {number}
     */
    checkVector64(q, ids, output) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const val2 = +ids;
        const ptr0 = passArrayF64ToWasm0(q, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmbytemodel_checkVector64(this.__wbg_ptr, ptr0, len0, val2, (__wbindgen_enum_VectorOutput.indexOf(output) + 1 || 3) - 1);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0];
    }
    /**
     * True when every result is exact under the canonical-encoding assumption: no splitting
     * pretokenizer, or one of the known scanners (see the core docs).
     * @returns {boolean}
     */
    get exact() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmbytemodel_exact(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * Parses a `tokenizer.json` and checks it can be handled byte-exactly.
     * @param {string} json
     * @returns {WasmByteModel}
     */
    static fromJson(json) {
        const ptr0 = passStringToWasm0(json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmbytemodel_fromJson(ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return WasmByteModel.__wrap(ret[0]);
    }
    /**
     * @returns {number}
     */
    get maxTokenLength() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmbytemodel_maxTokenLength(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Ids of the text tokens whose bytes start with `prefix`.
     * @param {Uint8Array | number[]} prefix
     * @returns {Uint32Array}
     */
    prefixIds(prefix) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passArray8ToWasm0(prefix, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmbytemodel_prefixIds(this.__wbg_ptr, ptr0, len0);
        var v2 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v2;
    }
    /**
     * A cover state for the empty prefix.
     * @returns {WasmCoverState}
     */
    state() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmbytemodel_state(this.__wbg_ptr);
        return WasmCoverState.__wrap(ret);
    }
    /**
     * @param {number} id
     * @returns {Uint8Array}
     */
    tokenBytes(id) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmbytemodel_tokenBytes(this.__wbg_ptr, id);
        var v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        return v1;
    }
    /**
     * Ids the tokenizer knows, added tokens included.
     * @returns {number}
     */
    get vocabSize() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmbytemodel_vocabSize(this.__wbg_ptr);
        return ret >>> 0;
    }
}
if (Symbol.dispose) WasmByteModel.prototype[Symbol.dispose] = WasmByteModel.prototype.free;

/**
 * Counts and entropies of one corpus (counts are exact integers as f64, JS numbers).
 */
export class WasmCorpusCounts {
    static __wrap(ptr) {
        const obj = Object.create(WasmCorpusCounts.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmCorpusCountsFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmCorpusCountsFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmcorpuscounts_free(ptr, 0);

    }
    /**
     * @returns {number}
     */
    get added() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_added(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get byteFallback() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_byteFallback(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get bytes() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_bytes(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get chars() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_chars(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get continuedWords() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_continuedWords(this.__wbg_ptr);
        return ret;
    }
    /**
     * Token occurrences by UTF-8 byte length 0..15, then 16 or more.
     * @returns {Float64Array}
     */
    get lenHist() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_lenHist(this.__wbg_ptr);
        var v1 = getArrayF64FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 8, 8);
        return v1;
    }
    /**
     * @returns {number}
     */
    get renyiBits() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_renyiBits(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get renyiEfficiency() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_renyiEfficiency(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get shannonBits() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_shannonBits(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get superword() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_superword(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get tokens() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_tokens(this.__wbg_ptr);
        return ret;
    }
    /**
     * Distinct ids used in this corpus.
     * @returns {number}
     */
    get types() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_types(this.__wbg_ptr);
        return ret;
    }
    /**
     * Tokens of each unit, in the order given.
     * @returns {Float64Array}
     */
    get unitTokens() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_unitTokens(this.__wbg_ptr);
        var v1 = getArrayF64FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 8, 8);
        return v1;
    }
    /**
     * @returns {number}
     */
    get unk() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_unk(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get words() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmcorpuscounts_words(this.__wbg_ptr);
        return ret;
    }
}
if (Symbol.dispose) WasmCorpusCounts.prototype[Symbol.dispose] = WasmCorpusCounts.prototype.free;

/**
 * Counts pretokens of text with one pretokenizer spec (a known name or a regex).
 */
export class WasmCounter {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmCounterFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmcounter_free(ptr, 0);

    }
    /**
     * Counts `bytes[start..end]` for each end in `ends`, each as one sequence.
     * @param {Uint8Array | number[]} bytes
     * @param {Uint32Array | number[]} ends
     * @param {WasmWordCounts} counts
     */
    countSequences(bytes, ends, counts) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        _assertClass(counts, WasmWordCounts);
        if ((counts).__wbg_inst !== undefined && (counts).__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArray32ToWasm0(ends, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 4, 4); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        __wbg_call_guard();
        wasm.wasmcounter_countSequences(this.__wbg_ptr, ptr0, len0, ptr1, len1, counts.__wbg_ptr);
    }
    /**
     * @param {string} pattern
     */
    constructor(pattern) {
        const ptr0 = passStringToWasm0(pattern, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcounter_new(ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        Object.defineProperty(this, '__wbg_inst', { value: __wbg_instance_id, writable: true });
        WasmCounterFinalization.register(this, { ptr: ret[0], instance: __wbg_instance_id }, this);
        return this;
    }
    /**
     * The `pre_tokenizer` JSON this counter splits with.
     * @returns {string}
     */
    preTokenizerJson() {
        let deferred1_0;
        let deferred1_1;
        try {
            if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
                throw new Error('Invalid stale object from previous Wasm instance');
            }
            let ret;
            __wbg_call_guard();
            ret = wasm.wasmcounter_preTokenizerJson(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            __wbg_call_guard();
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
}
if (Symbol.dispose) WasmCounter.prototype[Symbol.dispose] = WasmCounter.prototype.free;

export class WasmCoverState {
    static __wrap(ptr) {
        const obj = Object.create(WasmCoverState.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmCoverStateFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmCoverStateFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmcoverstate_free(ptr, 0);

    }
    /**
     * The node of the canonical encoding of the bytes so far; 2^32 - 1 when there is none.
     * @returns {number}
     */
    canonical() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcoverstate_canonical(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * False once a piece boundary taken as settled moved under some continuation.
     * @returns {boolean}
     */
    get chainOk() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcoverstate_chainOk(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * Byte length of a node's tokens.
     * @param {number} node
     * @returns {number}
     */
    end(node) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcoverstate_end(this.__wbg_ptr, node);
        return ret >>> 0;
    }
    /**
     * @param {number} node
     * @returns {boolean}
     */
    hasVector(node) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcoverstate_hasVector(this.__wbg_ptr, node);
        return ret !== 0;
    }
    /**
     * Lays out the covers of the bytes so far and returns their nodes, each once. Before
     * `masses`, every one needs its vector (`setVector32`/`setVector64`) and a weight.
     * @returns {Uint32Array}
     */
    layOut() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcoverstate_layOut(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {number}
     */
    get length() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcoverstate_length(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * The parent node and last token of a node; undefined for the root.
     * @param {number} node
     * @returns {NodeLink | undefined}
     */
    link(node) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcoverstate_link(this.__wbg_ptr, node);
        return ret === 0 ? undefined : NodeLink.__wrap(ret);
    }
    /**
     * Next-byte masses of the last `layOut`; `weights[i]` = log P(tokens of node i) for the
     * nodes `layOut` returned, in that order.
     * @param {Uint32Array | number[]} nodes
     * @param {Float64Array | number[]} weights
     * @returns {ByteMasses}
     */
    masses(nodes, weights) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passArray32ToWasm0(nodes, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArrayF64ToWasm0(weights, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 8, 8); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 4, 4); }
            throw e;
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcoverstate_masses(this.__wbg_ptr, ptr0, len0, ptr1, len1);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ByteMasses.__wrap(ret[0]);
    }
    /**
     * Whether the text may end here (not after a partial char for SentencePiece BPE).
     * @returns {boolean}
     */
    get mayEnd() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcoverstate_mayEnd(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * Token ids of a node.
     * @param {number} node
     * @returns {Uint32Array}
     */
    path(node) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcoverstate_path(this.__wbg_ptr, node);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @param {number} byte
     */
    push(byte) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.wasmcoverstate_push(this.__wbg_ptr, byte);
    }
    /**
     * Takes the model's next-token vector after `node` (one value per id, `ids` of them;
     * `eos` is the end-of-text id; `output`: what the values are): checked (as
     * `checkVector32`) and kept as range sums in the core, so only 257 numbers come back per
     * byte. Returns the total (Σ exp or Σ; probabilities are read divided by it).
     * @param {number} node
     * @param {Float32Array | number[]} q
     * @param {number} eos
     * @param {number} ids
     * @param {VectorOutput} output
     * @returns {number}
     */
    setVector32(node, q, eos, ids, output) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const val2 = +node;
        const val3 = +eos;
        const val4 = +ids;
        const ptr0 = passArrayF32ToWasm0(q, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcoverstate_setVector32(this.__wbg_ptr, val2, ptr0, len0, val3, val4, (__wbindgen_enum_VectorOutput.indexOf(output) + 1 || 3) - 1);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0];
    }
    /**
     * @param {number} node
     * @param {Float64Array | number[]} q
     * @param {number} eos
     * @param {number} ids
     * @param {VectorOutput} output
     * @returns {number}
     */
    setVector64(node, q, eos, ids, output) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const val2 = +node;
        const val3 = +eos;
        const val4 = +ids;
        const ptr0 = passArrayF64ToWasm0(q, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmcoverstate_setVector64(this.__wbg_ptr, val2, ptr0, len0, val3, val4, (__wbindgen_enum_VectorOutput.indexOf(output) + 1 || 3) - 1);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0];
    }
}
if (Symbol.dispose) WasmCoverState.prototype[Symbol.dispose] = WasmCoverState.prototype.free;

/**
 * A text encoded as it arrives in chunks (core `encode_stream.rs`): push chunks, take ids.
 */
export class WasmEncodeStream {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmEncodeStreamFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmencodestream_free(ptr, 0);

    }
    /**
     * Encodes the rest; call once, after the last `push`.
     * @param {WasmTokenizer} tok
     */
    finish(tok) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        _assertClass(tok, WasmTokenizer);
        if ((tok).__wbg_inst !== undefined && (tok).__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.wasmencodestream_finish(this.__wbg_ptr, tok.__wbg_ptr);
    }
    /**
     * @param {boolean} add_special_tokens
     */
    constructor(add_special_tokens) {
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmencodestream_new(add_special_tokens);
        this.__wbg_ptr = ret;
        Object.defineProperty(this, '__wbg_inst', { value: __wbg_instance_id, writable: true });
        WasmEncodeStreamFinalization.register(this, { ptr: ret, instance: __wbg_instance_id }, this);
        return this;
    }
    /**
     * Appends UTF-8 bytes (cut anywhere) and encodes up to the last cut point.
     * @param {WasmTokenizer} tok
     * @param {Uint8Array | number[]} chunk
     */
    push(tok, chunk) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        _assertClass(tok, WasmTokenizer);
        if ((tok).__wbg_inst !== undefined && (tok).__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passArray8ToWasm0(chunk, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        __wbg_call_guard();
        wasm.wasmencodestream_push(this.__wbg_ptr, tok.__wbg_ptr, ptr0, len0);
    }
    /**
     * Room for `bytes` more bytes of text (the input's size, when known).
     * @param {number} bytes
     */
    reserve(bytes) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.wasmencodestream_reserve(this.__wbg_ptr, bytes);
    }
    /**
     * Up to `max` ids not yet taken (empty: none left).
     * @param {number} max
     * @returns {Uint32Array}
     */
    take(max) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmencodestream_take(this.__wbg_ptr, max);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
}
if (Symbol.dispose) WasmEncodeStream.prototype[Symbol.dispose] = WasmEncodeStream.prototype.free;

/**
 * Many texts' ids, concatenated: the first `counts[0]` are text 0's, and so on.
 */
export class WasmEncodedBatch {
    static __wrap(ptr) {
        const obj = Object.create(WasmEncodedBatch.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmEncodedBatchFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmEncodedBatchFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmencodedbatch_free(ptr, 0);

    }
    /**
     * @returns {Uint32Array}
     */
    get counts() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmencodedbatch_counts(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {Uint32Array}
     */
    get ids() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmencodedbatch_ids(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
}
if (Symbol.dispose) WasmEncodedBatch.prototype[Symbol.dispose] = WasmEncodedBatch.prototype.free;

/**
 * One text's ids and each token's [start, end) in UTF-16 code units (JS string indices).
 */
export class WasmEncoding {
    static __wrap(ptr) {
        const obj = Object.create(WasmEncoding.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmEncodingFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmEncodingFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmencoding_free(ptr, 0);

    }
    /**
     * @returns {Uint32Array}
     */
    get ends() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmencoding_ends(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {Uint32Array}
     */
    get ids() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmencoding_ids(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {Uint32Array}
     */
    get starts() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmencoding_starts(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
}
if (Symbol.dispose) WasmEncoding.prototype[Symbol.dispose] = WasmEncoding.prototype.free;

export class WasmGguf {
    static __wrap(ptr) {
        const obj = Object.create(WasmGguf.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmGgufFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmGgufFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmgguf_free(ptr, 0);

    }
    /**
     * @returns {number}
     */
    get alignment() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmgguf_alignment(this.__wbg_ptr);
        return ret;
    }
    /**
     * The element type of an array value.
     * @param {string} key
     * @returns {GgufValueType | undefined}
     */
    arrayType(key) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passStringToWasm0(key, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmgguf_arrayType(this.__wbg_ptr, ptr0, len0);
        return ret === 13 ? undefined : ret;
    }
    /**
     * @returns {number}
     */
    get dataStart() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmgguf_dataStart(this.__wbg_ptr);
        return ret;
    }
    /**
     * A scalar number or bool (as 0/1).
     * @param {string} key
     * @returns {number | undefined}
     */
    getNumber(key) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passStringToWasm0(key, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmgguf_getNumber(this.__wbg_ptr, ptr0, len0);
        return ret[0] === 0 ? undefined : ret[1];
    }
    /**
     * @param {string} key
     * @returns {Float64Array | undefined}
     */
    getNumbers(key) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passStringToWasm0(key, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmgguf_getNumbers(this.__wbg_ptr, ptr0, len0);
        let v2;
        if (ret[0] !== 0) {
            v2 = getArrayF64FromWasm0(ret[0], ret[1]).slice();
            wasm.__wbindgen_free(ret[0], ret[1] * 8, 8);
        }
        return v2;
    }
    /**
     * @param {string} key
     * @returns {string | undefined}
     */
    getString(key) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passStringToWasm0(key, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmgguf_getString(this.__wbg_ptr, ptr0, len0);
        let v2;
        if (ret[0] !== 0) {
            v2 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v2;
    }
    /**
     * @param {string} key
     * @returns {string[] | undefined}
     */
    getStrings(key) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passStringToWasm0(key, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmgguf_getStrings(this.__wbg_ptr, ptr0, len0);
        let v2;
        if (ret[0] !== 0) {
            v2 = getArrayJsValueFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        }
        return v2;
    }
    /**
     * @returns {number}
     */
    get headerLen() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmgguf_headerLen(this.__wbg_ptr);
        return ret;
    }
    /**
     * Metadata keys in file order.
     * @returns {string[]}
     */
    keys() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmgguf_keys(this.__wbg_ptr);
        var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {WasmGgufTensor[]}
     */
    tensors() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmgguf_tensors(this.__wbg_ptr);
        var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * The tokenizer in the metadata as a tokenizer.json document (core `gguf::tokenizer`);
     * throws for a tokenizer model or pretokenizer that cannot be written exactly.
     * @returns {string}
     */
    tokenizerJson() {
        let deferred2_0;
        let deferred2_1;
        try {
            if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
                throw new Error('Invalid stale object from previous Wasm instance');
            }
            let ret;
            __wbg_call_guard();
            ret = wasm.wasmgguf_tokenizerJson(this.__wbg_ptr);
            var ptr1 = ret[0];
            var len1 = ret[1];
            if (ret[3]) {
                ptr1 = 0; len1 = 0;
                throw takeFromExternrefTable0(ret[2]);
            }
            deferred2_0 = ptr1;
            deferred2_1 = len1;
            return getStringFromWasm0(ptr1, len1);
        } finally {
            __wbg_call_guard();
            wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
        }
    }
    /**
     * @param {string} key
     * @returns {GgufValueType | undefined}
     */
    valueType(key) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passStringToWasm0(key, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmgguf_valueType(this.__wbg_ptr, ptr0, len0);
        return ret === 13 ? undefined : ret;
    }
    /**
     * @returns {number}
     */
    get version() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmgguf_version(this.__wbg_ptr);
        return ret >>> 0;
    }
}
if (Symbol.dispose) WasmGguf.prototype[Symbol.dispose] = WasmGguf.prototype.free;

/**
 * One tensor of the output file.
 */
export class WasmGgufOutTensor {
    static __wrap(ptr) {
        const obj = Object.create(WasmGgufOutTensor.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmGgufOutTensorFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmGgufOutTensorFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmggufouttensor_free(ptr, 0);

    }
    /**
     * @returns {string}
     */
    get name() {
        let deferred1_0;
        let deferred1_1;
        try {
            if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
                throw new Error('Invalid stale object from previous Wasm instance');
            }
            let ret;
            __wbg_call_guard();
            ret = wasm.__wbg_get_wasmggufouttensor_name(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            __wbg_call_guard();
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * Absolute offset in the output file.
     * @returns {number}
     */
    get outOffset() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmggufouttensor_outOffset(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get outSize() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmggufouttensor_outSize(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {GgufSource}
     */
    get source() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmggufouttensor_source(this.__wbg_ptr);
        return ret;
    }
    /**
     * Absolute offset of the input tensor in the input file.
     * @returns {number}
     */
    get srcOffset() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmggufouttensor_srcOffset(this.__wbg_ptr);
        return ret;
    }
    /**
     * Bytes of one input row (Rows, Computed).
     * @returns {number}
     */
    get srcRowBytes() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmggufouttensor_srcRowBytes(this.__wbg_ptr);
        return ret;
    }
    /**
     * Bytes of the input tensor.
     * @returns {number}
     */
    get srcSize() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmggufouttensor_srcSize(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {string}
     */
    get typeName() {
        let deferred1_0;
        let deferred1_1;
        try {
            if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
                throw new Error('Invalid stale object from previous Wasm instance');
            }
            let ret;
            __wbg_call_guard();
            ret = wasm.__wbg_get_wasmggufouttensor_typeName(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            __wbg_call_guard();
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * @param {string} arg0
     */
    set name(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passStringToWasm0(arg0, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        __wbg_call_guard();
        wasm.__wbg_set_wasmggufouttensor_name(this.__wbg_ptr, ptr0, len0);
    }
    /**
     * Absolute offset in the output file.
     * @param {number} arg0
     */
    set outOffset(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.__wbg_set_wasmggufouttensor_outOffset(this.__wbg_ptr, arg0);
    }
    /**
     * @param {number} arg0
     */
    set outSize(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.__wbg_set_wasmggufouttensor_outSize(this.__wbg_ptr, arg0);
    }
    /**
     * @param {GgufSource} arg0
     */
    set source(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.__wbg_set_wasmggufouttensor_source(this.__wbg_ptr, arg0);
    }
    /**
     * Absolute offset of the input tensor in the input file.
     * @param {number} arg0
     */
    set srcOffset(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.__wbg_set_wasmggufouttensor_srcOffset(this.__wbg_ptr, arg0);
    }
    /**
     * Bytes of one input row (Rows, Computed).
     * @param {number} arg0
     */
    set srcRowBytes(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.__wbg_set_wasmggufouttensor_srcRowBytes(this.__wbg_ptr, arg0);
    }
    /**
     * Bytes of the input tensor.
     * @param {number} arg0
     */
    set srcSize(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.__wbg_set_wasmggufouttensor_srcSize(this.__wbg_ptr, arg0);
    }
    /**
     * @param {string} arg0
     */
    set typeName(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passStringToWasm0(arg0, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        __wbg_call_guard();
        wasm.__wbg_set_wasmggufouttensor_typeName(this.__wbg_ptr, ptr0, len0);
    }
}
if (Symbol.dispose) WasmGgufOutTensor.prototype[Symbol.dispose] = WasmGgufOutTensor.prototype.free;

export class WasmGgufRewrite {
    static __wrap(ptr) {
        const obj = Object.create(WasmGgufRewrite.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmGgufRewriteFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmGgufRewriteFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmggufrewrite_free(ptr, 0);

    }
    /**
     * @returns {number}
     */
    get alignment() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmggufrewrite_alignment(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get fileLen() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmggufrewrite_fileLen(this.__wbg_ptr);
        return ret;
    }
    /**
     * The output file's first `dataStart` bytes: header, tensor table, padding.
     * @returns {Uint8Array}
     */
    header() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmggufrewrite_header(this.__wbg_ptr);
        var v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        return v1;
    }
    /**
     * Remap only: per target id, its `PlanKind`.
     * @returns {Uint8Array}
     */
    kinds() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmggufrewrite_kinds(this.__wbg_ptr);
        var v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        return v1;
    }
    /**
     * Remap only: the plan's terms of row i are `ptr[i]..ptr[i + 1]` of `weights`.
     * @returns {Uint32Array}
     */
    ptr() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmggufrewrite_ptr(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * The computer of tensor `i`'s rows (a `Computed` tensor), from the input tensor's bytes.
     * @param {number} i
     * @param {Uint8Array | number[]} bytes
     * @returns {WasmGgufRows}
     */
    rowComputer(i, bytes) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const val2 = +i;
        const ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmggufrewrite_rowComputer(this.__wbg_ptr, val2, ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return WasmGgufRows.__wrap(ret[0]);
    }
    /**
     * Input row of each output row of the `Rows` tensors.
     * @returns {Uint32Array}
     */
    rowIds() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmggufrewrite_rowIds(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {WasmGgufOutTensor[]}
     */
    tensors() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmggufrewrite_tensors(this.__wbg_ptr);
        var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * Remap only: the weight of each term, row after row.
     * @returns {Float32Array}
     */
    weights() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmggufrewrite_weights(this.__wbg_ptr);
        var v1 = getArrayF32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
}
if (Symbol.dispose) WasmGgufRewrite.prototype[Symbol.dispose] = WasmGgufRewrite.prototype.free;

export class WasmGgufRows {
    static __wrap(ptr) {
        const obj = Object.create(WasmGgufRows.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmGgufRowsFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmGgufRowsFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmggufrows_free(ptr, 0);

    }
    /**
     * Output rows `start..end`, in the output tensor's type.
     * @param {number} start
     * @param {number} end
     * @returns {Uint8Array}
     */
    compute(start, end) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmggufrows_compute(this.__wbg_ptr, start, end);
        var v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        return v1;
    }
    /**
     * @returns {number}
     */
    get rows() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmggufrows_rows(this.__wbg_ptr);
        return ret >>> 0;
    }
}
if (Symbol.dispose) WasmGgufRows.prototype[Symbol.dispose] = WasmGgufRows.prototype.free;

/**
 * One entry of the tensor table.
 */
export class WasmGgufTensor {
    static __wrap(ptr) {
        const obj = Object.create(WasmGgufTensor.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmGgufTensorFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmGgufTensorFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmgguftensor_free(ptr, 0);

    }
    /**
     * ggml order: `dims[0]` is the row length.
     * @returns {Float64Array}
     */
    get dims() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmgguftensor_dims(this.__wbg_ptr);
        var v1 = getArrayF64FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 8, 8);
        return v1;
    }
    /**
     * @returns {number}
     */
    get ggmlType() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmgguftensor_ggmlType(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {string}
     */
    get name() {
        let deferred1_0;
        let deferred1_1;
        try {
            if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
                throw new Error('Invalid stale object from previous Wasm instance');
            }
            let ret;
            __wbg_call_guard();
            ret = wasm.__wbg_get_wasmgguftensor_name(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            __wbg_call_guard();
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * From the start of the data section.
     * @returns {number}
     */
    get offset() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmgguftensor_offset(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get rowBytes() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmgguftensor_rowBytes(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get size() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmgguftensor_size(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {string}
     */
    get typeName() {
        let deferred1_0;
        let deferred1_1;
        try {
            if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
                throw new Error('Invalid stale object from previous Wasm instance');
            }
            let ret;
            __wbg_call_guard();
            ret = wasm.__wbg_get_wasmgguftensor_typeName(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            __wbg_call_guard();
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * ggml order: `dims[0]` is the row length.
     * @param {Float64Array | number[]} arg0
     */
    set dims(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passArrayF64ToWasm0(arg0, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        __wbg_call_guard();
        wasm.__wbg_set_wasmgguftensor_dims(this.__wbg_ptr, ptr0, len0);
    }
    /**
     * @param {number} arg0
     */
    set ggmlType(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.__wbg_set_wasmgguftensor_ggmlType(this.__wbg_ptr, arg0);
    }
    /**
     * @param {string} arg0
     */
    set name(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passStringToWasm0(arg0, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        __wbg_call_guard();
        wasm.__wbg_set_wasmgguftensor_name(this.__wbg_ptr, ptr0, len0);
    }
    /**
     * From the start of the data section.
     * @param {number} arg0
     */
    set offset(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.__wbg_set_wasmgguftensor_offset(this.__wbg_ptr, arg0);
    }
    /**
     * @param {number} arg0
     */
    set rowBytes(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.__wbg_set_wasmgguftensor_rowBytes(this.__wbg_ptr, arg0);
    }
    /**
     * @param {number} arg0
     */
    set size(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.__wbg_set_wasmgguftensor_size(this.__wbg_ptr, arg0);
    }
    /**
     * @param {string} arg0
     */
    set typeName(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passStringToWasm0(arg0, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        __wbg_call_guard();
        wasm.__wbg_set_wasmgguftensor_typeName(this.__wbg_ptr, ptr0, len0);
    }
}
if (Symbol.dispose) WasmGgufTensor.prototype[Symbol.dispose] = WasmGgufTensor.prototype.free;

export class WasmMergeResult {
    static __wrap(ptr) {
        const obj = Object.create(WasmMergeResult.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmMergeResultFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmMergeResultFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmmergeresult_free(ptr, 0);

    }
    /**
     * @returns {number}
     */
    get base() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_base(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Total length after k merges, k = 0..=merges.
     * @returns {Uint32Array}
     */
    curve() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_curve(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {Uint32Array}
     */
    decompositionLengths() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_decompositionLengths(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * Decompositions as an n × max_len row-major matrix padded with -1 (longer ones truncated;
     * `max_len` 0 means the longest).
     * @param {number} max_len
     * @returns {Int32Array}
     */
    decompositions(max_len) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_decompositions(this.__wbg_ptr, max_len);
        var v1 = getArrayI32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * Merged sequences, concatenated.
     * @returns {Uint32Array}
     */
    ids() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_ids(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {Uint32Array}
     */
    lengths() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_lengths(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {number}
     */
    get mergedLength() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_mergedLength(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {number}
     */
    get merges() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_merges(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {number}
     */
    get newTokenCount() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_newTokenCount(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Original (unmerged) sequences, concatenated.
     * @returns {Uint32Array}
     */
    originalIds() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_originalIds(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {number}
     */
    get originalLength() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_originalLength(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {Uint32Array}
     */
    originalLengths() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_originalLengths(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * Canonical bytes of every new token, concatenated (see `surfaceLengths`).
     * @returns {Uint8Array}
     */
    surfaceBytes() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_surfaceBytes(this.__wbg_ptr);
        var v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        return v1;
    }
    /**
     * @returns {Uint32Array}
     */
    surfaceLengths() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_surfaceLengths(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {number | undefined}
     */
    get wordLength() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmergeresult_wordLength(this.__wbg_ptr);
        return ret === Number.MAX_SAFE_INTEGER ? undefined : ret;
    }
}
if (Symbol.dispose) WasmMergeResult.prototype[Symbol.dispose] = WasmMergeResult.prototype.free;

export class WasmMetrics {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmMetricsFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmmetrics_free(ptr, 0);

    }
    /**
     * Encodes each unit `bytes[ends[i-1]..ends[i]]` (no special tokens added) and counts it.
     * Entropies are of this corpus's own unigram distribution, with Rényi order `alpha`.
     * @param {WasmTokenizer} tok
     * @param {Uint8Array | number[]} bytes
     * @param {Uint32Array | number[]} ends
     * @param {number} alpha
     * @returns {WasmCorpusCounts}
     */
    measure(tok, bytes, ends, alpha) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        _assertClass(tok, WasmTokenizer);
        if ((tok).__wbg_inst !== undefined && (tok).__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const val3 = +alpha;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArray32ToWasm0(ends, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 4, 4); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmetrics_measure(this.__wbg_ptr, tok.__wbg_ptr, ptr0, len0, ptr1, len1, val3);
        return WasmCorpusCounts.__wrap(ret);
    }
    /**
     * @param {WasmTokenizer} tok
     */
    constructor(tok) {
        _assertClass(tok, WasmTokenizer);
        if ((tok).__wbg_inst !== undefined && (tok).__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmetrics_new(tok.__wbg_ptr);
        this.__wbg_ptr = ret;
        Object.defineProperty(this, '__wbg_inst', { value: __wbg_instance_id, writable: true });
        WasmMetricsFinalization.register(this, { ptr: ret, instance: __wbg_instance_id }, this);
        return this;
    }
    /**
     * The pooled unigram distribution of every corpus measured so far, Rényi order `alpha`.
     * @param {number} alpha
     * @returns {WasmPooledCounts}
     */
    pooled(alpha) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmmetrics_pooled(this.__wbg_ptr, alpha);
        return WasmPooledCounts.__wrap(ret);
    }
}
if (Symbol.dispose) WasmMetrics.prototype[Symbol.dispose] = WasmMetrics.prototype.free;

/**
 * The pooled unigram distribution of every corpus measured so far.
 */
export class WasmPooledCounts {
    static __wrap(ptr) {
        const obj = Object.create(WasmPooledCounts.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmPooledCountsFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmPooledCountsFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmpooledcounts_free(ptr, 0);

    }
    /**
     * @returns {number}
     */
    get renyiBits() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmpooledcounts_renyiBits(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get renyiEfficiency() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmpooledcounts_renyiEfficiency(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get shannonBits() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmpooledcounts_shannonBits(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get tokens() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmpooledcounts_tokens(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get types() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmpooledcounts_types(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {number}
     */
    get vocabSize() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmpooledcounts_vocabSize(this.__wbg_ptr);
        return ret;
    }
}
if (Symbol.dispose) WasmPooledCounts.prototype[Symbol.dispose] = WasmPooledCounts.prototype.free;

export class WasmRemapPlan {
    static __wrap(ptr) {
        const obj = Object.create(WasmRemapPlan.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmRemapPlanFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmRemapPlanFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmremapplan_free(ptr, 0);

    }
    /**
     * Per target id, its `PlanKind`.
     * @returns {Uint8Array}
     */
    get kinds() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmremapplan_kinds(this.__wbg_ptr);
        var v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        return v1;
    }
    /**
     * Row i uses `sources[ptr[i]..ptr[i+1]]` with the same range of `weights`.
     * @returns {Uint32Array}
     */
    get ptr() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmremapplan_ptr(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {Uint32Array}
     */
    get sources() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmremapplan_sources(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {Float32Array}
     */
    get weights() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmremapplan_weights(this.__wbg_ptr);
        var v1 = getArrayF32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
}
if (Symbol.dispose) WasmRemapPlan.prototype[Symbol.dispose] = WasmRemapPlan.prototype.free;

/**
 * A compiled tokenizer held in WASM memory; call `free()` when done.
 */
export class WasmTokenizer {
    static __wrap(ptr) {
        const obj = Object.create(WasmTokenizer.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmTokenizerFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmTokenizerFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmtokenizer_free(ptr, 0);

    }
    /**
     * @param {Uint32Array | number[]} ids
     * @param {boolean} skip_special_tokens
     * @returns {string}
     */
    decode(ids, skip_special_tokens) {
        let deferred3_0;
        let deferred3_1;
        try {
            if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
                throw new Error('Invalid stale object from previous Wasm instance');
            }
            const val2 = +skip_special_tokens;
            const ptr0 = passArray32ToWasm0(ids, wasm.__wbindgen_malloc);
            const len0 = WASM_VECTOR_LEN;
            let ret;
            __wbg_call_guard();
            ret = wasm.wasmtokenizer_decode(this.__wbg_ptr, ptr0, len0, val2);
            deferred3_0 = ret[0];
            deferred3_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            __wbg_call_guard();
            wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
        }
    }
    /**
     * Encodes many texts given as one UTF-8 buffer and the end offset of each text.
     * @param {Uint8Array | number[]} bytes
     * @param {Uint32Array | number[]} ends
     * @param {boolean} add_special_tokens
     * @returns {WasmEncodedBatch}
     */
    encodeBatch(bytes, ends, add_special_tokens) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const val3 = +add_special_tokens;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArray32ToWasm0(ends, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 4, 4); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_encodeBatch(this.__wbg_ptr, ptr0, len0, ptr1, len1, val3);
        return WasmEncodedBatch.__wrap(ret);
    }
    /**
     * `encodeUtf8` of one part of a text cut at cut points: the post-processor's leading special
     * tokens only on the first part, its trailing ones only on the last.
     * @param {Uint8Array | number[]} bytes
     * @param {boolean} add_special_tokens
     * @param {boolean} first
     * @param {boolean} last
     * @returns {Uint32Array}
     */
    encodePart(bytes, add_special_tokens, first, last) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const val2 = +add_special_tokens;
        const val3 = +first;
        const val4 = +last;
        const ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_encodePart(this.__wbg_ptr, ptr0, len0, val2, val3, val4);
        var v5 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v5;
    }
    /**
     * Encodes UTF-8 bytes (invalid sequences become U+FFFD, as `TextDecoder` does).
     * @param {Uint8Array | number[]} bytes
     * @param {boolean} add_special_tokens
     * @returns {Uint32Array}
     */
    encodeUtf8(bytes, add_special_tokens) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const val2 = +add_special_tokens;
        const ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_encodeUtf8(this.__wbg_ptr, ptr0, len0, val2);
        var v3 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v3;
    }
    /**
     * Ids and each token's [start, end) in UTF-16 code units.
     * @param {string} text
     * @param {boolean} add_special_tokens
     * @returns {WasmEncoding}
     */
    encodeWithOffsets(text, add_special_tokens) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const val2 = +add_special_tokens;
        const ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_encodeWithOffsets(this.__wbg_ptr, ptr0, len0, val2);
        return WasmEncoding.__wrap(ret);
    }
    /**
     * @param {string} text
     * @param {boolean} add_special_tokens
     * @returns {Uint32Array}
     */
    encode(text, add_special_tokens) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const val2 = +add_special_tokens;
        const ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_encode(this.__wbg_ptr, ptr0, len0, val2);
        var v3 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v3;
    }
    /**
     * Parses a Hugging Face `tokenizer.json` document. `progress(stage, done, total)` is called
     * as the load runs (rust/core/src/tokenizer/progress.rs: every ~1 MiB parsed, every 16k
     * tokens or merges built; each stage from 0 to its total).
     * @param {string} json
     * @param {(stage: LoadStage, done: number, total: number) => void} [progress]
     * @returns {WasmTokenizer}
     */
    static fromJson(json, progress) {
        const ptr0 = passStringToWasm0(json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_fromJson(ptr0, len0, isLikeNone(progress) ? 0 : addToExternrefTable0(progress));
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return WasmTokenizer.__wrap(ret[0]);
    }
    /**
     * Parses a tiktoken rank file for a known encoding (`o200k_base`, `cl100k_base`, ...);
     * `progress` as `fromJson` ('parse': bytes of the file, 'merge table': tokens, 'added').
     * @param {string} ranks
     * @param {string} encoding
     * @param {(stage: LoadStage, done: number, total: number) => void} [progress]
     * @returns {WasmTokenizer}
     */
    static fromTiktoken(ranks, encoding, progress) {
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passStringToWasm0(ranks, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(encoding, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_fromTiktoken(ptr0, len0, ptr1, len1, isLikeNone(progress) ? 0 : addToExternrefTable0(progress));
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return WasmTokenizer.__wrap(ret[0]);
    }
    /**
     * One more than the largest id, added tokens included (the core's `canon::id_bound`).
     * @returns {number}
     */
    get idBound() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_idBound(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @param {number} id
     * @returns {string | undefined}
     */
    idToToken(id) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_idToToken(this.__wbg_ptr, id);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The last cut point of the UTF-8 `bytes` (0 if none; see core `cut.rs`): encoding the
     * text before it and the text from it with `encodePart` gives the ids of the whole. Only the
     * valid UTF-8 prefix is searched (a chunk may end inside a char).
     * @param {Uint8Array | number[]} bytes
     * @returns {number}
     */
    lastCut(bytes) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_lastCut(this.__wbg_ptr, ptr0, len0);
        return ret >>> 0;
    }
    /**
     * The bytes `id` contributes to decoded text (the core's `canon::token_bytes`), or
     * `undefined` for an id the tokenizer skips or cannot map to bytes.
     * @param {number} id
     * @returns {Uint8Array | undefined}
     */
    tokenBytes(id) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_tokenBytes(this.__wbg_ptr, id);
        let v1;
        if (ret[0] !== 0) {
            v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * @param {string} token
     * @returns {number | undefined}
     */
    tokenToId(token) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passStringToWasm0(token, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_tokenToId(this.__wbg_ptr, ptr0, len0);
        return ret === Number.MAX_SAFE_INTEGER ? undefined : ret;
    }
    /**
     * @returns {number}
     */
    get vocabSize() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtokenizer_vocabSize(this.__wbg_ptr);
        return ret >>> 0;
    }
}
if (Symbol.dispose) WasmTokenizer.prototype[Symbol.dispose] = WasmTokenizer.prototype.free;

/**
 * A trained vocabulary and merge list.
 */
export class WasmTrained {
    static __wrap(ptr) {
        const obj = Object.create(WasmTrained.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmTrainedFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmTrainedFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmtrained_free(ptr, 0);

    }
    /**
     * SuperBPE stage 2: continue from `stage1`'s first merges (a merge count, or a vocab size
     * when `transitionIsVocabSize`) on stage-2 counts, with the superword filters. Empties
     * `counts2` (its memory is reused by stage 2).
     * @param {WasmWordCounts} counts2
     * @param {WasmTrained} stage1
     * @param {number} transition
     * @param {boolean} transition_is_vocab_size
     * @param {string} config_json
     * @param {number | null | undefined} max_words
     * @param {boolean} forbid_colon_space
     * @param {(phase: TrainPhase, done: number, total: number) => void} progress
     * @returns {WasmTrained}
     */
    static extend(counts2, stage1, transition, transition_is_vocab_size, config_json, max_words, forbid_colon_space, progress) {
        _assertClass(counts2, WasmWordCounts);
        if ((counts2).__wbg_inst !== undefined && (counts2).__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        _assertClass(stage1, WasmTrained);
        if ((stage1).__wbg_inst !== undefined && (stage1).__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const val2 = +transition;
        const val3 = +transition_is_vocab_size;
        const val4 = +(isLikeNone(max_words) ? Number.MAX_SAFE_INTEGER : (max_words) >>> 0);
        const val5 = +forbid_colon_space;
        const ptr0 = passStringToWasm0(config_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtrained_extend(counts2.__wbg_ptr, stage1.__wbg_ptr, val2, val3, ptr0, len0, val4, val5, progress);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return WasmTrained.__wrap(ret[0]);
    }
    /**
     * @returns {number}
     */
    get mergeCount() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtrained_mergeCount(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * The matching tokenizer_config.json (transformers: `PreTrainedTokenizerFast`), with the
     * special tokens' roles and `model_max_length` when given.
     * @param {string | null} [bos]
     * @param {string | null} [eos]
     * @param {string | null} [pad]
     * @param {string | null} [unk]
     * @param {number | null} [model_max_length]
     * @returns {string}
     */
    tokenizerConfigJson(bos, eos, pad, unk, model_max_length) {
        let deferred6_0;
        let deferred6_1;
        try {
            if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
                throw new Error('Invalid stale object from previous Wasm instance');
            }
            const val5 = +(isLikeNone(model_max_length) ? 0 : model_max_length);
            let ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3;
            try {
                ptr0 = isLikeNone(bos) ? 0 : passStringToWasm0(bos, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
                len0 = WASM_VECTOR_LEN;
                ptr1 = isLikeNone(eos) ? 0 : passStringToWasm0(eos, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
                len1 = WASM_VECTOR_LEN;
                ptr2 = isLikeNone(pad) ? 0 : passStringToWasm0(pad, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
                len2 = WASM_VECTOR_LEN;
                ptr3 = isLikeNone(unk) ? 0 : passStringToWasm0(unk, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
                len3 = WASM_VECTOR_LEN;
            } catch (e) {
                if (ptr3) { wasm.__wbindgen_free(ptr3, len3 * 1, 1); }
                if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
                if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
                if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
                throw e;
            }
            let ret;
            __wbg_call_guard();
            ret = wasm.wasmtrained_tokenizerConfigJson(this.__wbg_ptr, ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3, !isLikeNone(model_max_length), val5);
            deferred6_0 = ret[0];
            deferred6_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            __wbg_call_guard();
            wasm.__wbindgen_free(deferred6_0, deferred6_1, 1);
        }
    }
    /**
     * The HF tokenizer.json, with the given `pre_tokenizer` JSON and a ByteLevel decoder; with
     * `bos`, a post-processor that adds it before each sequence.
     * @param {string} pre_tokenizer_json
     * @param {string | null} [bos]
     * @returns {string}
     */
    tokenizerJson(pre_tokenizer_json, bos) {
        let deferred4_0;
        let deferred4_1;
        try {
            if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
                throw new Error('Invalid stale object from previous Wasm instance');
            }
            let ptr0, len0, ptr1, len1;
            try {
                ptr0 = passStringToWasm0(pre_tokenizer_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
                len0 = WASM_VECTOR_LEN;
                ptr1 = isLikeNone(bos) ? 0 : passStringToWasm0(bos, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
                len1 = WASM_VECTOR_LEN;
            } catch (e) {
                if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
                if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
                throw e;
            }
            let ret;
            __wbg_call_guard();
            ret = wasm.wasmtrained_tokenizerJson(this.__wbg_ptr, ptr0, len0, ptr1, len1);
            var ptr3 = ret[0];
            var len3 = ret[1];
            if (ret[3]) {
                ptr3 = 0; len3 = 0;
                throw takeFromExternrefTable0(ret[2]);
            }
            deferred4_0 = ptr3;
            deferred4_1 = len3;
            return getStringFromWasm0(ptr3, len3);
        } finally {
            __wbg_call_guard();
            wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
        }
    }
    /**
     * HF-identical BPE training on `counts` with settings `config` (JSON).
     * @param {WasmWordCounts} counts
     * @param {string} config_json
     * @param {(phase: TrainPhase, done: number, total: number) => void} progress
     * @returns {WasmTrained}
     */
    static trainBpe(counts, config_json, progress) {
        _assertClass(counts, WasmWordCounts);
        if ((counts).__wbg_inst !== undefined && (counts).__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passStringToWasm0(config_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtrained_trainBpe(counts.__wbg_ptr, ptr0, len0, progress);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return WasmTrained.__wrap(ret[0]);
    }
    /**
     * @returns {number}
     */
    get vocabSize() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtrained_vocabSize(this.__wbg_ptr);
        return ret >>> 0;
    }
}
if (Symbol.dispose) WasmTrained.prototype[Symbol.dispose] = WasmTrained.prototype.free;

/**
 * The result of trimming a tokenizer, held in WASM memory; call `free()` when done.
 */
export class WasmTrim {
    static __wrap(ptr) {
        const obj = Object.create(WasmTrim.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmTrimFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmTrimFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmtrim_free(ptr, 0);

    }
    /**
     * @returns {number}
     */
    get addedDropped() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtrim_addedDropped(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {number}
     */
    get alwaysKept() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtrim_alwaysKept(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {number}
     */
    get closureAdded() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtrim_closureAdded(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Old ids kept, ascending: the new id of `keptIds[i]` is `i`.
     * @returns {Uint32Array}
     */
    get keptIds() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtrim_keptIds(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {number}
     */
    get mergesKept() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtrim_mergesKept(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {number}
     */
    get mergesTotal() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtrim_mergesTotal(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {number}
     */
    get notDerivable() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtrim_notDerivable(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Old id -> new id; 0xFFFFFFFF for dropped ids.
     * @returns {Uint32Array}
     */
    get oldToNew() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmtrim_oldToNew(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * The trimmed tokenizer.json (compact JSON).
     * @returns {string}
     */
    get tokenizerJson() {
        let deferred1_0;
        let deferred1_1;
        try {
            if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
                throw new Error('Invalid stale object from previous Wasm instance');
            }
            let ret;
            __wbg_call_guard();
            ret = wasm.wasmtrim_tokenizerJson(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            __wbg_call_guard();
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
}
if (Symbol.dispose) WasmTrim.prototype[Symbol.dispose] = WasmTrim.prototype.free;

export class WasmWordCounts {
    static __wrap(ptr) {
        const obj = Object.create(WasmWordCounts.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmWordCountsFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmWordCountsFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmwordcounts_free(ptr, 0);

    }
    /**
     * Adds `words`/`lens`/`counts` (a chunk of a count file) into this table; on error nothing is added.
     * @param {Uint8Array | number[]} words
     * @param {Uint32Array | number[]} lens
     * @param {BigUint64Array | bigint[]} counts
     */
    addParts(words, lens, counts) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ptr0, len0, ptr1, len1, ptr2, len2;
        try {
            ptr0 = passArray8ToWasm0(words, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArray32ToWasm0(lens, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = passArray64ToWasm0(counts, wasm.__wbindgen_malloc);
            len2 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 8, 8); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 4, 4); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmwordcounts_addParts(this.__wbg_ptr, ptr0, len0, ptr1, len1, ptr2, len2);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
    /**
     * Bytes held by the word arena (what grows with the number of distinct words).
     * @returns {number}
     */
    get arenaBytes() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmwordcounts_arenaBytes(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * @returns {BigUint64Array}
     */
    counts() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmwordcounts_counts(this.__wbg_ptr);
        var v1 = getArrayU64FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 8, 8);
        return v1;
    }
    /**
     * From `words` (concatenated UTF-8), their byte `lens` and `counts` (a count file's arrays).
     * @param {Uint8Array | number[]} words
     * @param {Uint32Array | number[]} lens
     * @param {BigUint64Array | bigint[]} counts
     * @returns {WasmWordCounts}
     */
    static fromParts(words, lens, counts) {
        let ptr0, len0, ptr1, len1, ptr2, len2;
        try {
            ptr0 = passArray8ToWasm0(words, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArray32ToWasm0(lens, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = passArray64ToWasm0(counts, wasm.__wbindgen_malloc);
            len2 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 8, 8); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 4, 4); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmwordcounts_fromParts(ptr0, len0, ptr1, len1, ptr2, len2);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return WasmWordCounts.__wrap(ret[0]);
    }
    /**
     * @returns {Uint32Array}
     */
    lens() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmwordcounts_lens(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @param {WasmWordCounts} other
     */
    mergeFrom(other) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        _assertClass(other, WasmWordCounts);
        if ((other).__wbg_inst !== undefined && (other).__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.wasmwordcounts_mergeFrom(this.__wbg_ptr, other.__wbg_ptr);
    }
    constructor() {
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmwordcounts_new();
        this.__wbg_ptr = ret;
        Object.defineProperty(this, '__wbg_inst', { value: __wbg_instance_id, writable: true });
        WasmWordCountsFinalization.register(this, { ptr: ret, instance: __wbg_instance_id }, this);
        return this;
    }
    /**
     * Entry numbers in the order of the words' UTF-8 bytes (4 bytes a word; the table is not
     * touched): pass chunks of it to `partsAt` to write the table as a sorted run.
     * @returns {Uint32Array}
     */
    orderByWord() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmwordcounts_orderByWord(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * The words with entry numbers `order` (from `orderByWord`), in that order, as parts.
     * @param {Uint32Array | number[]} order
     * @returns {WasmWordParts}
     */
    partsAt(order) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passArray32ToWasm0(order, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmwordcounts_partsAt(this.__wbg_ptr, ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return WasmWordParts.__wrap(ret[0]);
    }
    /**
     * Room for `words` more distinct words holding `bytes` more bytes, reserved exactly (before
     * adding parts of known size: the table grows once instead of doubling).
     * @param {number} words
     * @param {number} bytes
     */
    reserve(words, bytes) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.wasmwordcounts_reserve(this.__wbg_ptr, words, bytes);
    }
    /**
     * Number of distinct words.
     * @returns {number}
     */
    get size() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmwordcounts_size(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Reorders the words by their UTF-8 bytes (count files are sorted runs). Builds the sorted
     * table beside this one: for version-1 count files; a count file is written through
     * `orderByWord` and `partsAt` instead, which leave the table as it is.
     */
    sortByWord() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        __wbg_call_guard();
        wasm.wasmwordcounts_sortByWord(this.__wbg_ptr);
    }
    /**
     * Sum of all counts.
     * @returns {number}
     */
    get total() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmwordcounts_total(this.__wbg_ptr);
        return ret;
    }
    /**
     * @returns {Uint8Array}
     */
    words() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.wasmwordcounts_words(this.__wbg_ptr);
        var v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        return v1;
    }
}
if (Symbol.dispose) WasmWordCounts.prototype[Symbol.dispose] = WasmWordCounts.prototype.free;

/**
 * Words as a count file's arrays: concatenated UTF-8, byte length and count of each.
 */
export class WasmWordParts {
    static __wrap(ptr) {
        const obj = Object.create(WasmWordParts.prototype);
        obj.__wbg_ptr = ptr;
        Object.defineProperty(obj, '__wbg_inst', { value: __wbg_instance_id, writable: true });

        WasmWordPartsFinalization.register(obj, { ptr, instance: __wbg_instance_id }, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        WasmWordPartsFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        __wbg_call_guard();
        wasm.__wbg_wasmwordparts_free(ptr, 0);

    }
    /**
     * @returns {BigUint64Array}
     */
    get counts() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmwordparts_counts(this.__wbg_ptr);
        var v1 = getArrayU64FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 8, 8);
        return v1;
    }
    /**
     * @returns {Uint32Array}
     */
    get lens() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmwordparts_lens(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * @returns {Uint8Array}
     */
    get words() {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        let ret;
        __wbg_call_guard();
        ret = wasm.__wbg_get_wasmwordparts_words(this.__wbg_ptr);
        var v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        return v1;
    }
    /**
     * @param {BigUint64Array | bigint[]} arg0
     */
    set counts(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passArray64ToWasm0(arg0, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        __wbg_call_guard();
        wasm.__wbg_set_wasmwordparts_counts(this.__wbg_ptr, ptr0, len0);
    }
    /**
     * @param {Uint32Array | number[]} arg0
     */
    set lens(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passArray32ToWasm0(arg0, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        __wbg_call_guard();
        wasm.__wbg_set_wasmwordparts_lens(this.__wbg_ptr, ptr0, len0);
    }
    /**
     * @param {Uint8Array | number[]} arg0
     */
    set words(arg0) {
        if (this.__wbg_inst !== undefined && this.__wbg_inst !== __wbg_instance_id) {
            throw new Error('Invalid stale object from previous Wasm instance');
        }
        const ptr0 = passArray8ToWasm0(arg0, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        __wbg_call_guard();
        wasm.__wbg_set_wasmwordparts_words(this.__wbg_ptr, ptr0, len0);
    }
}
if (Symbol.dispose) WasmWordParts.prototype[Symbol.dispose] = WasmWordParts.prototype.free;

export function __wbg_reset_state () {
    __wbg_instance_id++;
    cachedBigUint64ArrayMemory0 = null;
    cachedDataViewMemory0 = null;
    cachedFloat32ArrayMemory0 = null;
    cachedFloat64ArrayMemory0 = null;
    cachedInt32ArrayMemory0 = null;
    cachedUint32ArrayMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    if (typeof numBytesDecoded !== 'undefined') numBytesDecoded = 0;
    if (typeof WASM_VECTOR_LEN !== 'undefined') WASM_VECTOR_LEN = 0;
    __wbg_reinit_scheduled = false;
    wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());
    wasm = wasmInstance.exports;
    wasm.__wbindgen_start();
}

/**
 * Bytes of the last allocation the core could not get (its memory is full: 32-bit WebAssembly
 * has at most 4 GiB), 0 when none failed. Safe to call on an instance that trapped: it only
 * reads one static.
 * @returns {number}
 */
export function allocFailure() {
    let ret;
    __wbg_call_guard();
    ret = wasm.allocFailure();
    return ret;
}

/**
 * Asks for `bytes` at once and keeps them (tests of the out-of-memory path: past what 32-bit
 * WebAssembly can hold, the allocation fails and the instance traps as in a real exhaustion).
 * @param {number} bytes
 * @returns {number}
 */
export function allocForTest(bytes) {
    let ret;
    __wbg_call_guard();
    ret = wasm.allocForTest(bytes);
    return ret >>> 0;
}

/**
 * Searches of a custom pretokenizer regex that stopped at the backtracking limit, each leaving
 * the rest of a text unsplit (rust/core/src/tokenizer/pretokenize/regex.rs), since this instance started.
 * @returns {number}
 */
export function backtrackLimitHits() {
    let ret;
    __wbg_call_guard();
    ret = wasm.backtrackLimitHits();
    return ret;
}

/**
 * The new id of a dropped token in a trim's old -> new id map (the core's `trim::DROPPED`).
 * @returns {number}
 */
export function droppedId() {
    let ret;
    __wbg_call_guard();
    ret = wasm.droppedId();
    return ret >>> 0;
}

/**
 * The rewrite of the GGUF to `target`; `source` is the GGUF's own tokenizer (same ids).
 * @param {Uint8Array | number[]} prefix
 * @param {number} file_len
 * @param {WasmTokenizer} source
 * @param {WasmTokenizer} target
 * @param {RemapMethod} method
 * @param {Float32Array | number[] | null | undefined} aux
 * @param {number} aux_dim
 * @param {Function | null} [progress]
 * @returns {WasmGgufRewrite}
 */
export function ggufRemap(prefix, file_len, source, target, method, aux, aux_dim, progress) {
    _assertClass(source, WasmTokenizer);
    if ((source).__wbg_inst !== undefined && (source).__wbg_inst !== __wbg_instance_id) {
        throw new Error('Invalid stale object from previous Wasm instance');
    }
    _assertClass(target, WasmTokenizer);
    if ((target).__wbg_inst !== undefined && (target).__wbg_inst !== __wbg_instance_id) {
        throw new Error('Invalid stale object from previous Wasm instance');
    }
    const val3 = +file_len;
    const val4 = +aux_dim;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passArray8ToWasm0(prefix, wasm.__wbindgen_malloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = isLikeNone(aux) ? 0 : passArrayF32ToWasm0(aux, wasm.__wbindgen_malloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 4, 4); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    let ret;
    __wbg_call_guard();
    ret = wasm.ggufRemap(ptr0, len0, val3, source.__wbg_ptr, target.__wbg_ptr, (__wbindgen_enum_RemapMethod.indexOf(method) + 1 || 5) - 1, ptr1, len1, val4, isLikeNone(progress) ? 0 : addToExternrefTable0(progress));
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return WasmGgufRewrite.__wrap(ret[0]);
}

/**
 * Ids a trim of this GGUF must keep: every `*_token_id` and every control / user-defined token.
 * @param {Uint8Array | number[]} prefix
 * @param {number} file_len
 * @returns {Uint32Array}
 */
export function ggufSeedIds(prefix, file_len) {
    const val2 = +file_len;
    const ptr0 = passArray8ToWasm0(prefix, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    let ret;
    __wbg_call_guard();
    ret = wasm.ggufSeedIds(ptr0, len0, val2);
    if (ret[3]) {
        throw takeFromExternrefTable0(ret[2]);
    }
    var v3 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
    wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
    return v3;
}

/**
 * The rewrite of the GGUF whose header is `prefix` keeping `kept` (old ids, ascending).
 * @param {Uint8Array | number[]} prefix
 * @param {number} file_len
 * @param {Uint32Array | number[]} kept
 * @returns {WasmGgufRewrite}
 */
export function ggufTrim(prefix, file_len, kept) {
    const val3 = +file_len;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passArray8ToWasm0(prefix, wasm.__wbindgen_malloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passArray32ToWasm0(kept, wasm.__wbindgen_malloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 4, 4); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    let ret;
    __wbg_call_guard();
    ret = wasm.ggufTrim(ptr0, len0, val3, ptr1, len1);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return WasmGgufRewrite.__wrap(ret[0]);
}

/**
 * Tokenizer Fairness Gini of per-language costs.
 * @param {Float64Array | number[]} values
 * @returns {number}
 */
export function gini(values) {
    const ptr0 = passArrayF64ToWasm0(values, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    let ret;
    __wbg_call_guard();
    ret = wasm.gini(ptr0, len0);
    return ret;
}

/**
 * Merges already-tokenized sequences (concatenated ids and each sequence's length).
 * @param {WasmTokenizer} tokenizer
 * @param {Uint32Array | number[]} ids
 * @param {Uint32Array | number[]} lengths
 * @param {MergeBoundary} boundary
 * @param {number | null | undefined} max_merges
 * @param {ReductionBase | null | undefined} target
 * @param {number} target_value
 * @param {boolean} word_level
 * @returns {WasmMergeResult}
 */
export function mergeBatchIds(tokenizer, ids, lengths, boundary, max_merges, target, target_value, word_level) {
    _assertClass(tokenizer, WasmTokenizer);
    if ((tokenizer).__wbg_inst !== undefined && (tokenizer).__wbg_inst !== __wbg_instance_id) {
        throw new Error('Invalid stale object from previous Wasm instance');
    }
    const val3 = +(isLikeNone(max_merges) ? Number.MAX_SAFE_INTEGER : (max_merges) >>> 0);
    const val4 = +target_value;
    const val5 = +word_level;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passArray32ToWasm0(ids, wasm.__wbindgen_malloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passArray32ToWasm0(lengths, wasm.__wbindgen_malloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 4, 4); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 4, 4); }
        throw e;
    }
    let ret;
    __wbg_call_guard();
    ret = wasm.mergeBatchIds(tokenizer.__wbg_ptr, ptr0, len0, ptr1, len1, (__wbindgen_enum_MergeBoundary.indexOf(boundary) + 1 || 4) - 1, val3, isLikeNone(target) ? 3 : ((__wbindgen_enum_ReductionBase.indexOf(target) + 1 || 3) - 1), val4, val5);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return WasmMergeResult.__wrap(ret[0]);
}

/**
 * Merges a batch of texts given as one UTF-8 buffer and the end offset of each text.
 * @param {WasmTokenizer} tokenizer
 * @param {Uint8Array | number[]} bytes
 * @param {Uint32Array | number[]} ends
 * @param {boolean} add_special_tokens
 * @param {MergeBoundary} boundary
 * @param {number | null | undefined} max_merges
 * @param {ReductionBase | null | undefined} target
 * @param {number} target_value
 * @param {boolean} word_level
 * @returns {WasmMergeResult}
 */
export function mergeBatchTexts(tokenizer, bytes, ends, add_special_tokens, boundary, max_merges, target, target_value, word_level) {
    _assertClass(tokenizer, WasmTokenizer);
    if ((tokenizer).__wbg_inst !== undefined && (tokenizer).__wbg_inst !== __wbg_instance_id) {
        throw new Error('Invalid stale object from previous Wasm instance');
    }
    const val3 = +add_special_tokens;
    const val4 = +(isLikeNone(max_merges) ? Number.MAX_SAFE_INTEGER : (max_merges) >>> 0);
    const val5 = +target_value;
    const val6 = +word_level;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passArray8ToWasm0(bytes, wasm.__wbindgen_malloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passArray32ToWasm0(ends, wasm.__wbindgen_malloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 4, 4); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    let ret;
    __wbg_call_guard();
    ret = wasm.mergeBatchTexts(tokenizer.__wbg_ptr, ptr0, len0, ptr1, len1, val3, (__wbindgen_enum_MergeBoundary.indexOf(boundary) + 1 || 4) - 1, val4, isLikeNone(target) ? 3 : ((__wbindgen_enum_ReductionBase.indexOf(target) + 1 || 3) - 1), val5, val6);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return WasmMergeResult.__wrap(ret[0]);
}

/**
 * Panics on purpose: lets the tests check that a panic becomes one clear error and that the
 * core keeps working afterwards.
 * @param {string} message
 */
export function panicForTest(message) {
    const ptr0 = passStringToWasm0(message, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    __wbg_call_guard();
    wasm.panicForTest(ptr0, len0);
}

/**
 * Parses a GGUF header from the first bytes of a file of `file_len` bytes. `undefined`: the
 * header goes on past `prefix` (read more and call again). Throws on a corrupt header.
 * @param {Uint8Array | number[]} prefix
 * @param {number} file_len
 * @returns {WasmGguf | undefined}
 */
export function parseGgufHeader(prefix, file_len) {
    const val2 = +file_len;
    const ptr0 = passArray8ToWasm0(prefix, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    let ret;
    __wbg_call_guard();
    ret = wasm.parseGgufHeader(ptr0, len0, val2);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return ret[0] === 0 ? undefined : WasmGguf.__wrap(ret[0]);
}

/**
 * Plans the target tokenizer's embedding rows from the source's. `aux` (target ids × `aux_dim`
 * floats) is required for `focus` and `omp`. `progress(done, total)` is called as the rows that
 * are not copies are computed.
 * @param {WasmTokenizer} source
 * @param {WasmTokenizer} target
 * @param {RemapMethod} method
 * @param {Float32Array | number[] | null | undefined} aux
 * @param {number} aux_dim
 * @param {Function | null} [progress]
 * @returns {WasmRemapPlan}
 */
export function remapPlan(source, target, method, aux, aux_dim, progress) {
    _assertClass(source, WasmTokenizer);
    if ((source).__wbg_inst !== undefined && (source).__wbg_inst !== __wbg_instance_id) {
        throw new Error('Invalid stale object from previous Wasm instance');
    }
    _assertClass(target, WasmTokenizer);
    if ((target).__wbg_inst !== undefined && (target).__wbg_inst !== __wbg_instance_id) {
        throw new Error('Invalid stale object from previous Wasm instance');
    }
    const val2 = +aux_dim;
    var ptr0 = isLikeNone(aux) ? 0 : passArrayF32ToWasm0(aux, wasm.__wbindgen_malloc);
    var len0 = WASM_VECTOR_LEN;
    let ret;
    __wbg_call_guard();
    ret = wasm.remapPlan(source.__wbg_ptr, target.__wbg_ptr, (__wbindgen_enum_RemapMethod.indexOf(method) + 1 || 5) - 1, ptr0, len0, val2, isLikeNone(progress) ? 0 : addToExternrefTable0(progress));
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return WasmRemapPlan.__wrap(ret[0]);
}

/**
 * Registers `sink(message)`, called with the message of any panic just before the instance traps.
 * @param {(message: string) => void} sink
 */
export function setPanicSink(sink) {
    __wbg_call_guard();
    wasm.setPanicSink(sink);
}

/**
 * The tiktoken encodings `fromTiktoken` knows (the core's one list).
 * @returns {string[]}
 */
export function tiktokenEncodings() {
    let ret;
    __wbg_call_guard();
    ret = wasm.tiktokenEncodings();
    var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
    wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
    return v1;
}

/**
 * The pretokenizer names `pattern` may take in training (anything else must be given as a regex).
 * @returns {string[]}
 */
export function trainPatternNames() {
    let ret;
    __wbg_call_guard();
    ret = wasm.trainPatternNames();
    var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
    wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
    return v1;
}

/**
 * Trims the tokenizer in `json` to `keep` (old ids) plus what is always kept, closed under BPE
 * derivation unless `closure` is false (the naive trim, for comparison only). With
 * `drop_unused_added`, non-special added tokens not in `keep` are dropped too. `progress(done,
 * total)` is called as the closure replays tokens and the merges are rewritten.
 * @param {WasmTokenizer} tokenizer
 * @param {string} json
 * @param {Uint32Array | number[]} keep
 * @param {boolean} closure
 * @param {boolean} drop_unused_added
 * @param {Function | null} [progress]
 * @returns {WasmTrim}
 */
export function trimTokenizer(tokenizer, json, keep, closure, drop_unused_added, progress) {
    _assertClass(tokenizer, WasmTokenizer);
    if ((tokenizer).__wbg_inst !== undefined && (tokenizer).__wbg_inst !== __wbg_instance_id) {
        throw new Error('Invalid stale object from previous Wasm instance');
    }
    const val3 = +closure;
    const val4 = +drop_unused_added;
    let ptr0, len0, ptr1, len1;
    try {
        ptr0 = passStringToWasm0(json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passArray32ToWasm0(keep, wasm.__wbindgen_malloc);
        len1 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 4, 4); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    let ret;
    __wbg_call_guard();
    ret = wasm.trimTokenizer(tokenizer.__wbg_ptr, ptr0, len0, ptr1, len1, val3, val4, isLikeNone(progress) ? 0 : addToExternrefTable0(progress));
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return WasmTrim.__wrap(ret[0]);
}

/**
 * @returns {string}
 */
export function version() {
    let deferred1_0;
    let deferred1_1;
    try {
        let ret;
        __wbg_call_guard();
        ret = wasm.version();
        deferred1_0 = ret[0];
        deferred1_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        __wbg_call_guard();
        wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
    }
}
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_Error_208446807d0d1e30: function(arg0, arg1) {
            const ret = Error(getStringFromWasm0(arg0, arg1));
            return ret;
        },
        __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
            throw new Error(getStringFromWasm0(arg0, arg1));
        },
        __wbg_call_275b78b3b6520b92: function() { return handleError(function (arg0, arg1, arg2, arg3, arg4) {
            const ret = arg0.call(arg1, arg2, arg3, arg4);
            return ret;
        }, arguments); },
        __wbg_call_a410eb4b59ed5965: function() { return handleError(function (arg0, arg1, arg2) {
            const ret = arg0.call(arg1, arg2);
            return ret;
        }, arguments); },
        __wbg_call_fc92fee6137d452d: function() { return handleError(function (arg0, arg1, arg2, arg3) {
            const ret = arg0.call(arg1, arg2, arg3);
            return ret;
        }, arguments); },
        __wbg_wasmggufouttensor_new: function(arg0) {
            const ret = WasmGgufOutTensor.__wrap(arg0);
            return ret;
        },
        __wbg_wasmgguftensor_new: function(arg0) {
            const ret = WasmGgufTensor.__wrap(arg0);
            return ret;
        },
        __wbindgen_generic_0000000000000001: function(arg0) {
            // Cast intrinsic for `F64 -> Externref`.
            const ret = arg0;
            return ret;
        },
        __wbindgen_generic_0000000000000002: function(arg0, arg1) {
            // Cast intrinsic for `Ref(String) -> Externref`.
            const ret = getStringFromWasm0(arg0, arg1);
            return ret;
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            table.set(0, undefined);
            table.set(1024, undefined);
            table.set(1025, null);
            table.set(1026, true);
            table.set(1027, false);
        },
    };
    return {
        __proto__: null,
        "./vocabsmith_wasm_bg.js": import0,
    };
}

function __wbg_call_guard() {
    if (__wbg_reinit_scheduled) {
        __wbg_reset_state();
        return;
    }
}


const __wbindgen_enum_MergeBoundary = ["pretoken", "word", "sentence"];


const __wbindgen_enum_ReductionBase = ["original", "word"];


const __wbindgen_enum_RemapMethod = ["copy", "fvt", "focus", "omp"];


const __wbindgen_enum_VectorOutput = ["logProbs", "probs"];


let __wbg_instance_id = 0;
const ByteMassesFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_bytemasses_free(ptr, 1);
});
const NodeLinkFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_nodelink_free(ptr, 1);
});
const WasmByteModelFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmbytemodel_free(ptr, 1);
});
const WasmCorpusCountsFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmcorpuscounts_free(ptr, 1);
});
const WasmCounterFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmcounter_free(ptr, 1);
});
const WasmCoverStateFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmcoverstate_free(ptr, 1);
});
const WasmEncodeStreamFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmencodestream_free(ptr, 1);
});
const WasmEncodedBatchFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmencodedbatch_free(ptr, 1);
});
const WasmEncodingFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmencoding_free(ptr, 1);
});
const WasmGgufFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmgguf_free(ptr, 1);
});
const WasmGgufOutTensorFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmggufouttensor_free(ptr, 1);
});
const WasmGgufRewriteFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmggufrewrite_free(ptr, 1);
});
const WasmGgufRowsFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmggufrows_free(ptr, 1);
});
const WasmGgufTensorFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmgguftensor_free(ptr, 1);
});
const WasmMergeResultFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmmergeresult_free(ptr, 1);
});
const WasmMetricsFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmmetrics_free(ptr, 1);
});
const WasmPooledCountsFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmpooledcounts_free(ptr, 1);
});
const WasmRemapPlanFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmremapplan_free(ptr, 1);
});
const WasmTokenizerFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmtokenizer_free(ptr, 1);
});
const WasmTrainedFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmtrained_free(ptr, 1);
});
const WasmTrimFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmtrim_free(ptr, 1);
});
const WasmWordCountsFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmwordcounts_free(ptr, 1);
});
const WasmWordPartsFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(({ ptr, instance }) => {
    if (instance === __wbg_instance_id) wasm.__wbg_wasmwordparts_free(ptr, 1);
});

function addToExternrefTable0(obj) {
    const idx = wasm.__externref_table_alloc();
    wasm.__wbindgen_externrefs.set(idx, obj);
    return idx;
}

function _assertClass(instance, klass) {
    if (!(instance instanceof klass)) {
        throw new Error(`expected instance of ${klass.name}`);
    }
}

function getArrayF32FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getFloat32ArrayMemory0().subarray(ptr / 4, ptr / 4 + len);
}

function getArrayF64FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getFloat64ArrayMemory0().subarray(ptr / 8, ptr / 8 + len);
}

function getArrayI32FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getInt32ArrayMemory0().subarray(ptr / 4, ptr / 4 + len);
}

function getArrayJsValueFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    const mem = getDataViewMemory0();
    const result = [];
    for (let i = ptr; i < ptr + 4 * len; i += 4) {
        result.push(wasm.__wbindgen_externrefs.get(mem.getUint32(i, true)));
    }
    wasm.__externref_drop_slice(ptr, len);
    return result;
}

function getArrayU32FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint32ArrayMemory0().subarray(ptr / 4, ptr / 4 + len);
}

function getArrayU64FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getBigUint64ArrayMemory0().subarray(ptr / 8, ptr / 8 + len);
}

function getArrayU8FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}

let cachedBigUint64ArrayMemory0 = null;
function getBigUint64ArrayMemory0() {
    if (cachedBigUint64ArrayMemory0 === null || cachedBigUint64ArrayMemory0.byteLength === 0) {
        cachedBigUint64ArrayMemory0 = new BigUint64Array(wasm.memory.buffer);
    }
    return cachedBigUint64ArrayMemory0;
}

let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }
    return cachedDataViewMemory0;
}

let cachedFloat32ArrayMemory0 = null;
function getFloat32ArrayMemory0() {
    if (cachedFloat32ArrayMemory0 === null || cachedFloat32ArrayMemory0.byteLength === 0) {
        cachedFloat32ArrayMemory0 = new Float32Array(wasm.memory.buffer);
    }
    return cachedFloat32ArrayMemory0;
}

let cachedFloat64ArrayMemory0 = null;
function getFloat64ArrayMemory0() {
    if (cachedFloat64ArrayMemory0 === null || cachedFloat64ArrayMemory0.byteLength === 0) {
        cachedFloat64ArrayMemory0 = new Float64Array(wasm.memory.buffer);
    }
    return cachedFloat64ArrayMemory0;
}

let cachedInt32ArrayMemory0 = null;
function getInt32ArrayMemory0() {
    if (cachedInt32ArrayMemory0 === null || cachedInt32ArrayMemory0.byteLength === 0) {
        cachedInt32ArrayMemory0 = new Int32Array(wasm.memory.buffer);
    }
    return cachedInt32ArrayMemory0;
}

function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

let cachedUint32ArrayMemory0 = null;
function getUint32ArrayMemory0() {
    if (cachedUint32ArrayMemory0 === null || cachedUint32ArrayMemory0.byteLength === 0) {
        cachedUint32ArrayMemory0 = new Uint32Array(wasm.memory.buffer);
    }
    return cachedUint32ArrayMemory0;
}

let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}

function handleError(f, args) {
    try {
        return f.apply(this, args);
    } catch (e) {
        const idx = addToExternrefTable0(e);
        wasm.__wbindgen_exn_store(idx);
    }
}

function isLikeNone(x) {
    return x === undefined || x === null;
}

function passArray32ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 4, 4) >>> 0;
    getUint32ArrayMemory0().set(arg, ptr / 4);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passArray64ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 8, 8) >>> 0;
    getBigUint64ArrayMemory0().set(arg, ptr / 8);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passArray8ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 1, 1) >>> 0;
    getUint8ArrayMemory0().set(arg, ptr / 1);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passArrayF32ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 4, 4) >>> 0;
    getFloat32ArrayMemory0().set(arg, ptr / 4);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passArrayF64ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 8, 8) >>> 0;
    getFloat64ArrayMemory0().set(arg, ptr / 8);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}

let __wbg_reinit_scheduled = false;

function takeFromExternrefTable0(idx) {
    const value = wasm.__wbindgen_externrefs.get(idx);
    wasm.__externref_table_dealloc(idx);
    return value;
}

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(bytes) {
    numBytesDecoded += bytes.length;
    if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
        cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
        cachedTextDecoder.decode();
        numBytesDecoded = bytes.length;
    }
    return cachedTextDecoder.decode(bytes);
}

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}

let WASM_VECTOR_LEN = 0;

let wasmModule, wasmInstance, wasm;
function __wbg_finalize_init(instance, module) {
    wasmInstance = instance;
    wasm = instance.exports;
    wasmModule = module;
    cachedBigUint64ArrayMemory0 = null;
    cachedDataViewMemory0 = null;
    cachedFloat32ArrayMemory0 = null;
    cachedFloat64ArrayMemory0 = null;
    cachedInt32ArrayMemory0 = null;
    cachedUint32ArrayMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    wasm.__wbindgen_start();
    return wasm;
}

async function __wbg_load(module, imports) {
    if (typeof Response === 'function' && module instanceof Response) {
        if (!module.ok) {
            throw new Error(`failed to fetch Wasm: ${module.status} ${module.statusText} fetching '${module.url}'`);
        }

        if (typeof WebAssembly.instantiateStreaming === 'function') {
            try {
                return await WebAssembly.instantiateStreaming(module, imports);
            } catch (e) {
                const validResponse = expectedResponseType(module.type);

                if (validResponse && module.headers.get('Content-Type') !== 'application/wasm') {
                    console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n", e);

                } else { throw e; }
            }
        }

        const bytes = await module.arrayBuffer();
        return await WebAssembly.instantiate(bytes, imports);
    } else {
        const instance = await WebAssembly.instantiate(module, imports);

        if (instance instanceof WebAssembly.Instance) {
            return { instance, module };
        } else {
            return instance;
        }
    }

    function expectedResponseType(type) {
        switch (type) {
            case 'basic': case 'cors': case 'default': return true;
        }
        return false;
    }
}

function initSync(module) {
    if (wasm !== undefined) return wasm;


    if (module !== undefined) {
        if (Object.getPrototypeOf(module) === Object.prototype) {
            ({module} = module)
        } else {
            console.warn('using deprecated parameters for `initSync()`; pass a single object instead')
        }
    }

    const imports = __wbg_get_imports();
    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }
    const instance = new WebAssembly.Instance(module, imports);
    return __wbg_finalize_init(instance, module);
}

let __wbg_init_promise;
async function __wbg_init(module_or_path) {
    if (wasm !== undefined) return wasm;
    if (__wbg_init_promise === undefined) {
        __wbg_init_promise = __wbg_init_once(module_or_path);
        __wbg_init_promise.catch(() => { __wbg_init_promise = undefined; });
    }
    return __wbg_init_promise;
}

async function __wbg_init_once(module_or_path) {

    if (module_or_path !== undefined) {
        if (Object.getPrototypeOf(module_or_path) === Object.prototype) {
            ({module_or_path} = module_or_path)
        } else {
            console.warn('using deprecated parameters for the initialization function; pass a single object instead')
        }
    }

    if (module_or_path === undefined) {
        module_or_path = new URL('vocabsmith_wasm_bg.wasm', import.meta.url);
    }
    const imports = __wbg_get_imports();

    if (typeof module_or_path === 'string' || (typeof Request === 'function' && module_or_path instanceof Request) || (typeof URL === 'function' && module_or_path instanceof URL)) {
        module_or_path = fetch(module_or_path);
    }

    const { instance, module } = await __wbg_load(await module_or_path, imports);

    return __wbg_finalize_init(instance, module);
}

export { initSync, __wbg_init as default };
