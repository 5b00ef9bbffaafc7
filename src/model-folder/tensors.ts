// The tensor planner: which tensors of a model have a vocabulary-sized axis, and what role each
// plays. It sees only names, dtypes and shapes, so every weight format (safetensors today, GGUF
// next) is planned by the same rules:
//   - the input embedding(s) and output head(s) (+ bias) share the vocabulary's row count R;
//   - a per-layer embedding (Gemma-3n `embed_tokens_per_layer`) covers the first R' ≤ R ids;
//   - any OTHER tensor with an axis of R or R' rows is refused: a vocabulary tensor the tool does
//     not know would be left at full size, and the model would load and be silently wrong.
// Rows R may exceed the tokenizer's ids (padding: Qwen3 has 151,936 rows for 151,669 ids) or fall
// short of them (Gemma-3 has 262,144 rows and `<image_soft_token>` at id 262,144): ids past the
// rows are never produced by the head, and the tokenizer keeps them past the rows.
import { VocabsmithError } from '../errors.js';

export interface TensorMeta {
  name: string;
  dtype: string;
  shape: number[];
  /** The file it lives in (for error messages). */
  file: string;
}

export type VocabRole = 'input' | 'output' | 'per-layer';

export interface VocabTensor extends TensorMeta {
  role: VocabRole;
}

export interface VocabPlan {
  tensors: VocabTensor[];
  /** Rows of the input embedding and head. */
  rows: number;
  /** Rows of the per-layer embedding, when the model has one. */
  perLayerRows?: number;
  /** The head is tied to the input embedding (no output tensor stored). */
  tied: boolean;
  /** Tokenizer ids that have no embedding row (ids past `rows`). */
  idsPastRows: number;
}

/** Name suffixes by role. */
const ROLES: [VocabRole, string[]][] = [
  // Llama/Mistral/Qwen/Gemma `embed_tokens`, GPT-2 `wte`, XLM-R `word_embeddings`, mT5 `shared`.
  ['input', ['embed_tokens.weight', 'wte.weight', 'word_embeddings.weight', 'shared.weight']],
  // The head and its bias; DeepSeek-V3's multi-token-prediction layers have their own `shared_head.head`.
  ['output', ['lm_head.weight', 'lm_head.bias', 'lm_head.decoder.weight', 'lm_head.decoder.bias', 'shared_head.head.weight']],
  ['per-layer', ['embed_tokens_per_layer.weight']],
];

const roleOf = (name: string): VocabRole | undefined =>
  ROLES.find(([, suffixes]) => suffixes.some((s) => name === s || name.endsWith(`.${s}`)))?.[0];

/** Below this, a row count could be a hidden size; real vocabularies are far larger. */
const MIN_VOCAB_FOR_GUARD = 1000;

/** Plans the vocabulary tensors of a model whose tokenizer has ids 0..idSpace-1. */
export function planVocab(all: TensorMeta[], idSpace: number, where: string): VocabPlan {
  const tensors: VocabTensor[] = [];
  for (const t of all) {
    const role = roleOf(t.name);
    if (role !== undefined) tensors.push({ ...t, role });
  }
  const main = tensors.filter((t) => t.role !== 'per-layer');
  const first = main.find((t) => t.role === 'input');
  if (first === undefined) {
    throw new VocabsmithError(`no input embedding tensor (names ending in ${ROLES[0]![1].join(', ')})`, where);
  }
  const rows = first.shape[0]!;
  for (const t of tensors) {
    const bias = t.name.endsWith('.bias');
    if (t.shape.length !== (bias ? 1 : 2)) {
      throw new VocabsmithError(`unknown tensor layout: ${t.name} has shape [${t.shape}], expected [vocab${bias ? '' : ', hidden'}]`, t.file);
    }
  }
  for (const t of main) {
    if (t.shape[0] !== rows) throw new VocabsmithError(`tensor ${t.name} has ${t.shape[0]} rows but ${first.name} has ${rows}`, t.file);
  }
  const perLayer = tensors.filter((t) => t.role === 'per-layer');
  const perLayerRows = perLayer[0]?.shape[0];
  for (const t of perLayer) {
    if (t.shape[0] !== perLayerRows || t.shape[0]! > rows) {
      throw new VocabsmithError(`per-layer embedding ${t.name} has ${t.shape[0]} rows; expected at most the ${rows} of ${first.name}`, t.file);
    }
  }
  // Fewer rows than ids is fine only for a few ids past the end (Gemma-3's image token,
  // CodeLlama's 4 infill tokens); far fewer means the weights belong to another tokenizer.
  if (rows < idSpace && idSpace - rows > Math.max(64, idSpace / 100)) {
    throw new VocabsmithError(`vocabulary size mismatch: the tokenizer has ${idSpace} ids but ${first.name} has ${rows} rows`, first.file);
  }
  if (rows >= MIN_VOCAB_FOR_GUARD) {
    const sizes = new Set([rows, perLayerRows].filter((x) => x !== undefined));
    for (const t of all) {
      if (roleOf(t.name) !== undefined) continue;
      const axis = t.shape.findIndex((d) => sizes.has(d));
      if (axis >= 0) {
        throw new VocabsmithError(
          `tensor ${t.name} [${t.shape}] has a vocabulary-sized axis (${t.shape[axis]}) that vocabsmith does not know how to resize; refusing rather than writing a model whose outputs would be silently wrong`,
          t.file,
        );
      }
    }
  }
  return { tensors, rows, perLayerRows, tied: !tensors.some((t) => t.role === 'output'), idsPastRows: Math.max(0, idSpace - rows) };
}
