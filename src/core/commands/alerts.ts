import { arg } from '../command-args.js';
import { UserError } from '../user-error.js';
import { defineCommand, type CommandContext, type CommandDeps } from '../define-command.js';
import { findCamera, linkedOf } from '../lookup.js';
import { reply } from '../reply.js';
import type { ChatLink } from '../../db/index.js';
import { onOffState } from './options.js';

/**
 * The link that holds this chat's alert settings. A private chat of a logged-in user gets
 * one on demand (a login from a Discord channel links nothing by itself).
 */
function linkFor(ctx: CommandContext<unknown>, deps: CommandDeps): ChatLink {
  const existing = deps.repos.links.get(ctx.chat.id);
  if (existing) return existing;
  const { session } = linkedOf(ctx);
  if (ctx.chat.kind === 'group') throw new UserError('not_linked', 'This chat is not linked: /link first.');
  return deps.repos.links.link({ chat: ctx.chat.id, sessionId: session.id, linkedBy: ctx.caller.id, allowKeys: ctx.chat.aliases ?? [] }, deps.clock.now());
}

export const alerts = defineCommand({
  name: 'alerts',
  summary: 'Motion alerts in this chat on or off, for all cameras or one',
  needs: 'session',
  args: [onOffState(), arg.camera({ description: 'Only this camera' })],
  run: async (ctx, deps) => {
    const link = linkFor(ctx, deps);
    const on = ctx.args.state === 'on';
    if (ctx.args.camera === undefined) {
      deps.repos.links.setAlerts(link.chat, on);
      return { reply: reply.text(`Motion alerts in this chat are ${ctx.args.state}.`) };
    }
    const { camera } = await findCamera(linkedOf(ctx).account, ctx.args.camera, ctx.signal);
    deps.repos.alertSettings.setCameraEnabled(link.chat, camera.id, on, deps.clock.now());
    const overall = !link.alertsEnabled && on ? ' (alerts for this chat are off overall: /alerts on)' : '';
    return { reply: reply.text(`Motion alerts from ${camera.name} in this chat are ${ctx.args.state}.${overall}`) };
  },
});

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
/** What /help and the error say /mute takes; `parseDuration` accepts exactly this. */
const MUTE_DURATIONS_TEXT = '30m, 1h, 8h, 1d (any m, h or d up to 7d)';

/**
 * '30m', '1h', '8h', '1d', and any count of minutes, hours or days up to 7 days, written
 * '2h', '2 h', '90 min' or '3 days'; in ms, undefined when invalid.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^([0-9]{1,4})\s*(m|min|mins|minutes?|h|hours?|d|days?)$/.exec(text.trim().toLowerCase());
  if (!match?.[1] || !match[2]) return undefined;
  const ms = Number(match[1]) * (UNIT_MS[match[2].charAt(0)] ?? 0);
  return ms > 0 && ms <= 7 * 86_400_000 ? ms : undefined;
}

export const mute = defineCommand({
  name: 'mute',
  summary: `Silence alerts from a camera (or all) here for ${MUTE_DURATIONS_TEXT}`,
  needs: 'session',
  once: true,
  args: [
    arg.camera({ required: true, description: 'Camera name, "all", or "off" to end muting', usage: '<camera|all>' }),
    // Free text, not choices: Discord takes the same durations as the typed command, which may
    // end in two words ('1 h'). Left out by "/mute off".
    arg.trailing('duration', {
      description: `How long: ${MUTE_DURATIONS_TEXT}`,
      mainFormOnly: true,
      maxWords: 2,
      accepts: (text) => parseDuration(text) !== undefined,
    }),
  ],
  otherForm: 'off',
  run: async (ctx, deps) => {
    const link = linkFor(ctx, deps);
    const target = ctx.args.camera.toLowerCase();
    if (target === 'off') {
      deps.repos.transaction(() => {
        deps.repos.links.setMutedUntil(link.chat, null);
        deps.repos.alertSettings.clearCameraMutes(link.chat, deps.clock.now());
      });
      return { reply: reply.text('Muting ended: alerts arrive here again.') };
    }
    const ms = ctx.args.duration === undefined ? undefined : parseDuration(ctx.args.duration);
    if (ms === undefined) throw new UserError('bad_arguments', `Say for how long: ${MUTE_DURATIONS_TEXT}. Usage: /mute <camera|all> <duration>, or /mute off`);
    const until = deps.clock.now() + ms;
    const when = new Intl.DateTimeFormat('en-GB', { timeZone: deps.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      until,
    );
    if (target === 'all') {
      deps.repos.links.setMutedUntil(link.chat, until);
      return { reply: reply.text(`All cameras muted here until ${when}. /mute off ends it.`) };
    }
    const { camera } = await findCamera(linkedOf(ctx).account, ctx.args.camera, ctx.signal);
    deps.repos.alertSettings.setCameraMutedUntil(link.chat, camera.id, until, deps.clock.now());
    return { reply: reply.text(`${camera.name} muted here until ${when}. /mute off ends it.`) };
  },
});

const HHMM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

export const quiet = defineCommand({
  name: 'quiet',
  summary: 'Quiet hours: alerts arrive silently between two times; off ends them',
  needs: 'session',
  args: [arg.text('hours', { required: true, description: 'e.g. 22:00-07:00, or off', usage: '<HH:MM>-<HH:MM> | off', join: '' })],
  run: async (ctx, deps) => {
    const link = linkFor(ctx, deps);
    const hours = ctx.args.hours.toLowerCase();
    if (hours === 'off') {
      deps.repos.links.setQuietHours(link.chat, null);
      return { reply: reply.text('Quiet hours off: alerts arrive with sound again.') };
    }
    const [start, end, ...extra] = hours.split('-');
    const pad = (t: string | undefined): string | undefined => (t && /^[0-9]:/.test(t) ? `0${t}` : t);
    const s = pad(start);
    const e = pad(end);
    if (!s || !e || extra.length > 0 || !HHMM.test(s) || !HHMM.test(e) || s === e) {
      throw new UserError('bad_arguments', 'Give quiet hours as HH:MM-HH:MM, e.g. /quiet 22:00-07:00, or /quiet off.');
    }
    deps.repos.links.setQuietHours(link.chat, { start: s, end: e });
    return {
      reply: reply.text(`Quiet hours ${s}–${e} (${deps.timeZone}): alerts still arrive then, silently. Doorbell rings still ring.`),
    };
  },
});
