//! Bindings of the byte-probability core: a byte model (tokenizer side) and its cover states.
//! The model's vectors cross once each (checked and summed in the core); these calls say which
//! ones are needed.
use std::rc::Rc;
use vocabsmith_core::byteprob::masses::Sums;
use vocabsmith_core::byteprob::{ByteModel, CoverState, Masses, VectorKind};
use vocabsmith_core::tokenizer::json::from_json_str;
use wasm_bindgen::prelude::*;

/// What a model's vectors hold: log-probabilities (log-softmax) or probabilities (softmax).
#[wasm_bindgen]
pub enum VectorOutput {
    LogProbs = "logProbs",
    Probs = "probs",
}

fn kind(output: VectorOutput) -> Result<VectorKind, JsError> {
    match output {
        VectorOutput::LogProbs => Ok(VectorKind::LogProbs),
        VectorOutput::Probs => Ok(VectorKind::Probs),
        _ => Err(JsError::new("unknown output (logProbs, probs)")),
    }
}

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

    /// Checks a vector (one value per id, `ids` of them; log-probs: finite, log-softmax;
    /// probabilities: finite, ≥ 0, total near 1) without keeping it: vectors read only for the
    /// weights of chain links (no byte-order sums are built). Returns the total (Σ exp or Σ).
    #[wasm_bindgen(js_name = checkVector32)]
    pub fn check_vector32(
        &self,
        q: &[f32],
        ids: usize,
        output: VectorOutput,
    ) -> Result<f64, JsError> {
        Sums::check(&self.inner, q, ids, kind(output)?).map_err(|e| JsError::new(&e.to_string()))
    }

    #[wasm_bindgen(js_name = checkVector64)]
    pub fn check_vector64(
        &self,
        q: &[f64],
        ids: usize,
        output: VectorOutput,
    ) -> Result<f64, JsError> {
        Sums::check(&self.inner, q, ids, kind(output)?).map_err(|e| JsError::new(&e.to_string()))
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

    /// The parent node and last token of a node; undefined for the root.
    pub fn link(&self, node: u32) -> Option<NodeLink> {
        self.inner
            .link(node)
            .map(|(parent, token)| NodeLink { parent, token })
    }

    /// Byte length of a node's tokens.
    pub fn end(&self, node: u32) -> usize {
        self.inner.end(node)
    }

    /// The node of the canonical encoding of the bytes so far; 2^32 - 1 when there is none.
    pub fn canonical(&mut self) -> u32 {
        self.inner.canonical()
    }

    /// Lays out the covers of the bytes so far and returns their nodes, each once. Before
    /// `masses`, every one needs its vector (`setVector32`/`setVector64`) and a weight.
    #[wasm_bindgen(js_name = layOut)]
    pub fn lay_out(&mut self) -> Vec<u32> {
        self.inner.lay_out()
    }

    #[wasm_bindgen(js_name = hasVector)]
    pub fn has_vector(&self, node: u32) -> bool {
        self.inner.has_vector(node)
    }

    /// Takes the model's next-token vector after `node` (one value per id, `ids` of them;
    /// `eos` is the end-of-text id; `output`: what the values are): checked (as
    /// `checkVector32`) and kept as range sums in the core, so only 257 numbers come back per
    /// byte. Returns the total (Σ exp or Σ; probabilities are read divided by it).
    #[wasm_bindgen(js_name = setVector32)]
    pub fn set_vector32(
        &mut self,
        node: u32,
        q: &[f32],
        eos: u32,
        ids: usize,
        output: VectorOutput,
    ) -> Result<f64, JsError> {
        self.inner
            .set_vector(node, q, eos, ids, kind(output)?)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    #[wasm_bindgen(js_name = setVector64)]
    pub fn set_vector64(
        &mut self,
        node: u32,
        q: &[f64],
        eos: u32,
        ids: usize,
        output: VectorOutput,
    ) -> Result<f64, JsError> {
        self.inner
            .set_vector(node, q, eos, ids, kind(output)?)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Next-byte masses of the last `layOut`; `weights[i]` = log P(tokens of node i) for the
    /// nodes `layOut` returned, in that order.
    pub fn masses(&self, nodes: &[u32], weights: &[f64]) -> Result<ByteMasses, JsError> {
        let w: std::collections::HashMap<u32, f64> =
            nodes.iter().copied().zip(weights.iter().copied()).collect();
        let m = self
            .inner
            .masses(|n| w.get(&n).copied().unwrap_or(f64::NEG_INFINITY))
            .ok_or_else(|| {
                JsError::new("internal: masses asked without a layout or a node's vector")
            })?;
        Ok(ByteMasses { inner: m })
    }
}

/// A node's place in the tree of token sequences: the node it extends and the token added.
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub struct NodeLink {
    pub parent: u32,
    pub token: u32,
}

/// Next-byte masses, relative to `exp(reference)`.
#[wasm_bindgen(js_name = ByteMasses)]
pub struct ByteMasses {
    inner: Masses,
}

#[wasm_bindgen(js_class = ByteMasses)]
impl ByteMasses {
    /// Mass per next byte 0..255, and index 256 = end of text.
    #[wasm_bindgen(getter)]
    pub fn next(&self) -> Vec<f64> {
        self.inner.next.clone()
    }

    /// Mass of the covers of the bytes as a prefix.
    #[wasm_bindgen(getter)]
    pub fn prefix(&self) -> f64 {
        self.inner.prefix
    }

    /// End nodes' mass on tokens that may not follow them (non-canonical or special).
    #[wasm_bindgen(getter)]
    pub fn lost(&self) -> f64 {
        self.inner.lost
    }

    /// log of the weight every mass is relative to.
    #[wasm_bindgen(getter)]
    pub fn reference(&self) -> f64 {
        self.inner.reference
    }
}
