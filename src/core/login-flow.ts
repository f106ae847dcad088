/**
 * The /login conversation: email → password → 2FA code, held in memory only. The password
 * lives in one local variable for the duration of `blink.login` and is never stored, logged
 * or echoed. Every reply is private (Discord: ephemeral).
 */
import type { BlinkInventory, PendingLogin } from '../blink/types.js';
import { BlinkLoginError } from '../errors.js';
import { maskEmail } from '../log.js';
import type { CoreDeps } from './define-command.js';
import { createClockFormatter } from './format-time.js';
import type { Inbound, Outcome } from './inbound.js';
import type { Reply, ReplyButton } from './reply.js';
import { codeChannelText, describeError } from './user-error.js';

/** How long each step of a login waits for the user's answer (docs/chat-contract.md §4: 10 minutes). */
const LOGIN_STEP_TIMEOUT_MS = 10 * 60 * 1000;
/** Most logins in progress at once; the oldest goes first (each expires after 10 min anyway). */
export const MAX_LOGIN_CONVERSATIONS = 1000;

type Step = { kind: 'email' } | { kind: 'password'; email: string } | { kind: 'checking' } | { kind: 'code'; email: string; pending: PendingLogin };

interface Conversation {
  step: Step;
  deadline: number;
}

export interface LoginConversations {
  /** /login without arguments: asks for the email (restarts any attempt of this caller here). */
  start(inbound: Inbound): Outcome;
  /** /login with email and password at once (Discord modal). */
  submitCredentials(inbound: Inbound, email: string, password: string): Promise<Outcome>;
  /** /pin <code>. */
  submitCode(inbound: Inbound, code: string): Promise<Outcome>;
  /** A plain message: the next answer of a running login, or undefined when none runs here. */
  handleText(inbound: Inbound, text: string): Promise<Outcome | undefined>;
  /**
   * A command while this caller's login here waits for the password or the code: the
   * message is that value (as typed), never a command. Undefined when the command should
   * run: no such login waits, or it is an exact `/login` or `/cancel`, or `/pin` while a
   * code is awaited.
   */
  intercept(inbound: Inbound, command: { name: string; text?: string; options?: Record<string, string>; raw?: string }): Promise<Outcome | undefined>;
  /** /cancel: forgets this caller's login here. */
  cancel(inbound: Inbound): Outcome;
  /** Logins in progress (bounded by MAX_LOGIN_CONVERSATIONS). */
  size(): number;
}

