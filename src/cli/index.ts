#!/usr/bin/env node
// The vocabsmith command line: one file per command; errors end with one clear line and exit 1.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { encodeCommand } from './encode.js';
import { decodeCommand } from './decode.js';
import { statsCommand } from './stats.js';
import { trainCommand } from './train.js';
import { countCommand } from './count.js';
import { trimCommand } from './trim.js';
import { reportCommand } from './report.js';
import { demoCommand } from './demo.js';
import { mergeBatchCommand } from './merge-batch.js';
import { remapCommand } from './remap.js';

// package.json sits two levels up from both src/cli/ and dist/cli/.
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command()
  .name('vocabsmith')
  .version(pkg.version, '-V, --version', 'print the vocabsmith version')
  .description('Tokenizer and vocabulary engineering: HF-exact BPE encoding, with a Rust core in WebAssembly.')
  .showHelpAfterError();

program.addCommand(encodeCommand());
program.addCommand(decodeCommand());
program.addCommand(statsCommand());
program.addCommand(trainCommand());
program.addCommand(countCommand());
program.addCommand(trimCommand());
program.addCommand(reportCommand());
program.addCommand(demoCommand());
program.addCommand(mergeBatchCommand());
program.addCommand(remapCommand());

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`vocabsmith: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
