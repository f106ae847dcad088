/** A one-line progress bar on stderr (redrawn in place on a TTY, one line per step otherwise). */
import type { Writable } from 'node:stream';

export interface ProgressBar {
  /** `done` of `total` items; `label` is the current item. */
  update(done: number, total: number, label: string): void;
  finish(summary: string): void;
}

export function createProgressBar(stream: Writable & { isTTY?: boolean }, width = 24): ProgressBar {
  const tty = stream.isTTY === true;
  return {
    update(done, total, label) {
      const ratio = total === 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(ratio * width);
      const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${label}`;
      stream.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
    },
    finish(summary) {
      stream.write(tty ? `\r\x1b[2K${summary}\n` : `${summary}\n`);
    },
  };
}
