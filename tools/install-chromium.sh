#!/usr/bin/env bash
# Installs the headless Chromium that internal/browsertest drives, and the
# CJK fonts it needs. CI calls this because a fresh machine has no browser
# and browser tests must fail, not skip, in CI. Idempotent so repeated CI
# runs on a kept machine are cheap: it installs only what is missing, and
# checks the fonts even where Chromium is already present.
set -euo pipefail

# fonts-noto-cjk: the pages bring their own font (PretendardGOV), but
# whatever a page shows before it loads, and anything drawn outside the page
# (form controls' popups, the browser's own UI in screenshots) falls back to
# the system's fonts; without a CJK one Hangul renders as tofu, which hides
# real layout problems in the Korean UI.
want=()
if [ ! -x /usr/bin/chromium ]; then
	want+=(chromium chromium-driver)
fi
if ! dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed'; then
	want+=(fonts-noto-cjk)
fi
if [ "${#want[@]}" -eq 0 ]; then
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${want[@]}"
