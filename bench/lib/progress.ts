// What the bench prints while it runs: one live line per phase ("engine  confirmed 12000/20000
// 1043/s"), redrawn in place on a terminal and printed every few seconds otherwise, so a CI log
// shows the run moving without a flood.

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** On a terminal, at most 10 redraws a second: drawing must not cost what it measures. */
const REDRAW_MS = 100;
/** Elsewhere, a plain line this often. */
const PLAIN_EVERY_MS = 3_000;

export class Progress {
  private live = '';
  private lastDraw = 0;

  constructor(private readonly stream: ProgressStream = process.stdout) {}

  /** A line of its own (a phase starting, a result), above the live line. */
  log(line: string): void {
    this.clear();
    this.stream.write(`${line}\n`);
    this.redraw();
  }

  /** The live line of the running phase: `label  text`. */
  update(label: string, text: string, force = false): void {
    const now = Date.now();
    this.live = `${label.padEnd(10)} ${text}`;
    if (this.stream.isTTY) {
      if (!force && now - this.lastDraw < REDRAW_MS) return;
      this.lastDraw = now;
      this.stream.write(`\r\x1b[K${this.live}`);
    } else if (force || now - this.lastDraw >= PLAIN_EVERY_MS) {
      this.lastDraw = now;
      this.stream.write(`${this.live}\n`);
    }
  }

  /** Ends the live line with its final text. */
  done(label: string, text: string): void {
    this.live = '';
    if (this.stream.isTTY) this.stream.write(`\r\x1b[K`);
    this.stream.write(`${label.padEnd(10)} ${text}\n`);
    this.lastDraw = 0;
  }

  private clear(): void {
    if (this.stream.isTTY && this.live) this.stream.write(`\r\x1b[K`);
  }

  private redraw(): void {
    if (this.stream.isTTY && this.live) this.stream.write(this.live);
  }
}

/** "12.3k" style counts for progress lines. */
export function count(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}
