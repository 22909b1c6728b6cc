"""Run builds: the orchestration of ``lessonpack build`` (check → plan → render → print →
write → site), its progress display, and the preview server that rebuilds on save.

The top of the pipeline: may import every stage; only ``lessonpack.cli`` imports it.
"""
