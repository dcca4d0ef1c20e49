"""The build's fingerprint of its software: one list of the libraries the output depends on."""
from __future__ import annotations

import tomllib
from importlib import metadata

from packaging.requirements import Requirement

from helpers import REPO
from teachforward.stamp import LIBRARIES, library_versions


def test_every_declared_dependency_is_in_the_one_list_of_libraries():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {Requirement(line).name.lower() for line in project["dependencies"]}
    assert sorted(declared - set(LIBRARIES)) == [], "add them to teachforward/stamp.py LIBRARIES"
    assert len(set(LIBRARIES)) == len(LIBRARIES)


def test_library_versions_names_each_installed_version():
    lines = library_versions(LIBRARIES).splitlines()
    assert lines == [f"{name}={metadata.version(name)}" for name in LIBRARIES]
    assert library_versions(["no-such-library-here"]) == "no-such-library-here=none\n"
