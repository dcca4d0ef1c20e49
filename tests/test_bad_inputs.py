"""Every bad input gets a clear error, through the real command line, and nothing is lost.

The cases are the YAML files in tests/bad_inputs/ (see its README.md): each one breaks a copy
of tests/fixtures/valid in one way. For each, `teachforward check` and `teachforward build`
(the command line's own entry point, cli.main) must exit non-zero, name the file (and line)
with a hint, print no traceback, leave an existing site/ byte for byte as it was and change no
source file. A sample of the cases also runs as real subprocesses (`python -m teachforward`).
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import REPO, VALID
from teachforward.cli import main

CASES_DIR = REPO / "tests" / "bad_inputs"
CASES = sorted(CASES_DIR.glob("*.yaml"))
ACCEPTED = sorted((CASES_DIR / "accepted").glob("*.yaml"))


# --- applying a case ------------------------------------------------------------------------

def make_outside(folder: Path) -> Path:
    """Files beside the course, outside the repository, that no build may ever read."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.md").write_text("## Stolen {#stolen}\n\n- SECRET-OUTSIDE-TEXT\n- more\n", encoding="utf-8")
    (folder / "page.md").write_text("# SECRET-OUTSIDE-PAGE\n", encoding="utf-8")
    (folder / "picture.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><title>SECRET-OUTSIDE-PICTURE'
                                        '</title></svg>', encoding="utf-8")
    shutil.copytree(VALID / "workshops" / "en" / "01-basics", folder / "workshop", dirs_exist_ok=True)
    return folder


