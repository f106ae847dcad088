import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { z } from 'zod';
import { createLineEditor } from '../../src/cli/line-editor.js';
import { createPrompter } from '../../src/cli/prompt.js';

const SECRET = 'hunter2-Secret!';

test('line editor: a secret shows one * per character; backspace and Ctrl-U erase; Enter ends; typed-ahead text is kept', () => {
  const editor = createLineEditor({ mask: '*' });
  assert.deepEqual(editor.feed('abc'), { echo: '***', rest: '' });
  assert.deepEqual(editor.feed('\x7f'), { echo: '\b \b', rest: '' });
  assert.deepEqual(editor.feed('\x1b[Dxy\r\nnext'), { echo: '**', line: 'abxy', rest: 'next' });
  const cleared = createLineEditor({ mask: '*' });
  cleared.feed('wrong');
  assert.equal(cleared.feed('\x15').echo, '\b \b'.repeat(5));
  assert.equal(cleared.feed('ok\r').line, 'ok');
  assert.equal(createLineEditor({ mask: null }).feed('me@x\r').echo, 'me@x');
  assert.equal(createLineEditor({ mask: '*' }).feed('ab\x03').interrupted, true);
  assert.equal(createLineEditor({ mask: '*' }).feed('\x04').ended, true);
  assert.equal(createLineEditor({ mask: '*' }).feed('pässwörd\r').echo, '********');
});

test('prompter without a TTY: reads one line per question and writes only the questions', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString()));
  const prompter = createPrompter(input, output);
  input.end(`me@example.com\n${SECRET}\n`);
  assert.equal(await prompter.ask('Blink email: '), 'me@example.com');
  assert.equal(await prompter.ask('Blink password: ', { secret: true }), SECRET);
  prompter.close();
  assert.equal(shown, 'Blink email: Blink password: ');
});

test('prompter on a fake TTY: raw mode while asking, the password shown as *, restored after', async () => {
  const modes: boolean[] = [];
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (raw: boolean) => modes.push(raw) });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString()));
  const prompter = createPrompter(input, output);
  const answer = prompter.ask('Blink password: ', { secret: true });
  input.write(SECRET.slice(0, 4));
  input.write(`${SECRET.slice(4)}\r`);
  assert.equal(await answer, SECRET);
  prompter.close();
  assert.deepEqual(modes, [true, false]);
  assert.equal(shown, `Blink password: ${'*'.repeat(SECRET.length)}\n`);
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

test('in a real pseudo-terminal the typed password never appears; the email does', {
  skip: hasScript ? false : 'util-linux script is not installed',
}, async () => {
  const root = new URL('../..', import.meta.url).pathname;
  const child = spawn('script', ['-qfec', `${process.execPath} --import tsx test/cli/tty-prompt-entry.ts`, '/dev/null'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const waitFor = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${text}" in ${JSON.stringify(out)}`)), 15_000);
      const check = (): void => {
        if (out.includes(text)) {
          clearTimeout(timer);
          child.stdout.off('data', check);
          resolve();
        }
      };
      child.stdout.on('data', check);
      check();
    });
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await waitFor('Blink email: ');
    child.stdin.write('me@example.com\r');
    await waitFor('Blink password: ');
    child.stdin.write(`${SECRET}\r`);
    await waitFor('ANSWERS');
  } finally {
    child.stdin.end();
  }
  assert.equal(await exited, 0, out);
  const line = /ANSWERS (.*)/.exec(out)?.[1] ?? '';
  const answers = z.object({ tty: z.boolean(), email: z.string(), length: z.number(), digest: z.string() }).parse(JSON.parse(line.trim()));
  assert.equal(answers.tty, true, 'the prompter ran on a TTY');
  assert.equal(answers.email, 'me@example.com');
  assert.equal(answers.digest, createHash('sha256').update(SECRET).digest('hex'), 'the password was read intact');
  assert.ok(!out.includes(SECRET), `the password was echoed: ${JSON.stringify(out)}`);
  assert.ok(!out.includes(SECRET.slice(0, 4)), 'not even part of it');
  assert.ok(out.includes('*'.repeat(SECRET.length)), 'one * per character');
  assert.ok(out.includes('me@example.com'), 'the email is shown as typed');
});
