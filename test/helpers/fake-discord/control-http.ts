// HTTP control API under /__fake/… so a benchmark can drive the fake in another process.
// Same operations as the in-process API; attachments come back as size + sha256 + base64.
import { z } from 'zod';
import type { FakeDiscord } from './index.js';
import type { InteractionHandle, InteractionResult, RecordedAttachment } from './types.js';

export type ControlHandler = (path: string, body: Buffer) => Promise<{ status: number; body: unknown }>;

const where = {
  userId: z.string(),
  channelId: z.string(),
  guildId: z.string().optional(),
  username: z.string().optional(),
  locale: z.string().optional(),
  attachmentSizeLimit: z.number().optional(),
  appPermissions: z.string().optional(),
};
const rawOption: z.ZodType<{ name: string; type: number; value?: string | number | boolean; focused?: boolean }> = z.object({
  name: z.string(),
  type: z.number(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  focused: z.boolean().optional(),
});
const options = z.union([z.array(rawOption), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))]).optional();
const slashSchema = z.object({ ...where, name: z.string(), options });
const autocompleteSchema = z.object({ ...where, name: z.string(), options, focused: z.string(), value: z.string() });
const buttonSchema = z.object({ ...where, customId: z.string(), messageId: z.string() });
const modalSchema = z.object({ ...where, customId: z.string(), fields: z.record(z.string(), z.string()), messageId: z.string().optional() });
const waitSchema = z.object({
  interactionId: z.string(),
  /** Resolve once this many events are recorded (default 1). */
  minEvents: z.number().optional(),
  /** …or once an event of this kind is recorded. */
  kind: z.enum(['callback', 'followup', 'edit', 'delete']).optional(),
  timeoutMs: z.number().optional(),
});
const faultSchema = z.object({
  route: z.string(),
  status: z.number(),
  retryAfter: z.number().optional(),
  global: z.boolean().optional(),
  times: z.number().optional(),
  code: z.number().optional(),
  message: z.string().optional(),
  cutAfterBytes: z.number().optional(),
});
const disconnectSchema = z.object({ code: z.number().optional(), abrupt: z.boolean().optional() });

function attachmentJson(a: RecordedAttachment): Record<string, unknown> {
  return { ...a, bytes: undefined, base64: a.bytes.toString('base64') };
}

/** JSON.stringify replacer input: swaps every attachment's Buffer for a JSON description. */
function serialise(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { size: value.length, base64: value.toString('base64') };
  if (Array.isArray(value)) return value.map(serialise);
  if (value !== null && typeof value === 'object') {
    const parsed = z
      .object({ bytes: z.instanceof(Buffer), size: z.number(), sha256: z.string(), filename: z.string(), contentType: z.string(), id: z.string() })
      .safeParse(value);
    if (parsed.success) return attachmentJson(parsed.data);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serialise(v)]));
  }
  return value;
}

function handleJson(handle: InteractionHandle): Record<string, unknown> {
  return { id: handle.id, token: handle.token, type: handle.type, dispatchedAt: handle.dispatchedAt };
}

export function createControlHandler(fake: FakeDiscord): ControlHandler {
  const handleOf = (id: string): InteractionHandle => {
    const record = fake.state.interactions.get(id);
    if (record === undefined) throw new Error(`unknown interaction ${id}`);
    return record.handle;
  };
  return async (path, raw) => {
    const url = new URL(path, 'http://fake');
    const route = url.pathname.slice('/__fake'.length);
    const text = raw.toString('utf8');
    const body: unknown = text === '' ? {} : JSON.parse(text);
    const ok = (value: unknown) => ({ status: 200, body: serialise(value) });
    switch (route) {
      case '/slash-command':
        return ok(handleJson(fake.sendSlashCommand(slashSchema.parse(body))));
      case '/autocomplete':
        return ok(handleJson(fake.sendAutocomplete(autocompleteSchema.parse(body))));
      case '/button':
        return ok(handleJson(fake.pressButton(buttonSchema.parse(body))));
      case '/modal':
        return ok(handleJson(fake.submitModal(modalSchema.parse(body))));
      case '/wait-response': {
        const input = waitSchema.parse(body);
        const predicate = (r: InteractionResult): boolean =>
          input.kind !== undefined ? r.events.some((e) => e.kind === input.kind) : r.events.length >= (input.minEvents ?? 1);
        return ok(await fake.waitForInteractionResponse(handleOf(input.interactionId), predicate, input.timeoutMs));
      }
      case '/calls': {
        const filter = url.searchParams.get('route');
        return ok(filter === null ? fake.calls() : fake.callsOf(filter));
      }
      case '/channel-messages':
        return ok(fake.channelMessages(url.searchParams.get('channelId') ?? ''));
      case '/commands': {
        const guildId = url.searchParams.get('guildId');
        return ok(fake.registeredCommands(guildId === null ? 'global' : { guildId }));
      }
      case '/state':
        return ok({ commandRegistrations: fake.commandRegistrations, gateway: fake.gatewayStats(), connected: fake.gatewayConnected() });
      case '/fail-next':
        fake.failNext(faultSchema.parse(body));
        return ok({ ok: true });
      case '/clear-faults':
        fake.clearFaults();
        return ok({ ok: true });
      case '/disconnect-gateway':
        fake.disconnectGateway(disconnectSchema.parse(body));
        return ok({ ok: true });
      case '/wait-gateway':
        await fake.waitForGateway(Number(url.searchParams.get('timeoutMs') ?? 15_000));
        return ok({ ok: true });
      default:
        return { status: 404, body: { error: `unknown control route ${route}` } };
    }
  };
}
