"""Localise: gettext catalogues and everything that reads or writes them — extraction, the
lossless merge (``update``), statistics, the translator that picks each text's translation
with English fallback, translation checks, glyph coverage, fallback marks and line breaking.

May import: ``content`` (the loaded project and its texts), ``lessonpack.problems``,
``lessonpack.output``. Never imports ``render`` or a later stage.
"""
