/**
 * SuperBPE encoding efficiency: bytes per token on held-out text, BPE vs SuperBPE.
 *
 *   npm run bench:superbpe           (= tsx bench/superbpe.ts)
 *   tsx bench/superbpe.ts --vocabs 4000,8000,16000,32000 --transitions 0.5,0.75,0.9 --mixed-vocabs 32000
 *   tsx bench/superbpe.ts --no-mixed  (English only)
 *
 * BPE baseline: pattern `superbpe-stage1` (the paper's BPE baseline = SuperBPE's stage 1).
 * SuperBPE: stage 1 = that BPE up to the transition t, stage 2 = pattern `superbpe`
 * (whitespace no longer a boundary; official filters: at most 4 words per token, no
 * token spanning ": "). So at t, SuperBPE and BPE share their first t tokens.
 *
 * Corpora and held-out splits:
 *   english: corpora/en/*.txt (Shakespeare plays and sonnets, Milton, Britannica 1911;
 *            the licence file excluded). Every file is cut into blocks of 50 lines; blocks
 *            9, 19, 29, ... (every 10th) are held out, the rest is training data. So every
 *            file (and author, genre) is on both sides, in ~10%/90% proportion.
 *   english-files: whole held-out files: train on the other 13 files, test on
 *            shakespeare-hamlet.txt + britannica-1911-shakespeare.txt (an unseen play and unseen prose).
 *   mixed:   the 100 MB mixed corpus of bench/mixed-corpus.ts: train on parts 00-08
 *            (~90 MB), test on part 09 (~10 MB); documents are interleaved by hash, so
 *            the split is a random split by document.
 *
 * Bytes/token = UTF-8 bytes of the held-out text / tokens when it is encoded (as one
 * string per held-out file / part, no special tokens). Each corpus is counted once
 * (count files under bench/data/superbpe/), every training reads those counts.
 *
 * Output: bench/results/superbpe.json and bench/results/superbpe.md.
 */
import '../test/setup/ts-workers.js'; // worker threads from the .ts sources
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { CORPORA_DIR, REPO_ROOT } from '../test/helpers/corpus.js';
import { train } from '../src/train/train.js';
import { countInputs } from '../src/train/count.js';
import { writeCountFile } from '../src/train/countfile.js';
import { ensureMixedCorpus, MIXED_DIR } from './mixed-corpus.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}
const VOCABS = arg('vocabs', '4000,8000,16000,32000').split(',').map(Number);
const FRACTIONS = arg('transitions', '0.5,0.75,0.9').split(',').map(Number);
const MIXED_VOCABS = arg('mixed-vocabs', '32000').split(',').map(Number);
const MIXED = !process.argv.includes('--no-mixed');
const BLOCK = 50;
const WORK = join(REPO_ROOT, 'bench', 'data', 'superbpe');
const OUT_DIR = join(REPO_ROOT, 'bench', 'results');
const STAGE1 = 'superbpe-stage1';

interface Row {
  corpus: string;
  vocabSize: number;
  kind: 'BPE' | 'SuperBPE';
  transition: number | null;
  transitionFraction: number | null;
  /** vocab size actually reached (BPE can run out of pairs on a small corpus) */
  reached: number;
  tokens: number;
  bytesPerToken: number;
  /** tokens relative to BPE at the same vocab size (SuperBPE rows) */
  tokensVsBpe: number | null;
  trainS: number;
}

interface Split {
  name: string;
  trainFiles: string[];
  heldOut: string[]; // texts
  trainBytes: number;
  heldOutBytes: number;
  description: string;
}

function englishSplit(): Split {
  const dir = join(CORPORA_DIR, 'en');
  const out = join(WORK, 'en-train');
  mkdirSync(out, { recursive: true });
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.txt') && !/^(COPYING|LICENSE|README)/i.test(f))
    .sort();
  const trainFiles: string[] = [];
  const held: string[] = [];
  let trainBytes = 0;
  for (const f of files) {
    const lines = readFileSync(join(dir, f), 'utf8').split(/(?<=\n)/); // keep the newlines
    const tr: string[] = [];
    const ho: string[] = [];
    for (let i = 0; i < lines.length; i += BLOCK) {
      const block = lines.slice(i, i + BLOCK).join('');
      ((i / BLOCK) % 10 === 9 ? ho : tr).push(block);
    }
    const t = tr.join('');
    writeFileSync(join(out, f), t);
    trainFiles.push(join(out, f));
    trainBytes += Buffer.byteLength(t);
    held.push(ho.join(''));
  }
  const heldOut = held.filter((h) => h.length > 0);
  return {
    name: 'english',
    trainFiles,
    heldOut,
    trainBytes,
    heldOutBytes: heldOut.reduce((s, h) => s + Buffer.byteLength(h), 0),
    description: `corpora/en (${files.length} files), blocks of ${BLOCK} lines, every 10th block held out`,
  };
}

