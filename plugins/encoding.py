"""Built-in cleaner `encoding`: repair mojibake, entities, odd characters and hard wraps.

Per paragraph: ftfy (behind an exact fast gate, see `_encoding_gate`), then the fixes ftfy
does not make, each switchable (typed-`´` apostrophes, leftover HTML entities, invisible
characters, whitespace). Per document: lines hard-wrapped at a fixed width are joined back
into paragraphs (`_encoding_rewrap`). Every change is an `Edit` naming its fixes; a line
joined into the one before it is marked removed with rule `rewrap:merged`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any, Literal

from cleankit.plugins._encoding_fixes import ParagraphRepairer, RepairOptions
from cleankit.plugins._encoding_rewrap import (
    RewrapOptions,
    find_wrapped_runs,
    may_hold_wrapped_runs,
)
from pydantic import Field

from cleankit import hookimpl
from cleankit.cleaner import CleanerConfig, DocumentCleaner
from cleankit.document import Document, Paragraph


class EncodingConfig(CleanerConfig):
    ftfy: bool = Field(True, description="Run ftfy (mojibake, entities, C1 controls...).")
    uncurl_quotes: bool = Field(
        False, description="ftfy: replace curly quotes with straight ones (default: keep)."
    )
    normalization: Literal["NFC", "NFD", "NFKC", "NFKD"] | None = Field(
        "NFC", description="ftfy: Unicode normalisation form, or none (no normalisation)."
    )
    unescape_html: bool | Literal["auto"] = Field(
        "auto", description="ftfy: decode entities ('auto': not in text containing '<')."
    )
    fix_latin_ligatures: bool = Field(True, description="ftfy: split ligatures such as 'ﬁ'.")
    fix_character_width: bool = Field(
        False,
        description="ftfy: fullwidth/halfwidth forms to normal ones (off: CJK text uses "
        "fullwidth punctuation on purpose).",
    )
    mojibake_residue: bool = Field(
        True, description="Decode `Ã¤`-style pairs ftfy leaves when context is too short."
    )
    acute_apostrophe: bool = Field(True, description="'´' between letters is an apostrophe.")
    apostrophe: str = Field("'", description="What replaces a typed '´' apostrophe.")
    html_entities: bool = Field(
        True, description="Decode well-formed entities left after ftfy (`&amp;`, `&#8217;`)."
    )
    invisible_chars: bool = Field(
        True, description="Remove control and zero-width characters (not ZWJ/ZWNJ)."
    )
    soft_hyphens: bool = Field(
        False,
        description="Also remove soft hyphens (U+00AD). Off: an authored hyphenation hint, "
        "not damage (ftfy keeps it too); on: whole words for search and tokenisers.",
    )
    whitespace: bool = Field(
        True, description="Collapse whitespace runs (tabs, NBSP, odd spaces) to one space."
    )
    rewrap: bool = Field(True, description="Re-join lines hard-wrapped at a fixed width.")
    rewrap_min_evidence: int = Field(
        3, ge=1, description="Breaks proving one wrap width (mid-sentence, or a long word cut)."
    )
    fast_path: bool = Field(
        True, description="Skip ftfy where it provably changes nothing (same output)."
    )

    def repair_options(self) -> RepairOptions:
        """The repairer's options: the fields of `RepairOptions`, taken from this config."""
        return RepairOptions(**{f.name: getattr(self, f.name) for f in fields(RepairOptions)})


class Cleaner_encoding(DocumentCleaner):
    name = "encoding"
    version = "2"  # 2: soft hyphens kept by default; hard cuts at width + 1
    Config = EncodingConfig

    def __init__(self, config: CleanerConfig | dict[str, Any] | None = None) -> None:
        super().__init__(config)
        assert isinstance(self.config, EncodingConfig)
        self.settings: EncodingConfig = self.config
        self.repairer = ParagraphRepairer(self.settings.repair_options())
        self.rewrap_options = RewrapOptions(min_evidence=self.settings.rewrap_min_evidence)

    def clean(self, doc: Document) -> None:
        """Screen all kept paragraphs at once, repair the few that may need it; rewrap
        only documents with enough line breaks that could be evidence of a wrap."""
        kept = [p for p in doc.paragraphs if p.removed is None]
        texts = [p.text for p in kept]
        joined = "\n".join(texts)
        suspects = self.repairer.to_repair(texts, joined)
        for i in suspects:
            self._repair(kept[i])
        if not self.settings.rewrap:
            return
        if suspects:  # else the texts are unchanged and have no whitespace at either end
            joined = "\n".join([p.text.strip() for p in kept if p.removed is None])
        if may_hold_wrapped_runs(joined, self.rewrap_options):
            self._rewrap(doc)

    def _repair(self, paragraph: Paragraph) -> None:
        text, fixes = self.repairer.repair(paragraph.text)
        if fixes:
            paragraph.edit(self.name, fixes, text)
            if not text.strip():
                paragraph.remove(self.name, "empty", None)

    def _rewrap(self, doc: Document) -> None:
        """Join hard-wrapped runs of kept paragraphs (removed ones break a run)."""
        for block in _kept_blocks(doc.paragraphs):
            lines = [doc.paragraphs[i].text.strip() for i in block]
            gaps = [doc.paragraphs[i].gap_before for i in block]
            for run in find_wrapped_runs(lines, gaps, self.rewrap_options):
                into = block[run.first]
                doc.paragraphs[into].edit(self.name, ["rewrap"], run.join(lines))
                for k in range(run.first + 1, run.last + 1):
                    doc.paragraphs[block[k]].remove(self.name, "rewrap:merged", None, into=into)


def _kept_blocks(paragraphs: list[Paragraph]) -> list[list[int]]:
    """Indices of kept paragraphs, split wherever a removed paragraph sits between."""
    blocks: list[list[int]] = [[]]
    for i, paragraph in enumerate(paragraphs):
        if paragraph.removed is None:
            blocks[-1].append(i)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if len(b) > 1]


@hookimpl
def cleankit_register_cleaners(register: Callable[[type[DocumentCleaner]], None]) -> None:
    register(Cleaner_encoding)
