/** Discord option specs shared by several commands (names fixed by docs/chat-contract.md §4). */
import { z } from 'zod';
import type { OptionSpec, RawArgs } from '../define-command.js';

export const ON_OFF = ['on', 'off'] as const;

export function cameraOption(required: boolean, description = 'Camera name'): OptionSpec {
  return { name: 'camera', description, type: 'string', required, autocomplete: 'camera' };
}
export function networkOption(required: boolean): OptionSpec {
  return { name: 'network', description: 'Network name (optional with one network)', type: 'string', required, autocomplete: 'network' };
}
export function clipOption(description: string): OptionSpec {
  return { name: 'clip', description, type: 'string', required: true, autocomplete: 'clip' };
}
export const stateOption: OptionSpec = { name: 'state', description: 'on or off', type: { choices: ON_OFF }, required: true };

/** Arguments, Discord option and text parser of a command whose one argument is `[network]`. */
export const optionalNetworkArgs = {
  args: z.object({ network: z.string().optional() }),
  options: [networkOption(false)],
  parse: (text: string): RawArgs => ({ network: text }),
};
