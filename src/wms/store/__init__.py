"""The terminal's durable store: SQLModel tables on SQLite, migrated only by Alembic."""
