"""English variants: the words an English edition prints differently from the British source.

The lessons are written once, in British English. ``locales/en_US/words.yaml`` (and one per
English locale that differs) lists whole words and phrases to print instead (``colour:
color``, ``mum: mom``); anything not listed prints as written, so the catalogue falls back to
the source word by word. A lowercase entry also matches its capitalised form (``Mum`` → ``Mom``).
Only English text is adapted: a translation is already written in its own language, and route
texts are written for their country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..content.files import is_regular
from ..content.locales import is_english
from ..content.yamlsafe import YamlError, load_yaml
from ..problems import Problems


@dataclass(frozen=True)
class Variant:
    """One English locale's word list and a pattern matching every listed word."""

    words: tuple[tuple[str, str], ...]

    @property
    def pattern(self) -> re.Pattern[str] | None:
        return _pattern(self.words)

    def adapt(self, text: str) -> str:
        pattern = self.pattern
        if pattern is None:
            return text
        table = dict(self.words)

        def swap(match: re.Match[str]) -> str:
            found = match[0]
            if found in table:
                return table[found]
            lower = found[0].lower() + found[1:]
            target = table[lower]
            return target[0].upper() + target[1:]

        return pattern.sub(swap, text)


NO_VARIANT = Variant(())


@lru_cache(maxsize=64)
def _pattern(words: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    forms: set[str] = set()
    for source, _target in words:
        forms.add(source)
        forms.add(source[0].upper() + source[1:])
    if not forms:
        return None
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w{{])(?:{alternatives})(?![\w}}])")


def words_path(root: Path, locale: str) -> Path:
    return root / "locales" / locale / "words.yaml"


def load_variant(root: Path, locale: str, problems: Problems | None = None) -> Variant:
    """The locale's word list (none for a non-English locale or a missing file)."""
    path = words_path(root, locale)
    if not is_english(locale) or not path.is_file() or not is_regular(path):
        return NO_VARIANT
    scratch = problems if problems is not None else Problems(root)
    try:
        data = load_yaml(path)
    except YamlError as exc:
        scratch.error(exc.path, exc.pos.line, exc.pos.col, exc.code, exc.message, exc.hint)
        return NO_VARIANT
    words = data.get("words") if isinstance(data, dict) else None
    if not isinstance(words, dict):
        scratch.error(path, 1, 1, "variant.words",
                      "words.yaml has no `words:` mapping of British word: local word",
                      "write e.g. `words: {colour: color}`")
        return NO_VARIANT
    pairs = []
    for source, target in words.items():
        if not (isinstance(source, str) and isinstance(target, str) and source and target):
            pos = words.pos_of(source) if hasattr(words, "pos_of") else None
            scratch.error(path, pos.line if pos else 1, pos.col if pos else 1, "variant.words",
                          f"'{source}' must map one word or phrase to another",
                          "write `british: local`, both as text")
            continue
        pairs.append((source, target))
    return Variant(tuple(sorted(pairs)))
