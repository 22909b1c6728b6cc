"""Load and validate: the project's sources (curriculum.yaml, modules, routes) read with their
positions, checked against the content model and the content rules, every problem collected.

May import: ``lessonpack.problems``, ``lessonpack.output`` (atomic writes) and itself. Knows
nothing of catalogues, templates, PDFs or the output folder.
"""
