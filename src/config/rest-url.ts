/** Blink tiers look like `prod`, `u011`, `e006`; anything else must not reach a host name. */
const TIER = /^[a-z0-9-]{1,32}$/i;

/**
 * Fills `{tier}` in the `BLINK_REST_URL` template (every occurrence) and drops a trailing
 * slash, so callers append `/api/...`. A template without `{tier}` is returned as is.
 * Throws a plain Error for a tier that could change the host beyond one label.
 */
export function restUrlForTier(template: string, tier: string): string {
  if (!TIER.test(tier)) throw new Error('Blink tier has unexpected characters');
  return template.replaceAll('{tier}', tier).replace(/\/+$/, '');
}
