/**
 * GET /healthz: the database answers and every configured front end is connected.
 * The body names what is down, so an operator (or Docker's HEALTHCHECK log) sees why.
 */
type FrontEndState = 'connected' | 'disconnected';

export interface HealthReport {
  ok: boolean;
  db: 'ok' | 'error';
  frontEnds: Record<string, FrontEndState>;
}

export interface HealthDeps {
  /** Runs a trivial query; throws when the database does not answer. */
  pingDatabase(): void;
  /** Configured front ends by name ('telegram', 'discord', 'terminal'). */
  frontEnds: Readonly<Record<string, { connected(): boolean }>>;
}

export function checkHealth(deps: HealthDeps): HealthReport {
  let db: HealthReport['db'] = 'ok';
  try {
    deps.pingDatabase();
  } catch {
    db = 'error';
  }
  const frontEnds: Record<string, FrontEndState> = {};
  for (const [name, frontEnd] of Object.entries(deps.frontEnds)) {
    let up = false;
    try {
      up = frontEnd.connected();
    } catch {
      up = false;
    }
    frontEnds[name] = up ? 'connected' : 'disconnected';
  }
  const ok = db === 'ok' && Object.values(frontEnds).every((s) => s === 'connected');
  return { ok, db, frontEnds };
}
