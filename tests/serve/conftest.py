"""Fixtures of the serve tests live in serve_support.py, importable by name from the tests."""

from serve_support import *  # noqa: F401,F403  (fixtures are found by pytest through this import)
