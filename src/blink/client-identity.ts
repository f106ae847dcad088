/**
 * What blink-bot tells Blink it is, in one place: the app version and the agent strings of
 * the real Blink clients it imitates, and the headers of each request class. Blink has
 * answered 406 to clients whose headers looked unusual, so no request leaves without a
 * User-Agent and an Accept. See docs/blink-api.md, "Headers".
 */

/** The iOS app version sent on the authorize step. */
export const APP_VERSION = '50.1';
/** The iOS app build in its CFNetwork agent string. */
const APP_BUILD = '2511191620';
/** The phone the OAuth login describes (authorize query). */
export const DEVICE = { brand: 'Apple', model: 'iPhone16,1', osVersion: '26.1' } as const;

/** The in-app browser of the OAuth web steps (authorize, sign-in, 2FA). */
export const SAFARI_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1';
/** The Blink iOS app itself: token endpoint, REST and media. */
export const APP_UA = `Blink/${APP_BUILD} CFNetwork/3860.200.71 Darwin/25.1.0`;
/** The Android agent blinkpy sends on tier discovery. */
const ANDROID_UA = '27.0ANDROID_28373244';

/** OAuth web pages (authorize, sign-in page). */
export const WEB_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': SAFARI_UA,
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-US,en;q=0.9',
};

/** The token endpoint (code exchange and refresh). */
export const TOKEN_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': APP_UA,
  'content-type': 'application/x-www-form-urlencoded',
  accept: '*/*',
};

/** Tier discovery (blinkpy's form). */
export const TIER_INFO_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': ANDROID_UA,
  'content-type': 'application/x-www-form-urlencoded',
  accept: '*/*',
};

/** Every other REST call; blinkpy sends the JSON content type even on GETs and empty POSTs. */
export const REST_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': APP_UA,
  accept: 'application/json',
  'content-type': 'application/json',
};

/** Thumbnails, clips and local-storage downloads. */
export const MEDIA_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': APP_UA,
  accept: '*/*',
  'content-type': 'application/json',
};

/** The floor under every request (http-attempt.ts): what a request class forgot, it still sends. */
export const DEFAULT_HEADERS: Readonly<Record<string, string>> = { 'user-agent': APP_UA, accept: '*/*' };
