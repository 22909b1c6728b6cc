"""Render: one document (a :class:`~lessonpack.render.documents.Job`) to HTML — localised
content, the help routes it prints, QR codes, sandboxed Jinja2 templates.

May import: ``content``, ``i18n``, ``lessonpack.checks``, ``lessonpack.problems``. Never writes
a file; returns HTML strings.
"""
