"""Deterministic seeders: the demo warehouse and the benchmark-scale catalogue."""
