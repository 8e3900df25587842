"""Cleaner base classes: what a plugin subclasses to add a cleaner.

A cleaner has a `name`, a pydantic `Config` (unknown keys are an error) and a
`run(docs) -> docs` generator. Most cleaners only look at one document at a time and
subclass `DocumentCleaner` (implement `clean(doc)`) or `ParagraphClassifier` (implement
`classify(doc, index, paragraph)`); those can run on a process pool. Corpus-level cleaners
(dedup) subclass `Cleaner`, set `scope = "corpus"` and override `run`; the pipeline runs
them in the main process, in corpus order, so their decisions never depend on scheduling.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, model_validator

from cleankit.document import Document, Paragraph


class CleanerConfig(BaseModel):
    """Base for a cleaner's options: typed, documented by Field descriptions, strict.

    TOML has no null: for an option that may be None, the strings "none" and "null" (any
    case) mean None, so `--set encoding.normalization=none` and the config file can say it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _none_from_text(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        spelled = {
            key: None
            for key, value in data.items()
            if isinstance(value, str)
            and value.strip().lower() in _NONE_WORDS
            and key in cls.model_fields
            and _accepts_none(cls.model_fields[key].annotation)
        }
        return {**data, **spelled} if spelled else data


_NONE_WORDS = ("none", "null")


def _accepts_none(annotation: Any) -> bool:
    return type(None) in get_args(annotation) or annotation is type(None)


class Cleaner:
    """Base of every cleaner. Subclasses set `name`, optionally `Config` and `version`."""

    name: ClassVar[str] = ""
    version: ClassVar[str] = "0"
    scope: ClassVar[Literal["document", "corpus"]] = "corpus"
    Config: ClassVar[type[CleanerConfig]] = CleanerConfig

    def __init__(self, config: CleanerConfig | dict[str, Any] | None = None) -> None:
        if config is None:
            config = self.Config()
        elif isinstance(config, dict):
            config = self.Config(**config)
        self.config = config

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Transform a stream of documents; corpus-level cleaners override this."""
        raise NotImplementedError(f"cleaner {self.name!r} must implement run() or clean()")

    def report(self) -> dict[str, Any]:
        """Extra, cleaner-specific statistics for stats.json (e.g. recurring paragraphs)."""
        return {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} {self.config!r}>"


class DocumentCleaner(Cleaner):
    """A cleaner that looks at one document at a time; it may run on any worker."""

    scope: ClassVar[Literal["document", "corpus"]] = "document"

    def clean(self, doc: Document) -> None:
        """Edit or mark paragraphs of `doc` in place; set metadata on it."""
        raise NotImplementedError(f"cleaner {self.name!r} must implement clean()")

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            self.clean(doc)
            yield doc


class ParagraphClassifier(DocumentCleaner):
    """A document cleaner that judges kept paragraphs one by one.

    `classify` returns `(rule, score)` to remove the paragraph, or None to keep it.
    """

    def classify(self, doc: Document, index: int, paragraph: Paragraph) -> tuple[str, float] | None:
        raise NotImplementedError(f"cleaner {self.name!r} must implement classify()")

    def clean(self, doc: Document) -> None:
        for index, paragraph in list(doc.kept()):
            verdict = self.classify(doc, index, paragraph)
            if verdict is not None:
                rule, score = verdict
                paragraph.remove(self.name, rule, score)
