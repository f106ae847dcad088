/**
 * Everything generated from the command list: /help text, Telegram's command menu and
 * Discord's slash-command JSON. Pure functions over `Command[]` (registry.ts passes its list).
 */
import type { Command } from './define-command.js';

export interface TelegramMenuEntry {
  command: string;
  description: string;
}

/** Discord application command option (type 3 = STRING). */
interface DiscordOptionJson {
  type: 3;
  name: string;
  description: string;
  required: boolean;
  autocomplete?: true;
  choices?: { name: string; value: string }[];
}

/** Discord application command (type 1 = CHAT_INPUT). */
export interface DiscordCommandJson {
  type: 1;
  name: string;
  description: string;
  options: DiscordOptionJson[];
  /** Installed to guilds only (0 = GUILD_INSTALL): no user install that works in foreign DMs. */
  integration_types: [0];
  /** Usable in guilds (0) and the bot's own DM (1) only, never in other people's DMs (2). */
  contexts: [0, 1];
}

/** The /help text; `isAdmin` adds the admin-only commands. */
export function renderHelp(commands: readonly Command[], options: { isAdmin?: boolean } = {}): string {
  const shown = commands.filter((c) => c.name !== 'start' && (options.isAdmin || c.needs !== 'admin'));
  const width = Math.max(...shown.map((c) => c.usage.length));
  const lines = shown.map((c) => `${c.usage.padEnd(width)}  ${c.summary}`);
  return [
    'blink-bot shows your Blink cameras here: status, arm and disarm, pictures, clips and motion alerts.',
    'Start with /login in a private chat; in a group, /link shares your session.',
    '',
    ...lines,
  ].join('\n');
}

/** Telegram's setMyCommands list (1-32 lowercase characters, description 1-256). */
export function telegramMenu(commands: readonly Command[]): TelegramMenuEntry[] {
  return commands.filter((c) => c.needs !== 'admin').map((c) => ({ command: c.name, description: c.summary }));
}

/** Discord top-level slash commands, one per contract command except /start (docs/chat-contract.md §4). */
export function discordCommands(commands: readonly Command[]): DiscordCommandJson[] {
  return commands
    .filter((c) => c.discord)
    .map((c) => ({
      type: 1 as const,
      name: c.name,
      description: c.summary,
      // Explicit, not Discord's defaults, which change with the app's install settings.
      integration_types: [0] as [0],
      contexts: [0, 1] as [0, 1],
      options: [...c.options]
        // Discord requires required options before optional ones.
        .sort((a, b) => Number(b.required) - Number(a.required))
        .map((o) => ({
          type: 3,
          name: o.name,
          description: o.description,
          required: o.required,
          ...(o.autocomplete ? { autocomplete: true as const } : {}),
          ...(typeof o.type === 'object' ? { choices: o.type.choices.map((v) => ({ name: v, value: v })) } : {}),
        })),
    }));
}
