#!/usr/bin/env bash
# System packages the grader uses: bubblewrap (the sandbox) and chromium (browser tests of the reports).
# Safe to run twice; does nothing where the packages are already there or apt is not available.
# The browser tests use Debian's chromium through Playwright (no browser download at test time).
set -u
need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/share/fonts/truetype/nanum ] || need+=(fonts-nanum)  # Korean text in the browser screenshots
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: apt-get not found; please install: ${need[*]}" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || echo "setup-system: could not install ${need[*]}; the grader falls back to plain process limits" >&2
exit 0
