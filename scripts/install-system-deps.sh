#!/usr/bin/env bash
# Debian packages the full test suite uses: Chromium (browser tests), LibreOffice Impress and
# poppler (decks opened and rendered to PDF and PNG), pandoc (the benchmark's comparison), gettext (PO files), the
# Noto fonts and librsvg (pictures drawn on slides), pango (WeasyPrint draws the PDFs with it: the build needs it). Installs what is missing when it may (root,
# with apt-get), then checks again: exits 1 naming every package that is still missing.
# `--check` only checks.
set -u
missing() {
  local need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v soffice >/dev/null 2>&1 || need+=(libreoffice-impress)
  { command -v pdftoppm && command -v pdftotext && command -v pdfinfo; } >/dev/null 2>&1 || need+=(poppler-utils)
  command -v pandoc >/dev/null 2>&1 || need+=(pandoc)
  fc-list 2>/dev/null | grep -qi "noto sans arabic" || need+=(fonts-noto-core)
  ldconfig -p 2>/dev/null | grep -q "librsvg-2.so" || need+=(librsvg2-2)
  ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
  echo "${need[@]}"
}
need=($(missing))
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "${1:-}" != "--check" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Missing system packages: ${need[*]}; they cannot be installed here (not root, or no apt-get)." >&2
    echo "Install them (as root: bash scripts/install-system-deps.sh), or run make test-fast, which skips what needs them." >&2
    exit 1
  fi
  echo "Installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get update -qq; then
    echo "apt-get update failed: cannot install ${need[*]}" >&2
    exit 1
  fi
  if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    echo "apt-get install failed for: ${need[*]}" >&2
  fi
  need=($(missing))
  if [ ${#need[@]} -eq 0 ]; then
    exit 0
  fi
fi
echo "Missing system packages: ${need[*]} (the full test suite needs them; make test-fast skips what needs them)." >&2
exit 1
