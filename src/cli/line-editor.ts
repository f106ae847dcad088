/**
 * A minimal line editor for a terminal in raw mode (the CLI's password prompt): the
 * terminal echoes nothing itself, so this decides what to show. A secret shows one mask
 * character per typed character; Backspace and Ctrl-U erase; Enter ends the line; Ctrl-C
 * interrupts; Ctrl-D on an empty line is end of input. Escape sequences (arrow keys) are
 * ignored. Pure: fed text, returns what to write.
 */
export interface EditorStep {
  /** What to write to the terminal for this input. */
  echo: string;
  /** Set once Enter was pressed. */
  line?: string;
  /** Input after the Enter (typed ahead), for the next question. */
  rest: string;
  interrupted?: boolean;
  ended?: boolean;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences start with ESC (\x1b) by definition
const ESC_SEQUENCE = /^\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?/s;

export function createLineEditor(options: { mask: string | null }) {
  const chars: string[] = [];
  const shown = (ch: string): string => (options.mask === null ? ch : options.mask);
  return {
    feed(text: string): EditorStep {
      let echo = '';
      const input = [...text];
      for (let i = 0; i < input.length; i++) {
        const ch = input[i] ?? '';
        if (ch === '\r' || ch === '\n') {
          const skip = ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
          return { echo, line: chars.join(''), rest: input.slice(i + skip).join('') };
        }
        if (ch === '\x03') return { echo, rest: '', interrupted: true };
        if (ch === '\x04') {
          if (chars.length === 0) return { echo, rest: '', ended: true };
          continue;
        }
        if (ch === '\x7f' || ch === '\b') {
          if (chars.pop() !== undefined) echo += '\b \b';
          continue;
        }
        if (ch === '\x15') {
          echo += '\b \b'.repeat(chars.length);
          chars.length = 0;
          continue;
        }
        if (ch === '\x1b') {
          const seq = ESC_SEQUENCE.exec(input.slice(i).join(''));
          i += [...(seq?.[0] ?? ch)].length - 1;
          continue;
        }
        if (ch < ' ') continue;
        chars.push(ch);
        echo += shown(ch);
      }
      return { echo, rest: '' };
    },
  };
}
