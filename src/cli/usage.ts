import { AppError } from '../errors.js';

/** Exit codes of `blink-bot`: 0 ok, 1 failure (one clear line), 2 usage or a missing/wrong token key, 130 interrupted. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** Ctrl-C (SIGINT) or SIGTERM: the command stopped, as the shell's 128 + 2. */
export const EXIT_INTERRUPTED = 130;

/** The command was stopped by Ctrl-C or SIGTERM (after ending what it had started). */
export class InterruptedError extends AppError {
  declare readonly code: 'cli_interrupted';
  constructor() {
    super('cli_interrupted', 'interrupted');
  }
}

/** Bad arguments: main prints the message and the usage, and exits 2. */
export class UsageError extends AppError {
  declare readonly code: 'cli_usage';
  constructor(message: string) {
    super('cli_usage', message);
  }
}

export const USAGE = `Usage: blink-bot <command> [options]      (from a source checkout: npm run blink -- <command>)

Reads the bot's configuration (DATABASE_PATH, SECRET_KEY, BLINK_*) from the environment and .env.

Session (stored sealed in DATABASE_PATH with SECRET_KEY, like the bot; owner cli:local):
  login [--credentials file.json] [--code 123456]   log in (prompts for what is missing)
  logout                                            end the session and delete its tokens

Blink:
  status                                            networks and cameras, as /status shows them
  arm [network] | disarm [network]                  arm or disarm a network (as /arm, /disarm)
  motion <camera> on|off                            motion detection of one camera (as /motion)
  snap --camera NAME --out file.jpg                 take a new picture and save it (as /snap)
  live --camera NAME [--seconds N] --out file.mp4   record N s (5-30, default 10) of live view (as /live)
  record --camera NAME [--out file.mp4]             the camera records a clip now; saved once Blink
                                                    lists it (default file: clip-<id>.mp4) (as /record)
  download --dir D [--since "2018/07/04 09:34"] [--camera NAME]... [--pages N] [--delay S]
                                                    save cloud clips (blinkpy file names)
  local [network]                                   clips on the sync module's USB storage
  localclip <id> --out file.mp4 [--network N]       fetch one local-storage clip

Operations:
  backup <file>                                     online copy of the database (mode 0600), safe while the bot runs
  rotate-key --new-key <hex|base64>                 re-seal every stored token under a new key (stop the bot first)

Exit codes: 0 ok, 1 failure, 2 usage or a missing/wrong token key, 130 interrupted (Ctrl-C).`;
