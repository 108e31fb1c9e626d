"""Sub-commands of the CLI, discovered by tinygen.cli (one module per command)."""
