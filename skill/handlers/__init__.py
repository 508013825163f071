"""ask-sdk request handlers, interceptors and exception handlers."""
