"""One screen per workflow; each renders the session's `StepView` and forwards input."""
