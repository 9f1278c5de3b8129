"""``protokit gen``: typed, installable Python client distributions from the contracts."""
