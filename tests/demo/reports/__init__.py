"""The reports built from the demo: here, inside tests/demo, so that they share its one load of
the demo (a package-scoped fixture spans sub-packages) instead of loading it again."""
