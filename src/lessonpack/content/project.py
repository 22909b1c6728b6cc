"""Load a curriculum project: curriculum.yaml, modules, routes — everything, before writing."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problems
from .checks_model import KnowledgeChecks
from .files import is_regular, kind_of
from .model import Band, Curriculum, Edition, Module, Route, RouteFile
from .pictures import pictogram_dir, picture_problems
from .validate import validate_model
from .yamlsafe import LocDict, YamlError, load_yaml

MODULE_FOLDER = re.compile(r"^(?P<order>[0-9]{2})-(?P<id>[a-z0-9][a-z0-9-]*)$")


@dataclass(frozen=True)
class ModuleSource:
    """A validated module and where it came from (for line numbers and message contexts)."""

    module: Module
    path: Path
    raw: LocDict


@dataclass(frozen=True)
class RouteSource:
    routes: RouteFile
    path: Path
    raw: LocDict


@dataclass(frozen=True)
class CheckSource:
    """``lessons/knowledge-check.yaml``: each band's pre/post knowledge check."""

    data: KnowledgeChecks
    path: Path
    raw: LocDict


CHECK_FILE = "knowledge-check.yaml"
"""The knowledge checks' source, in ``lessons/`` beside the module folders."""


@dataclass
class Project:
    """Everything a build reads, loaded and validated once."""

    root: Path
    curriculum: Curriculum | None = None
    curriculum_raw: LocDict | None = None
    modules: list[ModuleSource] = field(default_factory=list)
    routes: dict[str, RouteSource] = field(default_factory=dict)
    knowledge: CheckSource | None = None

    @property
    def curriculum_path(self) -> Path:
        return self.root / "curriculum.yaml"

    @property
    def cache_dir(self) -> Path:
        """Build and reading-level caches (LESSONPACK_CACHE_DIR moves them, e.g. in tests)."""
        override = os.environ.get("LESSONPACK_CACHE_DIR")
        return Path(override) if override else self.root / ".lessonpack-cache"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def lessons_dir(self) -> Path:
        return self.root / "lessons"

    @property
    def routes_dir(self) -> Path:
        return self.root / "routes"

    def band(self, band_id: str) -> Band:
        assert self.curriculum is not None
        return next(b for b in self.curriculum.bands if b.id == band_id)

    def edition(self, edition_id: str) -> Edition:
        assert self.curriculum is not None
        return next(e for e in self.curriculum.editions if e.id == edition_id)

    def sequence(self, band_id: str) -> list[str]:
        """The band's modules in the recommended teaching order (``bands[].sequence`` first)."""
        teaching = [m.module.id for m in self.modules if band_id in m.module.content]
        listed = [m for m in self.band(band_id).sequence if m in teaching]
        return listed + [m for m in teaching if m not in listed]

    def check_bands(self) -> list[str]:
        """Bands that get a knowledge check: the source has one and the band makes it."""
        if self.knowledge is None or self.curriculum is None:
            return []
        return [b.id for b in self.curriculum.bands
                if b.id in self.knowledge.data.checks and b.makes("knowledge-check")]

    def module(self, module_id: str) -> ModuleSource:
        return next(m for m in self.modules if m.module.id == module_id)

    def routes_for(self, country: str) -> list[Route]:
        """The country's routes followed by the international ones."""
        own = self.routes.get(country)
        intl = self.routes.get("international")
        return ([*own.routes.routes] if own else []) + ([*intl.routes.routes] if intl else [])


def find_project_root(start: Path) -> Path | None:
    """``start`` if it holds a curriculum.yaml (projects are explicit, as in mkdocs)."""
    return start if (start / "curriculum.yaml").is_file() else None


