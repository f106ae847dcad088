/**
 * Camera and network names as users type them (docs/chat-contract.md §4): case-insensitive whole name
 * first, then a unique prefix. Anything else is a UserError listing the valid names.
 */
import { UserError } from './user-error.js';

export type NamedKind = 'camera' | 'network';

function fold(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

/** Finds one item by name (or exact id, which buttons carry). Throws UserError otherwise. */
export function matchName<T extends { id: string; name: string }>(items: readonly T[], query: string, kind: NamedKind): T {
  const wanted = fold(query);
  const exact = items.filter((item) => fold(item.name) === wanted);
  if (exact.length === 1 && exact[0]) return exact[0];
  const byId = items.find((item) => item.id === query.trim());
  if (byId && exact.length === 0) return byId;
  const prefixed = exact.length > 1 ? exact : items.filter((item) => fold(item.name).startsWith(wanted));
  if (prefixed.length === 1 && prefixed[0] && wanted.length > 0) return prefixed[0];
  const names = items.map((item) => item.name).sort((a, b) => a.localeCompare(b));
  const list = names.length > 0 ? names.join(', ') : `(this account has no ${kind}s)`;
  const problem =
    prefixed.length > 1 && wanted.length > 0
      ? `"${query.trim()}" matches more than one ${kind}: ${prefixed.map((p) => p.name).join(', ')}.`
      : `There is no ${kind} called "${query.trim()}".`;
  return failWith(`${problem} Valid ${kind}s: ${list}.`, kind);
}

function failWith(message: string, kind: NamedKind): never {
  throw new UserError(`unknown_${kind}`, message);
}

/**
 * `[network]` may be left out when the account has one network (docs/chat-contract.md §4).
 * Throws UserError naming the networks otherwise.
 */
export function pickNetwork<T extends { id: string; name: string }>(networks: readonly T[], query: string | undefined): T {
  if (query !== undefined && query.trim() !== '') return matchName(networks, query, 'network');
  if (networks.length === 1 && networks[0]) return networks[0];
  if (networks.length === 0) throw new UserError('no_network', 'This Blink account has no networks.');
  const names = networks.map((n) => n.name).join(', ');
  throw new UserError('network_needed', `This account has several networks; name one: ${names}.`);
}
