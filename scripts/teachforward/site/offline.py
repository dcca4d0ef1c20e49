"""The offline pack: each language's whole site as one zip that works from file://.

A facilitator without a connection unzips site/<lang>/downloads/teach-forward-<lang>.zip and
opens teach-forward-<lang>/index.html: every page, handout and slide deck of the language, with
search. It is a second MkDocs build of the same pages (build/<lang>/docs) with the settings a
site needs under file://:

- `use_directory_urls: false`, so links point at files (`notes.html`, not `notes/`);
- Material's `offline` plugin, which inlines the search index into a script;
- `extra.polyfills` pointing at the iframe-worker shim kept in the theme
  (theme/assets/javascripts/iframe-worker-shim.js): browsers refuse Web Workers under file://,
  and without our copy the plugin would load the shim from unpkg.com;
- no language selector: the pack holds one language, so it links to no other.

The zip is deterministic: entries sorted, every timestamp taken from SOURCE_DATE_EPOCH.
"""
from __future__ import annotations

import os
import shutil
import time
import zipfile
from pathlib import Path

import yaml

SHIM = "assets/javascripts/iframe-worker-shim.js"   # under the theme's custom_dir, copied into every site
LEFT_OUT = (".map",)                                # source maps of Material's scripts: of no use offline


def pack_name(lang: str) -> str:
    return f"teach-forward-{lang}"


def write_offline_config(config_path: Path) -> Path:
    """Next to a language's mkdocs.yml, write the configuration of its offline build."""
    lang_dir = config_path.parent
    config = {
        "INHERIT": str(config_path),
        "site_dir": str(lang_dir / "offline-site"),
        "use_directory_urls": False,
        # Merged into the inherited plugins, after search and macros (offline must come last).
        "plugins": {"offline": {}},
        # Lists replace inherited lists: no other language to link to, and our own shim.
        "extra": {"alternate": [], "polyfills": [SHIM]},
    }
    target = lang_dir / "mkdocs-offline.yml"
    target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site_dir = Path(config["site_dir"])
    if site_dir.exists():
        shutil.rmtree(site_dir)
    return target


def write_offline_pack(offline_config: Path, lang: str, downloads_dir: Path) -> Path:
    """Zip the offline build of one language into downloads_dir; returns the zip's path."""
    site_dir = offline_config.parent / "offline-site"
    downloads_dir.mkdir(parents=True, exist_ok=True)
    target = downloads_dir / f"{pack_name(lang)}.zip"
    zip_tree(site_dir, target, prefix=pack_name(lang))
    return target


def zip_tree(folder: Path, target: Path, prefix: str) -> None:
    """Zip every file under folder as prefix/<relative path>, the same bytes on every build."""
    stamp = _zip_timestamp()
    files = sorted((p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(LEFT_OUT)),
                   key=lambda p: p.relative_to(folder).as_posix())
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(folder).as_posix()}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3   # Unix, whatever machine builds it
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    os.replace(partial, target)


def _zip_timestamp() -> tuple[int, int, int, int, int, int]:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
    epoch = max(epoch, 315532800)   # zip dates start in 1980
    epoch -= epoch % 2              # and count in steps of two seconds
    return time.gmtime(epoch)[:6]