const ENTER_CODE_BUTTON: ReplyButton = {
  label: 'Enter code',
  action: { command: 'pin', args: {} },
  input: { name: 'code', label: '2FA code', secret: false },
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function say(text: string, extra?: Partial<Outcome>, buttons?: ReplyButton[][]): Outcome {
  const reply: Reply = { parts: [{ type: 'text', text, ...(buttons ? { buttons } : {}) }], private: true };
  return { reply, ...extra };
}

export function createLoginConversations(deps: CoreDeps): LoginConversations {
  const { clock, log, sessions, repos } = deps;
  const conversations = new Map<string, Conversation>();
  const expiredText = 'Your login attempt expired after 10 minutes. Send /login to start again.';
  const finishFirst = 'Finish the login first: send the code Blink sent you (or /cancel to stop, /login to start over).';
  const clockText = createClockFormatter(deps.timeZone);
  const keyOf = (inbound: Inbound): string => `${inbound.chat.id}\u0000${inbound.caller.id}`;

  /** Forgets expired logins, then the oldest ones while there are too many (a Map keeps insertion order). */
  const prune = (): void => {
    const now = clock.now();
    for (const [key, conversation] of conversations) if (now > conversation.deadline) conversations.delete(key);
    for (const key of conversations.keys()) {
      if (conversations.size < MAX_LOGIN_CONVERSATIONS) break;
      conversations.delete(key);
    }
  };

  const set = (inbound: Inbound, step: Step): Conversation => {
    const conversation = { step, deadline: clock.now() + LOGIN_STEP_TIMEOUT_MS };
    conversations.delete(keyOf(inbound));
    prune();
    conversations.set(keyOf(inbound), conversation);
    return conversation;
  };

  /**
   * Removes the message that carried a secret before anything else happens (docs/chat-contract.md §4),
   * and says so only when it worked. Where the front end cannot delete now, it is asked to
   * through Outcome.deleteInbound.
   */
  const removeSecret = async (inbound: Inbound): Promise<{ lead: string; extra: Partial<Outcome> }> => {
    if (!inbound.deleteMessage) return { lead: '', extra: { deleteInbound: true } };
    let deleted = false;
    try {
      deleted = await inbound.deleteMessage();
    } catch {
      deleted = false;
    }
    return deleted
      ? { lead: 'I deleted your password message. ', extra: {} }
      : { lead: 'I could not delete your password message: please delete it yourself. ', extra: {} };
  };

  const passwordAnswer = async (inbound: Inbound, email: string, password: string): Promise<Outcome> => {
    const { lead, extra } = await removeSecret(inbound);
    return tryPassword(inbound, email, password, lead, extra);
  };

  /** The live conversation, or `expired` (and forgotten) when its step timed out. */
  const current = (inbound: Inbound): Conversation | { expired: Step } | undefined => {
    const conversation = conversations.get(keyOf(inbound));
    if (!conversation) return undefined;
    if (clock.now() > conversation.deadline) {
      conversations.delete(keyOf(inbound));
      return { expired: conversation.step };
    }
    return conversation;
  };

  const audit = (inbound: Inbound, result: 'ok' | 'error', detail?: string): void => {
    repos.audit.record({
      at: clock.now(),
      actor: inbound.caller.id,
      chat: inbound.chat.id,
      action: 'login',
      target: null,
      result,
      detail: detail ?? null,
    });
  };

  const failure = (inbound: Inbound, error: unknown, extra: Partial<Outcome>): Outcome => {
    conversations.delete(keyOf(inbound));
    const described = describeError(error, deps.newErrorId);
    log[described.level === 'debug' ? 'info' : described.level]({ err: error, chat: inbound.chat.id, errorId: described.errorId }, 'login failed');
    audit(inbound, 'error', error instanceof BlinkLoginError ? error.reason : 'failed');
    return say(`${described.text} Send /login to try again.`, extra);
  };

  const askForCode = (inbound: Inbound, email: string, pending: PendingLogin, lead: string, extra: Partial<Outcome>): Outcome => {
    const conversation = set(inbound, { kind: 'code', email, pending });
    const via = codeChannelText(pending.codeSentVia);
    return say(`${lead}Blink sent a verification code${via}. Send it here (or /pin <code>) before ${clockText(conversation.deadline)}.`, extra, [
      [ENTER_CODE_BUTTON],
    ]);
  };

  const finish = async (
    inbound: Inbound,
    email: string,
    data: Parameters<typeof sessions.saveLogin>[1],
    lead: string,
    extra: Partial<Outcome>,
  ): Promise<Outcome> => {
    conversations.delete(keyOf(inbound));
    const session = sessions.saveLogin(inbound.caller.id, data, email);
    const linkHere = inbound.chat.kind === 'private';
    if (linkHere)
      repos.links.link({ chat: inbound.chat.id, sessionId: session.id, linkedBy: inbound.caller.id, allowKeys: inbound.chat.aliases ?? [] }, clock.now());
    audit(inbound, 'ok');
    let found = '';
    try {
      found = summarize(await sessions.accountForSession(session).inventory({ signal: inbound.signal }));
    } catch (error) {
      // The login itself worked; the summary is a courtesy.
      log.warn({ err: error }, 'inventory after login failed');
      found = 'I could not list your cameras just now; try /status in a minute.';
    }
    const where = linkHere
      ? 'This chat is linked: motion alerts arrive here.'
      : 'No channel is linked yet: run /link in a channel to get alerts and share controls there.';
    const text = [
      `${lead}Logged in to Blink as ${maskEmail(email)}.`,
      found,
      where,
      'Next: /status, /arm, /disarm, /snap <camera>, /clips. In a group, /link shares this session there.',
    ].join('\n');
    return say(text, extra);
  };

  const tryPassword = async (inbound: Inbound, email: string, password: string, lead: string, extra: Partial<Outcome>): Promise<Outcome> => {
    const conversation = set(inbound, { kind: 'checking' });
    try {
      // One hardware id per user for every login: Blink sees the same "phone" each time.
      const hardwareId = sessions.hardwareIdFor(inbound.caller.id);
      const step = await deps.blink.login(email, password, { signal: inbound.signal, hardwareId });
      if (conversations.get(keyOf(inbound)) !== conversation) {
        return say(`${lead}That login was replaced by a newer /login.`, extra);
      }
      if (step.kind === 'awaiting-code') return askForCode(inbound, email, step.pending, lead, extra);
      return await finish(inbound, email, step.session, lead, extra);
    } catch (error) {
      if (error instanceof BlinkLoginError && error.reason === 'bad-credentials') {
        set(inbound, { kind: 'email' });
        audit(inbound, 'error', 'bad-credentials');
        return say(`${lead}Blink did not accept that email and password. Send your Blink email again to retry.`, extra);
      }
      return failure(inbound, error, extra);
    }
  };

  const tryCode = async (inbound: Inbound, conversation: Conversation, code: string): Promise<Outcome> => {
    if (conversation.step.kind !== 'code') return say('No login is waiting for a code. Send /login first.');
    const { email, pending } = conversation.step;
    const cleaned = code.replace(/\s+/g, '');
    if (!/^[0-9]{4,8}$/.test(cleaned)) {
      return say('A verification code is 4 to 8 digits. Send it again.', {}, [[ENTER_CODE_BUTTON]]);
    }
    try {
      const data = await pending.submitCode(cleaned, { signal: inbound.signal });
      return await finish(inbound, email, data, '', {});
    } catch (error) {
      if (error instanceof BlinkLoginError && error.reason === 'bad-code') {
        audit(inbound, 'error', 'bad-code');
        return say('Blink did not accept that code. Check it and send it again.', {}, [[ENTER_CODE_BUTTON]]);
      }
      if (error instanceof BlinkLoginError && error.reason === 'expired') {
        conversations.delete(keyOf(inbound));
        return say('The login attempt expired. Send /login to start again.');
      }
      return failure(inbound, error, {});
    }
  };

  const api: LoginConversations = {
    size: () => conversations.size,
    cancel(inbound) {
      const had = conversations.delete(keyOf(inbound));
      return say(had ? 'Login cancelled. Send /login to start again.' : 'No login is running.');
    },
    async intercept(inbound, command) {
      const conversation = conversations.get(keyOf(inbound));
      const kind = conversation?.step.kind;
      if (conversation === undefined || kind === 'email') return undefined;
      const name = command.name.replace(/^\//, '').toLowerCase();
      const bare = (command.text ?? '').trim() === '' && Object.keys(command.options ?? {}).length === 0;
      if (bare && (name === 'login' || name === 'cancel')) return undefined;
      // The Discord login form: a fresh login with its own credentials.
      if (name === 'login' && command.options?.['password'] !== undefined) return undefined;
      if (name === 'pin' && kind === 'code') return undefined;
      const raw = command.raw;
      if (clock.now() > conversation.deadline) {
        // Only a late password is data; after an expired code prompt the command just runs.
        if (kind !== 'password') return undefined;
        return api.handleText(inbound, raw ?? '');
      }
      if (kind === 'password' && raw !== undefined) return api.handleText(inbound, raw);
      if (kind === 'password') return say('Finish the login first: send your Blink password (or /cancel).');
      if (kind === 'checking') return say('Still checking with Blink…');
      return say(finishFirst, {}, [[ENTER_CODE_BUTTON]]);
    },
    start(inbound) {
      const restarted = conversations.has(keyOf(inbound)) ? 'Starting over. ' : '';
      set(inbound, { kind: 'email' });
      return say(`${restarted}What is the email address of your Blink account? (Send /login again to restart.)`);
    },
    async submitCredentials(inbound, email, password) {
      if (!EMAIL.test(email.trim())) return say('That does not look like an email address. Try /login again.');
      return tryPassword(inbound, email.trim(), password, '', {});
    },
    async submitCode(inbound, code) {
      const conversation = current(inbound);
      if (conversation && 'expired' in conversation) return say(expiredText);
      if (conversation?.step.kind !== 'code') return say('No login is waiting for a code. Send /login first.');
      return tryCode(inbound, conversation, code);
    },
    async handleText(inbound, text) {
      const conversation = current(inbound);
      if (conversation === undefined) return undefined;
      if ('expired' in conversation) {
        // A late answer to the password prompt is still a password: delete it all the same.
        if (conversation.expired.kind === 'password') {
          const { extra } = await removeSecret(inbound);
          return say(expiredText, extra);
        }
        return say(expiredText);
      }
      const step = conversation.step;
      switch (step.kind) {
        case 'email': {
          const email = text.trim();
          if (!EMAIL.test(email)) return say('That does not look like an email address. Send your Blink account email.');
          set(inbound, { kind: 'password', email });
          return say('Now send your Blink password. I will delete that message at once and never store it.');
        }
        case 'password':
          return passwordAnswer(inbound, step.email, text);
        case 'checking':
          return say('Still checking with Blink…');
        case 'code':
          return tryCode(inbound, conversation, text);
      }
    },
  };
  return api;
}

function summarize(inventory: BlinkInventory): string {
  const networks = inventory.networks.map((n) => n.name);
  const cameras = inventory.cameras.map((c) => c.name);
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    `Found ${plural(networks.length, 'network')}${networks.length ? ` (${networks.join(', ')})` : ''} ` +
    `and ${plural(cameras.length, 'camera')}${cameras.length ? `: ${cameras.join(', ')}` : ''}.`
  );
}
