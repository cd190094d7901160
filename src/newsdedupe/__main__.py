"""``python -m newsdedupe`` runs the same command as ``dedupe``."""

from newsdedupe.cli import main

if __name__ == "__main__":
    main()
