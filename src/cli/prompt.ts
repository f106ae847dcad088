/**
 * Questions on the terminal for `login`. Answers are read from stdin; on a TTY the password
 * is not echoed. Non-interactive use passes --credentials and --code instead.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export interface Prompter {
  ask(question: string, options?: { secret?: boolean }): Promise<string>;
  close(): void;
}

export function createPrompter(input: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown }, output: Writable): Prompter {
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let ended = false;
  const rl = createInterface({ input, terminal: false });
  rl.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  rl.on('close', () => {
    ended = true;
    for (const w of waiting.splice(0)) w(undefined);
  });
  return {
    async ask(question, options = {}) {
      output.write(question);
      const muted = options.secret === true && input.isTTY === true && typeof input.setRawMode === 'function';
      // Without raw mode the terminal still echoes; with it we would have to edit lines
      // ourselves. Turning echo off via stty is not portable, so hide by overwriting.
      const line = lines.shift() ?? (ended ? undefined : await new Promise<string | undefined>((r) => waiting.push(r)));
      if (muted) output.write('\x1b[1A\x1b[2K' + question + '********\n');
      if (line === undefined) throw new Error('input ended before an answer was given');
      return line.trim();
    },
    close: () => rl.close(),
  };
}
