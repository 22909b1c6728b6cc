"""The `lessonpack` command line. Exit codes: 0 ok, 1 content errors, 2 usage errors."""

from __future__ import annotations

import os
import sys
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .build.letter import letter_options, school_from
from .build.outfolder import holding, out_folder
from .build.progress import make_progress
from .content.model import DOC_KINDS, FORMATS, VARIANTS
from .problems import ContentError, Problems, format_problems, printable

if TYPE_CHECKING:
    from .checks import CheckedProject

PROJECT_OPTION = click.option(
    "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="The curriculum project (the folder holding curriculum.yaml).")


def _root(project_dir: Path) -> Path:
    root = project_dir.resolve()
    if not (root / "curriculum.yaml").is_file():
        raise click.UsageError(
            f"{project_dir} is not a lessonpack project: it has no curriculum.yaml. "
            "Run lessonpack in the project folder or pass --project DIR.")
    return root


def _checked_or_abort(root: Path, strict: bool, outcome: str) -> CheckedProject:
    """The checked project, its warnings printed; exit 1 listing every problem if it may not
    be built (``outcome`` says what was therefore not done)."""
    from .checks import check_project

    checked = check_project(root)
    _report(checked.problems, "text", strict)
    if checked.problems.blocks_build(strict):
        raise ContentError(f"Aborted with {len(checked.problems.errors) or len(checked.problems)}"
                           f" problem(s); {outcome}.")
    return checked


def _report(problems: Problems, fmt: str, strict: bool) -> None:
    if text := format_problems(problems, fmt, strict):
        click.echo(text, err=fmt == "text")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lessonpack")
def cli() -> None:
    """Printable, localised online-safety lesson packs from one source."""


@cli.command()
@PROJECT_OPTION
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json prints {\"problems\": [...]} on stdout.")
@click.option("--levels", is_flag=True,
              help="Also print each English handout's reading level (Flesch-Kincaid grade).")
def check(project_dir: Path, strict: bool, fmt: str, levels: bool) -> None:
    """Validate everything; print every problem as path:line:col; exit 1 on errors."""
    from .checks import check_project

    checked = check_project(_root(project_dir))
    _report(checked.problems, fmt, strict)
    if levels:
        _print_levels(checked.project)
    if checked.problems.has_errors(strict):
        sys.exit(1)


@cli.command()
@PROJECT_OPTION
@click.option("--country", default=None, metavar="CC",
              help="Only this country's routes (or 'international'). Default: every file.")
@click.option("--strict", is_flag=True, help="Stale entries (and other warnings) are errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json prints {\"routes\": [...], ...} on stdout.")
def routes(project_dir: Path, country: str | None, strict: bool, fmt: str) -> None:
    """List reporting routes with their checked dates; warn on entries over 12 months old."""
    from .content.routes_report import list_routes

    if list_routes(_root(project_dir), country, strict, fmt):
        sys.exit(1)


@cli.command()
@PROJECT_OPTION
@click.option("--edition", multiple=True, help="Edition id (repeatable). Default: all.")
@click.option("--band", multiple=True, help="Age band id (repeatable). Default: all.")
@click.option("--module", multiple=True, help="Module id (repeatable). Default: all.")
@click.option("--doc", multiple=True, type=click.Choice(DOC_KINDS),
              help="Document kind (repeatable). Default: all.")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Output format (repeatable). Default: html and pdf, and pptx for slides.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Output folder. Default: PROJECT/site.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes for PDFs. Default: all cores.")
@click.option("--shard", default="1/1", show_default=True, metavar="I/N",
              help="Build only the I-th of N stable parts of the job list.")
@click.option("--strict", is_flag=True, help="Warnings (and fallbacks) are errors.")
@click.option("--variant", type=click.Choice(VARIANTS), default="standard", show_default=True,
              help="large-print: PDFs with a 16 pt body, as <doc>.large-print.pdf.")
@click.option("--packs/--no-packs", default=True, show_default=True,
              help="Make the combined print packs and per-edition zips (slow; skip for previews).")
@letter_options
def build(project_dir: Path, edition: tuple[str, ...], band: tuple[str, ...],
          module: tuple[str, ...], doc: tuple[str, ...], formats: tuple[str, ...],
          out_dir: Path | None, jobs: int | None, shard: str, strict: bool,
          variant: str, packs: bool) -> None:
    """Build HTML and PDF lesson packs into the output folder."""
    from .build.builder import build as run_build
    from .plan.request import Request, RequestError, plan_jobs
    root = _root(project_dir)
    shard_pair = _parse_shard(shard)
    out_folder(root, out_dir)  # a usage error before anything is checked
    checked = _checked_or_abort(root, strict, "nothing was written")
    request = Request(edition, band, module, doc, formats, shard_pair, variant, packs,
                      school_from(click.get_current_context()))
    out = out_folder(root, out_dir)
    problems = Problems(root)
    try:
        plan_jobs(checked.project, request)  # a bad filter is a usage error before --out exists
        with holding(out, "build"):
            summary = run_build(checked, request, out, jobs or os.cpu_count() or 1, problems,
                                make_progress)
    except RequestError as exc:
        raise click.UsageError(str(exc)) from None
    _report(problems, "text", False)
    click.echo(f"{summary.describe()} → {out}", err=True)
    if summary.failed:
        raise ContentError(f"Aborted with {summary.failed} failed document(s); "
                           "older outputs were kept.")


@cli.command()
@PROJECT_OPTION
@click.option("--edition", multiple=True, help="Edition id (repeatable). Default: all.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Build folder to serve. Default: PROJECT/site.")
def serve(project_dir: Path, edition: tuple[str, ...], port: int, out_dir: Path | None) -> None:
    """Preview the HTML documents on 127.0.0.1; rebuild and reload on every save."""
    from .build.serve import Preview

    root = _root(project_dir)
    out = out_folder(root, out_dir)
    with holding(out, "serve"):
        try:
            preview = Preview(root, out, edition, port,
                              lambda text: click.echo(printable(text), err=True))
        except OSError as exc:
            raise click.UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
        try:
            preview.run()
        except KeyboardInterrupt:
            click.echo("Stopped.", err=True)


@cli.command("new")
@PROJECT_OPTION
@click.argument("module_id")
def new_module(project_dir: Path, module_id: str) -> None:
    """Create lessons/NN-MODULE_ID/module.yaml with every part marked TODO."""
    from .content.project import load_project
    from .content.scaffold import ScaffoldError, scaffold_module

    root = _root(project_dir)
    project = load_project(root, Problems(root))
    if project.curriculum is None:
        raise ContentError("curriculum.yaml has errors; run `lessonpack check` first.")
    try:
        path = scaffold_module(project, module_id)
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{path.relative_to(root)}: written; replace every TODO "
               "(`lessonpack check` lists them as content.todo)", err=True)


