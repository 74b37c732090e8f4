#!/usr/bin/env bash
# Runs before `npm test`: the suites use real Debian programs (no mocks). Install what is
# missing when we are root; otherwise say exactly what to install.
set -euo pipefail
# fonts-tlwg-loma, fonts-wqy-microhei: Thai and Chinese glyphs, so the 360 px screenshots (tests/browser/languages.test.ts) show real text, not boxes.
packages=(age postgresql chromium firefox-esr util-linux tor systemd fonts-tlwg-loma fonts-wqy-microhei)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "tests need these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "installing test dependencies: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
