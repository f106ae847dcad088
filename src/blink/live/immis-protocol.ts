/**
 * The bytes of the immis live stream (docs/blink-api.md, "Live view"): the 122-byte auth
 * header the client sends first, the client's keep-alive and latency packets, and the
 * server's packets (9-byte header: type, sequence, payload length; then the payload).
 */
import type { ImmisTarget } from './immis-target.js';

const PACKET_HEADER_BYTES = 9;
/** Server packets carrying MPEG-TS. */
export const MSG_VIDEO = 0x00;
const MSG_KEEPALIVE = 0x0a;
const MSG_LATENCY = 0x12;
/** A payload larger than this is not a stream packet: the framing is broken. */
const MAX_PAYLOAD_BYTES = 1 << 20;

function fixedField(text: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  Buffer.from(text, 'utf8').copy(out, 0, 0, size);
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function authHeader(target: Pick<ImmisTarget, 'serial' | 'clientId' | 'connectionId'>): Buffer {
  return Buffer.concat([
    Buffer.from([0, 0, 0, 0x28]),
    u32(16),
    fixedField(target.serial, 16),
    u32(target.clientId),
    Buffer.from([0x01, 0x08]),
    u32(64),
    Buffer.alloc(64),
    u32(16),
    fixedField(target.connectionId, 16),
    Buffer.from([0, 0, 0, 1]),
  ]);
}

function packet(type: number, sequence: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const head = Buffer.alloc(PACKET_HEADER_BYTES);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(sequence >>> 0, 1);
  head.writeUInt32BE(payload.byteLength, 5);
  return Buffer.concat([head, payload]);
}

/** Every second: latency statistics (sequence fixed at 1000, 24 zero bytes). */
export const latencyPacket = (): Buffer => packet(MSG_LATENCY, 1000, new Uint8Array(24));
/** Every 10 s: keep-alive with an increasing sequence and no payload. */
export const keepAlivePacket = (sequence: number): Buffer => packet(MSG_KEEPALIVE, sequence);

export interface ImmisPacket {
  type: number;
  sequence: number;
  payload: Buffer;
}

/**
 * Splits a byte stream into packets. `push` returns the complete packets so far; throws
 * RangeError when a header announces an impossible payload (the stream is not immis).
 */
export function createPacketReader(): { push(chunk: Buffer): ImmisPacket[]; buffered(): number } {
  let pending: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const out: ImmisPacket[] = [];
      while (pending.length >= PACKET_HEADER_BYTES) {
        const length = pending.readUInt32BE(5);
        if (length > MAX_PAYLOAD_BYTES) throw new RangeError(`immis payload of ${length} bytes`);
        if (pending.length < PACKET_HEADER_BYTES + length) break;
        out.push({
          type: pending.readUInt8(0),
          sequence: pending.readUInt32BE(1),
          payload: pending.subarray(PACKET_HEADER_BYTES, PACKET_HEADER_BYTES + length),
        });
        pending = pending.subarray(PACKET_HEADER_BYTES + length);
      }
      return out;
    },
    buffered: () => pending.length,
  };
}

/** What blinkpy forwards too: video packets whose payload starts with the TS sync byte. */
export function isTsPayload(p: ImmisPacket): boolean {
  return p.type === MSG_VIDEO && p.payload.length > 0 && p.payload[0] === 0x47;
}
