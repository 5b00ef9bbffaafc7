import cliProgress from 'cli-progress';
import { loadSteps } from '../load-progress.js';
import type { LoadOptions } from '../tokenizer.js';

const REDRAW_MS = 100;

/** Progress is drawn on a terminal, or anywhere when VOCABSMITH_PROGRESS=1 (one line per redraw then). */
export const progressWanted = (): boolean => process.stderr.isTTY === true || process.env.VOCABSMITH_PROGRESS === '1';

/**
 * Progress bars on stderr, one per phase, with ETA; silent when stderr is not a terminal unless
 * forced. cli-progress redraws a MultiBar from a timer, which never fires while the main thread
 * is inside a long synchronous WASM call (BPE merges, SuperBPE, report measurement, trimming,
 * loading a large tokenizer.json):
 * so update() redraws itself, at most every REDRAW_MS.
 */
export class Bars {
  #multi: cliProgress.MultiBar | undefined;
  #bars = new Map<string, cliProgress.SingleBar>();
  #drawn = 0;

  /** Whether anything is drawn: a command asks the core for progress only then. */
  get enabled(): boolean {
    return this.#multi !== undefined;
  }

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
        // cli-progress's ETA is 'NULL' or 'INF' until two updates differ, and its time format keeps
        // the last two characters of that ('ETA LLs'): say nothing is known yet instead.
        formatTime: (t, options, round) => (typeof t === 'number' && Number.isFinite(t) ? cliProgress.Format.TimeFormat(t, options, round) : '--'),
      },
      cliProgress.Presets.shades_classic,
    );
  }

  /** `label` (default: `phase`) is what the bar shows; it may change, as a load's stage does. */
  update(phase: string, done: number, total: number, unit = '', label = phase): void {
    if (!this.#multi) return;
    let bar = this.#bars.get(phase);
    const fresh = !bar;
    const payload = { phase: label.padEnd(20), unit };
    if (!bar) {
      bar = this.#multi.create(Math.max(total, 1), 0, payload);
      this.#bars.set(phase, bar);
    }
    if (total > 0) bar.setTotal(total);
    bar.update(Math.min(done, Math.max(total, done)), payload);
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

/** Load options that draw a tokenizer's load on `bars` as one bar, `name`, labelled with the core's stage. */
export function loadBar(bars: Bars, name = 'load'): LoadOptions {
  if (!bars.enabled) return {};
  return { onProgress: loadSteps((done, total, stage) => bars.update(name, done, total, '‰', `${name}: ${stage}`)) };
}

/** `f` with fresh bars, stopped after it whatever happens. */
export function withBars<T>(f: (bars: Bars) => T): T {
  const bars = new Bars();
  try {
    return f(bars);
  } finally {
    bars.stop();
  }
}
