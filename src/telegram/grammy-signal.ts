import type { Api } from 'grammy';

/** The AbortSignal type grammY's methods declare (from the abort-controller polyfill). */
export type GrammySignal = NonNullable<Parameters<Api['getMe']>[0]>;

/**
 * Node's AbortSignal, typed for grammY. grammY declares the abort-controller polyfill's
 * signal, whose event typings TypeScript cannot match with Node's own (`dispatchEvent`
 * differs), yet at run time it only reads `aborted` and calls add/removeEventListener, which
 * Node's signal has. This is the one cast in the adapter, on a value whose type we know.
 */
export function grammySignal(signal: AbortSignal | undefined): GrammySignal | undefined {
  return signal as unknown as GrammySignal | undefined;
}
