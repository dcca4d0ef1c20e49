"""Front matter, and the conservative text scan the HTML policy makes over raw Markdown.

The prose itself is parsed in prose.py. The policy (html_policy.markdown_findings) scans the
raw text on purpose: a safety check should not depend on how any parser reads a construct.
"""
from __future__ import annotations

import re

FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")


def split_front_matter(text: str) -> tuple[str | None, int, str, int]:
    """(front matter, its first line, body, the body's first line). Lines count from 1."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1:]), index + 2
    return None, 0, text, 1


def code_mask(lines: list[str]) -> list[bool]:
    """True for the lines inside fenced code blocks (including the fences)."""
    mask: list[bool] = []
    fence: str | None = None
    for line in lines:
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
            mask.append(True)
        elif fence is not None:
            mask.append(True)
            if line.strip().startswith(fence):
                fence = None
        else:
            mask.append(False)
    return mask
