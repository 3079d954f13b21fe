#!/bin/sh
# Install the Debian packages rongcuo needs to build and test, if missing.
# Safe to run repeatedly; does nothing when everything is present.
set -eu
# Build and test.  (Node.js for the benchmark is checked by bench/run.sh: the
# machine image may ship its own Node.js build, which conflicts with Debian's
# npm package, so it is only installed from Debian where no `node` exists.)
PKGS="build-essential pkg-config libjansson-dev libssl-dev libsqlite3-dev sqlite3 libpq-dev postgresql-15 libsodium-dev libmicrohttpd-dev libqrencode-dev curl oathtool libxlsxwriter-dev libcmocka-dev clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "rongcuo: installing Debian packages:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
