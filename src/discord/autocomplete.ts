/**
 * Autocomplete answers: at most 25 choices, filtered case-insensitively by what was typed
 * (prefix matches first), within Discord's 3-second window (an answer we cannot get in time
 * is an empty list, never an error shown to the user).
 */
import type { AutocompleteKind } from '../core/define-command.js';
import type { Caller, ChatContext } from '../core/inbound.js';

export interface Choice {
  name: string;
  value: string;
}

/** Names (or clip ids) for one kind of option, from the caller's linked session. */
export type AutocompleteSource = (kind: AutocompleteKind, chat: ChatContext, caller: Caller, typed: string) => Promise<Choice[]>;

const MAX_CHOICES = 25;
const NAME_LIMIT = 100;

export function autocompleteKind(optionName: string): AutocompleteKind | undefined {
  return optionName === 'camera' || optionName === 'network' || optionName === 'clip' ? optionName : undefined;
}

export function filterChoices(choices: readonly Choice[], typed: string): Choice[] {
  const wanted = typed.trim().toLowerCase();
  const matches = (c: Choice, test: (s: string) => boolean): boolean => test(c.name.toLowerCase()) || test(c.value.toLowerCase());
  const prefix = choices.filter((c) => matches(c, (s) => s.startsWith(wanted)));
  const inside = choices.filter((c) => !prefix.includes(c) && matches(c, (s) => s.includes(wanted)));
  return [...prefix, ...inside]
    .filter((c) => c.value.length > 0 && c.value.length <= NAME_LIMIT)
    .slice(0, MAX_CHOICES)
    .map((c) => ({ name: c.name.slice(0, NAME_LIMIT) || c.value, value: c.value }));
}
