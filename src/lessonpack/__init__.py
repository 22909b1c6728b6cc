"""lessonpack: printable, localised online-safety lesson packs from one source."""

__version__ = "0.1.0"
