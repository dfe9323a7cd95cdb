"""The back end: HTTP API on PostgreSQL, ingest, pull feed, imports, exceptions, reports."""