def apply_patch(root: Path, outside: Path, steps: list[dict]) -> None:
    for step in steps:
        if "replace" in step:
            path = root / step["replace"]
            text = path.read_text(encoding="utf-8")
            assert step["old"] in text, f"{step['old']!r} not in {step['replace']}"
            path.write_text(text.replace(step["old"], step["new"], 1), encoding="utf-8")
        elif "write" in step:
            path = root / step["write"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes((step["text"] * step.get("repeat", 1)).encode(step.get("encoding", "utf-8")))
        elif "append" in step:
            path = root / step["append"]
            with path.open("ab") as handle:
                handle.write((step["text"] * step.get("repeat", 1)).encode(step.get("encoding", "utf-8")))
        elif "recode" in step:
            path = root / step["recode"]
            path.write_bytes(path.read_text(encoding="utf-8").encode(step["encoding"]))
        elif "delete" in step:
            path = root / step["delete"]
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        elif "symlink" in step:
            path = root / step["symlink"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.symlink_to(step["to"].replace("{outside}", str(outside)))
        elif "bom" in step:
            path = root / step["bom"]
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        elif "line_endings" in step:
            path = root / step["line_endings"]
            ending = {"crlf": b"\r\n", "cr": b"\r"}[step["style"]]
            path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", ending))
        else:
            raise AssertionError(f"unknown patch step {step}")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under folder, by content (links by where they point), without following links."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[relative] = "link:" + os.readlink(path)
        elif path.is_file():
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            found[relative] = "dir"
    return found


def existing_site(root: Path) -> Path:
    """A previous build's site/, which a failed build must leave exactly as it was."""
    site = root / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>previous site</title>\n", encoding="utf-8")
    (site / "en" / "index.html").write_text("previous English home\n", encoding="utf-8")
    return site


def run_subprocess(root: Path, *args: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TEACHFORWARD_DEBUG", "CI", "GITHUB_ACTIONS")}
    result = subprocess.run([sys.executable, "-m", "teachforward", "--root", str(root), *args],
                            capture_output=True, text=True, env=env, timeout=300, cwd=root)
    return result.returncode, result.stdout + result.stderr


def run_main(root: Path, *args: str) -> tuple[int, str]:
    """cli.main in this process (much faster than a new Python for each of ~200 runs)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = main(["--root", str(root), *args])
    return status, out.getvalue()


def reported(output: str, expect: dict) -> bool:
    """The expected problem is printed as file:line: error: ..., with a hint on the next line."""
    where = f"{expect['file']}:{expect['line']}" if expect.get("line") is not None else expect["file"]
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(f"{where}: error: ") and expect["message"] in line:
            hint = lines[index + 1] if index + 1 < len(lines) else ""
            if hint.startswith("    hint: ") and len(hint) > len("    hint: ") and expect.get("hint", "") in hint:
                return True
    return False


def case_id(path: Path) -> str:
    return path.stem


# --- the cases -------------------------------------------------------------------------------

def test_there_are_enough_cases():
    assert len(CASES) >= 40
    for path in CASES:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(spec) == {"defect", "patch", "expect"}, path.name
        assert {"file", "line", "message"} <= set(spec["expect"]), path.name


def refused_without_loss(root: Path, tmp_path: Path, case: Path, run) -> None:
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    apply_patch(root, make_outside(tmp_path / "outside"), spec["patch"])
    site = existing_site(root)
    site_before = snapshot(site)
    sources_before = {top: snapshot(root / top) for top in ("workshops", "docs")}
    for command in (["check"], ["build", "--jobs", "1"]):
        status, output = run(root, *command)
        assert status != 0, f"{command[0]} accepted: {spec['defect']}\n{output}"
        assert "Traceback" not in output, output
        assert reported(output, spec["expect"]), (
            f"{command[0]} did not report {spec['expect']} for: {spec['defect']}\n--- output:\n{output}")
        assert "SECRET-OUTSIDE" not in output
    assert snapshot(site) == site_before
    assert {top: snapshot(root / top) for top in ("workshops", "docs")} == sources_before
    assert not (root / "build" / "site-new").exists()


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_bad_input_is_refused_clearly_and_loses_nothing(tree, tmp_path, case):
    refused_without_loss(tree.root, tmp_path, case, run_main)


SAMPLE = ["03-yaml-unclosed-quote", "06-yaml-alias-bomb", "35-not-utf8-notes", "54-notes-symlink-outside",
          "57-parity-agenda-minutes", "65-html-script", "85-template-python-escape"]


@pytest.mark.parametrize("name", SAMPLE)
def test_bad_input_through_a_real_subprocess(tree, tmp_path, name):
    refused_without_loss(tree.root, tmp_path, CASES_DIR / f"{name}.yaml", run_subprocess)


@pytest.mark.parametrize("case", ACCEPTED, ids=case_id)
def test_unusual_input_is_accepted(tree, tmp_path, case):
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    apply_patch(tree.root, make_outside(tmp_path / "outside"), spec["patch"])
    status, output = run_main(tree.root, "check")
    assert status == 0, f"refused: {spec['defect']}\n{output}"
    # The fixture's French leaves most interface strings untranslated on purpose: that warning is expected.
    expected = "docs/fr/strings.yaml: warning: "
    unexpected = [line for line in output.splitlines() if ": warning:" in line and not line.startswith(expected)]
    assert "Traceback" not in output and not unexpected, output


def test_an_unexpected_error_is_one_friendly_paragraph(tree, tmp_path):
    """A bug (here: a module that raises) is reported without a traceback, unless debugging."""
    plugin = tmp_path / "sitecustomize_dir"
    plugin.mkdir()
    (plugin / "sitecustomize.py").write_text(
        "import teachforward.build as b\n"
        "def boom(*a, **k):\n    raise RuntimeError('simulated failure')\n"
        "b.load_and_check = boom\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("TEACHFORWARD_DEBUG",)}
    env["PYTHONPATH"] = str(plugin) + os.pathsep + env.get("PYTHONPATH", "")
    command = [sys.executable, "-m", "teachforward", "--root", str(tree.root), "check"]
    quiet = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert quiet.returncode == 3
    assert "Traceback" not in quiet.stderr and "simulated failure" in quiet.stderr
    assert "TEACHFORWARD_DEBUG=1" in quiet.stderr
    loud = subprocess.run(command, capture_output=True, text=True, env={**env, "TEACHFORWARD_DEBUG": "1"}, timeout=120)
    assert loud.returncode != 0 and "Traceback" in loud.stderr
