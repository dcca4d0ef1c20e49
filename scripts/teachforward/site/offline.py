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

A process that builds again and again (serve) keeps each language's compressed entries
(`PackEntries`, the deflated ones only): after an edit only the files whose bytes changed are
compressed again. A
one-shot build compresses everything (reading the previous pack back was measured not to pay).
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from teachforward.fsutil import atomic_file
from teachforward.zipfiles import Entry, compress, write_zip

SHIM = "assets/javascripts/iframe-worker-shim.js"   # under the theme's custom_dir, copied into every site
# Of no use offline: the source maps of Material's scripts, and the page a web server shows for
# an address it does not have.
LEFT_OUT = (".map", "/404.html")
PACKED = (".pptx", ".zip", ".png", ".jpg", ".jpeg", ".gz", ".woff", ".woff2")   # compressed already: stored


def pack_name(lang: str) -> str:
    return f"teach-forward-{lang}"


# (entry name, sha256 of the file's bytes) -> the entry, compressed
PackEntries = dict[tuple[str, str], Entry]


def write_offline_pack(site_dir: Path, lang: str, target: Path, kept: PackEntries | None = None) -> PackEntries:
    """Zip one language's built site into target. `kept`: the entries of an earlier pack of this
    language, reused for the files whose bytes are the same. Returns the entries of this pack."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return zip_tree(site_dir, target, prefix=pack_name(lang), kept=kept)


def zip_tree(folder: Path, target: Path, prefix: str, kept: PackEntries | None = None) -> PackEntries:
    """Zip every file under folder as prefix/<relative path>, the same bytes on every build."""
    import hashlib
    files = sorted((p for p in folder.rglob("*")
                    if p.is_file() and not ("/" + p.relative_to(folder).as_posix()).endswith(LEFT_OUT)),
                   key=lambda p: p.relative_to(folder).as_posix())
    entries, compressed = [], {}
    for path in files:
        name, data = f"{prefix}/{path.relative_to(folder).as_posix()}", path.read_bytes()
        store = path.suffix.lower() in PACKED
        if store or kept is None:
            entries.append(compress(name, data, store=store))
            continue
        key = (name, hashlib.sha256(data).hexdigest())
        compressed[key] = kept.get(key) or compress(name, data)
        entries.append(compressed[key])
    with atomic_file(target) as handle:
        write_zip(handle, entries, _zip_timestamp(), unix=True)
    return compressed       # stored entries cost only their reading: not kept


def _zip_timestamp() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
    epoch = max(epoch, 315532800)   # zip dates start in 1980
    epoch -= epoch % 2              # and count in steps of two seconds
    return time.gmtime(epoch)[:6]
