// Application commands, global and per guild. PUT replaces the set (counted as one
// registration), POST adds or replaces one by name (counted too).
import { z } from 'zod';
import { scopeKey, type FakeState } from './state.js';
import { apiError, json, type RouteContext, type RouteDef, type RouteResult } from './route-types.js';

const commandSchema = z.looseObject({ name: z.string(), type: z.number().optional() });

function normalise(state: FakeState, raw: z.infer<typeof commandSchema>, guildId: string | undefined, id?: string): Record<string, unknown> {
  return {
    type: 1,
    description: '',
    options: [],
    default_member_permissions: null,
    nsfw: false,
    ...raw,
    id: id ?? state.newId(),
    application_id: state.applicationId,
    version: state.newId(),
    ...(guildId === undefined ? {} : { guild_id: guildId }),
  };
}

function checkApp(ctx: RouteContext): RouteResult | undefined {
  return ctx.params.app === ctx.state.applicationId ? undefined : apiError(403, 50001, 'Missing Access');
}

function list(ctx: RouteContext): RouteResult {
  return checkApp(ctx) ?? json(ctx.state.commands.get(scopeKey(ctx.params.guild)) ?? []);
}

function put(ctx: RouteContext): RouteResult {
  const denied = checkApp(ctx);
  if (denied) return denied;
  const parsed = z.array(commandSchema).safeParse(ctx.body);
  if (!parsed.success) return apiError(400, 50035, 'Invalid Form Body');
  const key = scopeKey(ctx.params.guild);
  const previous = ctx.state.commands.get(key) ?? [];
  // Discord keeps ids of commands whose name is unchanged.
  const next = parsed.data.map((raw) => {
    const old = previous.find((c) => c.name === raw.name);
    return normalise(ctx.state, raw, ctx.params.guild, typeof old?.id === 'string' ? old.id : undefined);
  });
  ctx.state.commands.set(key, next);
  ctx.state.commandRegistrations.count += 1;
  ctx.state.changes.emit('change');
  return json(next);
}

function post(ctx: RouteContext): RouteResult {
  const denied = checkApp(ctx);
  if (denied) return denied;
  const parsed = commandSchema.safeParse(ctx.body);
  if (!parsed.success) return apiError(400, 50035, 'Invalid Form Body');
  const key = scopeKey(ctx.params.guild);
  const current = ctx.state.commands.get(key) ?? [];
  const old = current.find((c) => c.name === parsed.data.name);
  const command = normalise(ctx.state, parsed.data, ctx.params.guild, typeof old?.id === 'string' ? old.id : undefined);
  ctx.state.commands.set(key, [...current.filter((c) => c !== old), command]);
  ctx.state.commandRegistrations.count += 1;
  ctx.state.changes.emit('change');
  return json(command, old === undefined ? 201 : 200);
}

function findOne(ctx: RouteContext): { list: Array<Record<string, unknown>>; index: number; key: string } {
  const key = scopeKey(ctx.params.guild);
  const current = ctx.state.commands.get(key) ?? [];
  return { list: current, index: current.findIndex((c) => c.id === ctx.params.command), key };
}

function getOne(ctx: RouteContext): RouteResult {
  const { list: current, index } = findOne(ctx);
  return index === -1 ? apiError(404, 10063, 'Unknown application command') : json(current[index]);
}

function patchOne(ctx: RouteContext): RouteResult {
  const { list: current, index } = findOne(ctx);
  const old = current[index];
  const parsed = z.looseObject({}).safeParse(ctx.body);
  if (old === undefined || !parsed.success) return apiError(404, 10063, 'Unknown application command');
  const updated = { ...old, ...parsed.data, id: old.id, version: ctx.state.newId() };
  current[index] = updated;
  ctx.state.changes.emit('change');
  return json(updated);
}

function deleteOne(ctx: RouteContext): RouteResult {
  const { list: current, index, key } = findOne(ctx);
  if (index === -1) return apiError(404, 10063, 'Unknown application command');
  ctx.state.commands.set(
    key,
    current.filter((_, i) => i !== index),
  );
  ctx.state.changes.emit('change');
  return { status: 204 };
}

export function commandRoutes(): RouteDef[] {
  const routes: RouteDef[] = [];
  for (const base of ['/applications/:app/commands', '/applications/:app/guilds/:guild/commands']) {
    routes.push(
      { method: 'GET', pattern: base, auth: true, handle: list },
      { method: 'PUT', pattern: base, auth: true, handle: put },
      { method: 'POST', pattern: base, auth: true, handle: post },
      { method: 'GET', pattern: `${base}/:command`, auth: true, handle: getOne },
      { method: 'PATCH', pattern: `${base}/:command`, auth: true, handle: patchOne },
      { method: 'DELETE', pattern: `${base}/:command`, auth: true, handle: deleteOne },
    );
  }
  return routes;
}
