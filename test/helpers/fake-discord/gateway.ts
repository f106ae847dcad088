// The WebSocket gateway (v10, JSON, uncompressed): HELLO, IDENTIFY → READY + GUILD_CREATE,
// heartbeats, RESUME with replay of events missed while disconnected, and dispatch.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { z } from 'zod';
import { guildCreatePayload } from './payloads.js';
import type { FakeState } from './state.js';

const frameSchema = z.looseObject({ op: z.number(), d: z.unknown().optional() });
const identifySchema = z.looseObject({ token: z.string(), intents: z.number().optional() });
const resumeSchema = z.looseObject({ token: z.string(), session_id: z.string(), seq: z.number().nullable() });

interface Session {
  id: string;
  seq: number;
  events: Array<{ s: number; t: string; d: unknown }>;
  socket: WebSocket | undefined;
  intents: number;
}

export interface GatewayStats {
  identifies: number;
  resumes: number;
  heartbeats: number;
  connections: number;
}

export interface Gateway {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  dispatch(t: string, d: unknown): void;
  /** Closes the live connection. Default 4000 (client resumes); 1000 makes it re-identify. */
  disconnect(options?: { code?: number; abrupt?: boolean }): void;
  connected(): boolean;
  stats(): GatewayStats;
  close(): Promise<void>;
}

export function createGateway(deps: { state: FakeState; url: () => string }): Gateway {
  const { state } = deps;
  const wss = new WebSocketServer({ noServer: true });
  const heartbeatInterval = state.options.heartbeatIntervalMs ?? 41_250;
  const stats: GatewayStats = { identifies: 0, resumes: 0, heartbeats: 0, connections: 0 };
  let session: Session | undefined;

  const send = (socket: WebSocket, frame: Record<string, unknown>): void => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  };

  const dispatchTo = (current: Session, t: string, d: unknown): void => {
    current.seq += 1;
    const event = { s: current.seq, t, d };
    current.events.push(event);
    if (current.socket !== undefined) send(current.socket, { op: 0, ...event });
  };

  const identify = (socket: WebSocket, data: unknown): void => {
    const parsed = identifySchema.safeParse(data);
    if (!parsed.success || parsed.data.token !== state.botToken) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    stats.identifies += 1;
    if (session?.socket !== undefined && session.socket !== socket) session.socket.terminate();
    session = { id: state.newId(), seq: 0, events: [], socket, intents: parsed.data.intents ?? 0 };
    dispatchTo(session, 'READY', {
      v: 10,
      user: state.botUser,
      application: { id: state.applicationId, flags: 0 },
      session_id: session.id,
      resume_gateway_url: deps.url(),
      session_type: 'normal',
      guilds: state.guilds.map((g) => ({ id: g.id, unavailable: true })),
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      shard: [0, 1],
      _trace: ['fake-discord'],
    });
    for (const guild of state.guilds) dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(guild, state.botUser, state.startedAt));
  };

  const resume = (socket: WebSocket, data: unknown): void => {
    const parsed = resumeSchema.safeParse(data);
    if (!parsed.success || parsed.data.token !== state.botToken) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const current = session;
    if (current === undefined || current.id !== parsed.data.session_id) {
      send(socket, { op: 9, d: false });
      return;
    }
    stats.resumes += 1;
    current.socket = socket;
    const from = parsed.data.seq ?? 0;
    for (const event of current.events) if (event.s > from) send(socket, { op: 0, ...event });
    dispatchTo(current, 'RESUMED', { _trace: ['fake-discord'] });
  };

  wss.on('connection', (socket: WebSocket) => {
    stats.connections += 1;
    send(socket, { op: 10, d: { heartbeat_interval: heartbeatInterval, _trace: ['fake-discord'] } });
    socket.on('message', (raw: RawData) => {
      let value: unknown;
      try {
        value = JSON.parse(raw.toString());
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      const frame = frameSchema.safeParse(value);
      if (!frame.success) {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      const { op, d } = frame.data;
      if (op === 1) {
        stats.heartbeats += 1;
        send(socket, { op: 11 });
      } else if (op === 2) identify(socket, d);
      else if (op === 6) resume(socket, d);
    });
    socket.on('close', () => {
      if (session?.socket === socket) session.socket = undefined;
    });
    socket.on('error', () => undefined);
  });

  return {
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    dispatch(t, d) {
      if (session === undefined) throw new Error('fake-discord: no gateway session (the client has not identified)');
      dispatchTo(session, t, d);
    },
    disconnect(options = {}) {
      const socket = session?.socket;
      if (socket === undefined) return;
      if (session) session.socket = undefined;
      if (options.abrupt === true) socket.terminate();
      else socket.close(options.code ?? 4000, 'fake-discord: disconnect requested');
      if (options.code === 1000 || (options.code !== undefined && options.code >= 4007 && options.code <= 4009)) session = undefined;
    },
    connected() {
      return session?.socket !== undefined;
    },
    stats() {
      return { ...stats };
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
