"""csworkbench."""
