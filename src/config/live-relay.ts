import { readFileSync } from 'node:fs';
import type { Config } from './load-config.js';

/** The live view relay options of the configuration: the extra CA read from its file, and the allowed hosts. */
export function liveRelayOptions(blink: Config['blink']): { ca?: string; allowedHosts: readonly string[] } {
  return {
    ...(blink.liveCaFile !== undefined ? { ca: readFileSync(blink.liveCaFile, 'utf8') } : {}),
    allowedHosts: blink.liveHosts ?? [],
  };
}
