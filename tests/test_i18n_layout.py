"""Catalogues are laid out as GNU gettext lays them out: msgcat (what Poedit and Weblate's
gettext tools write) followed by `update` changes nothing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import run
from test_i18n_workflow import add_edition

from lessonpack.i18n.pofile import load_po, write_po_atomically

PO = "locales/fr/LC_MESSAGES/messages.po"

pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None, reason="needs GNU gettext")


def test_msgcat_then_update_is_a_no_op(project: Path) -> None:
    add_edition(project, "- {id: fr-GB, locale: fr, country: GB}")
    assert run("i18n", "init", "fr", "--project", project).exit_code == 0
    path = project / PO
    po = load_po(path)
    for entry in po:  # long lines with hyphens and quotes: where polib and GNU wrap apart
        entry.msgstr = (f"« {entry.msgid} » — une traduction assez longue, avec des mots-"
                        "composés, des \"guillemets\" et encore quelques mots pour dépasser "
                        "soixante-dix-neuf colonnes")
    write_po_atomically(po, path)
    assert run("i18n", "update", "--project", project).exit_code == 0
    ours = path.read_bytes()
    subprocess.run(["msgcat", str(path), "-o", str(path)], check=True)
    assert path.read_bytes() == ours  # GNU would write exactly this
    result = run("i18n", "update", "--project", project)
    assert "(unchanged)" in result.stderr and path.read_bytes() == ours


def test_shipped_catalogues_are_in_gnu_layout(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[1]
    for path in sorted((repo / "locales").glob("*/LC_MESSAGES/messages.po")):
        out = tmp_path / path.parent.parent.name
        subprocess.run(["msgcat", str(path), "-o", str(out)], check=True)
        assert out.read_bytes() == path.read_bytes(), path
        assert len(polib.pofile(str(path))) > 2000
