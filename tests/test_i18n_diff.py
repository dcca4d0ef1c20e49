"""`i18n diff`: what the English changed since a translation was marked current, from git."""
from __future__ import annotations

import subprocess

import yaml

from teachforward.cli import main
from teachforward.i18n_history import COMMIT_KEY, word_diff

NOTES_FR = "workshops/fr/01-basics/notes.md"
NOTES_EN = "workshops/en/01-basics/notes.md"


def run(tree, *args) -> int:
    return main(["--root", str(tree.root), *args])


def git(root, *args) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def commit_all(root, message: str) -> str:
    git(root, "add", "-A")
    git(root, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def translated_repository(tree) -> str:
    git(tree.root, "init", "-q")
    tree.write(NOTES_FR, tree.read(NOTES_EN).replace("Closing words", "Mots de la fin"))
    return commit_all(tree.root, "English and French")


def record(tree) -> dict:
    return yaml.safe_load(tree.read(NOTES_FR).split("---")[1])["translated_from"]


def test_word_diff_marks_removed_and_added_words_on_changed_lines_only():
    old = "First line stays.\nClosing words with the unique word zebrafish.\nLast line."
    new = "First line stays.\nFinal words with the word zebrafish, again.\nLast line."
    assert word_diff(old, new) == ["[-Closing-]{+Final+} words with the [-unique -]word zebrafish{+, again+}."]
    assert word_diff("a b", "a b") == []


def test_mark_current_records_the_english_commit_and_diff_shows_the_change(tree, capsys):
    english_commit = translated_repository(tree)
    assert run(tree, "i18n", "mark-current", "fr", str(tree.path(NOTES_FR))) == 0
    assert record(tree)[COMMIT_KEY] == english_commit
    commit_all(tree.root, "marked current")
    tree.replace(NOTES_EN, "Closing words with the unique word", "Final words with the rare word")
    tree.replace(NOTES_EN, "- Thank everyone", "- Thank everyone warmly")
    commit_all(tree.root, "English moves on")
    capsys.readouterr()
    assert run(tree, "i18n", "diff", "fr") == 0
    said = capsys.readouterr().out
    assert f"section wrap-up, English of {english_commit[:10]}" in said
    assert "Thank everyone{+ warmly+}" in said
    assert "[-Closing-]{+Final+} words with the [-unique-]{+rare+} word zebrafish." in said
    assert f"{NOTES_FR}:" in said and "what-is-data" not in said      # only the section that changed
    # The English edited but not committed yet: compared with the file as it is now.
    tree.replace(NOTES_EN, "Summarise the session", "Sum up the session")
    capsys.readouterr()
    assert run(tree, "i18n", "diff", "fr", NOTES_FR) == 0
    assert "[-Summarise-]{+Sum up+} the session" in capsys.readouterr().out


def test_an_old_record_without_a_commit_is_found_in_the_history(tree, capsys):
    translated_repository(tree)
    assert run(tree, "i18n", "mark-current", "fr", str(tree.path(NOTES_FR))) == 0
    text = tree.read(NOTES_FR)
    tree.write(NOTES_FR, "\n".join(line for line in text.split("\n") if COMMIT_KEY not in line))
    commit_all(tree.root, "a record as mark-current wrote it before")
    tree.replace(NOTES_EN, "Closing words", "Final words")
    commit_all(tree.root, "English moves on")
    capsys.readouterr()
    assert run(tree, "i18n", "diff", "fr") == 0
    assert "[-Closing-]{+Final+} words" in capsys.readouterr().out


def test_missing_history_is_said_plainly(tree, capsys, tmp_path):
    # No git at all.
    tree.write(NOTES_FR, tree.read(NOTES_EN))
    assert run(tree, "i18n", "mark-current", "fr", str(tree.path(NOTES_FR))) == 0
    assert "not a git repository" in capsys.readouterr().out and COMMIT_KEY not in record(tree)
    tree.replace(NOTES_EN, "Closing words", "Final words")
    capsys.readouterr()
    assert run(tree, "i18n", "diff", "fr") == 0
    said = capsys.readouterr().out
    assert "cannot be shown" in said and "not a git repository" in said and "[-" not in said
    # A shallow clone: the commit the translation was made from is not in it.
    tree.replace(NOTES_EN, "Final words", "Closing words")       # back to the English fr was marked against
    git(tree.root, "init", "-q")
    commit_all(tree.root, "translated")
    tree.replace(NOTES_EN, "Closing words", "Final words")
    commit_all(tree.root, "English moves on")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{tree.root}", str(shallow)], check=True)
    capsys.readouterr()
    assert main(["--root", str(shallow), "i18n", "diff", "fr"]) == 0
    said = capsys.readouterr().out
    assert "shallow clone" in said and "git fetch --unshallow" in said


def test_nothing_outdated(tree, capsys):
    assert run(tree, "i18n", "diff", "fr") == 0
    assert "Nothing is outdated in French (fr)." in capsys.readouterr().out


def test_fuzzy_po_entries_carry_the_english_they_were_translated_from(tree, capsys):
    import polib
    translated_repository(tree)
    assert run(tree, "i18n", "mark-current", "fr", str(tree.path(NOTES_FR))) == 0
    commit_all(tree.root, "marked current")
    tree.replace(NOTES_EN, "Closing words", "Final words")
    commit_all(tree.root, "English moves on")
    assert run(tree, "i18n", "export", "fr", NOTES_FR) == 0
    path = tree.root / "build" / "i18n" / "fr" / "workshops" / "01-basics" / "notes.md.po"
    entry = polib.pofile(str(path)).find("wrap-up/block-1", by="msgctxt")
    assert entry.fuzzy and entry.msgid.startswith("Final words")
    assert entry.previous_msgid == "Closing words with the unique word zebrafish."
    assert "#| msgid \"Closing words" in path.read_text(encoding="utf-8")
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)
    title = polib.pofile(str(path)).find("wrap-up/title", by="msgctxt")
    assert title.fuzzy and title.previous_msgid is None        # the same English: nothing to show
