"""Tests of the yearly archives (`site-builder archive`, `verify`, archives in `build`).

A package, so that these modules never clash with same-named test modules
elsewhere under tests/.
"""
