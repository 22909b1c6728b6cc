"""The site: the pack picker (``index.html``), the curriculum map, one zip per edition, and
``merge`` of sharded builds.

May import: every stage below it (``content``, ``i18n``, ``render``, ``plan``, ``printing``)
and ``lessonpack.checks`` / ``output`` / ``problems``; never ``build`` or the CLI.
"""
