/** Public surface of the Blink cloud simulator. */
export { startBlinkSimulator, type BlinkSimulator, type BlinkSimulatorOptions } from './server.js';
export { createFixtureAccountSeed } from './seed.js';
export {
  clipChunks,
  expectedThumbnailBytes,
  naturalClip,
} from './bytes.js';
export type { ImmisFault } from './immis-server.js';
export type { LoggedRequest } from './request-log.js';
export type * from './types.js';
