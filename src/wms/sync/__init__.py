"""Wire schemas shared by the terminal and the hub, and the terminal's push/pull client."""
