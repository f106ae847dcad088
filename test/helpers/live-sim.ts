/**
 * Simulator options and Blink service options for live view tests: the simulator streams
 * real H.264 MPEG-TS ten times faster than real time, and the client trusts the simulator's
 * test-only relay certificate as an extra CA and allows its host (never verification off).
 */
import type { LiveOptions } from '../../src/blink/service.js';
import type { BlinkSimulator, BlinkSimulatorOptions } from '../../src/simulator/index.js';

export const liveSimOptions: BlinkSimulatorOptions = {
  liveSpeed: 10,
  recordDelayMs: 200,
};

export function liveClientOptions(sim: BlinkSimulator, timing: LiveOptions['timing'] = {}): LiveOptions {
  return {
    ca: sim.immisCa,
    allowedHosts: [sim.immisHost],
    timing: { stallMs: 2000, keepAliveMs: 100, latencyMs: 50, connectTimeoutMs: 2000, ...timing },
  };
}
