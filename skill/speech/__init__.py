"""Acts to SSML per locale: content lookup, escaping, and Alexa's limits in one place."""
