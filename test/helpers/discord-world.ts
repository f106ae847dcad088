/**
 * The Discord the tests share, in Discord's snowflake ids: our guild with its text channel,
 * a second guild the bot also sits in, the first user (the owner in app tests) and the DM
 * channel the fake gives that user's interactions. One place, so that every Discord test
 * speaks of the same chats.
 */
export const GUILD = '200000000000000001';
export const CHANNEL = '300000000000000001';
export const OTHER_GUILD = '200000000000000009';
export const OTHER_CHANNEL = '300000000000000009';
export const USER = '400000000000000001';
export const MEMBER = '400000000000000002';
export const DM_CHANNEL = '500000000000000001';
/** Where an interaction of USER in our guild's channel comes from (spread into the fake's send calls). */
export const IN_CHANNEL = { userId: USER, guildId: GUILD, channelId: CHANNEL };
/** The interaction-response flag of a reply only its user sees. */
export const EPHEMERAL = 64;

/** The guilds to give `startFakeDiscord`: ours (`#cameras`) and the other (`#elsewhere`). */
export const TWO_GUILDS = [
  { id: GUILD, channels: [{ id: CHANNEL, name: 'cameras', type: 0 }] },
  { id: OTHER_GUILD, channels: [{ id: OTHER_CHANNEL, name: 'elsewhere', type: 0 }] },
];
