import { Command, InvalidArgumentError } from 'commander';
import { loadGguf } from '../lm/from-gguf.js';
import { seededRandom } from '../lm/random.js';

const number = (min: number, max: number, int = false) => (v: string) => {
  const x = Number(v);
  if (!Number.isFinite(x) || x < min || x > max || (int && !Number.isInteger(x))) {
    throw new InvalidArgumentError(`expected a ${int ? 'whole ' : ''}number in [${min}, ${max}]`);
  }
  return x;
};

interface Opts {
  model: string;
  prompt: string;
  bytes: number;
  temperature: number;
  seed?: number;
  threads?: number;
}

/** Byte-level sampling from a GGUF model: the prompt may end anywhere, even inside a token. */
export function generateCommand(): Command {
  return new Command('generate')
    .description('Sample bytes from a GGUF model after a prompt, byte by byte (prompt healing: the prompt may end mid-token), streamed to stdout.')
    .requiredOption('-m, --model <file>', 'GGUF model (run with node-llama-cpp; tokenizer read from the GGUF)')
    .requiredOption('-p, --prompt <text>', 'text to continue (its bytes are kept exactly)')
    .option('-n, --bytes <n>', 'bytes to generate at most (stops earlier at end of text)', number(1, 1e7, true), 64)
    .option('-t, --temperature <t>', '0 = greedy', number(0, 100), 1)
    .option('-s, --seed <s>', 'random seed: the same seed gives the same output', number(0, 2 ** 32 - 1, true))
    .option('--threads <n>', 'CPU threads (default: the cores not busy: cores minus the load average, at least 1)', number(1, 1024, true))
    .addHelpText(
      'after',
      '\nExamples:\n  vocabsmith generate --model SmolLM2-135M-Instruct.Q4_1.gguf --prompt $\'def fib(n):\\n    ret\' --bytes 40 --temperature 0\n' +
        '  vocabsmith generate --model model.gguf --prompt "Once upon a ti" --seed 7',
    )
    .action(async (o: Opts) => {
      const g = await loadGguf(o.model, o.threads === undefined ? {} : { threads: o.threads });
      try {
        const seed = o.seed ?? Math.floor(Math.random() * 2 ** 32);
        await g.byteLM.generate(o.prompt, {
          maxBytes: o.bytes,
          temperature: o.temperature,
          random: seededRandom(seed),
          onByte: (b) => process.stdout.write(Uint8Array.of(b)),
        });
      } finally {
        await g.model.dispose();
      }
    });
}
