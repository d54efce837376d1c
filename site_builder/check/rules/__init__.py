"""The rules of the self-evaluation forms, one module per part of the form.

Importing this package registers every rule in check.registry.RULES.
"""

from . import funds, indicators, publication, records, scores  # noqa: F401  (registration)
