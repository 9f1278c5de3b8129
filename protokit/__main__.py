"""Entry point for ``python -m protokit``."""

from protokit.cli import main

if __name__ == "__main__":
    main()
