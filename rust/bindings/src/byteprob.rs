//! Bindings of the byte-probability core: a byte model (tokenizer side) and its cover states.
//! The numbers (model log-probabilities) stay in JS; these calls say which ones are needed.
use std::rc::Rc;
use vocabsmith_core::byteprob::{ByteModel, CoverState, NONE};
use vocabsmith_core::load::from_json_str;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = WasmByteModel)]
pub struct WasmByteModel {
    inner: Rc<ByteModel>,
}

#[wasm_bindgen(js_class = WasmByteModel)]
impl WasmByteModel {
    /// Parses a `tokenizer.json` and checks it can be handled byte-exactly.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(json: &str) -> Result<WasmByteModel, JsError> {
        let tok = from_json_str(json).map_err(|e| JsError::new(&e.to_string()))?;
        let inner = ByteModel::new(tok).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(WasmByteModel {
            inner: Rc::new(inner),
        })
    }

    /// True when every result is exact under the canonical-encoding assumption: no splitting
    /// pretokenizer, or one of the known scanners (see the core docs).
    #[wasm_bindgen(getter)]
    pub fn exact(&self) -> bool {
        self.inner.exact
    }

    #[wasm_bindgen(getter, js_name = maxTokenLength)]
    pub fn max_token_length(&self) -> usize {
        self.inner.max_len
    }

    /// Ids the tokenizer knows, added tokens included.
    #[wasm_bindgen(getter, js_name = vocabSize)]
    pub fn vocab_size(&self) -> usize {
        self.inner.tok.vocab_size().max(self.inner.bytes.len())
    }

    /// First byte of each text token's bytes, 256 for ids that are no text token.
    #[wasm_bindgen(js_name = firstBytes)]
    pub fn first_bytes(&self) -> Vec<u16> {
        let mut out = vec![256u16; self.vocab_size()];
        for &t in &self.inner.sorted {
            out[t as usize] = self.inner.bytes[t as usize][0] as u16;
        }
        out
    }

    #[wasm_bindgen(js_name = tokenBytes)]
    pub fn token_bytes(&self, id: u32) -> Vec<u8> {
        self.inner
            .bytes
            .get(id as usize)
            .cloned()
            .unwrap_or_default()
    }

    /// Ids of the text tokens whose bytes start with `prefix`.
    #[wasm_bindgen(js_name = prefixIds)]
    pub fn prefix_ids(&self, prefix: &[u8]) -> Vec<u32> {
        let (lo, hi) = self.inner.prefix_range(prefix);
        self.inner.sorted[lo..hi].to_vec()
    }

    /// A cover state for the empty prefix.
    pub fn state(&self) -> WasmCoverState {
        WasmCoverState {
            inner: CoverState::new(Rc::clone(&self.inner)),
            model: Rc::clone(&self.inner),
        }
    }
}

#[wasm_bindgen(js_name = WasmCoverState)]
pub struct WasmCoverState {
    inner: CoverState,
    model: Rc<ByteModel>,
}

#[wasm_bindgen(js_class = WasmCoverState)]
impl WasmCoverState {
    pub fn push(&mut self, byte: u8) {
        self.inner.push(byte)
    }

    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.x.len()
    }

    /// Whether the text may end here (not after a partial char for SentencePiece BPE).
    #[wasm_bindgen(getter, js_name = mayEnd)]
    pub fn may_end(&self) -> bool {
        self.model.may_end(&self.inner.x)
    }

    /// False once a piece boundary taken as settled moved under some continuation.
    #[wasm_bindgen(getter, js_name = chainOk)]
    pub fn chain_ok(&self) -> bool {
        self.inner.chain_ok
    }

    /// Token ids of a node.
    pub fn path(&self, node: u32) -> Vec<u32> {
        self.inner.path(node)
    }

    /// `[parent node, last token]` of a node, or `[]` for the root.
    pub fn link(&self, node: u32) -> Vec<u32> {
        self.inner
            .link(node)
            .map_or_else(Vec::new, |(p, t)| vec![p, t])
    }

    /// Byte length of a node's tokens.
    pub fn end(&self, node: u32) -> usize {
        self.inner.end(node)
    }

    /// The node of the canonical encoding of the bytes so far; 2^32 - 1 when there is none.
    pub fn canonical(&mut self) -> u32 {
        self.inner.canonical()
    }

    /// Flat plan: `[S, (node, k, t1, b1, ..., tk, bk) × S, E, (node, flags, m, id_1..id_m) × E]`;
    /// `b` is the byte t adds after x, or 256 when t ends exactly at the end of x; flags bit 0:
    /// the node is the canonical encoding (end of text may follow), bit 1: the ids listed are
    /// the valid ones (else the invalid ones).
    pub fn plan(&mut self, include_exact: bool) -> Vec<u32> {
        let p = self.inner.plan(include_exact);
        let mut out = vec![p.splits.len() as u32];
        for s in &p.splits {
            out.push(s.node);
            out.push(s.cands.len() as u32);
            for &(t, b) in &s.cands {
                out.push(t);
                out.push(if b == NONE { 256 } else { b });
            }
        }
        out.push(p.ends.len() as u32);
        for e in p.ends {
            out.push(e.node);
            out.push(e.canonical as u32 | (e.listed_valid as u32) << 1);
            out.push(e.ids.len() as u32);
            out.extend(e.ids);
        }
        out
    }
}
