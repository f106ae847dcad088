/**
 * The terminal front end (`npm run demo`): one private chat, 'term:local', typed on stdin.
 * `/cmd args` is a command, a bare number presses the button shown with that number (numbers
 * count up across messages, so each means one button),
 * anything else is a plain message (login answers). Replies and alerts print to stdout;
 * photos and videos are saved under `mediaDir`. It is a thin adapter like Telegram's:
 * the core treats it as just another platform.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { settleWithin, type Clock } from '../clock.js';
import type { Caller, ChatContext, Dispatcher, InboundEvent } from '../core/inbound.js';
import type { Progress, Reply, ReplyButton } from '../core/reply.js';
import type { FrontEnd } from '../core/front-end.js';
import { DeliveryError } from '../core/sender.js';
import type { Logger } from '../log.js';
import { FALLBACK_ERROR_TEXT } from '../core/user-error.js';
import { createTerminalRenderer } from './render.js';

export const TERMINAL_CHAT_ID = 'term:local';
export const TERMINAL_CALLER_ID = 'term:local';

export interface TerminalFrontEndDeps {
  input: Readable;
  output: Writable;
  dispatcher: Dispatcher;
  /** Where photos and videos are saved, e.g. ./demo-output. */
  mediaDir: string;
  clock: Clock;
  log: Logger;
  /** Called once when the input ends (EOF, Ctrl-D): the demo shuts down. */
  onEnd?: () => void;
}

/**
 * The FrontEnd lifecycle (core/front-end.ts): `start` begins reading, `stop` stops reading,
 * lets the line being handled finish for 2 s, then aborts it; `connected` is true while stdin
 * is open. It has nothing fatal to report: the end of input goes to `onEnd`.
 */
export interface TerminalFrontEnd extends FrontEnd {
  /** Resolves when every line read so far has been answered (tests). */
  idle(): Promise<void>;
}

/** How many button numbers stay pressable (the newest). */
const MAX_CHOICES = 500;
const MAX_NUMBER = 9_999;

/** The buttons the renderer will number, in its order. */
function countButtons(reply: Reply): number {
  return reply.parts.reduce((sum, part) => sum + (part.type === 'album' ? 0 : (part.buttons ?? []).flat().length), 0);
}

const CHAT: ChatContext = { id: TERMINAL_CHAT_ID, platform: 'term', kind: 'private' };
const CALLER: Caller = { id: TERMINAL_CALLER_ID, displayName: 'you' };

/** `/snap Front Door` → command 'snap' with text 'Front Door'; `/snap@bot` is not a thing here. */
function parseLine(line: string): InboundEvent | undefined {
  const text = line.trim();
  if (text === '') return undefined;
  if (text.startsWith('/')) {
    const space = text.search(/\s/);
    const name = (space < 0 ? text.slice(1) : text.slice(1, space)).toLowerCase();
    const rest = space < 0 ? '' : text.slice(space + 1).trim();
    return { type: 'command', name, ...(rest !== '' ? { text: rest } : {}), raw: line };
  }
  return { type: 'text', text };
}

