// Progress of the scripts' long steps, on stderr so their stdout stays data: "building the
// desk… done in 950 ms", finished on the same line on a terminal and as two lines in a CI log.

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  /** milliseconds since some origin; tests pass a fake */
  now?: () => number;
}

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
