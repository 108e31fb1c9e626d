"""Board facts: one YAML file per board in boards/, loaded and validated here; clock and fit arithmetic."""
