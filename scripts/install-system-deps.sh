#!/usr/bin/env bash
# Debian packages the full test suite uses: Chromium (browser tests), LibreOffice Impress
# and poppler (render decks to PNG), pandoc (deck benchmark), gettext (PO files). Installed only where missing,
# and only when we may (root with apt-get); otherwise the tests that need them say so and skip.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-impress)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v pandoc >/dev/null 2>&1 || need+=(pandoc)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)      # PO exchange files checked with gettext's own tools
fc-list 2>/dev/null | grep -qi "noto sans arabic" || need+=(fonts-noto-core)
ldconfig -p 2>/dev/null | grep -q "librsvg-2.so" || need+=(librsvg2-2)   # pictures on slides
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${need[*]} (not root or no apt-get: the tests that need them will skip)." >&2
  exit 0
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "Could not install ${need[*]}: the tests that need them will skip." >&2
exit 0
