/**
 * /deny in the core (issue "Trust" point 1): the links of every chat the denied key admitted
 * go (a Discord channel through its guild too), unless another key still admits the chat;
 * the owner's notice is queued once for their private chat; pending alerts there are dropped.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, createHarness, groupChat, textOf } from './harness.js';

const DC_OWNER = 'dc:9';
const channel = (id: string) => ({ ...groupChat(`dc:${id}`), platform: 'dc' as const, aliases: ['dc:444'] });

test('/deny of a Discord guild removes the links of its channels (not one allowed in its own right) and tells the owner once', async (t) => {
  const h = await createHarness(t);
  h.repos.allowlist.add('dc:444', 'env', h.clock.now());
  h.repos.allowlist.add('dc:556', 'env', h.clock.now());
  await h.login(DC_OWNER);
  for (const id of ['555', '556']) assert.match(textOf(await h.send(channel(id), DC_OWNER, '/link')), /now uses/);
  const session = h.repos.sessions.getByOwner(DC_OWNER);
  assert.ok(session);
  h.repos.outbox.enqueue({ sessionId: session.id, mediaId: '1', chat: 'dc:555', kind: 'text', payload: { text: 'waiting' } }, h.clock.now());

  const denied = await h.send(ADMIN, ADMIN, '/deny dc:444');
  assert.match(textOf(denied), /dc:444 is no longer allowed/);
  assert.equal(h.repos.links.get('dc:555'), undefined, 'the channel admitted only by the guild is unlinked');
  assert.ok(h.repos.links.get('dc:556'), 'a channel allowed in its own right stays linked');
  assert.ok(h.repos.links.get(DC_OWNER), "the owner's DM stays linked");
  const notices = h.repos.outbox.pendingHeads().filter((r) => r.chat === DC_OWNER && r.payload.includes('dc:555'));
  assert.equal(notices.length, 1, 'one notice for the owner, in their private chat');
  assert.equal(
    h.repos.outbox.pendingHeads().some((r) => r.chat === 'dc:555'),
    false,
    'the waiting alert there is dropped',
  );
  // Told once: a second /deny of the same key finds nothing more to remove.
  assert.match(textOf(await h.send(ADMIN, ADMIN, '/deny dc:444')), /was not on the allowlist/);
  assert.equal(h.repos.outbox.pendingHeads().filter((r) => r.chat === DC_OWNER).length, 1);
});
