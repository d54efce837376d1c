"""Tests of the checker (`site-builder check`, `site-builder rules`, the checker inside `build`).

A package, so that these modules (test_rules.py, ...) never clash with
same-named test modules elsewhere under tests/.
"""
