"""Reusable Qt widgets the pages and dialogs are built from."""
