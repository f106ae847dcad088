// The contract between the REST server and the route handlers.
import type { FakeState } from './state.js';
import type { RecordedAttachment } from './types.js';

export interface RouteContext {
  state: FakeState;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  files: Map<string, RecordedAttachment>;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path after `/api/v10`, with `:name` parameters. */
  pattern: string;
  /** Interaction callbacks and webhooks are sent without the bot token. */
  auth: boolean;
  handle(ctx: RouteContext): RouteResult;
}

export function apiError(status: number, code: number, message: string): RouteResult {
  return { status, body: { message, code } };
}

export function json(body: unknown, status = 200): RouteResult {
  return { status, body };
}
