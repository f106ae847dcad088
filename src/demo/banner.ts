/** The simulator's demo account (src/simulator/seed.ts). Not a secret: it exists only in the simulator. */
export const DEMO_EMAIL = 'owner@example.com';
export const DEMO_PASSWORD = 'correct-horse-battery-staple';

export function demoBanner(options: { mediaDir: string; clipEverySeconds: number }): string {
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
    '    /clips                 recent clips; type a number to fetch one',
    '    /arm, /disarm, /motion Porch on, /local, /help',
    '',
    `  A motion clip appears shortly after login, then every ${options.clipEverySeconds} s, as an alert.`,
    `  Photos and videos go to ${options.mediaDir}`,
    '  Ctrl-C or Ctrl-D quits.',
    '',
  ].join('\n');
}
