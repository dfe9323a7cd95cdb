"""Use cases of the floor. One call = one transaction = ledger rows + one op-log row, or nothing."""
