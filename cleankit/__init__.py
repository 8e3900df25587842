"""cleankit: a corpus-cleaning toolkit with plugins.

Python API:

    from cleankit import Pipeline, clean_records
    pipeline = Pipeline.from_config("cleankit.toml")      # or Pipeline.from_config(None)
    summary = pipeline.run(["seeds/"], "out/")
    cleaned = clean_records([{"id": "a", "text": "..."}])  # plain dicts in, dicts out
"""

from __future__ import annotations

from importlib import metadata

from cleankit.cleaner import Cleaner, CleanerConfig, DocumentCleaner, ParagraphClassifier
from cleankit.document import Document, Edit, Paragraph, Removal
from cleankit.hookspecs import hookimpl

try:
    __version__ = metadata.version("cleankit")
except metadata.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"


def __getattr__(name: str) -> object:
    """`Pipeline` and `clean_records` load lazily: importing cleankit stays cheap."""
    if name == "Pipeline":
        from cleankit.pipeline import Pipeline

        return Pipeline
    if name == "clean_records":
        from cleankit.api import clean_records

        return clean_records
    raise AttributeError(f"module 'cleankit' has no attribute {name!r}")


__all__ = [
    "Pipeline",
    "clean_records",
    "Cleaner",
    "CleanerConfig",
    "Document",
    "DocumentCleaner",
    "Edit",
    "Paragraph",
    "ParagraphClassifier",
    "Removal",
    "__version__",
    "hookimpl",
]