export function createTerminalFrontEnd(deps: TerminalFrontEndDeps): TerminalFrontEnd {
  const { output, log } = deps;
  const write = (text: string): void => {
    if (!output.writable) return;
    output.write(text);
  };
  const renderer = createTerminalRenderer({ write, mediaDir: deps.mediaDir, clock: deps.clock });
  const isTty = 'isTTY' in output && output.isTTY === true;

  /**
   * Every button shown gets its own number, counting up across messages, so a number typed
   * after a newer message arrived (an alert, a later reply) still presses the button it was
   * read from. The oldest numbers are forgotten once there are more than MAX_CHOICES.
   */
  const choices = new Map<number, ReplyButton>();
  let nextNumber = 1;
  /** A pressed button that still needs a typed value (e.g. "Enter code"). */
  let awaiting: { button: ReplyButton; name: string } | undefined;
  let open = false;
  let queue: Promise<void> = Promise.resolve();
  const shutdown = new AbortController();
  let reader: ReturnType<typeof createInterface> | undefined;

  const progress: Progress = {
    update: async (text) => write(`… ${text}\n`),
    action: () => undefined,
  };

  const show = async (reply: Reply, lead: string, signal: AbortSignal | undefined): Promise<{ failures: string[] }> => {
    // Numbers are taken before rendering starts, so two messages rendering at once never share one.
    // Up to four digits, so a typed 2FA code (six) is never taken for a number; long after
    // 9999 the count starts again at 1, whose old button is forgotten by then.
    const count = countButtons(reply);
    if (nextNumber + count > MAX_NUMBER) nextNumber = 1;
    const firstNumber = nextNumber;
    nextNumber += count;
    const { buttons, failures } = await renderer.render(reply, { lead, firstNumber, ...(signal ? { signal } : {}) });
    for (const [i, button] of buttons.entries()) choices.set(firstNumber + i, button);
    for (const number of choices.keys()) {
      if (choices.size <= MAX_CHOICES) break;
      choices.delete(number);
    }
    return { failures };
  };

  const dispatch = async (event: InboundEvent): Promise<void> => {
    const outcome = await deps.dispatcher.handle({ chat: CHAT, caller: CALLER, event, progress, signal: shutdown.signal });
    // The line that carried a password is erased where the terminal allows it.
    if (outcome.deleteInbound && isTty) write('\x1b[1A\x1b[2K(hidden)\n');
    await show(outcome.reply, '', shutdown.signal);
  };

  const handleLine = async (line: string): Promise<void> => {
    const trimmed = line.trim();
    if (awaiting) {
      const { button, name } = awaiting;
      awaiting = undefined;
      await dispatch({ type: 'button', command: button.action.command, args: { ...button.action.args, [name]: trimmed } });
      return;
    }
    if (/^[0-9]{1,4}$/.test(trimmed) && choices.size > 0) {
      const button = choices.get(Number(trimmed));
      if (!button) {
        write(`There is no choice ${trimmed}; pick one of the numbers in [brackets] above.\n`);
        return;
      }
      if (button.input) {
        awaiting = { button, name: button.input.name };
        write(`Type the ${button.input.label}:\n`);
        return;
      }
      await dispatch({ type: 'button', command: button.action.command, args: button.action.args });
      return;
    }
    const event = parseLine(line);
    if (event) await dispatch(event);
  };

  const enqueue = (line: string): void => {
    queue = queue
      .then(() => handleLine(line))
      .catch((error: unknown) => {
        log.error({ err: error }, 'terminal line failed');
        write(`${FALLBACK_ERROR_TEXT}\n`);
      });
  };

  return {
    name: 'terminal',
    async start() {
      if (reader) return;
      open = true;
      reader = createInterface({ input: deps.input, terminal: false });
      reader.on('line', enqueue);
      reader.once('close', () => {
        open = false;
        void queue.then(() => deps.onEnd?.());
      });
    },
    async stop() {
      reader?.close();
      open = false;
      // Give the current line a moment to finish, then abort whatever it waits on (a /live
      // ends its live view command, and its video is not saved).
      await settleWithin(deps.clock, queue, 2_000);
      shutdown.abort();
      await queue;
    },
    connected: () => open,
    idle: () => queue,
    sender: {
      platform: 'term',
      // Nothing is uploaded: clips are saved to disk, so no size limit applies.
      uploadLimitBytes: Number.MAX_SAFE_INTEGER,
      async send(chatId, reply, options) {
        if (chatId !== TERMINAL_CHAT_ID) throw new DeliveryError('chat-gone', `not the terminal chat: ${chatId}`);
        const { failures } = await show(reply, reply.silent ? '🔕 ' : '🔔 ', options?.signal);
        if (failures.length > 0) throw new DeliveryError('transient', `could not save the alert media: ${failures.join('; ')}`);
        return { messageIds: [String(deps.clock.now())] };
      },
    },
  };
}
