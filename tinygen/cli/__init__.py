"""Sub-commands of the CLI, discovered by tinygen.cli.main (one module per command)."""
