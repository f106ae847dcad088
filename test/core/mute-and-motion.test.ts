/** /mute takes what its help lists (and the help lists what it takes); /motion's working line reads right. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discordSlashCommands, helpText } from '../../src/core/registry.js';
import { createHarness, OWNER, textOf } from './harness.js';

test('/mute accepts every duration its help lists, and the forms the help promises (any m, h or d up to 7d)', async (t) => {
  const h = await createHarness(t);
  await h.login();
  const help =
    helpText()
      .split('\n')
      .find((l) => l.startsWith('/mute')) ?? '';
  const listed = help.match(/\b\d+[mhd]\b/g) ?? [];
  assert.deepEqual(listed.slice(0, 4), ['30m', '1h', '8h', '1d'], help);
  assert.match(help, /up to 7d/);
  for (const duration of [...listed.filter((d) => d !== '7d'), '7d', '2h', '1 h', '90 min', '3 days']) {
    assert.match(textOf(await h.send(OWNER, OWNER, `/mute Front Door ${duration}`)), /Front Door muted here until/, duration);
  }
  assert.match(textOf(await h.send(OWNER, OWNER, '/mute all 45m')), /All cameras muted/);
  const refused = textOf(await h.send(OWNER, OWNER, '/mute Porch 8d'));
  assert.match(refused, /30m, 1h, 8h, 1d \(any m, h or d up to 7d\)/, 'the refusal lists what is accepted');
  assert.match(textOf(await h.send(OWNER, OWNER, '/mute off')), /Muting ended/);
  // Discord takes the same text: a free option, not four fixed choices.
  const option = discordSlashCommands()
    .find((c) => c.name === 'mute')
    ?.options.find((o) => o.name === 'duration');
  assert.ok(option);
  assert.equal(option.choices, undefined);
});

test('/motion says "Turning motion detection on for Porch…", never "on on Porch"', async (t) => {
  const h = await createHarness(t);
  await h.login();
  assert.match(textOf(await h.send(OWNER, OWNER, '/motion porch on')), /Motion detection on Porch is on/);
  assert.deepEqual(h.progress.updates, ['Turning motion detection on for Porch…']);
  for (const update of h.progress.updates) assert.doesNotMatch(update, /\bon on\b/);
});
