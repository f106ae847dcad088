/** The simulator's demo account (src/simulator/seed.ts). Not a secret: it exists only in the simulator. */
export const DEMO_EMAIL = 'owner@example.com';
export const DEMO_PASSWORD = 'correct-horse-battery-staple';

export function demoBanner(options: { mediaDir: string; clipEverySeconds: number; logTarget: string }): string {
  return [
    '',
    '  blink-bot demo: the bot, a simulated Blink cloud, and this terminal as the chat.',
    '',
    '  Type:',
    '    /login                 then the email, the password and the code it prints',
    `                           email: ${DEMO_EMAIL}`,
    `                           password: ${DEMO_PASSWORD}`,
    '    /status                networks and cameras',
    '    /snap Front Door       a new picture (saved as a file)',
    '    /pictures              the latest picture of every camera',
    '    /clips                 recent clips; type a number to fetch one',
    '    /arm, /disarm, /motion Porch on, /local, /help',
    '',
    `  A motion clip appears shortly after login, then every ${options.clipEverySeconds} s, as an alert.`,
    `  Photos and videos go to ${options.mediaDir}`,
    '  Ctrl-C or Ctrl-D quits.',
    `  Logs go to ${options.logTarget}.`,
    '',
  ].join('\n');
}

/** The banner of `--telegram` / `--discord`: the chat app is the chat, this terminal shows codes. */
export function chatAppBanner(options: { platform: 'telegram' | 'discord'; code: string; clipEverySeconds: number; logTarget: string }): string {
  const send =
    options.platform === 'telegram'
      ? `send your bot this code as a message: ${options.code}`
      : `run /pin code:${options.code} in a DM with the bot or in a channel it can see`;
  const app = options.platform === 'telegram' ? 'Telegram' : 'Discord';
  return [
    '',
    `  blink-bot demo: the bot in ${app}, against a simulated Blink cloud.`,
    '',
    `  1. In ${app}, ${send}`,
    '     Only the chat that sends it may use the bot; the code then expires.',
    '  2. /login there (Discord: a form), then',
    `       email: ${DEMO_EMAIL}`,
    `       password: ${DEMO_PASSWORD}`,
    '     and the 2FA code this terminal prints.',
    '  3. /status, /pictures, /snap Front Door, /clips, /help',
    '',
    `  A motion clip appears shortly after login, then every ${options.clipEverySeconds} s, as an alert in that chat.`,
    '  Ctrl-C quits.',
    `  Logs go to ${options.logTarget}.`,
    '',
  ].join('\n');
}
