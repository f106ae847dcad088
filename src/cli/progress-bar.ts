/**
 * A one-line progress bar on stderr: redrawn in place on a TTY, one line per step
 * otherwise. Lines printed meanwhile (the saved paths, on stdout) go through `print`,
 * which clears the bar first and draws it again after, so the two never run together.
 * It ends showing N/N, with the summary on the line below.
 */
import type { Writable } from 'node:stream';

export interface ProgressBar {
  /** `done` of `total` items; `label` is the current item. */
  update(done: number, total: number, label: string): void;
  /** Prints a line through `write` without running into the bar. */
  print(line: string, write: (line: string) => void): void;
  finish(summary: string): void;
}

export function createProgressBar(stream: Writable & { isTTY?: boolean }, width = 24): ProgressBar {
  const tty = stream.isTTY === true;
  let shown: string | undefined;
  const draw = (line: string): void => {
    shown = line;
    stream.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  return {
    update(done, total, label) {
      const ratio = total === 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(ratio * width);
      draw(`[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${label ? ` ${label}` : ''}`);
    },
    print(line, write) {
      if (!tty || shown === undefined) return write(line);
      stream.write('\r\x1b[2K');
      write(line);
      stream.write(shown);
    },
    finish(summary) {
      // The last state (N/N) stays on screen; the summary starts a line of its own.
      stream.write(tty && shown !== undefined ? `\n${summary}\n` : `${summary}\n`);
      shown = undefined;
    },
  };
}
