// Progress of long-running scripts, on stderr so their stdout stays data: a step that takes a
// while ("building the desk… done in 950 ms") and a counter for N items with rate and ETA.
// On a terminal the line is redrawn in place; in CI logs (not a TTY) a line is printed at each
// tenth of the way, so the log shows the run moving without flooding it.

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  /** milliseconds since some origin; tests pass a fake */
  now?: () => number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs `work`, saying what it is before and how long it took after (or that it failed). */
export async function step<T>(label: string, work: () => Promise<T>, options: ProgressOptions = {}): Promise<T> {
  const { stream = process.stderr, now = Date.now } = options;
  const started = now();
  stream.write(stream.isTTY ? `${label}… ` : `${label}…\n`);
  try {
    const result = await work();
    const ms = now() - started;
    stream.write(stream.isTTY ? `done in ${ms} ms\n` : `${label}: done in ${ms} ms\n`);
    return result;
  } catch (error) {
    stream.write(stream.isTTY ? 'failed\n' : `${label}: failed after ${now() - started} ms\n`);
    throw error;
  }
}

export interface Counter {
  /** `n` more items done */
  tick(n?: number): void;
  /** the final line (count, time, rate) */
  done(): void;
}

/** Counts `total` items: "orders  450/1000  45 %  312/s  ETA 1.8 s". */
export function counter(label: string, total: number, options: ProgressOptions = {}): Counter {
  const { stream = process.stderr, now = Date.now } = options;
  const started = now();
  let count = 0;
  let lastDraw = -Infinity;
  let lastTenth = 0;

  const line = () => {
    const elapsed = now() - started;
    const rate = elapsed > 0 ? (count * 1000) / elapsed : 0;
    const percent = total > 0 ? Math.floor((count * 100) / total) : 100;
    const eta = rate > 0 && count < total ? `  ETA ${seconds(((total - count) / rate) * 1000)}` : '';
    return `${label}  ${count}/${total}  ${percent} %  ${Math.round(rate)}/s${eta}`;
  };

  return {
    tick(n = 1) {
      count = Math.min(total, count + n);
      if (stream.isTTY) {
        // at most 10 redraws a second: drawing must not cost what it measures
        if (now() - lastDraw < 100 && count < total) return;
        lastDraw = now();
        stream.write(`\r\x1b[K${line()}`);
      } else {
        const tenth = total > 0 ? Math.floor((count * 10) / total) : 10;
        if (tenth > lastTenth && count < total) {
          lastTenth = tenth;
          stream.write(`${line()}\n`);
        }
      }
    },
    done() {
      const elapsed = now() - started;
      stream.write(`${stream.isTTY ? '\r\x1b[K' : ''}${label}  ${count}/${total} in ${seconds(elapsed)}  (${Math.round(elapsed > 0 ? (count * 1000) / elapsed : 0)}/s)\n`);
    },
  };
}
