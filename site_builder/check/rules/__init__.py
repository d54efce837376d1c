"""The rules of the self-evaluation forms, one module per part of the form.

Importing this package registers every rule in check.registry.RULES.
"""

from . import document_links, document_text, figures, funds, indicators, personal_data, publication, records, scores  # noqa: F401  (registration)
