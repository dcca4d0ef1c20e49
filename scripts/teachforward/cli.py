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
    build.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                       help="languages and deck groups built at the same time (default: one per processor)")
    build.add_argument("--no-decks", action="store_true", help="build the site only")
    serve = commands.add_parser("serve", help="build, serve on http://127.0.0.1:8000/ and rebuild when sources change")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--out", type=Path, default=Path("site"))
    commands.add_parser("decks", help="write the slide decks of every language into build/decks/")
    i18n = commands.add_parser("i18n", help="translation tools: add, status, mark-current, diff, export, import")
    i18n_commands = i18n.add_subparsers(dest="i18n_command", required=True)
    add = i18n_commands.add_parser("add", help="start a language: create its folders (never overwrites)")
    add.add_argument("lang", help="a BCP 47 language code, e.g. de, pt-BR, ar")
    status = i18n_commands.add_parser("status", help="what is translated, outdated or missing, per language")
    status.add_argument("langs", nargs="*", help="languages (default: all)")
    status.add_argument("--format", choices=("text", "json"), default="text")
    status.add_argument("--fail-under", type=float, default=None, metavar="PCT",
                        help="exit 1 if a language has less than PCT%% of its words translated and current")
    mark = i18n_commands.add_parser("mark-current", help="record that a translated file matches the current English")
    mark.add_argument("lang")
    mark.add_argument("files", nargs="+", type=Path)
    diff = i18n_commands.add_parser("diff", help="what the English changed in each outdated section, word by word")
    diff.add_argument("lang")
    diff.add_argument("files", nargs="*", type=Path, help="translated or English files (default: all)")
    export = i18n_commands.add_parser("export", help="write PO or XLIFF files for translation tools")
    export.add_argument("lang")
    export.add_argument("files", nargs="*", type=Path, help="translated or English files (default: all)")
    export.add_argument("--format", choices=("po", "xliff"), default="po")
    export.add_argument("--out", type=Path, default=None, help="folder to write into (default: build/i18n/LANG/)")
    imports = i18n_commands.add_parser("import", help="write translated PO or XLIFF files back into the sources")
    imports.add_argument("lang")
    imports.add_argument("files", nargs="+", type=Path)
    args, extra = parser.parse_known_args(argv)
    # argparse cannot take files both before and after an option ("export fr --format xliff FILE").
    if extra and getattr(args, "i18n_command", None) in ("export", "diff") and not any(e.startswith("-") for e in extra):
        args.files = [*args.files, *map(Path, extra)]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    root = (args.root or find_root(Path.cwd())).resolve()
    try:
        exit_status = _dispatch(args, root)
        sys.stdout.flush()       # here, where a closed pipe can still be handled
        return exit_status
    except BrokenPipeError:       # the reader went away (`teachforward i18n status | head`): stop quietly
        _silence_stdout()
        return 141                # as a command stopped by SIGPIPE
    except KeyboardInterrupt:
        print("\nStopped." + (SITE_KEPT if args.command in SITE_COMMANDS else ""), file=sys.stderr)
        return 130
    except Exception as error:  # a bug, or something no check foresaw: say so in one paragraph
        if os.environ.get("TEACHFORWARD_DEBUG", "") not in ("", "0"):
            raise
        return _unexpected(error, args.command in SITE_COMMANDS)


SITE_COMMANDS = ("build", "serve")       # the commands that replace site/ (only when they succeed)
SITE_KEPT = " The previous site was left as it was."


def _dispatch(args: argparse.Namespace, root: Path) -> int:
    if args.command == "check":
        return check(root)
    if args.command == "build":
        from teachforward.build import build as run_build
        return run_build(root, _under(root, args.out), jobs=args.jobs, with_decks=not args.no_decks)
    if args.command == "decks":
        return decks(root)
    if args.command == "i18n":
        from teachforward import i18n as tools
        if args.i18n_command == "add":
            return tools.add_language(root, args.lang)
        if args.i18n_command == "status":
            return tools.status(root, args.langs, args.format, args.fail_under)
        if args.i18n_command == "diff":
            from teachforward.i18n_history import diff as run_diff
            return run_diff(root, args.lang, args.files)
        if args.i18n_command == "export":
            from teachforward.i18n_exchange import export as run_export
            return run_export(root, args.lang, args.format, args.files, args.out and _under(root, args.out))
        if args.i18n_command == "import":
            from teachforward.i18n_exchange import import_files
            return import_files(root, args.lang, args.files)
        return max(tools.mark_current(root, args.lang, file) for file in args.files)
    if args.command == "serve":
        from teachforward.serve import serve as run_serve
        return run_serve(root, _under(root, args.out), args.port)
    return 2


def _unexpected(error: BaseException, site_command: bool) -> int:
    what = f"{type(error).__name__}: {error}".strip().splitlines()[0][:300]
    print(f"\nteachforward stopped because of an unexpected problem ({what})."
          + (SITE_KEPT if site_command else "") + "\n"
          "Run the same command again with TEACHFORWARD_DEBUG=1 set to see the details, "
          "and include them when you report the problem.", file=sys.stderr)
    return 3


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def check(root: Path) -> int:
    from teachforward.build import load_and_check
    course, problems = load_and_check(root)
    items = problems.sorted()
    report(items, sys.stdout)
    errors = sum(p.severity == "error" for p in items)
    warnings = len(items) - errors
    if errors or course is None:
        print(f"\n{errors} error(s), {warnings} warning(s). Fix the errors, then run the check again.")
        return 1
    summary = ", ".join(f"{lang.code}: {len(lang.workshops)} workshops" for lang in course.languages)
    print(f"All sources are valid ({summary}){f'; {warnings} warning(s)' if warnings else ''}.")
    return 0


def decks(root: Path) -> int:
    from teachforward.build import load_and_check
    from teachforward.decks import render_decks
    course, problems = load_and_check(root)
    if course is None or problems.errors:
        report(problems.sorted(), sys.stdout)
        print("\nFix the errors above first (teachforward check).")
        return 1
    downloads, files = render_decks(course, root / "build" / "decks", problems)
    report(problems.sorted(), sys.stdout)
    for key, path in sorted(files.items()):
        print(f"{key}: {path.relative_to(root)}")
    return 1 if problems.errors else 0


def _under(root: Path, path: Path) -> Path:
    return path if path.is_absolute() else root / path
