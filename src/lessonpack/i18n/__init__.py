"""Translator-safe handling of gettext PO catalogues (merge, stats, atomic writes)."""
