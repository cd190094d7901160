#!/usr/bin/env bash
# Makes docs/report.png, the README's picture of a --report page: the project's
# own samples/ (without the expected outputs) and one unreadable file, reported
# and rendered by headless Chromium with the pull-quote sample opened.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/samples"
for f in samples/*.txt; do
    case "$f" in *.expected.txt) ;; *) cp "$f" "$work/samples/" ;; esac
done
printf 'scanned\0\0page\n' > "$work/samples/scan.txt"
(cd "$work" && dedupe samples --report report.html --jobs 1 -q) || true  # exit 3: scan.txt failed
n="$(cd "$work/samples" && ls | sort | grep -n '^pull-quote' | cut -d: -f1)"
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile" \
    --virtual-time-budget=5000 --window-size=1100,1250 --screenshot="$work/report.png" \
    "file://$work/report.html#open=$n" 2>/dev/null
cp "$work/report.png" docs/report.png
echo "docs/report.png"
