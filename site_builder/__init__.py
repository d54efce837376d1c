"""site_builder: the institute's public disclosures, checked and built into a static site.

The pipeline, one package per stage: load → check → model → render → write
(see pipeline/). The `site-builder` command is in cli.py and commands/.
"""

__version__ = "0.1.0"
