"""The offline pack: each language's whole site as one zip that works from file://.

A facilitator without a connection unzips site/<lang>/downloads/teach-forward-<lang>.zip and
opens teach-forward-<lang>/index.html: every page, handout and slide deck of the language, with
search. The pack is the language's site itself, zipped: every site is built to work from
file:// as well as from a web server (site/sources.py):

- `use_directory_urls: false`, so links point at files (`notes.html`, not `notes/`);
- Material's `offline` plugin, which copies the search index into a script;
- `extra.polyfills` pointing at the iframe-worker shim kept in the theme
  (theme/assets/javascripts/iframe-worker-shim.js): browsers refuse Web Workers under file://,
  and without our copy the plugin would load the shim from unpkg.com;
- under file:// the language selector and the link to the pack itself are hidden
  (theme/assets/javascripts/teachforward.js): the pack holds one language and not itself.

The zip is deterministic: entries sorted, every timestamp taken from SOURCE_DATE_EPOCH.
"""
from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

SHIM = "assets/javascripts/iframe-worker-shim.js"   # under the theme's custom_dir, copied into every site
LEFT_OUT = (".map",)      # source maps of Material's scripts: of no use offline (nor is 404.html, left out too)
PACKED = (".pptx", ".zip", ".png", ".jpg", ".jpeg", ".gz", ".woff", ".woff2")   # compressed already: stored


def pack_name(lang: str) -> str:
    return f"teach-forward-{lang}"


def write_offline_pack(site_dir: Path, lang: str, target: Path) -> Path:
    """Zip one language's built site into target; returns target."""
    target.parent.mkdir(parents=True, exist_ok=True)
    zip_tree(site_dir, target, prefix=pack_name(lang))
    return target


def zip_tree(folder: Path, target: Path, prefix: str) -> None:
    """Zip every file under folder as prefix/<relative path>, the same bytes on every build."""
    stamp = _zip_timestamp()
    files = sorted((p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(LEFT_OUT)
                    and p.relative_to(folder).as_posix() != "404.html"),
                   key=lambda p: p.relative_to(folder).as_posix())
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w") as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(folder).as_posix()}", date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if path.suffix.lower() in PACKED else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3   # Unix, whatever machine builds it
            archive.writestr(info, path.read_bytes(), compresslevel=6)
    os.replace(partial, target)


def _zip_timestamp() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
    epoch = max(epoch, 315532800)   # zip dates start in 1980
    epoch -= epoch % 2              # and count in steps of two seconds
    return time.gmtime(epoch)[:6]
