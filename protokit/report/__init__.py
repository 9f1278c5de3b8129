"""Rendering diagnostics and findings in the format chosen with ``--error-format``."""
