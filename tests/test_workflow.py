""".github/workflows/site.yml: its shard and merge commands, run as written on a small project.

The workflow is read with PyYAML; each shard job's `build` step runs with the matrix values put
in, through bash and a `lessonpack` on PATH (as `pip install` gives the runner); the artifacts are
laid out as actions/download-artifact@v4 does (`parts/<artifact name>/`), then the `merge` step
runs. The merged site must hold everything one unsharded build makes, packs included.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO, make_project, run
from pdfua import pdfua_faults

WORKFLOW = REPO / ".github/workflows/site.yml"


def step(job: dict, step_id: str) -> str:
    (found,) = [s for s in job["steps"] if s.get("id") == step_id]
    return found["run"]


def fill(command: str, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        return values[match.group(1)]

    filled = re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", value, command)
    assert "${{" not in filled
    return filled


def shell(command: str, cwd: Path, bin_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def rows(folder: Path) -> dict[str, dict]:
    data = json.loads((folder / "manifest.json").read_text())["outputs"]
    return {r["path"]: r for r in data}


def test_workflow_shards_then_merges_the_whole_site(tmp_path: Path) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    jobs = workflow["jobs"]
    assert jobs["merge"]["needs"] == "shard" and jobs["publish"]["needs"] == "merge"
    count = int(workflow["env"]["SHARDS"])
    shards = jobs["shard"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, count + 1))
    uploads = [s for s in jobs["shard"]["steps"] if "upload-artifact" in s.get("uses", "")]
    assert [u["with"]["path"] for u in uploads] == ["part${{ matrix.shard }}"]

    project = make_project(tmp_path / "proj")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "lessonpack"
    src = REPO / "src"
    shim.write_text(f'#!/bin/sh\nPYTHONPATH="{src}" exec "{sys.executable}" -m lessonpack "$@"\n')
    shim.chmod(0o755)
    for shard in shards:
        command = fill(step(jobs["shard"], "build"),
                       {"matrix.shard": str(shard), "env.SHARDS": str(count)})
        done = shell(command, project, bin_dir)
        assert done.returncode == 0, done.stderr
        # actions/download-artifact@v4 with `path: parts` puts each artifact in parts/<name>/
        name = fill(uploads[0]["with"]["name"], {"matrix.shard": str(shard)})
        (project / "parts").mkdir(exist_ok=True)
        shutil.move(project / f"part{shard}", project / "parts" / name)
    merged = shell(step(jobs["merge"], "merge"), project, bin_dir)
    assert merged.returncode == 0, merged.stderr

    site = project / "site"
    whole = run("build", "--project", project, "--out", project / "whole")
    assert whole.exit_code == 0, whole.output
    expected = rows(project / "whole")
    got = rows(site)
    assert sorted(got) == sorted(expected)
    packs = sorted(p for p in got if p.endswith("print-pack.pdf"))
    assert len(packs) == 4
    for path in packs:  # assembled in a shard from that shard's documents, the same bytes
        assert got[path]["sha256"] == expected[path]["sha256"], path
        assert pdfua_faults(site / path) == []
    assert sorted(p.name for p in site.glob("*.zip")) == ["en-GB.zip", "en-US.zip"]


def test_an_empty_shard_merges_but_nothing_at_all_is_refused(project: Path) -> None:
    """Packs and their documents share a shard (by edition and band), so a small project split
    four ways leaves a shard empty: that is a part like any other, but parts that are all empty
    are no site (a workflow that built nothing must not publish an empty one)."""
    counts = {}
    for shard in (1, 2, 3, 4):
        result = run("build", "--project", project, "--shard", f"{shard}/4", "--out",
                     project / f"part{shard}")
        assert result.exit_code == 0, result.output
        counts[shard] = len(rows(project / f"part{shard}"))
    empty = [p for p, n in counts.items() if n == 0]
    assert empty and len(empty) < 4
    alone = run("merge", "--project", project, "--out", project / "site",
                *(project / f"part{p}" for p in empty))
    assert alone.exit_code == 1
    assert "no part holds any output" in alone.stderr and not (project / "site").exists()
    every = run("merge", "--project", project, "--out", project / "site",
                *(project / f"part{p}" for p in counts))
    assert every.exit_code == 0, every.output
