import { Writable } from 'node:stream';

/** A log destination that pushes each written chunk (one pino line) to `lines`. */
export function lineSink(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
}
