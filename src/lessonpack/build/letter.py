"""The family letters' sender as build options: ``--school``, ``--school-contact``, ``--sign-off``.

Each replaces the same field of every built edition's ``school:`` (curriculum.yaml); what is
given in neither place prints as a blank line for the teacher to fill in by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

_OPTIONS = (("--school", "name", "The school's name on every family letter."),
            ("--school-contact", "contact", "How families reach the school (family letters)."),
            ("--sign-off", "sign_off", "Who signs the family letters, e.g. 'Ms Reyes, Grade 3'."))


def _remember(field: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
        if value is not None:
            if not value.strip() or any(ord(c) < 32 for c in value):
                raise click.BadParameter("give some text, on one line")
            ctx.meta.setdefault("lessonpack.school", {})[field] = value.strip()
    return callback


def letter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the three sender options to a click command (their values go to ``ctx.meta``)."""
    for flag, field, text in reversed(_OPTIONS):
        command = click.option(flag, default=None, expose_value=False, help=text,
                               callback=_remember(field))(command)
    return command


def school_from(ctx: click.Context) -> tuple[tuple[str, str], ...]:
    """The sender fields given on the command line, in a stable order."""
    given = ctx.meta.get("lessonpack.school", {})
    return tuple((field, given[field]) for _flag, field, _text in _OPTIONS if field in given)
