/**
 * A command's arguments, each declared once. From one declaration come its zod schema, its
 * Discord option (name, description, required, autocomplete or choices), its token in the
 * usage line that /help shows, and how it is read from typed text (Telegram, terminal).
 * define-command.ts puts the arguments of a command together; docs/chat-contract.md §4
 * fixes the option names.
 */
import { z } from 'zod';

export type AutocompleteKind = 'camera' | 'network' | 'clip';

/**
 * How typed text fills the argument. 'word': one word (or up to `maxWords`); 'rest': what
 * the other arguments leave, so it may hold spaces ("Front Door"); 'never': set only by a
 * button or a form (a "More" page offset, the Discord login form's email).
 */
type Typed = { kind: 'word'; maxWords: number; accepts: (text: string) => boolean } | { kind: 'rest'; join: string } | { kind: 'never' };

export interface Arg<N extends string = string, T = unknown> {
  readonly name: N;
  /** Discord's option description (≤ 100 characters). */
  readonly description: string;
  /** A required Discord option, required by the schema, and shown without brackets in the usage. */
  readonly required: boolean;
  /**
   * Shown without brackets although not required: the command's other form leaves it out
   * ("/mute <camera|all> <duration>  or  /mute off").
   */
  readonly mainFormOnly?: boolean;
  /** The token in the usage line: '<camera>', '[network]', 'on|off'; undefined: not shown, not an option. */
  readonly usage: string | undefined;
  readonly autocomplete?: AutocompleteKind;
  readonly choices?: readonly string[];
  readonly typed: Typed;
  /** Validates the raw text (trimmed; absent when left out). */
  readonly schema: z.ZodType<T>;
}

/** `T`, or `T | undefined` for an argument that may be left out. */
type Maybe<T, R extends boolean> = R extends true ? T : T | undefined;

interface Common<R extends boolean> {
  required?: R;
  description?: string;
  /** The usage token when the default ('<name>' or '[name]') does not say enough. */
  usage?: string;
  /** See Arg.mainFormOnly. */
  mainFormOnly?: boolean;
}

function token(label: string, required: boolean): string {
  return required ? `<${label}>` : `[${label}]`;
}

function optionalUnless<T>(schema: z.ZodType<T>, required: boolean): z.ZodType<T> | z.ZodOptional<z.ZodType<T>> {
  return required ? schema : schema.optional();
}

const REST: Typed = { kind: 'rest', join: ' ' };

function named<N extends string, R extends boolean>(
  name: N,
  options: Common<R>,
  defaults: { description: string; label?: string; autocomplete?: AutocompleteKind; schema?: z.ZodType<string>; typed?: Typed },
): Arg<N, Maybe<string, R>> {
  const required = options.required === true;
  return {
    name,
    description: options.description ?? defaults.description,
    required,
    ...(options.mainFormOnly ? { mainFormOnly: true } : {}),
    usage: options.usage ?? token(defaults.label ?? name, required || options.mainFormOnly === true),
    ...(defaults.autocomplete ? { autocomplete: defaults.autocomplete } : {}),
    typed: defaults.typed ?? REST,
    // The types of `required` and the schema's optionality agree by construction.
    schema: optionalUnless(defaults.schema ?? z.string(), required) as z.ZodType<Maybe<string, R>>,
  };
}

/** A Blink clip id as /clips and /local show it. */
const clipId = (message: string): z.ZodType<string> => z.string().regex(/^[0-9A-Za-z_-]{1,40}$/, message);

