/**
 * Waits in real time, briefly, until `check` holds, polling every `stepMs`; loopback I/O
 * needs a few ms. Fails with "timed out waiting for <what>" after `timeoutMs`.
 */
export async function until(check: () => boolean, what: string, timeoutMs: number, stepMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
