/**
 * The one way a test waits for something that happens outside its control (loopback I/O, a
 * child process, a socket): polls `check` every `stepMs` in real time until it gives a value
 * other than `undefined`, `null` or `false`, and returns that value. Fails with
 * "timed out waiting for <what>" after `timeoutMs`. Where the code under test takes a clock,
 * advance a `ManualClock` instead of waiting. The default deadline is generous: CI runs three
 * test files at once on two cores, where a loopback round trip can stall for seconds; a
 * deadline only costs time when the test fails anyway.
 */
export async function until<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 15_000, stepMs = 10): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
