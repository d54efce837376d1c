"""Preview: the site served from memory, rebuilt piece by piece on every save.

Public surface: :func:`serve` (the `site-builder serve` command) and
:class:`Preview` (the site in memory, :meth:`Preview.update` after changes).
"""

from .preview import Preview, Update
from .server import serve

__all__ = ["serve", "Preview", "Update"]
