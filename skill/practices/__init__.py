"""One module per practice. Each is a small state machine over typed session facts."""
