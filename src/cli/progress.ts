import cliProgress from 'cli-progress';

const REDRAW_MS = 100;

/** Progress is drawn on a terminal, or anywhere when VOCABSMITH_PROGRESS=1 (one line per redraw then). */
export const progressWanted = (): boolean => process.stderr.isTTY === true || process.env.VOCABSMITH_PROGRESS === '1';

/**
 * Progress bars on stderr, one per phase, with ETA; silent when stderr is not a terminal unless
 * forced. cli-progress redraws a MultiBar from a timer, which never fires while the main thread
 * is inside a long synchronous WASM call (BPE merges, SuperBPE, report measurement, trimming):
 * so update() redraws itself, at most every REDRAW_MS.
 */
export class Bars {
  #multi: cliProgress.MultiBar | undefined;
  #bars = new Map<string, cliProgress.SingleBar>();
  #drawn = 0;

  constructor(enabled = progressWanted()) {
    if (!enabled) return;
    this.#multi = new cliProgress.MultiBar(
      {
        format: ' {phase} |{bar}| {percentage}% | {value}/{total} {unit} | ETA {eta_formatted}',
        hideCursor: true,
        clearOnComplete: false,
        stream: process.stderr,
        noTTYOutput: process.stderr.isTTY !== true,
        notTTYSchedule: REDRAW_MS,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  update(phase: string, done: number, total: number, unit = ''): void {
    if (!this.#multi) return;
    let bar = this.#bars.get(phase);
    const fresh = !bar;
    if (!bar) {
      bar = this.#multi.create(Math.max(total, 1), 0, { phase: phase.padEnd(20), unit });
      this.#bars.set(phase, bar);
    }
    if (total > 0) bar.setTotal(total);
    bar.update(Math.min(done, Math.max(total, done)));
    const now = performance.now();
    // A new phase is drawn at once: the user sees what runs now even if it is one long call.
    if (fresh || now - this.#drawn >= REDRAW_MS) {
      this.#drawn = now;
      this.#multi.update();
    }
  }

  stop(): void {
    this.#multi?.stop();
  }
}
