/** Arguments several commands share (option names fixed by docs/chat-contract.md §4). */
import { arg } from '../command-args.js';

/** `on|off`, required. */
export const onOffState = () => arg.enum('state', ['on', 'off'], { description: 'on or off' });
