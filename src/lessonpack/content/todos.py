"""`content.todo`: text still marked TODO (a scaffold's placeholders) is a warning at its line;
``--strict`` makes it an error, so a release build cannot print a placeholder."""

from __future__ import annotations

import re

from ..problems import Problems
from .messages import iter_messages, route_prefix
from .model import CHECK_MODULE
from .project import Project

TODO = re.compile(r"\bTODO\b")


def check_todos(project: Project, problems: Problems) -> None:
    for source in project.modules:
        for message in iter_messages(source.raw, source.module.id):
            if TODO.search(message.text):
                # The positional path reads better for an author than a derived key.
                place = message.legacy.split("/", 1)[-1]
                problems.warning(source.path, message.pos.line, message.pos.col, "content.todo",
                                 f"{place}: still marked TODO",
                                 "write the text (lessonpack new left this placeholder)")
    checks = project.knowledge
    for message in iter_messages(checks.raw, CHECK_MODULE) if checks is not None else ():
        if TODO.search(message.text):
            problems.warning(checks.path, message.pos.line, message.pos.col, "content.todo",
                             f"{message.legacy}: still marked TODO", "write the text")
    for country, source in project.routes.items():
        for message in iter_messages(source.raw, route_prefix(country)):
            if TODO.search(message.text):
                problems.warning(source.path, message.pos.line, message.pos.col, "content.todo",
                                 f"{message.legacy}: still marked TODO", "write the text")
