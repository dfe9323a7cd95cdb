"""Terminals ↔ hub: device enrolment and tokens, ingest of pushed ops as facts (ledger, on-hand,
exceptions, document progress) and the pull feed's reading side."""
