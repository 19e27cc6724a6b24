"""Entry point of the standalone build (PyInstaller runs this file; `viva` on PATH uses app.cli:main)."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
