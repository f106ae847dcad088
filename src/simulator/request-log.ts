/** Per-route-class request counts and a bounded log of recent requests. */
export interface LoggedRequest {
  method: string;
  path: string;
  routeClass: string;
  status: number;
  time: number;
  /** The client's User-Agent and Accept as sent ('' when missing): header checks in tests. */
  userAgent: string;
  accept: string;
}

export type RequestLog = ReturnType<typeof createRequestLog>;

export function createRequestLog(limit = 10_000) {
  let counts = new Map<string, number>();
  let total = 0;
  let entries: LoggedRequest[] = [];

  return {
    record(entry: LoggedRequest): void {
      counts.set(entry.routeClass, (counts.get(entry.routeClass) ?? 0) + 1);
      total++;
      entries.push(entry);
      // Drop in batches so a long benchmark does not pay a shift() per request.
      if (entries.length > limit * 1.5) entries = entries.slice(-limit);
    },
    counts(): Record<string, number> & { total: number } {
      return { ...Object.fromEntries(counts), total };
    },
    entries(): readonly LoggedRequest[] {
      return entries.slice(-limit);
    },
    reset(): void {
      counts = new Map();
      total = 0;
      entries = [];
    },
  };
}
