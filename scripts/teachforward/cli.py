"""The teachforward command: check, build, serve."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from teachforward.problems import report


def find_root(start: Path) -> Path:
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").is_file() and (folder / "workshops").is_dir():
            return folder
    return start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="teachforward", description="Build the Teach Forward course site and decks.")
    parser.add_argument("--root", type=Path, default=None, help="the repository (default: found from the current folder)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="check every source file and list all problems")
    build = commands.add_parser("build", help="build the site and decks of every language into site/")
    build.add_argument("--out", type=Path, default=Path("site"))
    build.add_argument("--jobs", type=int, default=2, help="languages built at the same time")
    build.add_argument("--no-decks", action="store_true", help="build the site only")
    serve = commands.add_parser("serve", help="build, serve on http://127.0.0.1:8000/ and rebuild when sources change")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--out", type=Path, default=Path("site"))
    args = parser.parse_args(argv)
    root = (args.root or find_root(Path.cwd())).resolve()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        if args.command == "check":
            return check(root)
        if args.command == "build":
            from teachforward.build import build as run_build
            return run_build(root, _under(root, args.out), jobs=args.jobs, with_decks=not args.no_decks)
        if args.command == "serve":
            from teachforward.serve import serve as run_serve
            return run_serve(root, _under(root, args.out), args.port)
    except KeyboardInterrupt:
        print("\nStopped. The previous site was left as it was.", file=sys.stderr)
        return 130
    return 2


def check(root: Path) -> int:
    from teachforward.build import load_and_check
    course, problems = load_and_check(root)
    items = problems.sorted()
    report(items, sys.stdout)
    errors = sum(p.severity == "error" for p in items)
    warnings = len(items) - errors
    if errors:
        print(f"\n{errors} error(s), {warnings} warning(s). Fix the errors, then run the check again.")
        return 1
    summary = ", ".join(f"{l.code}: {len(l.workshops)} workshops" for l in course.languages)
    print(f"All sources are valid ({summary}){f'; {warnings} warning(s)' if warnings else ''}.")
    return 0


def _under(root: Path, path: Path) -> Path:
    return path if path.is_absolute() else root / path
