/** The simulator's `/__sim/` control over HTTP (it runs in another process). */
import { request } from 'undici';

export interface SimCounts {
  total: number;
  [route: string]: number;
}

export function simControl(simUrl: string) {
  async function post<T = Record<string, unknown>>(op: string, body: unknown = {}): Promise<T> {
    const res = await request(`${simUrl}/__sim/${op}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const json = (await res.body.json()) as T;
    if (res.statusCode !== 200) throw new Error(`sim ${op}: ${res.statusCode} ${JSON.stringify(json)}`);
    return json;
  }
  return {
    post,
    async counts(): Promise<SimCounts> {
      const res = await request(`${simUrl}/__sim/counts`);
      return (await res.body.json()) as SimCounts;
    },
    resetCounts: () => post('resetCounts'),
  };
}

export type SimControlClient = ReturnType<typeof simControl>;

/** A 3-camera account like the fixture one (camera, owl, doorbell), no clips yet. */
export function threeCameraSeed(n: number, tier = 'u011') {
  return {
    email: `bench${n}@example.com`,
    password: 'bench-password',
    tier,
    twoFactor: 'none' as const,
    networks: [
      {
        name: 'Home',
        armed: false,
        syncModule: { name: 'Sync', online: true, localStorage: false },
        devices: [
          { family: 'camera' as const, type: 'catalina', name: 'Front Door', enabled: true, temperature: 70, battery: 'ok' as const, wifi: 4 },
          { family: 'owl' as const, type: 'owl', name: 'Living Room', enabled: true, temperature: 68, wifi: 4 },
          { family: 'lotus' as const, type: 'lotus', name: 'Porch', enabled: true, temperature: 65, battery: 'ok' as const, wifi: 3 },
        ],
      },
    ],
  };
}
