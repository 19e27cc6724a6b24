"""The desktop app (PySide6). The only package that imports Qt; everything it shows comes from the core."""
