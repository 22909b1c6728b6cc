"""The engine's tree reads as its pipeline (issue 12): stage packages, imports that flow one way
(no cycle between modules, no stage importing a later one), small modules with docstrings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "lessonpack"

# Each stage may import only the stages before it (and the shared top-level modules).
# The same order is drawn in docs/architecture.md.
STAGES = ["content", "i18n", "checks", "render", "plan", "printing", "site", "build", "cli",
          "__main__"]
SHARED = {"lessonpack", "lessonpack.problems", "lessonpack.output"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every lessonpack module this one imports: at the top, inside functions and under
    ``TYPE_CHECKING`` alike (a type-only import still ties the two modules together)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [target] + [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        else:
            continue
        found |= {c for c in candidates if c in known and c != name}
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) == 1 or module in SHARED:
        return None
    return parts[1]


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A list of modules that import each other in a circle, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycles() -> None:
    cycle = _find_cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail: a circle like the old builder ↔ print_pack ↔ site_pages."""
    graph = {"builder": {"site_pages"}, "site_pages": {"print_pack"},
             "print_pack": {"builder"}, "cli": {"builder"}}
    assert _find_cycle(graph) == ["builder", "site_pages", "print_pack", "builder"]


def test_stages_import_only_earlier_stages() -> None:
    wrong = []
    for module, targets in _graph().items():
        here = _stage(module)
        if here is None:
            if module in SHARED and any(_stage(t) for t in targets):
                wrong.append(f"{module} (shared) imports {sorted(targets)}")
            continue
        for target in targets:
            there = _stage(target)
            if there is not None and STAGES.index(there) > STAGES.index(here):
                wrong.append(f"{module} ({here}) imports {target} ({there}), a later stage")
    assert not wrong, "\n".join(wrong)


def test_every_stage_is_known_and_the_top_stays_small() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    packages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert len(top) <= 8, top
    assert set(packages) | {"checks", "cli", "__main__"} == set(STAGES), packages


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: _module_name(p))
def test_modules_are_small_and_say_their_job(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 400, f"{path.name}: {len(text.splitlines())} lines"
    if path.name != "__main__.py":
        assert ast.get_docstring(ast.parse(text)), f"{path} has no docstring"
