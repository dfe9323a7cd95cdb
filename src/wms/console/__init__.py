"""The supervisor console at the hub: a Textual app over the hub's database and services."""
