"""Plan: what a build is asked for and what it did — the request and its jobs, each job's
input hash, the cache of outputs that are current, and the build summary later stages fill in.

May import: ``content``, ``render`` (the ``Job`` value and the document templates),
``lessonpack.output``. Imports no stage that prints or writes the site.
"""
