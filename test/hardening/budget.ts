/**
 * CI budget for the hardening suite. `HARDENING_RUNS_SCALE` (e.g. 10) multiplies every
 * fast-check numRuns for a longer local run; CI uses the modest defaults. The input
 * counter feeds the figures printed at the end of each file (see README "Reliability").
 */
import { after } from 'node:test';

const scale = Number(process.env['HARDENING_RUNS_SCALE'] ?? '1');

export function numRuns(base: number): number {
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

let inputs = 0;
let faults = 0;
// Registered at import (top level), so it runs once after every test of the file.
after(() => {
  process.stdout.write(`# hardening figures: inputs tried ${inputs}, faults injected ${faults}\n`);
});

export function recordInputs(n: number): void {
  inputs += n;
}

export function recordFaults(n: number): void {
  faults += n;
}
