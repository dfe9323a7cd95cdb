"""Floor workflows as state machines outside Textual: scans and keys in, what to show out."""
