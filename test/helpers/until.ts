/**
 * The one way a test waits for something that happens outside its control (loopback I/O, a
 * child process, a socket): polls `check` every `stepMs` in real time until it gives a value
 * other than `undefined`, `null` or `false`, and returns that value. Fails with
 * "timed out waiting for <what>" after `timeoutMs`. Where the code under test takes a clock,
 * advance a `ManualClock` instead of waiting.
 */
export async function until<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 5_000, stepMs = 10): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
