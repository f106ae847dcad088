/**
 * Where Blink says it sent the 2FA code. Blink names it in `tsv_methods` (a string, or in
 * newer answers an object with the method's type); when it names none it recognisably, the
 * masked destination it shows (`phone` or `email`) tells. Nothing is guessed beyond that:
 * a login that cannot tell says "a code" without a channel.
 */
import { z } from 'zod';

export type CodeChannel = 'sms' | 'email';

const Body = z.object({
  tsv_methods: z.array(z.unknown()).nullish(),
  phone: z.string().nullish(),
  email: z.string().nullish(),
});

const Named = z.object({
  type: z.string().optional(),
  channel: z.string().optional(),
  method: z.string().optional(),
  name: z.string().optional(),
});

function channelOf(name: string): CodeChannel | undefined {
  const n = name.trim().toLowerCase();
  if (n === 'sms' || n === 'text' || n === 'phone') return 'sms';
  if (n === 'email' || n === 'e-mail' || n === 'mail') return 'email';
  return undefined;
}

export function codeChannel(body: unknown): CodeChannel | undefined {
  const parsed = Body.safeParse(body);
  if (!parsed.success) return undefined;
  for (const method of parsed.data.tsv_methods ?? []) {
    const named = typeof method === 'string' ? method : Named.safeParse(method).data;
    const name = typeof named === 'string' ? named : (named?.type ?? named?.channel ?? named?.method ?? named?.name);
    const channel = name === undefined ? undefined : channelOf(name);
    if (channel) return channel;
  }
  const { phone, email } = parsed.data;
  if (email && !phone) return 'email';
  if (phone && !email) return 'sms';
  return undefined;
}