SOURCE_FOLDERS = ("lessons", "routes", "templates", "locales", "assets", "fonts")
"""What a build reads: a link in here must not lead out of the project."""


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, links followed, is inside ``root``."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def check_links(root: Path, problems: Problems) -> None:
    """Every source path must be a folder or a regular file inside the project.

    A module folder, module.yaml, template, stylesheet or catalogue that links to
    ``/etc/passwd`` or ``~/.ssh`` would otherwise be read into a pack. The targets are never
    read (nor named: the message shows the link's place in the project only). A FIFO or device
    would block or feed a build forever, and a link loop has no target at all: each is an error
    at its path, found without opening it.
    """
    candidates = [root / "curriculum.yaml"]
    for name in SOURCE_FOLDERS:
        folder = root / name
        candidates.append(folder)
        if folder.is_symlink() or not folder.is_dir():
            continue
        for current, dirs, files in os.walk(folder):  # does not follow links
            candidates += [Path(current, entry) for entry in sorted(dirs + files)]
    for path in candidates:
        rel = path.relative_to(root).as_posix()
        problem = _source_path_problem(root, path)
        if problem is not None:
            code, message, hint = problem
            problems.error(rel, 1, 1, code, f"{rel} {message}", hint)


def _source_path_problem(root: Path, path: Path) -> tuple[str, str, str] | None:
    if path.is_symlink():
        try:
            path.resolve(strict=True)
        except RuntimeError:
            return ("path.loop", "is a link that leads back to itself (a loop)",
                    "remove the link or point it at a real file in the project")
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return ("path.loop", "is a link that leads back to itself (a loop)",
                        "remove the link or point it at a real file in the project")
        if not inside(root, path):
            return ("path.outside", "is a link to a place outside the project",
                    "copy what it needs into the project; lessonpack reads nothing outside it")
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # missing (a dangling link, or curriculum.yaml): reported where it is read
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return ("path.special", f"is {kind_of(mode)}, not a regular file",
                "replace it with a regular file; lessonpack never reads from pipes or devices")
    return None


def _load(path: Path, problems: Problems) -> LocDict | None:
    try:
        data = load_yaml(path)
    except YamlError as exc:
        problems.error(exc.path, exc.pos.line, exc.pos.col, exc.code, exc.message, exc.hint)
        return None
    if data is None:
        problems.error(path, 1, 1, "schema.empty", "file is empty",
                       "see docs/content-model.md for what it must contain")
        return None
    if not isinstance(data, LocDict):
        problems.error(path, 1, 1, "schema.type", "expected a mapping of keys to values",
                       "see docs/content-model.md")
        return None
    return data


def load_project(root: Path, problems: Problems) -> Project:
    """Read and validate every source file; problems are collected, nothing is raised."""
    project = Project(root=root)
    check_links(root, problems)
    raw = _load(project.curriculum_path, problems) if inside(root, project.curriculum_path) \
        and is_regular(project.curriculum_path) else None
    if raw is not None:
        project.curriculum_raw = raw
        project.curriculum = validate_model(Curriculum, raw, project.curriculum_path, problems)
    for folder in sorted(p for p in project.lessons_dir.glob("*") if p.is_dir()):
        if folder.name.startswith(("_", ".")):
            continue
        path = folder / "module.yaml"
        if not inside(root, path) or (path.exists() and not is_regular(path)):
            continue  # reported by check_links; never read
        if not path.is_file():
            problems.error(folder, 1, 1, "module.missing-file",
                           "module folder has no module.yaml",
                           "add module.yaml or remove the folder")
            continue
        data = _load(path, problems)
        if data is not None:
            picture_problems(data, path, problems, pictogram_dir(root))
        module = validate_model(Module, data, path, problems) if data is not None else None
        if module is not None and data is not None:
            project.modules.append(ModuleSource(module, path, data))
    _load_checks(project, problems)
    for path in sorted(project.routes_dir.glob("*.yaml")):
        if not inside(root, path) or not is_regular(path):
            continue  # reported by check_links; never read
        data = _load(path, problems)
        routes = validate_model(RouteFile, data, path, problems) if data is not None else None
        if routes is not None and data is not None:
            project.routes[routes.country] = RouteSource(routes, path, data)
    project.modules.sort(key=lambda m: (m.module.order, m.module.id))
    return project


def _load_checks(project: Project, problems: Problems) -> None:
    """``lessons/knowledge-check.yaml``, if the project has one (it is optional)."""
    path = project.lessons_dir / CHECK_FILE
    if not path.is_file() or not inside(project.root, path) or not is_regular(path):
        return  # absent; a link out or a FIFO is reported by check_links and never read
    data = _load(path, problems)
    checks = validate_model(KnowledgeChecks, data, path, problems) if data is not None else None
    if checks is not None and data is not None:
        project.knowledge = CheckSource(checks, path, data)
