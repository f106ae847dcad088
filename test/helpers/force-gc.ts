/** A full garbage collection from inside a test (memory checks), without a node flag. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const exposed: unknown = runInNewContext('gc');

export function forceGc(): void {
  if (typeof exposed !== 'function') throw new Error('gc is not available');
  exposed();
}