export const arg = {
  /** A camera name (spaces allowed), with Discord autocomplete. */
  camera: <R extends boolean = false>(options: Common<R> = {}) => named('camera', options, { description: 'Camera name', autocomplete: 'camera' }),

  /** A network name; `[network]` may be left out when the account has one network. */
  network: <R extends boolean = false>(options: Common<R> = {}) =>
    named('network', options, { description: 'Network name (optional with one network)', autocomplete: 'network' }),

  /** A clip id (one word), with Discord autocomplete; `invalid` says where ids come from. */
  clip: (options: { description: string; invalid: string }) =>
    named(
      'clip',
      { required: true },
      {
        description: options.description,
        label: 'clip id',
        autocomplete: 'clip',
        schema: clipId(options.invalid),
        typed: { kind: 'word', maxWords: 1, accepts: () => true },
      },
    ),

  /** Free text: all the words the other arguments leave (`join` '' glues "123 456" into "123456"). */
  text: <N extends string, R extends boolean = false>(name: N, options: Common<R> & { description: string; join?: string }) =>
    named(name, options, { description: options.description, typed: { kind: 'rest', join: options.join ?? ' ' } }),

  /**
   * Free text of at most `maxWords` words that typed text fills from the end (after the
   * 'rest' argument) only when `accepts` says it fits.
   */
  trailing: <N extends string, R extends boolean = false>(
    name: N,
    options: Common<R> & { description: string; maxWords: number; accepts: (text: string) => boolean },
  ) => named(name, options, { description: options.description, typed: { kind: 'word', maxWords: options.maxWords, accepts: options.accepts } }),

  /** One of fixed words (any case when typed); Discord shows them as choices. */
  enum: <N extends string, const V extends readonly [string, ...string[]], R extends boolean = true>(
    name: N,
    values: V,
    options: Common<R> & { description: string },
  ): Arg<N, Maybe<V[number], R>> => {
    const required = options.required ?? true;
    const schema = z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(values));
    return {
      name,
      description: options.description,
      required,
      usage: options.usage ?? (required ? values.join('|') : `[${values.join('|')}]`),
      choices: values,
      typed: { kind: 'word', maxWords: 1, accepts: (text) => values.includes(text.toLowerCase()) },
      // The types of `required` and the schema's optionality agree by construction.
      schema: optionalUnless(schema, required) as z.ZodType<Maybe<V[number], R>>,
    };
  },

  /** A whole number within [min, max]; left out, it is `default` (so never required). */
  int: <N extends string>(name: N, options: { description: string; min: number; max: number; default: number; outOfRange: string }): Arg<N, number> => ({
    name,
    description: options.description,
    required: false,
    usage: `[${name} ${options.min}-${options.max}]`,
    typed: { kind: 'word', maxWords: 1, accepts: (text) => /^\d+$/.test(text) },
    schema: z.coerce.number().int().min(options.min, options.outOfRange).max(options.max, options.outOfRange).default(options.default),
  }),

  /** Set only by a button or a form: no usage token, no Discord option, never typed. */
  internal: <N extends string, T>(name: N, schema: z.ZodType<T>): Arg<N, T | undefined> => ({
    name,
    description: '',
    required: false,
    usage: undefined,
    typed: { kind: 'never' },
    schema: schema.optional(),
  }),

  /** Typed text kept out of usage and options (what /login was given, only to delete it). */
  hiddenText: <N extends string>(name: N): Arg<N, string | undefined> => ({
    name,
    description: '',
    required: false,
    usage: undefined,
    typed: REST,
    schema: z.string().optional(),
  }),
};

/** Splits argument text on whitespace. */
function words(text: string): string[] {
  return text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/**
 * Typed text → raw arguments. Arguments before the 'rest' one take a word each from the
 * front; those after it take words from the end while they fit (`accepts`), always leaving
 * the rest at least one word ("/live 5" is a camera called 5); the rest gets what remains.
 * Without a 'rest' argument the last one gets what remains ("/clip 12 34" is refused as
 * one id, not read as "12"). Arguments left without words are absent.
 */
export function parseTyped(args: readonly Arg[], text: string): Record<string, string> {
  const typed = args.filter((a) => a.typed.kind !== 'never');
  const declaredRest = typed.findIndex((a) => a.typed.kind === 'rest');
  const restAt = declaredRest === -1 ? typed.length - 1 : declaredRest;
  const parts = words(text);
  const raw: Record<string, string> = {};
  for (const a of typed.slice(0, restAt)) {
    const word = parts.shift();
    if (word !== undefined) raw[a.name] = word;
  }
  const after = typed.slice(restAt + 1).reverse();
  for (const a of after) {
    if (a.typed.kind !== 'word') continue;
    for (let take = a.typed.maxWords; take >= 1; take--) {
      if (parts.length <= take) continue;
      const tail = parts.slice(-take).join(' ');
      if (!a.typed.accepts(tail)) continue;
      raw[a.name] = tail;
      parts.splice(-take);
      break;
    }
  }
  const rest = typed[restAt];
  if (rest !== undefined && parts.length > 0) raw[rest.name] = parts.join(rest.typed.kind === 'rest' ? rest.typed.join : ' ');
  return raw;
}
