"""What readers yield: a record to clean, or a quarantine entry for input that could not be read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(slots=True)
class Record:
    """One input document before cleaning."""

    id: str
    text: str
    input: str
    source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Quarantined:
    """Input or output that cannot be cleaned, with a reason code and a readable detail.

    `reason` is a short stable code (`binary`, `undecodable`, `empty`, `bad-json`,
    `bad-id`, `bad-record`, `too-large`, `missing-field`, `unreadable`, `unsupported`,
    `cleaner-error`, `validation`, `duplicate-id`); `content` keeps the raw text where
    there is some, so no data is lost.
    """

    input: str
    reason: str
    detail: str
    id: str | None = None
    stage: str = "read"
    content: str | None = None
    failures: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "input": self.input,
            "stage": self.stage,
            "reason": self.reason,
            "detail": self.detail,
        }
        if self.failures:
            out["failures"] = self.failures
        if self.content is not None:
            out["content"] = self.content
        return out


ReadResult = Union[Record, Quarantined]
