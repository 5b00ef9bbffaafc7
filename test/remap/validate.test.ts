import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realTokenizer } from '../helpers/tokenizers.js';
import { pythonPath } from '../helpers/oracle.js';
import { runProcess } from '../helpers/cli.js';

// scripts/validate_remap.py loads trimmed and remapped folders in transformers with torch (CPU):
// the setup script installs both into .venv, so in CI this runs; a checkout without them says so.
const hasTorch = spawnSync(pythonPath(), ['-c', 'import torch, transformers'], { encoding: 'utf8' }).status === 0;
if (!hasTorch && process.env.CI) throw new Error('CI: torch + transformers must be installed in .venv (scripts/setup.sh)');

describe('trimmed and remapped folders serve in transformers (scripts/validate_remap.py)', () => {
  it.skipIf(!hasTorch)(
    'identity for Llama-3/Qwen3/Gemma3, roles + generate stops, FVT vs numpy (and a broken row caught), chat template after trims, trimmed logits, Gemma-2/3n configs',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-validate-toks-'));
      for (const name of ['llama3', 'qwen3', 'gemma3'] as const) {
        const t = realTokenizer(name);
        mkdirSync(join(dir, name));
        copyFileSync(t.path, join(dir, name, 'tokenizer.json'));
        copyFileSync(t.configPath, join(dir, name, 'tokenizer_config.json'));
      }
      const script = fileURLToPath(new URL('../../scripts/validate_remap.py', import.meta.url));
      const cli = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));
      // Awaited, not spawnSync: the run takes minutes, and a worker blocked that long loses its RPC.
      const r = await runProcess(pythonPath(), [script, '--cli', cli, '--node', process.execPath, '--tokenizers', dir], '', { TOKENIZERS_PARALLELISM: 'false' });
      const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
      console.log(lines.join('\n') || r.stderr.slice(-2000));
      const checks = lines.slice(0, -1).map((l) => JSON.parse(l) as { check: string; ok: boolean });
      expect(checks.filter((c) => !c.ok)).toEqual([]);
      expect(new Set(checks.map((c) => c.check))).toEqual(new Set(['identity', 'roles', 'fvt', 'fvt-mutation-caught', 'template', 'trimmed-logits', 'configs']));
      expect(r.status).toBe(0);
    },
    1_800_000,
  );
});
