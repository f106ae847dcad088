/**
 * The two forms the bot opens: /login (email and password) and "a button needs a typed
 * value" (the 2FA code). Discord has no password-type text input, but a modal is seen only
 * by the person typing and never becomes a message, so the password is not left in a chat.
 */
import { ActionRowBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import type { ReplyButton } from '../core/reply.js';

export const LOGIN_MODAL_ID = 'login';
export const LOGIN_EMAIL_FIELD = 'email';
export const LOGIN_PASSWORD_FIELD = 'password';

export function loginModal(): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(LOGIN_MODAL_ID)
    .setTitle('Blink login')
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId(LOGIN_EMAIL_FIELD).setLabel('Blink email').setStyle(TextInputStyle.Short).setRequired(true).setMaxLength(320),
      ),
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId(LOGIN_PASSWORD_FIELD).setLabel('Blink password').setStyle(TextInputStyle.Short).setRequired(true).setMaxLength(256),
      ),
    );
}

/** A form for the one value a button still needs; its field id is the argument name. */
export function inputModal(customId: string, input: NonNullable<ReplyButton['input']>): ModalBuilder {
  const label = input.label.slice(0, 45);
  return new ModalBuilder()
    .setCustomId(customId)
    .setTitle(label)
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder().setCustomId(input.name).setLabel(label).setStyle(TextInputStyle.Short).setRequired(true).setMaxLength(100),
      ),
    );
}

/** A button's `custom_id` for an action-store token (`a:` + ≤ 12 characters, within Discord's 100). */
export function buttonId(token: string): string {
  return `a:${token}`;
}

/** The `custom_id` of the form asking for the value a button still needs. */
export function inputModalId(token: string): string {
  return `i:${token}`;
}

/** The action-store token in a button or input-form `custom_id`, or undefined when it is not one of ours. */
export function actionToken(customId: string): string | undefined {
  return /^[ai]:([A-Za-z0-9_-]{1,12})$/.exec(customId)?.[1];
}
