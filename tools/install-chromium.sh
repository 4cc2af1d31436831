#!/usr/bin/env bash
# Installs the headless Chromium that internal/browsertest drives. CI calls
# this because a fresh machine has no browser and browser tests must fail,
# not skip, in CI. Idempotent so repeated CI runs on a kept machine are cheap.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# fonts-noto-cjk: without it Hangul renders as tofu in screenshots, which
# hides real layout problems in the Korean UI.
$SUDO apt-get install -y --no-install-recommends chromium chromium-driver fonts-noto-cjk
