"""What tests share besides fixtures (tests/conftest.py): where the repository is, the system
tools a test needs, small source trees copied from tests/fixtures/valid, the real course's
sources in a folder of their own. Imported as `helpers` (pytest puts tests/ on the path)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
VALID = REPO / "tests" / "fixtures" / "valid"
EPOCH = "1700000000"     # 2023-11-14 22:13:20 UTC: SOURCE_DATE_EPOCH of the real course's build
NO_SKIPS = os.environ.get("TEACHFORWARD_NO_SKIPS") == "1"


def require_tool(command: str, package: str) -> str:
    """The path of a system command a test needs. Missing: the test fails under `make test`
    (TEACHFORWARD_NO_SKIPS=1) and is skipped otherwise, with the Debian package to install."""
    path = shutil.which(command)
    if path is None:
        message = (f"{command} is missing: install the Debian package {package} "
                   "(`bash scripts/install-system-deps.sh` as root)")
        if NO_SKIPS:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


class Tree:
    """A copy of the valid fixture course that a test may change."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, relative: str) -> Path:
        return self.root / relative

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def replace(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert old in text, f"{old!r} not in {relative}"
        self.write(relative, text.replace(old, new, 1))


def copy_valid_course(root: Path) -> Tree:
    shutil.copytree(VALID, root, ignore=shutil.ignore_patterns("build", "site"))
    # The fixture's mkdocs.yml points at the theme relative to tests/fixtures/valid.
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    theme = REPO / "scripts" / "teachforward" / "site" / "theme"
    (root / "mkdocs.yml").write_text(text.replace("../../../scripts/teachforward/site/theme", str(theme)), encoding="utf-8")
    # Interface strings grow with the generator: use the real English ones.
    shutil.copyfile(REPO / "docs" / "en" / "strings.yaml", root / "docs" / "en" / "strings.yaml")
    return Tree(root)


def copy_of_the_course(target: Path) -> Path:
    """The real course's sources in a folder of their own (so a build never touches the repository)."""
    target.mkdir(parents=True)
    for name in ("workshops", "docs", "slides_src", "fonts"):
        if name != "fonts" or (REPO / name).is_dir():     # fonts/: the decks' and PDFs' fonts, when the project has them
            shutil.copytree(REPO / name, target / name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    theme = REPO / "scripts" / "teachforward" / "site" / "theme"
    (target / "mkdocs.yml").write_text(config.replace("custom_dir: scripts/teachforward/site/theme",
                                                      f"custom_dir: {theme}"), encoding="utf-8")
    return target


def start_build(root: Path, *extra: str, seed: str = "0", epoch: str = EPOCH, output=subprocess.PIPE,
                **env_extra: str) -> subprocess.Popen:
    """`teachforward build` of root in a process of its own (and its own process group, so a
    test can signal it as Ctrl-C does), its output in .stdout or in the file given as output."""
    # Without NO_MKDOCS_2_WARNING: Material prints its notice under the `mkdocs` command only.
    env = {k: v for k, v in os.environ.items() if k not in ("TEACHFORWARD_DEBUG", "CI", "GITHUB_ACTIONS",
                                                            "NO_MKDOCS_2_WARNING")}
    env.update(SOURCE_DATE_EPOCH=epoch, PYTHONHASHSEED=seed, **env_extra)
    return subprocess.Popen([sys.executable, "-m", "teachforward", "--root", str(root), "build", *extra],
                            stdout=output, stderr=subprocess.STDOUT, text=True, env=env,
                            start_new_session=True)


@dataclass(frozen=True)
class RealCourse:
    root: Path        # a copy of the real course's sources; tests read it and never change it
    site: Path        # its built site (decks, sites, offline packs)
    log: str          # what the build printed
    seconds: float
    epoch: str        # the SOURCE_DATE_EPOCH it was built with


@dataclass
class SecondBuild:
    """The real course built again, by another process, from another copy in another folder,
    with another hash seed and a fontconfig that sees no font (tests/conftest.py)."""
    root: Path
    process: subprocess.Popen
    log: Path          # what it prints (a file: nobody reads a pipe while it runs)

    def result(self) -> tuple[int, str]:
        """(exit status, what it printed), once it has finished."""
        status = self.process.wait(timeout=1800)
        return status, self.log.read_text(encoding="utf-8")
