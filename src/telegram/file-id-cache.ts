/**
 * Telegram file ids of media we uploaded, by MediaSource.cacheKey. Re-sending by file id
 * costs no download from Blink and no upload. Kept in memory (bounded); `lookup` lets the
 * app consult its own store (e.g. the alert outbox) and `onStore` lets it persist new ids.
 */
export interface FileIdCache {
  get(cacheKey: string): string | undefined;
  set(cacheKey: string, fileId: string): void;
  /** Telegram refused the id (e.g. after a bot token change): upload again next time. */
  forget(cacheKey: string): void;
}

export function createFileIdCache(deps: {
  lookup?: (cacheKey: string) => string | undefined;
  onStore?: (cacheKey: string, fileId: string) => void;
  /** Default 1000 ids. */
  maxEntries?: number;
}): FileIdCache {
  const maxEntries = deps.maxEntries ?? 1000;
  const ids = new Map<string, string>();
  const forgotten = new Set<string>();
  return {
    get(cacheKey) {
      const known = ids.get(cacheKey);
      if (known !== undefined) return known;
      return forgotten.has(cacheKey) ? undefined : deps.lookup?.(cacheKey);
    },
    set(cacheKey, fileId) {
      ids.delete(cacheKey);
      ids.set(cacheKey, fileId);
      forgotten.delete(cacheKey);
      for (const key of ids.keys()) {
        if (ids.size <= maxEntries) break;
        ids.delete(key);
      }
      deps.onStore?.(cacheKey, fileId);
    },
    forget(cacheKey) {
      ids.delete(cacheKey);
      forgotten.add(cacheKey);
    },
  };
}
