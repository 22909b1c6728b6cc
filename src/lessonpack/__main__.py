"""`python -m lessonpack` runs the command line."""

from .cli import main

main()