/** The split of the unit test: train on the other files, test on two whole held-out files. */
function englishFilesSplit(): Split {
  const dir = join(CORPORA_DIR, 'en');
  const held = ['shakespeare-hamlet.txt', 'britannica-1911-shakespeare.txt'];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.txt') && !/^(COPYING|LICENSE|README)/i.test(f))
    .sort();
  const trainFiles = files.filter((f) => !held.includes(f)).map((f) => join(dir, f));
  const heldOut = held.map((f) => readFileSync(join(dir, f), 'utf8'));
  return {
    name: 'english-files',
    trainFiles,
    heldOut,
    trainBytes: trainFiles.reduce((s, f) => s + statSync(f).size, 0),
    heldOutBytes: heldOut.reduce((s, h) => s + Buffer.byteLength(h), 0),
    description: `corpora/en: train on the other ${trainFiles.length} files, test on ${held.join(' + ')} (whole files: unseen play, unseen prose genre)`,
  };
}

function mixedSplit(): Split {
  const m = ensureMixedCorpus();
  const parts = m.parts.slice(0, 10);
  if (parts.length < 10) throw new Error('the mixed corpus has fewer than 10 parts');
  const trainParts = parts.slice(0, 9);
  const test = parts[9]!;
  return {
    name: 'mixed',
    trainFiles: trainParts.map((p) => join(MIXED_DIR, p.file)),
    heldOut: [readFileSync(join(MIXED_DIR, test.file), 'utf8')],
    trainBytes: trainParts.reduce((s, p) => s + p.bytes, 0),
    heldOutBytes: test.bytes,
    description: `bench/mixed-corpus.ts: train on ${trainParts.map((p) => p.file).join(', ')}, test on ${test.file}`,
  };
}

