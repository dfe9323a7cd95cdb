"""The Textual terminal app: screens call services, never SQL."""
