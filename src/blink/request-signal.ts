/**
 * A request's own abort signal: the caller's signal or a deadline, whichever comes first.
 * Not AbortSignal.any + AbortSignal.timeout: on Node 20 every dependant signal leaves a
 * WeakRef on the long-lived caller signal (the poll loop's), never pruned. A heap snapshot
 * after ~10,800 polls held 10,785 of them, growing by one per Blink request. This one
 * unhooks itself in dispose().
 */
export interface RequestSignal {
  readonly signal: AbortSignal;
  timedOut(): boolean;
  dispose(): void;
}

export function requestSignal(outer: AbortSignal | undefined, ms: number): RequestSignal {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = (): void => controller.abort(outer?.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError'));
  }, ms);
  timer.unref();
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