async function evaluate(split: Split, vocabs: number[], log: (s: string) => void): Promise<Row[]> {
  const t0 = performance.now();
  const set = await countInputs(split.trainFiles, { patterns: [STAGE1, 'superbpe'] });
  const supCounts = join(WORK, `${split.name}-superbpe.counts`);
  const bpeCounts = join(WORK, `${split.name}-bpe.counts`);
  writeCountFile(supCounts, set);
  writeCountFile(bpeCounts, { sequences: set.sequences, tables: [set.tables[0]!] });
  set.tables.forEach((t) => t.counts.free());
  log(`  counted ${(split.trainBytes / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const rows: Row[] = [];
  const measure = async (vocabSize: number, transition: number | null): Promise<Row> => {
    const t = performance.now();
    const r = await train(transition === null ? { fromCounts: [bpeCounts], vocabSize, pattern: STAGE1 } : { fromCounts: [supCounts], vocabSize, superbpe: { transition } });
    const trainS = (performance.now() - t) / 1000;
    const tok = r.tokenizer();
    const tokens = split.heldOut.reduce((s, h) => s + tok.encode(h).length, 0);
    tok.free();
    const row: Row = {
      corpus: split.name,
      vocabSize,
      kind: transition === null ? 'BPE' : 'SuperBPE',
      transition,
      transitionFraction: transition === null ? null : transition / vocabSize,
      reached: r.vocabSize,
      tokens,
      bytesPerToken: split.heldOutBytes / tokens,
      tokensVsBpe: null,
      trainS,
    };
    log(`  ${row.kind.padEnd(8)} v=${vocabSize} t=${transition ?? '-'}: ${row.bytesPerToken.toFixed(3)} bytes/token (${tokens} tokens, vocab ${r.vocabSize}, ${trainS.toFixed(1)} s)`);
    return row;
  };
  for (const v of vocabs) {
    const bpe = await measure(v, null);
    rows.push(bpe);
    for (const f of FRACTIONS) {
      const row = await measure(v, Math.round(v * f));
      row.tokensVsBpe = row.tokens / bpe.tokens;
      rows.push(row);
    }
  }
  return rows;
}

async function main() {
  if (process.argv.includes('--md-only')) {
    writeFileSync(join(OUT_DIR, 'superbpe.md'), markdown(JSON.parse(readFileSync(join(OUT_DIR, 'superbpe.json'), 'utf8'))));
    return;
  }
  mkdirSync(WORK, { recursive: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const log = (s: string) => process.stderr.write(s + '\n');
  const splits: Split[] = [englishSplit(), englishFilesSplit()];
  if (MIXED) splits.push(mixedSplit());
  const rows: Row[] = [];
  for (const s of splits) {
    log(`\n== ${s.name}: train ${(s.trainBytes / 1e6).toFixed(2)} MB, held out ${(s.heldOutBytes / 1e6).toFixed(2)} MB`);
    rows.push(...(await evaluate(s, s.name === 'mixed' ? MIXED_VOCABS : VOCABS, log)));
  }
  const result = {
    benchmark: 'superbpe',
    date: new Date().toISOString(),
    machine: { cores: os.availableParallelism(), os: `${os.type()} ${os.release()} ${os.arch()}` },
    versions: {
      vocabsmith: JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version,
      git: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim(),
      node: process.version,
    },
    settings: {
      bpePattern: STAGE1,
      superbpe: 'stage 1 superbpe-stage1, stage 2 superbpe, maxWords 4, forbid ": " (vocabsmith defaults = official SuperBPE)',
      initialAlphabet: '256 byte-level chars',
      specialTokens: [],
      transitions: FRACTIONS,
    },
    corpora: splits.map((s) => ({ name: s.name, description: s.description, trainBytes: s.trainBytes, heldOutBytes: s.heldOutBytes })),
    rows,
  };
  writeFileSync(join(OUT_DIR, 'superbpe.json'), JSON.stringify(result, null, 1) + '\n');
  writeFileSync(join(OUT_DIR, 'superbpe.md'), markdown(result));
  log('\nwrote bench/results/superbpe.json and bench/results/superbpe.md');
}

function markdown(r: { date: string; corpora: { name: string; description: string; trainBytes: number; heldOutBytes: number }[]; rows: Row[]; versions: Record<string, string> }): string {
  const L: string[] = ['# SuperBPE encoding efficiency', ''];
  L.push(
    'Bytes per token (UTF-8 bytes of held-out text / tokens; higher = fewer tokens) of BPE (pattern `superbpe-stage1`, the paper\'s BPE baseline) and SuperBPE ' +
      '(stage 1 = that BPE up to the transition t, then stage 2 with pattern `superbpe`, at most 4 words per token, no token spanning ": "), at the same vocabulary size. ' +
      `"tokens vs BPE" = tokens SuperBPE / tokens BPE on the same text. vocabsmith ${r.versions.vocabsmith} (${r.versions.git}), ${r.date.slice(0, 10)}.`,
    '',
  );
  for (const c of r.corpora) {
    const rows = r.rows.filter((x) => x.corpus === c.name);
    L.push(`## ${c.name}`, '', `${c.description}: train ${(c.trainBytes / 1e6).toFixed(2)} MB, held out ${(c.heldOutBytes / 1e6).toFixed(2)} MB.`, '');
    const fr = [...new Set(rows.filter((x) => x.transitionFraction !== null).map((x) => x.transitionFraction as number))].sort();
    L.push(`| vocab | BPE | ${fr.map((f) => `SuperBPE t=${Math.round(f * 100)}%`).join(' | ')} | best gain |`);
    L.push(`|---:|---:|${fr.map(() => '---:').join('|')}|---:|`);
    for (const v of [...new Set(rows.map((x) => x.vocabSize))]) {
      const bpe = rows.find((x) => x.vocabSize === v && x.kind === 'BPE')!;
      const sup = fr.map((f) => rows.find((x) => x.vocabSize === v && x.transitionFraction === f));
      const cell = (x: Row | undefined) => (x ? `${x.bytesPerToken.toFixed(3)} (${x.tokensVsBpe!.toFixed(3)})` : '');
      const bestS = Math.max(...sup.map((x) => x?.bytesPerToken ?? 0));
      const reached = bpe.reached < v ? ` (reached ${bpe.reached})` : '';
      L.push(`| ${v}${reached} | ${bpe.bytesPerToken.toFixed(3)} | ${sup.map(cell).join(' | ')} | +${((bestS / bpe.bytesPerToken - 1) * 100).toFixed(1)}% |`);
    }
    L.push('', 'Cells: bytes/token (tokens vs BPE).', '');
  }
  L.push(...interpretation(r.rows));
  return L.join('\n');
}

