import cliProgress from 'cli-progress';

/** Progress bars on stderr, one per phase, with ETA; silent when stderr is not a terminal unless forced. */
export class Bars {
  #multi: cliProgress.MultiBar | undefined;
  #bars = new Map<string, cliProgress.SingleBar>();

  constructor(enabled = process.stderr.isTTY === true) {
    if (!enabled) return;
    this.#multi = new cliProgress.MultiBar(
      {
        format: ' {phase} |{bar}| {percentage}% | {value}/{total} {unit} | ETA {eta_formatted}',
        hideCursor: true,
        clearOnComplete: false,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  update(phase: string, done: number, total: number, unit = ''): void {
    if (!this.#multi) return;
    let bar = this.#bars.get(phase);
    if (!bar) {
      bar = this.#multi.create(Math.max(total, 1), 0, { phase: phase.padEnd(16), unit });
      this.#bars.set(phase, bar);
    }
    if (total > 0) bar.setTotal(total);
    bar.update(Math.min(done, Math.max(total, done)));
  }

  stop(): void {
    this.#multi?.stop();
  }
}
