"""Supervisor decisions at the hub: customs clearance, recalls, resolving exceptions, the
supplier scorecard, and who may decide for which warehouse. Every decision is audited."""