/** The reading of the numbers, against the paper's; figures are filled in from this run. */
function interpretation(rows: Row[]): string[] {
  const at = (corpus: string) => {
    const rs = rows.filter((x) => x.corpus === corpus);
    if (!rs.length) return undefined;
    // the largest vocab size that BPE reached in full (a comparison of equal vocabularies)
    const full = rs.filter((x) => x.kind === 'BPE' && x.reached >= x.vocabSize).map((x) => x.vocabSize);
    const v = full.length ? Math.max(...full) : Math.max(...rs.map((x) => x.vocabSize));
    const bpe = rs.find((x) => x.vocabSize === v && x.kind === 'BPE')!;
    const sup = rs.filter((x) => x.vocabSize === v && x.kind === 'SuperBPE').sort((a, b) => b.bytesPerToken - a.bytesPerToken)[0]!;
    const pct = (sup.bytesPerToken / bpe.bytesPerToken - 1) * 100;
    return { v, bpe, sup, text: `${bpe.bytesPerToken.toFixed(2)} → ${sup.bytesPerToken.toFixed(2)} bytes/token (+${pct.toFixed(0)}%, ${((1 - sup.tokensVsBpe!) * 100).toFixed(0)}% fewer tokens, t=${Math.round(sup.transitionFraction! * 100)}%) at ${v / 1000}k` };
  };
  const en = at('english');
  const ef = at('english-files');
  const mx = at('mixed');
  const L = ['## Reading the numbers', ''];
  L.push(
    'The SuperBPE paper (Liu et al., 2025), as quoted for this benchmark, reports BPE 4.26 → SuperBPE 5.55 bytes/token (+30%, 23% fewer tokens) ' +
      'at vocab 50k, trained on ~10 GB of English web text. (Quoted, not re-checked here: this benchmark runs offline.) Here:',
    '',
  );
  if (en) L.push(`- english (held-out 50-line blocks of every file): ${en.text}.`);
  if (ef) L.push(`- english-files (unseen Hamlet + Britannica article): ${ef.text}.`);
  if (mx) L.push(`- mixed 100 MB (≈85% code, UDHR in ~500 languages, some English prose; random document split): ${mx.text}.`);
  L.push(
    '',
    '(Each line: the largest vocabulary size that BPE reached in full, and the best transition there.)',
    '',
    "Absolute bytes/token are lower than the paper's on every corpus, as expected: a 32k vocabulary instead of 50k, and 1.8 MB (English) " +
      'instead of 10 GB of training text, so BPE spends its later merges on rare words and names that hardly recur in held-out text ' +
      '(BPE gains little from 16k to 32k); the English is early-modern verse and dialogue with short lines (26 bytes on average in ' +
      'the plays), and training reads files line by line (as HF does), so no token spans a line break: this caps how long a ' +
      "SuperBPE superword can get, far more than in the paper's paragraph-long web documents; the mixed corpus is mostly code and " +
      'many scripts whose UTF-8 is 2-3 bytes per character.',
    '',
    "The relative gain is another matter. On held-out blocks of the same plays it is about as large as the paper's at 32k: " +
      'SuperBPE spends its stage-2 vocabulary on multi-word units that recur within these texts (among the first ' +
      'superwords at 32k/t=50%: " to the", " to be", ", my lord", " it is", " thou art", " no more"), and with so little data those units are worth more ' +
      "than BPE's rare-word tail. The whole-file split is the fairer test of generalisation: bytes/token drop for both (an unseen " +
      "play's names, and a modern encyclopaedia article against a vocabulary learnt from verse), and the gain is smaller, because " +
      "many superwords are specific to the training plays. (At 32k, BPE on these 1.5 MB runs out of pairs before 32k, see the table, " +
      'while SuperBPE reaches 32k: that row compares unequal vocabularies.) On the mixed corpus the gain lies between the two: ' +
      '90 MB of training data from the same distribution as the test part lets superwords generalise, but code and scripts ' +
      'written without spaces gain little from crossing whitespace (BPE already merges freely inside a run of CJK or Thai ' +
      'letters, and in code the stage-2 pattern still splits at runs of 2+ punctuation chars and at indentation), and 32k ' +
      'tokens are shared between 7 kinds of source and ~500 languages.',
    '',
    'Earlier transitions compress more here: t=50% and t=75% are within ~1% of each other (either can be ahead), t=90% is clearly behind, ' +
      'because stage 2 gets less of the vocabulary. ' +
      "The paper's preferred late transition (t=180k of 200k, as we recall it) was chosen for downstream model quality, not for compression. " +
      'The gain grows with the vocabulary size: BPE saturates, superwords keep paying.',
    '',
  );
  return L;
}

await main();