def _print_levels(project: object) -> None:
    from .content.rules import reading_levels

    rows = reading_levels(project)  # type: ignore[arg-type]
    click.echo(f"{'module':28} {'band':6} {'grade':>6} {'ceiling':>8}")
    for module, band, grade, ceiling in rows:
        flag = "" if grade <= ceiling else "  over"
        click.echo(f"{module:28} {band:6} {grade + 0.0:6.1f} {ceiling:8g}{flag}")


def _parse_shard(value: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        raise click.BadParameter("expected I/N, e.g. 2/4", param_hint="--shard") from None
    if not 1 <= index <= count:
        raise click.BadParameter(f"{value}: I must be between 1 and N", param_hint="--shard")
    return index, count


@cli.group()
def i18n() -> None:
    """Translation catalogues: extract, update, init, status."""


def _load_for_i18n(project_dir: Path):  # noqa: ANN202 - Project, imported lazily
    from .checks import check_project

    checked = check_project(_root(project_dir))
    # Catalogue problems must not block the commands that create and repair catalogues.
    blocking = [p for p in checked.problems.errors
                if not (p.code.startswith("i18n.") or p.code == "edition.catalogue")]
    if blocking:
        _report(checked.problems, "text", False)
        raise ContentError("Fix the content errors above first: messages are extracted from "
                           "valid content only.")
    return checked.project


@i18n.command()
@PROJECT_OPTION
def extract(project_dir: Path) -> None:
    """Write locales/messages.pot from every text of the project."""
    from .i18n.extract import write_pot

    project = _load_for_i18n(project_dir)
    path, written, count = write_pot(project, _now())
    state = "written" if written else "unchanged"
    click.echo(f"{path.relative_to(project.root)}: {count} messages ({state})", err=True)


@i18n.command()
@PROJECT_OPTION
@click.argument("locale")
def init(project_dir: Path, locale: str) -> None:
    """Extract, then create locales/LOCALE/LC_MESSAGES/messages.po with the locale's plural
    rule (never from a stale template)."""
    from .i18n.commands import init_catalogue
    from .i18n.merge import CatalogError

    project = _load_for_i18n(project_dir)
    try:
        target, count = init_catalogue(project, locale, _now())
    except (FileExistsError, CatalogError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{target.relative_to(project.root)}: {count} messages to translate", err=True)


def _now() -> str:
    from datetime import datetime

    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")


@i18n.command()
@PROJECT_OPTION
@click.option("--locale", "locales", multiple=True, help="Only these locales (repeatable).")
def update(project_dir: Path, locales: tuple[str, ...]) -> None:
    """Re-extract and merge into every catalogue, losing nothing.

    Changed English keeps the old translation marked fuzzy with the previous text (#| msgid);
    removed messages are kept as obsolete (#~) and revived if they return.
    """
    from .i18n.commands import update_catalogues

    project = _load_for_i18n(project_dir)
    refused = Problems(project.root)
    for result in update_catalogues(project, _now(), locales):
        if result.report is None:
            for line, code, message, hint in result.refused:  # "English is printed…": not here
                refused.error(result.path, line, 1, code, message, hint.split("; English")[0])
            continue
        state = "updated" if result.written else "unchanged"
        rekeyed = f"{result.rekeyed} re-keyed to identity contexts, " if result.rekeyed else ""
        click.echo(f"{result.path.relative_to(project.root)}: {rekeyed}"
                   f"{result.report.summary()} ({state})", err=True)
    if refused.items:
        _report(refused, "text", False)
        raise ContentError(f"Not updated: {', '.join(sorted({p.path for p in refused}))} (left "
                           "as it was); fix the above and run `lessonpack i18n update` again.")


@i18n.command()
@PROJECT_OPTION
@click.option("--locale", "locales", multiple=True, help="Only these locales (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--min-translated", type=click.FloatRange(0, 100), default=None, metavar="PCT",
              help="Exit 1 if a locale has less than PCT % translated (for CI).")
@click.option("--min-reviewed", type=click.FloatRange(0, 100), default=None, metavar="PCT",
              help="Exit 1 if a locale has less than PCT % marked reviewed (for CI).")
def status(project_dir: Path, locales: tuple[str, ...], fmt: str,
           min_translated: float | None, min_reviewed: float | None) -> None:
    """Reviewed / draft / fuzzy / untranslated per locale and per module.

    A translation counts as reviewed when a translator comment line starts with "reviewed"
    (`# reviewed: Name, date`); fuzzy is never translated.
    """
    import json

    from .i18n.commands import below_thresholds, locale_status, status_lines
    from .i18n.freshness import STALE_HINT, pot_is_stale

    project = _load_project_only(project_dir)
    if project.curriculum is not None and pot_is_stale(project):
        click.echo(f"warning i18n.pot-stale: locales/messages.pot is out of date with the "
                   f"sources, so these counts miss new texts — {STALE_HINT}", err=True)
    rows = locale_status(project, locales)
    if fmt == "json":
        click.echo(json.dumps({"locales": [r.as_json() for r in rows]}, indent=2,
                              ensure_ascii=False))
    else:
        click.echo("\n".join(status_lines(rows)))
    below = below_thresholds(rows, min_translated, min_reviewed)
    if below:
        click.echo("below the threshold: " + "; ".join(below), err=True)
        raise SystemExit(1)


def _load_project_only(project_dir: Path):  # noqa: ANN202 - Project, imported lazily
    """The project as loaded, problems ignored: `status` reports on catalogues only."""
    from .content.project import load_project

    root = _root(project_dir)
    return load_project(root, Problems(root))


@cli.command()
@PROJECT_OPTION
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The merged site folder.")
@click.option("--allow-partial", is_flag=True,
              help="Merge even if the parts lack documents of an edition (a shard is missing); "
                   "such editions get no zip.")
@click.argument("parts", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
def merge(project_dir: Path, out_dir: Path, allow_partial: bool, parts: tuple[Path, ...]) -> None:
    """Merge the output folders of `build --shard I/N` runs into one site.

    Run it in the checkout the shards came from. Every file is checked against its shard's
    manifest; exit 1, nothing copied, on a mismatch or a missing shard (see --allow-partial).
    Then each edition's zip, the index and curriculum map are made for the whole site.
    """
    from .site.merge import MergeConflict, merge_site

    root = _root(project_dir)
    out = out_folder(root, out_dir)
    checked = _checked_or_abort(root, False, "nothing was merged")
    try:
        records, zips = merge_site(checked, out, [p.resolve() for p in parts], allow_partial,
                                   lambda text: click.echo(text, err=True),
                                   lambda folder: holding(folder, "merge"))
    except MergeConflict as exc:
        raise ContentError(str(exc)) from None
    click.echo(f"{len(records)} outputs merged, {len(zips)} zip(s) made, index.html and "
               f"curriculum-map.html written → {out}/manifest.json", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: click handles usage errors (exit 2) and ContentError (exit 1).

    Anything else is lessonpack's fault or the machine's, never the author's: say what went
    wrong in one line instead of a traceback (LESSONPACK_DEBUG=1 shows the traceback).
    """
    try:
        cli.main(args=argv, prog_name="lessonpack", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted; finished outputs were kept, nothing was half-written.", err=True)
        sys.exit(130)
    except OSError as exc:
        if os.environ.get("LESSONPACK_DEBUG"):
            raise
        where = f" {exc.filename}" if exc.filename else ""
        click.echo(printable(f"error: cannot access{where}: {exc.strerror or exc}"), err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("LESSONPACK_DEBUG"):
            raise
        click.echo(printable(f"internal error: {type(exc).__name__}: {exc}\n")
                   + "This is a bug in lessonpack, not in your content. Please report it with "
                   "the command you ran; LESSONPACK_DEBUG=1 shows the details.", err=True)
        sys.exit(70)
