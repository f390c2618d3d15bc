"""Bot API method implementations, one module per concept."""
