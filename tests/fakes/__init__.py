"""Local fakes of the outside services the app calls, each a real HTTP server on 127.0.0.1."""
