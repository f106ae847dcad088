import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createManualClock } from '../../src/clock.js';
import type { ChatContext } from '../../src/core/inbound.js';
import { createStrangerGate, STRANGER_REPLY_EVERY_MS } from '../../src/core/stranger-gate.js';

const served: ChatContext = { id: 'dc:300', platform: 'dc', kind: 'group' };
const stranger: ChatContext = { id: 'dc:999', platform: 'dc', kind: 'private' };
const otherStranger: ChatContext = { id: 'tg:998', platform: 'tg', kind: 'private' };
const admin = { id: 'dc:1' };
const nobody = { id: 'dc:999' };

function gate() {
  const clock = createManualClock();
  const dispatcher = { admits: (chat: ChatContext, caller: { id: string }) => chat.id === served.id || caller.id === admin.id };
  return { clock, gate: createStrangerGate({ dispatcher, clock }) };
}

test('a group that is not served answers each command; its plain text gets nothing', () => {
  const { gate: g } = gate();
  const group: ChatContext = { id: 'dc:301', platform: 'dc', kind: 'group' };
  for (let i = 0; i < 5; i++) assert.equal(g.admit(group, nobody, true), true);
  assert.equal(g.admit(group, nobody, false), false);
});

test('a served chat and an admin anywhere are always admitted', () => {
  const { gate: g } = gate();
  for (let i = 0; i < 100; i++) assert.equal(g.admit(served, nobody, true), true);
  for (let i = 0; i < 100; i++) assert.equal(g.admit(stranger, admin, false), true);
});

test('a stranger chat gets one answer a minute; the flood in between and plain text are dropped', async () => {
  const { clock, gate: g } = gate();
  assert.equal(g.admit(stranger, nobody, false), false, 'plain text is never answered');
  assert.equal(g.admit(stranger, nobody, true), true);
  for (let i = 0; i < 500; i++) assert.equal(g.admit(stranger, nobody, true), false);
  assert.equal(g.admit(otherStranger, nobody, true), true, 'each chat has its own minute');
  await clock.advance(STRANGER_REPLY_EVERY_MS - 1);
  assert.equal(g.admit(stranger, nobody, true), false);
  await clock.advance(1);
  assert.equal(g.admit(stranger, nobody, true), true, 'a minute later: one more answer');
  assert.equal(g.admit(stranger, nobody, true), false);
});
