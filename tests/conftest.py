"""Shared helpers: small source trees copied from tests/fixtures/valid and then broken on purpose."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
VALID = REPO / "tests" / "fixtures" / "valid"


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


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    return copy_valid_course(tmp_path / "course")


def copy_valid_course(root: Path) -> Tree:
    shutil.copytree(VALID, root, ignore=shutil.ignore_patterns("build", "site"))
    # The fixture's mkdocs.yml points at the theme relative to tests/fixtures/valid.
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    theme = REPO / "scripts" / "teachforward" / "site" / "theme"
    (root / "mkdocs.yml").write_text(text.replace("../../../scripts/teachforward/site/theme", str(theme)), encoding="utf-8")
    # Interface strings grow with the generator: use the real English ones.
    shutil.copyfile(REPO / "docs" / "en" / "strings.yaml", root / "docs" / "en" / "strings.yaml")
    return Tree(root)
