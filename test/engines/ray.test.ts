// The Ray Data counting job (dist-engines/ray) in Ray's local mode on four shards of the bundled
// English corpus: the tokenizer.json is byte-identical to `vocabsmith train --corpus` on the same
// data (text, JSONL, Parquet; BPE and SuperBPE), and bad shards give one error naming the shard
// with nothing written. Needs ray[data] in .venv (scripts/setup.sh installs it) and dist/ built.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/corpus.js';
import { pythonPath } from '../helpers/oracle.js';

interface Outcome {
  name: string;
  identical?: boolean;
  merges?: number;
  error?: string | null;
  written?: boolean;
}

describe('Ray Data job (local mode)', () => {
  it('matches direct training byte for byte; bad shards fail naming the shard, writing nothing', async () => {
    const work = join(mkdtempSync(join(tmpdir(), 'vocabsmith-ray-')), 'w');
    // Asynchronous: the job runs for minutes, and a blocked worker misses vitest's RPC replies.
    const r = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        pythonPath(),
        [join(REPO_ROOT, 'dist-engines', 'ray', 'check_job.py'), work],
        { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, RAY_USAGE_STATS_ENABLED: '0' } },
        (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    const report = JSON.parse(r.stdout.trim().split('\n').pop() as string) as Outcome[];
    const by = Object.fromEntries(report.map((o) => [o.name, o]));
    for (const name of ['text-bpe', 'jsonl-bpe', 'parquet-bpe', 'text-superbpe']) {
      expect(by[name]?.identical, name).toBe(true);
      expect(by[name]?.merges).toBeGreaterThan(2000);
    }
    const bad: [string, RegExp][] = [
      ['truncated-counts', /truncated\.counts: truncated count file/],
      ['corrupt-counts', /flipped\.counts: corrupt count file/],
      ['undecodable-shard', /latin1\.txt: invalid UTF-8 on line 2/],
      ['not-gzip-shard', /notgzip\.txt\.gz: cannot decompress/],
      ['mixed-settings', /o200k\.counts: counted with other settings/],
    ];
    for (const [name, message] of bad) {
      expect(by[name]?.error, name).toMatch(message);
      expect(by[name]?.error).not.toMatch(/\/tmp\/vocabsmith-ray-merge|in\d+\.counts/); // shards named, not temp files
      expect(by[name]?.written, name).toBe(false);
    }
  }, 1_200_000);
});
