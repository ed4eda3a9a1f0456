#!/usr/bin/env bash
# Opens a report page in a real headless browser (Chromium from Debian's packages, driven by
# puppeteer-core) and checks that every chart is rendered and the console holds no error;
# optionally writes a full-page screenshot.
#   scripts/report-browser-check.sh REPORT_DIR [SCREENSHOT.png]
# Needs: chromium (Debian: apt-get install chromium) and node/npm; puppeteer-core (pinned in
# scripts/report-check/package.json) is installed on first use into scripts/report-check/node_modules.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:?usage: scripts/report-browser-check.sh REPORT_DIR [SCREENSHOT.png]}
shot=${2:-}
page="$dir/index.html"
[ -f "$page" ] || { echo "report-browser-check: $page not found (write it with 'totalrecall report')" >&2; exit 66; }
browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); break; fi
done
if [ -z "$browser" ]; then
  echo "report-browser-check: no Chromium found; install it (Debian: apt-get install chromium)" >&2
  exit 69
fi
command -v node >/dev/null 2>&1 || { echo "report-browser-check: node is needed (Debian: apt-get install nodejs npm)" >&2; exit 69; }
if [ ! -d "$ROOT/scripts/report-check/node_modules/puppeteer-core" ]; then
  echo "report-browser-check: installing puppeteer-core (npm, once)" >&2
  (cd "$ROOT/scripts/report-check" && npm install --no-audit --no-fund --silent >&2)
fi
args=("$browser" "$page")
[ -n "$shot" ] && args+=("$(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")")
exec node "$ROOT/scripts/report-check/check.mjs" "${args[@]}"
