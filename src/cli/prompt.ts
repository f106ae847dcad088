/**
 * Questions on the terminal for `login`. On a TTY the terminal goes into raw mode while a
 * question waits, so nothing is echoed by the terminal: the line editor shows what was
 * typed, and for the password one '*' per character. Without a TTY (a pipe, a script)
 * answers are read line by line. Non-interactive use passes --credentials and --code.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createLineEditor } from './line-editor.js';

export interface Prompter {
  ask(question: string, options?: { secret?: boolean }): Promise<string>;
  close(): void;
}

type PromptInput = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

export function createPrompter(input: PromptInput, output: Writable): Prompter {
  if (input.isTTY === true && typeof input.setRawMode === 'function') return createTtyPrompter(input, input.setRawMode.bind(input), output);
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
    async ask(question) {
      output.write(question);
      const line = lines.shift() ?? (ended ? undefined : await new Promise<string | undefined>((r) => waiting.push(r)));
      if (line === undefined) throw new Error('input ended before an answer was given');
      return line.trim();
    },
    close: () => rl.close(),
  };
}

function createTtyPrompter(input: PromptInput, setRawMode: (raw: boolean) => unknown, output: Writable): Prompter {
  const decoder = new StringDecoder('utf8');
  let typedAhead = '';
  return {
    ask(question, options = {}) {
      // Echo off before the question shows: anything typed once it is visible stays hidden.
      setRawMode(true);
      output.write(question);
      const editor = createLineEditor({ mask: options.secret === true ? '*' : null });
      return new Promise<string>((resolve, reject) => {
        const finish = (error: Error | null, line?: string): void => {
          input.off('data', onData);
          input.off('end', onEnd);
          setRawMode(false);
          input.pause();
          output.write('\n');
          if (error) reject(error);
          else resolve((line ?? '').trim());
        };
        const take = (text: string): void => {
          const step = editor.feed(text);
          if (step.echo) output.write(step.echo);
          if (step.interrupted) finish(new Error('cancelled'));
          else if (step.ended) finish(new Error('input ended before an answer was given'));
          else if (step.line !== undefined) {
            typedAhead = step.rest;
            finish(null, step.line);
          }
        };
        const onData = (chunk: Buffer | string): void => take(typeof chunk === 'string' ? chunk : decoder.write(chunk));
        const onEnd = (): void => finish(new Error('input ended before an answer was given'));
        input.on('data', onData);
        input.on('end', onEnd);
        input.resume();
        const ahead = typedAhead;
        typedAhead = '';
        if (ahead) take(ahead);
      });
    },
    close: () => {
      input.pause();
    },
  };
}
