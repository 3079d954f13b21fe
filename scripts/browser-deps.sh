#!/bin/sh
# Install what the browser tests (tests/browser, docs/testing-browser.md)
# need, if missing: Debian's chromium (/usr/bin/chromium, driven by
# playwright-core; no browser is ever downloaded by npm) and fonts-noto-cjk
# (Chinese in the screenshots); Node.js and npm from Debian only where no
# `node` exists (see scripts/deps.sh: the machine image may ship its own
# Node.js build, which Debian's npm package conflicts with); and
# tests/browser/node_modules with `npm ci` when it is missing or was
# installed from another package-lock.json.
# Safe to run repeatedly; does nothing when everything is present.  Exits
# non-zero when something cannot be installed: scripts/test-all.sh counts
# that as a failure, never as a skip.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

PKGS="chromium fonts-noto-cjk"
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "rongcuo: installing Debian packages:$missing" >&2
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO="sudo"
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086 # $missing is a list of package names
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ -x /usr/bin/chromium ] || {
	echo "browser-deps: /usr/bin/chromium is missing after installing Debian's chromium" >&2
	exit 1
}
command -v npm >/dev/null 2>&1 || {
	echo "browser-deps: node is installed but npm is not: install the npm of that Node.js" \
		"(Debian's npm package needs Debian's nodejs)" >&2
	exit 1
}
# playwright-core (package-lock.json) runs on Node.js 18 and later: Debian 12's is 18.19
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' || {
	echo "browser-deps: Node.js $(node --version) is too old; 18 or later is needed" >&2
	exit 1
}

# npm ci when node_modules is missing or stale: the lock file it was
# installed from is kept beside it, and compared by content (a checkout
# does not keep file times)
dir="$top/tests/browser"
stamp="$dir/node_modules/.rongcuo-package-lock.json"
if [ ! -f "$dir/node_modules/playwright-core/package.json" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
	echo "rongcuo: npm ci in tests/browser (playwright-core)" >&2
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	cp "$dir/package-lock.json" "$stamp"
fi
