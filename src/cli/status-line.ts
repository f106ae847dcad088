/**
 * The chat commands' progress ("● recording 3/10 s from Front Door…") on stderr. On a
 * terminal the last line is redrawn in place and earlier lines of a multi-line update (a
 * note) are printed once; otherwise each new line is printed once, in order. `finish` ends
 * the line, so what comes next (the result on stdout, an error) starts on its own line.
 */
import type { Writable } from 'node:stream';
import type { Progress } from '../core/reply.js';

export interface StatusLine extends Progress {
  finish(): void;
}

export function createStatusLine(stream: Writable & { isTTY?: boolean }): StatusLine {
  const tty = stream.isTTY === true;
  /** Lines printed for good (all of them, off a terminal). */
  const printed: string[] = [];
  /** The line drawn in place on a terminal, not yet ended. */
  let drawn: string | undefined;
  const clear = (): void => {
    if (drawn !== undefined) stream.write('\r\x1b[2K');
    drawn = undefined;
  };
  return {
    async update(text) {
      const lines = text.split('\n');
      const last = tty ? lines.pop() : undefined;
      for (const [i, line] of lines.entries()) {
        if (printed[i] === line) continue;
        printed.length = i;
        clear();
        stream.write(`${line}\n`);
        printed.push(line);
      }
      if (last !== undefined && last !== drawn) {
        clear();
        stream.write(last);
        drawn = last;
      }
    },
    action() {
      // Nothing like a chat's "recording video…" indicator here.
    },
    finish() {
      if (drawn !== undefined) stream.write('\n');
      drawn = undefined;
    },
  };
}
