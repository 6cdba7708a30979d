"""Reusable widgets of the shell screens, one per file."""
