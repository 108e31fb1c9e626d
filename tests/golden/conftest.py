# The golden projects hold generated tests of their own: they are data here, not tests to run.
collect_ignore_glob = ["*/tests/*"]
