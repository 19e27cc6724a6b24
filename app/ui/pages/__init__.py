"""The window's pages (one per top-level screen)."""
