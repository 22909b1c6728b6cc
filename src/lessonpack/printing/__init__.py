"""Print: HTML → PDF with WeasyPrint on a pool of spawned worker processes, and print packs
(one PDF per edition × band).

May import: ``content``, ``i18n`` (the print copy of a text), ``render``, ``plan``,
``lessonpack.checks``, ``lessonpack.output``, ``lessonpack.problems``. Knows nothing of the
site pages or zips.
"""
