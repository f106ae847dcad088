/**
 * Each front end's library loads only when that front end is configured: a Telegram-only bot
 * never loads discord.js (~45 MB of RSS), a Discord-only one never loads grammY
 * (docs/performance.md, "Many accounts"). A child builds the app (createApp, as main does)
 * with a resolve hook that refuses one library; a static import on the app's path fails it.
 * The other front end's case shows the hook does refuse.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/temp-dir.js';
import { offlineBotEnv, spawnEntry } from '../helpers/spawn-entry.js';

const refusing = (library: string): string => {
  const hook = `export async function resolve(specifier, context, next) {
  if (specifier === ${JSON.stringify(library)} || specifier.startsWith(${JSON.stringify(library === 'discord.js' ? '@discordjs/' : `${library}/`)})) throw new Error(${JSON.stringify(`${library} was loaded`)});
  return next(specifier, context);
}`;
  return `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});
const { loadConfig } = await import('./src/config/index.ts');
const { createApp } = await import('./src/app/create-app.ts');
const { createLogger } = await import('./src/log.ts');
const app = await createApp({ config: loadConfig(process.env), log: createLogger({ level: 'silent' }) });
console.log('front ends: ' + app.frontEnds.map((f) => f.name).join(','));
await app.close();`;
};

const discordEnv = { DISCORD_TOKEN: 'dummy-token', DISCORD_APPLICATION_ID: '900000000000000001', DISCORD_API_ROOT: 'http://127.0.0.1:9' };

test('a Telegram-only bot never loads discord.js; a Discord bot does', async (t) => {
  const dir = tempDir(t, 'lazy-front-ends-');
  const telegramOnly = await spawnEntry(['--input-type=module', '-e', refusing('discord.js')], offlineBotEnv(path.join(dir, 'tg.sqlite'))).finished;
  assert.equal(telegramOnly.code, 0, telegramOnly.stderr);
  assert.match(telegramOnly.stdout, /front ends: telegram\n/);

  const withDiscord = await spawnEntry(['--input-type=module', '-e', refusing('discord.js')], offlineBotEnv(path.join(dir, 'dc.sqlite'), discordEnv)).finished;
  assert.notEqual(withDiscord.code, 0);
  assert.match(withDiscord.stderr, /discord\.js was loaded/);
});

test('a Discord-only bot never loads grammY', async (t) => {
  const dir = tempDir(t, 'lazy-front-ends-');
  const env = offlineBotEnv(path.join(dir, 'dc.sqlite'), discordEnv);
  delete env.TELEGRAM_BOT_TOKEN;
  delete env.TELEGRAM_API_ROOT;
  const discordOnly = await spawnEntry(['--input-type=module', '-e', refusing('grammy')], env).finished;
  assert.equal(discordOnly.code, 0, discordOnly.stderr);
  assert.match(discordOnly.stdout, /front ends: discord\n/);
});
