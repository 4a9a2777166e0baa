"""Follow-ups: ghost nudges, sequences, quiet hours, rep approvals, outreach, and exactly-once dispatch."""
