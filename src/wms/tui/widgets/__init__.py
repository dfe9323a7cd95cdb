"""Widgets of the terminal app: dumb renderers of views, no business rules."""
