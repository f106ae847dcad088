/**
 * The session manager keeps one Blink client per linked session for the life of the process;
 * it must not keep the session row it was built from (the row holds the sealed tokens, a
 * buffer per session: memory at 10,000 accounts, docs/performance.md, "Many accounts").
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBlinkService } from '../../src/blink/service.js';
import { systemClock } from '../../src/clock.js';
import { createSessionManager } from '../../src/core/session-manager.js';
import { createRepositories, openDatabase } from '../../src/db/index.js';
import { createLogger } from '../../src/log.js';
import { createSealer } from '../../src/secrets/index.js';
import { forceGc } from '../helpers/force-gc.js';
import { sealedDb } from '../helpers/sealed-db.js';

test('a cached Blink client does not keep its session row (nor the sealed tokens) alive', async (t) => {
  const s = sealedDb(t, 1, 'session-client-memory-');
  const db = openDatabase({ path: s.dbPath });
  t.after(() => db.close());
  const repos = createRepositories(db);
  const log = createLogger({ level: 'silent' });
  const blink = createBlinkService({ urls: { oauth: 'http://127.0.0.1:9', restTemplate: 'http://127.0.0.1:9' }, clock: systemClock, log });
  t.after(() => blink.close());
  const sessions = createSessionManager({ repos, sealer: createSealer(s.key), blink, clock: systemClock, log });
  const owner = s.owners[0] ?? assert.fail('no owner');

  const { account, row } = (() => {
    const session = repos.sessions.getByOwner(owner) ?? assert.fail(owner);
    return { account: sessions.accountForSession(session), row: new WeakRef(session) };
  })();
  // Two turns of the event loop, then a full GC: nothing but the client may hold the row.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  forceGc();
  assert.equal(row.deref(), undefined, 'the session row is still reachable');
  assert.equal(sessions.accountForSession(repos.sessions.getByOwner(owner) ?? assert.fail(owner)), account, 'the client is cached');
});
