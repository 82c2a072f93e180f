"""The HTTP server: the app factory joining the API and the pages; their request context."""
