// Auxiliary vectors for FOCUS / OMP remapping (`--aux`): one [target ids, dim] float tensor in a
// safetensors file, as scripts/aux_vectors.py writes (fastText over target-tokenized text) or a
// donor model's input embeddings saved alone.
import { VocabsmithError } from './errors.js';
import { accumulate, floatDtype } from './formats/dtype.js';
import { readSafetensorsHeader, readTensor } from './formats/safetensors.js';
import type { AuxVectors } from './remap.js';

/** The first tensor of a safetensors file as [target ids, dim] f32 rows. */
export function readAuxVectors(path: string): AuxVectors {
  const f = readSafetensorsHeader(path);
  const t = f.tensors[0];
  if (t === undefined || t.shape.length !== 2) throw new VocabsmithError('expected one [target ids, dim] tensor', path);
  const dtype = floatDtype(t.dtype, t.name);
  const [rows, dim] = [t.shape[0]!, t.shape[1]!];
  const acc = new Float64Array(rows * dim);
  accumulate(readTensor(f, t), 0, rows * dim, dtype, acc);
  return { vectors: Float32Array.from(acc), dim };
}
