/**
 * A media download that its reader abandons (a clip over a chat's upload limit: read in part,
 * then destroyed) must end its HTTP request: no listener left on the caller's long-lived
 * signal, the connection given back, Agent.close() not held. Before the fix the body was never
 * destroyed, so a Discord over-limit clip hung the bot at shutdown.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createBlinkHttp } from '../../src/blink/http.js';
import { until } from '../helpers/until.js';
import { createFastClock, hostsOf, silentLog } from './helpers.js';

const CLIP_BYTES = 4 * 1024 * 1024;

/** A clip-shaped body: an MP4 signature, then filler. */
function clipHead(bytes: number): Buffer {
  const head = Buffer.alloc(bytes, 0x61);
  head.writeUInt32BE(24, 0);
  head.write('ftyp', 4, 'latin1');
  return head;
}

for (const server of ['sends the whole clip', 'stalls mid-body'] as const) {
  test(`an abandoned media download ends its request (server ${server})`, async (t) => {
    const open = new Set<ServerResponse>();
    const srv = createServer((req, res) => {
      if (req.url === '/ok') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      open.add(res);
      res.once('close', () => open.delete(res));
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(CLIP_BYTES) });
      if (server === 'stalls mid-body') res.write(clipHead(256 * 1024));
      else res.end(clipHead(CLIP_BYTES));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    t.after(() => {
      // A leaked request would keep a connection (and server.close) open: cut it here.
      srv.closeAllConnections();
      return new Promise<void>((r) => srv.close(() => r()));
    });
    const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    const http = createBlinkHttp({ hosts: hostsOf(base), clock: createFastClock(), log: silentLog, random: () => 0.5, limits: { perAccountMinTimeMs: 0 } });
    const loop = new AbortController(); // like the delivery worker's signal, alive for the process

    const download = await http.media({ account: 'a', method: 'GET', url: `${base}/clip`, endpoint: 'clip', signal: loop.signal }, 'video');
    // The guard (not AbortSignal.any, whose WeakRef on the caller signal Node 20 never prunes)
    // stays hooked while the body is read.
    assert.equal(getEventListeners(loop.signal, 'abort').length, 1, 'the caller signal reaches the download');
    let read = 0;
    for await (const chunk of download.stream) {
      assert.ok(Buffer.isBuffer(chunk));
      read += chunk.length;
      if (read >= 64 * 1024) break; // over the limit: abandoned, as the chat front ends do
    }
    assert.ok(download.stream.destroyed, 'the reader destroyed the stream');
    await until(() => open.size === 0, 'the server to see the request end', 15_000, 5);
    assert.equal(getEventListeners(loop.signal, 'abort').length, 0, 'nothing left on the caller signal');

    const next = await http.json({ account: 'a', method: 'GET', url: `${base}/ok`, endpoint: 'ok', signal: loop.signal });
    assert.equal(next.status, 200, 'the next request works');
    assert.equal(getEventListeners(loop.signal, 'abort').length, 0);

    let closed = false;
    const closing = http.close().then(() => (closed = true));
    await until(() => closed, 'http.close() (Agent.close waits for every request in flight)', 15_000, 5);
    await closing;
  });
}

test('aborting the caller signal ends a media download being read, and unhooks', async (t) => {
  let serverSawClose = false;
  const srv = createServer((_req, res) => {
    res.once('close', () => (serverSawClose = true));
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(CLIP_BYTES) });
    res.write(clipHead(256 * 1024)); // then stalls
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.after(() => {
    srv.closeAllConnections();
    return new Promise<void>((r) => srv.close(() => r()));
  });
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/clip`;
  const http = createBlinkHttp({ hosts: hostsOf(url), clock: createFastClock(), log: silentLog, random: () => 0.5, limits: { perAccountMinTimeMs: 0 } });
  t.after(() => http.close());
  const shutdown = new AbortController();
  const download = await http.media({ account: 'a', method: 'GET', url, endpoint: 'clip', signal: shutdown.signal }, 'video');
  const reading = (async () => {
    for await (const chunk of download.stream) assert.ok(Buffer.isBuffer(chunk));
  })();
  shutdown.abort(new Error('shutting down'));
  await assert.rejects(reading);
  await until(() => serverSawClose, 'the server to see the request end', 15_000, 5);
  assert.equal(getEventListeners(shutdown.signal, 'abort').length, 0);
});
