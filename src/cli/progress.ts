import type { OutStream } from './io.js';

export interface Progress {
  /** Redraws the bar: `done` of the total, and a short note (counts so far).*/
  update(done: number, note: string): void;
  /** Clears the bar, so the summary starts on a clean line. */
  finish(): void;
}

const BAR_WIDTH = 24;

/**
 * A one-line progress bar on stderr, redrawn in place; only on a terminal,
 * since in a CI log every redraw would be a new line of noise.
 */
export function createProgress(stream: OutStream, total: number, label: string): Progress {
  if (!stream.isTTY || total === 0)
    return { update: () => {}, finish: () => {} };
  let drawn = false;
  const progress: Progress = {
    update(done, note) {
      const filled = Math.round(done / total * BAR_WIDTH);
      const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} ${note}`;
      stream.write(`\r\x1b[K${line.slice(0, (stream.columns ?? 80) - 1)}`);
      drawn = true;
    },
    finish() {
      if (drawn)
        stream.write('\r\x1b[K');
    },
  };
  // Drawn at once, so a slow first URL does not look like a hang.
  progress.update(0, '');
  return progress;
}
