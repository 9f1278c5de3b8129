"""``protokit breaking``: breaking changes between two versions of the contracts."""
