"""The baseline: a minimal skill written the way Amazon's Python samples are."""
