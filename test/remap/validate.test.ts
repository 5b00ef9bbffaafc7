import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { realTokenizer } from '../helpers/tokenizers.js';
import { pythonPath } from '../helpers/oracle.js';
import { runProcess } from '../helpers/cli.js';

// scripts/validate_remap.py needs torch + transformers; it runs where they are installed (GPU
// machines, or a venv with `pip install torch`) and is skipped, saying so, elsewhere.
const hasTorch = spawnSync(pythonPath(), ['-c', 'import torch, transformers'], { encoding: 'utf8' }).status === 0;

describe('remapped folders load in transformers (scripts/validate_remap.py)', () => {
  // Awaited, not spawnSync: the run takes minutes, and a worker blocked that long loses its RPC.
  it.skipIf(!hasTorch)('same tokenizer: logits equal; another tokenizer: loads and runs', async () => {
    const script = fileURLToPath(new URL('../../scripts/validate_remap.py', import.meta.url));
    const cli = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));
    const r = await runProcess(pythonPath(), [script, '--cli', cli, '--node', process.execPath, '--tokenizer', realTokenizer('llama3').path, '--target', realTokenizer('gemma3').path]);
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    console.log(last || r.stderr.slice(-2000));
    expect(r.status).toBe(0);
    expect(JSON.parse(last).ok).toBe(true);
  });
});
