"""The rules of the self-evaluation forms, one module per part of the form.

Importing this package registers every rule in check.registry.RULES.
"""

from . import figures, funds, indicators, records, scores  # noqa: F401  (registration)
