"""Plan -> generated code: C literals, the model's C, templates, the firmware project (in memory)."""
