/**
 * Wraps the core's dispatcher at the wiring level: every command, button press or message
 * gets a request id, one structured log line when it is answered (child logger carrying
 * the id), and its duration in command_duration_seconds. The core stays unaware of it.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Dispatcher, InboundEvent } from '../core/inbound.js';
import { findCommand } from '../core/registry.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics/metrics.js';

/** A bounded label: known command names only, so a typo cannot grow the metric. */
function commandLabel(event: InboundEvent): string {
  if (event.type === 'text') return 'message';
  const name = (event.type === 'command' ? event.name : event.command).replace(/^\//, '');
  return findCommand(name)?.name ?? 'unknown';
}

export function createTimedDispatcher(deps: { inner: Dispatcher; metrics: Metrics; log: Logger; clock: Clock; newRequestId?: () => string }): Dispatcher {
  const newRequestId = deps.newRequestId ?? ((): string => randomBytes(4).toString('hex'));
  const { admits } = deps.inner;
  return {
    ...(admits ? { admits: (chat, caller) => admits(chat, caller) } : {}),
    async handle(inbound) {
      const command = commandLabel(inbound.event);
      const log = deps.log.child({ requestId: newRequestId(), command, chat: inbound.chat.id, caller: inbound.caller.id });
      const started = deps.clock.now();
      log.debug('handling');
      const outcome = await deps.inner.handle(inbound);
      const ms = deps.clock.now() - started;
      deps.metrics.commandDuration(command, ms / 1000);
      log.info({ ms, parts: outcome.reply.parts.length }, 'answered');
      return outcome;
    },
  };
}
