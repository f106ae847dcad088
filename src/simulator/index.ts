/** Public surface of the Blink cloud simulator. */
export { startBlinkSimulator, type BlinkSimulator, type BlinkSimulatorOptions } from './server.js';
export { createDefaultSeed, createFixtureAccountSeed } from './seed.js';
export { expectedClipBytes, expectedThumbnailBytes, clipChunks } from './bytes.js';
export type { SimControl, CameraStatePatch } from './control.js';
export type { FaultSpec } from './faults.js';
export type { ImmisFault, ImmisStats, LiveMedia } from './immis-server.js';
export type { LoggedRequest } from './request-log.js';
export type * from './types.js';
