"""Built-in cleaner `encoding` (placeholder until its issue lands)."""

from __future__ import annotations

from cleankit import hookimpl
from cleankit.cleaner import DocumentCleaner
from cleankit.document import Document


class Cleaner_encoding(DocumentCleaner):
    name = "encoding"

    def clean(self, doc: Document) -> None:
        return None


@hookimpl
def cleankit_register_cleaners(register):  # type: ignore[no-untyped-def]
    register(Cleaner_encoding)
