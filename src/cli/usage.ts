/** Exit codes of `npm run blink`: 0 ok, 1 failure (one clear line), 2 usage. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Bad arguments: main prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: npm run blink -- <command> [options]

Session (stored sealed in DATABASE_PATH with SECRET_KEY, like the bot; owner cli:local):
  login [--credentials file.json] [--code 123456]   log in (prompts for what is missing)
  logout                                            end the session and delete its tokens

Blink:
  status                                            networks and cameras
  arm [network] | disarm [network]                  arm or disarm a network
  motion <camera> on|off                            motion detection of one camera
  snap --camera NAME --out file.jpg                 take a new picture and save it
  download --dir D [--since "2018/07/04 09:34"] [--camera NAME]... [--pages N] [--delay S]
                                                    save cloud clips (blinkpy file names)
  local [network]                                   clips on the sync module's USB storage
  localclip <id> --out file.mp4 [--network N]       fetch one local-storage clip

Operations:
  backup <file>                                     online copy of the database
  rotate-key --new-key <hex|base64>                 re-seal every stored token under a new key

Exit codes: 0 ok, 1 failure, 2 usage.`;
