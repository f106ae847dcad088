/**
 * /pictures through the real dispatcher, Blink client and simulator: one album with every
 * camera's current picture captioned with its name and age, the "Pictures" button under
 * /status, and no new download while Blink's thumbnail reference is unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jpeg from 'jpeg-js';
import { expectedThumbnailBytes } from '../../src/simulator/index.js';
import type { Outcome } from '../../src/core/inbound.js';
import type { AlbumItem } from '../../src/core/reply.js';
import { helpText, telegramCommandMenu, discordSlashCommands } from '../../src/core/registry.js';
import { buttonsOf, createHarness, OWNER, textOf } from './harness.js';

function albumOf(outcome: Outcome): AlbumItem[] {
  const part = outcome.reply.parts.find((p) => p.type === 'album');
  if (part?.type !== 'album') throw new Error(`no album in: ${textOf(outcome)}`);
  return part.items;
}

async function bytesOf(item: AlbumItem): Promise<Buffer> {
  const { stream } = await item.media.open();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

const thumbnailRequests = (counts: Record<string, number>): number =>
  Object.entries(counts)
    .filter(([route]) => /thumbnail/i.test(route))
    .reduce((sum, [, n]) => sum + n, 0);

test('/pictures sends every camera’s current picture as one album, captioned with camera and age', async (t) => {
  const h = await createHarness(t);
  await h.login();
  const outcome = await h.send(OWNER, OWNER, '/pictures');
  const items = albumOf(outcome);
  assert.deepEqual(
    items.map((i) => i.caption),
    // The seed's thumbnails are 100 s, 200 s and 45 min old.
    ['Front Door · 1 min ago', 'Living Room · 3 min ago', 'Porch · 45 min ago'],
  );
  for (const item of items) assert.equal(item.media.kind, 'photo');
  const [front] = items;
  assert.ok(front);
  const bytes = await bytesOf(front);
  const image = jpeg.decode(bytes, { useTArray: true });
  assert.ok(image.width > 0 && image.height > 0, 'a JPEG that decodes');
  assert.equal(outcome.reply.parts.length, 1, 'one album, no extra text');
});

test('a repeated /pictures downloads nothing again while the thumbnail references are unchanged; a new picture is fetched', async (t) => {
  const h = await createHarness(t);
  await h.login();
  h.sim.resetCounts();
  await h.send(OWNER, OWNER, '/pictures');
  assert.equal(thumbnailRequests(h.sim.requestCounts()), 3, 'three pictures the first time');

  h.sim.resetCounts();
  const again = await h.send(OWNER, OWNER, '/pictures');
  assert.equal(albumOf(again).length, 3);
  assert.equal(thumbnailRequests(h.sim.requestCounts()), 0, 'no picture downloaded again');

  // A new picture on one camera: only that one is fetched, and it is the new one.
  const ts = Math.floor(h.sim.now() / 1000);
  h.sim.setCameraState(4001, { thumbnailTs: ts });
  h.sim.resetCounts();
  const fresh = await h.send(OWNER, OWNER, '/pictures');
  assert.equal(thumbnailRequests(h.sim.requestCounts()), 1);
  const [front] = albumOf(fresh);
  assert.ok(front);
  assert.deepEqual(await bytesOf(front), expectedThumbnailBytes('Front Door', ts));
});

test('/pictures <network> takes a network name; an unknown one lists the valid ones', async (t) => {
  const h = await createHarness(t);
  await h.login();
  assert.equal(albumOf(await h.send(OWNER, OWNER, '/pictures home')).length, 3);
  assert.match(textOf(await h.send(OWNER, OWNER, '/pictures cabin')), /Home/);
});

test('/status carries a "Pictures" button that sends the album', async (t) => {
  const h = await createHarness(t);
  await h.login();
  const status = await h.send(OWNER, OWNER, '/status');
  const button = buttonsOf(status).find((b) => b.label === 'Pictures');
  assert.ok(button, 'a Pictures button under /status');
  assert.equal(albumOf(await h.press(OWNER, OWNER, button)).length, 3);
});

test('/pictures is in /help, the Telegram menu and the Discord commands', () => {
  assert.match(helpText(), /\/pictures \[network\]/);
  assert.ok(telegramCommandMenu().some((c) => c.command === 'pictures'));
  const slash = discordSlashCommands().find((c) => c.name === 'pictures');
  assert.ok(slash);
  assert.deepEqual(
    slash.options.map((o) => [o.name, o.required, o.autocomplete]),
    [['network', false, true]],
  );
});
