"""Model stage: records of the content model, and the site built from them.

Public surface: :func:`build_model`, the record classes, :class:`Site`.
"""

from .forms import FormRecord
from .records import Cell, Document, Record
from .site import ModelMemo, Page, Site, SiteConfig, YearGroup, build_model

__all__ = ["build_model", "ModelMemo", "Site", "SiteConfig", "Page", "YearGroup", "Record", "Cell", "FormRecord", "Document"]
