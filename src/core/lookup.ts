/** Finding a camera or network of an account by what the user typed. */
import type { BlinkAccount, BlinkCamera, BlinkInventory, BlinkNetwork } from '../blink/types.js';
import { UserError } from './user-error.js';
import type { CommandContext, Linked } from './define-command.js';
import { matchName, pickNetwork } from './name-match.js';

/** The chat's session; the dispatcher resolved it for commands that need one. */
export function linkedOf(ctx: CommandContext<unknown>): Linked {
  if (!ctx.linked) throw new Error('command needs a session but none was resolved');
  return ctx.linked;
}

export interface FoundCamera {
  inventory: BlinkInventory;
  camera: BlinkCamera;
  network: BlinkNetwork | undefined;
}

export async function findCamera(account: BlinkAccount, query: string, signal?: AbortSignal): Promise<FoundCamera> {
  const inventory = await account.inventory({ signal });
  const camera = matchName(inventory.cameras, query, 'camera');
  return { inventory, camera, network: inventory.networks.find((n) => n.id === camera.networkId) };
}

export async function findNetwork(
  account: BlinkAccount,
  query: string | undefined,
  signal?: AbortSignal,
): Promise<{ inventory: BlinkInventory; network: BlinkNetwork }> {
  const inventory = await account.inventory({ signal });
  return { inventory, network: pickNetwork(inventory.networks, query) };
}

export function requireCapability(camera: BlinkCamera, able: boolean, what: string): void {
  if (!able) throw new UserError('not_supported', `${camera.name} cannot ${what}.`);
}
