/**
 * At most one live view per camera: Blink's camera streams to one viewer, and a second
 * request would only cut the first. The book remembers who is watching so a second request
 * can say so.
 */
export interface LiveWatchers {
  /** Takes the camera for `who`; returns who already watches it instead when taken. */
  take(cameraKey: string, who: string): { ok: true; release: () => void } | { ok: false; watcher: string };
}

export function createLiveWatchers(): LiveWatchers {
  const watching = new Map<string, string>();
  return {
    take(cameraKey, who) {
      const watcher = watching.get(cameraKey);
      if (watcher !== undefined) return { ok: false, watcher };
      watching.set(cameraKey, who);
      return {
        ok: true,
        release: () => {
          if (watching.get(cameraKey) === who) watching.delete(cameraKey);
        },
      };
    },
  };
}
