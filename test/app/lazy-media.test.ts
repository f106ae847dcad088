/**
 * mediabunny (the live view's MPEG-TS → MP4 remuxer and the trim) loads on first use, not
 * with the bot: a bot that never records a live view keeps its memory (docs/performance.md,
 * "Many accounts"). A child imports the app's wiring with a resolve hook that refuses
 * `mediabunny`: a static import anywhere on that path fails the import.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnEntry } from '../helpers/spawn-entry.js';

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'mediabunny') throw new Error('mediabunny was loaded with the app');
  return next(specifier, context);
}`;
const script = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});
await import('./src/app/create-app.ts');
await import('./src/blink/service.ts');
console.log('loaded');`;

test('the app wiring and the Blink client load without mediabunny', async () => {
  const { code, stdout, stderr } = await spawnEntry(['--input-type=module', '-e', script], {}).finished;
  assert.equal(code, 0, stderr);
  assert.match(stdout, /loaded/);
});
