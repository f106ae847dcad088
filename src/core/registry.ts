/**
 * Every command, listed statically (no file-system loading). /help, Telegram's command
 * menu and Discord's slash commands are generated from this list.
 */
import { discordCommands, renderHelp, telegramMenu, type DiscordCommandJson, type TelegramMenuEntry } from './catalog.js';
import type { Command } from './define-command.js';
import { alerts, mute, quiet } from './commands/alerts.js';
import { allow, deny } from './commands/allowlist.js';
import { arm, disarm } from './commands/arm.js';
import { clip, clips } from './commands/clips.js';
import { help, start } from './commands/help.js';
import { link, unlink } from './commands/link.js';
import { live } from './commands/live.js';
import { local, localclip } from './commands/local.js';
import { cancel, login, logout, pin } from './commands/login.js';
import { motion } from './commands/motion.js';
import { pictures } from './commands/pictures.js';
import { record } from './commands/record.js';
import { snap } from './commands/snap.js';
import { status } from './commands/status.js';

export const commands: readonly Command[] = [
  start,
  help,
  login,
  pin,
  cancel,
  logout,
  link,
  unlink,
  status,
  arm,
  disarm,
  motion,
  snap,
  pictures,
  live,
  record,
  clips,
  clip,
  local,
  localclip,
  alerts,
  mute,
  quiet,
  allow,
  deny,
];

export function findCommand(name: string): Command | undefined {
  const wanted = name.toLowerCase();
  return commands.find((c) => c.name === wanted);
}

/** The /help text (admins also see /allow and /deny). */
export function helpText(options: { isAdmin?: boolean } = {}): string {
  return renderHelp(commands, options);
}

/** For Telegram's setMyCommands. */
export function telegramCommandMenu(): TelegramMenuEntry[] {
  return telegramMenu(commands);
}

/** For Discord's bulk overwrite of global application commands. */
export function discordSlashCommands(): DiscordCommandJson[] {
  return discordCommands(commands);
}

export type { DiscordCommandJson, TelegramMenuEntry } from './catalog.js';
