"""Per-paragraph text repair for the `encoding` cleaner: ftfy behind an exact fast gate,
then the fixes ftfy does not make. Pure functions of text and options."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import ftfy
from cleankit.plugins._encoding_gate import BadnessPrefilter, FtfyGate, non_ascii_runs
from cleankit.plugins._encoding_screen import DocumentScreen, Normalization, has_entity_like

# `´` (U+00B4) between two letters is a typed apostrophe: `Russia´s`.
_ACUTE_APOSTROPHE = re.compile(r"(?<=[^\W\d_])\u00b4(?=[^\W\d_])")
# Well-formed entities only (a semicolon is required): `&amp;`, `&#8217;`, `&#x2019;`.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Invisible characters with no meaning in plain text. Joiners (U+200C/U+200D) are kept:
# they shape Persian, Indic scripts and emoji sequences.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"  # C0/C1 controls, not whitespace ones
    "\u200b\u200e\u200f\u2060-\u2064\ufeff\ufff9-\ufffb]"
)
_SOFT_HYPHEN = "\u00ad"
# UTF-8 read as cp1252 leaves `Ã`/`Â` + a character standing for a continuation byte
# (0x80-0xBF). ftfy leaves such pairs when it cannot see enough context (`altersgemÃ¤ß`).
_CP1252_HIGH = bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")
_RESIDUE = re.compile(f"[ÂÃ][{re.escape(_CP1252_HIGH)}]")
# Python's \s: tabs, NBSP, U+2000-U+200A, U+202F, U+205F, U+3000, line separators...
_WHITESPACE_RUN = re.compile(r"\s+")
_MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|<!--")
_MAX_UNESCAPE_ROUNDS = 4
# In `non_ascii_runs`: a character one of the own fixes acts on (\x01: tab, CR, LF):
# controls, non-ASCII whitespace, the invisible characters, `´`, `Â`/`Ã` (the soft
# hyphen is added when it is removed). A test checks this against the fixes.
_OWN_FIX_SUSPECT_CHARS = (
    r"\x00-\x1f\x7f-\x9f\u00a0\u00b4ÂÃ\u1680\u2000-\u200b\u200e\u200f\u2028\u2029"
    r"\u202f\u205f-\u2064\u3000\ufeff\ufff9-\ufffb"
)
_MAX_PASSES = 4


@dataclass(frozen=True, slots=True)
class RepairOptions:
    """What the repairer does; mirrors the cleaner's config."""

    ftfy: bool = True
    uncurl_quotes: bool = False
    normalization: Normalization | None = "NFC"
    unescape_html: bool | Literal["auto"] = "auto"
    fix_latin_ligatures: bool = True
    fix_character_width: bool = False
    mojibake_residue: bool = True
    acute_apostrophe: bool = True
    apostrophe: str = "'"
    html_entities: bool = True
    invisible_chars: bool = True
    soft_hyphens: bool = False
    whitespace: bool = True
    fast_path: bool = True


def ftfy_config(options: RepairOptions) -> ftfy.TextFixerConfig:
    return ftfy.TextFixerConfig(
        unescape_html=options.unescape_html,
        uncurl_quotes=options.uncurl_quotes,
        normalization=options.normalization,
        fix_latin_ligatures=options.fix_latin_ligatures,
        fix_character_width=options.fix_character_width,
        explain=True,
    )


def explanation_names(steps: list[ftfy.ExplanationStep] | None) -> list[str]:
    """Short audit names for ftfy's explanation: `mojibake:sloppy-windows-1252>utf-8`,
    `ftfy:unescape_html`, `normalize:NFC`."""
    names: list[str] = []
    encoded = ""
    for action, parameter in steps or []:
        if action == "encode":
            encoded = parameter
        elif action == "decode":
            names.append(f"mojibake:{encoded}>{parameter}")
        elif action == "normalize":
            names.append(f"normalize:{parameter}")
        elif action in ("apply", "transcode"):
            names.append(f"ftfy:{parameter}")
    return list(dict.fromkeys(names))


def fix_acute_apostrophe(text: str, apostrophe: str) -> str:
    return _ACUTE_APOSTROPHE.sub(apostrophe, text) if "\u00b4" in text else text


def fix_html_entities(text: str) -> str:
    """Decode well-formed entities ftfy left (it skips texts containing `<`), repeatedly
    for double escapes (`&amp;amp;`); each round shortens the text, so it terminates.
    A paragraph holding markup (`<img ... &amp;`) is code, whose entities stay."""
    if "&" not in text or _MARKUP.search(text):
        return text
    for _ in range(_MAX_UNESCAPE_ROUNDS):
        if "&" not in text:
            break
        fixed = _ENTITY.sub(_unescape_entity, text)
        if fixed == text:
            break
        text = fixed
    return text


def _unescape_entity(match: re.Match[str]) -> str:
    decoded = html.unescape(match.group(0))
    # Entities for invisible or control characters are dropped like the characters.
    return _INVISIBLE.sub("", decoded)


def fix_mojibake_residue(text: str) -> str:
    if "Ã" not in text and "Â" not in text:
        return text
    return _RESIDUE.sub(_decode_residue, text)


def _decode_residue(match: re.Match[str]) -> str:
    pair = match.group(0)
    try:
        return pair.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return pair


def fix_invisible(text: str, soft_hyphens: bool) -> str:
    text = _INVISIBLE.sub("", text)
    return text.replace(_SOFT_HYPHEN, "") if soft_hyphens else text


def fix_whitespace(text: str) -> str:
    return _WHITESPACE_RUN.sub(" ", text).strip()


class ParagraphRepairer:
    """Repairs one paragraph's text; returns the new text and the names of the fixes."""

    def __init__(self, options: RepairOptions) -> None:
        self.options = options
        self.ftfy_config = ftfy_config(options)
        self.prefilter = BadnessPrefilter()
        self.gate = FtfyGate(self.ftfy_config, self.prefilter)
        singles = "".join(sorted(self.prefilter.single_chars)) or "\x00"
        soft_hyphen = _SOFT_HYPHEN if options.invisible_chars and options.soft_hyphens else ""
        own_suspect_class = f"[{_OWN_FIX_SUSPECT_CHARS}{soft_hyphen}]"
        self._own_suspect = re.compile(own_suspect_class)
        # Any character that could make ftfy or an own fix act (or start a mojibake
        # sequence on its own), in one class for one search over the non-ASCII runs.
        suspect_class = f"{self.gate.trigger_class}|{own_suspect_class}|[{re.escape(singles)}]"
        self._runs_suspect = re.compile(suspect_class)
        form = options.normalization if options.ftfy else None
        self._document_screen = DocumentScreen(suspect_class, self.prefilter.has_bad_pair, form)
        self._screens_sound = options.fast_path and self.prefilter.sound
        self._own_fixes = self._build_own_fixes()

    def _build_own_fixes(self) -> list[tuple[str, Callable[[str], str]]]:
        o = self.options
        steps: list[tuple[str, Callable[[str], str]]] = []
        if o.mojibake_residue:
            steps.append(("mojibake_residue", fix_mojibake_residue))
        if o.html_entities:
            steps.append(("html_entities", fix_html_entities))
        if o.acute_apostrophe:
            steps.append(("acute_apostrophe", lambda t: fix_acute_apostrophe(t, o.apostrophe)))
        if o.invisible_chars:
            steps.append(("invisible_chars", lambda t: fix_invisible(t, o.soft_hyphens)))
        if o.whitespace:
            steps.append(("whitespace", fix_whitespace))
        return steps

    def to_repair(self, texts: Sequence[str], joined: str | None = None) -> Sequence[int]:
        """Indices of the texts `repair` may change (a superset): all the texts screened
        at once first, one by one only if something turned up. When none is returned, no
        text has whitespace at either end. `joined`, if given, is `"\\n".join(texts)`."""
        if not self._screens_sound:
            return range(len(texts))
        if self._document_screen.all_clean(texts, joined):
            return ()
        return [i for i, text in enumerate(texts) if self.screen(text) != (False, False)]

    def screen(self, text: str) -> tuple[bool, bool]:
        """(may ftfy change it, may an own fix change it), cheaply and never wrongly
        False. Mostly-ASCII text is reduced to its non-ASCII runs in one bytes pass."""
        if not self._screens_sound:
            return True, True
        entity_like = has_entity_like(text)
        spacing = "  " in text or text[:1] == " " or text[-1:] == " "
        if text.isascii():
            printable = text.isprintable()
            needs_ftfy = (entity_like or not printable) and self.gate.needs_ftfy(text)
            return needs_ftfy, entity_like or spacing or not printable
        runs = non_ascii_runs(text)
        if not (entity_like or spacing or self._runs_suspect.search(runs)) and (
            self._normalized(text)
            and not (runs[1::2].strip() and self.prefilter.has_bad_pair(runs))
        ):
            # The common case: curly quotes, dashes, accents. (`runs[1::2]` is all spaces
            # when no two non-ASCII characters are adjacent, so no pair can be bad.)
            return False, False
        needs_own = entity_like or spacing or self._own_suspect.search(runs) is not None
        return self.gate.needs_ftfy(text, runs), needs_own

    def _normalized(self, text: str) -> bool:
        form = self.options.normalization
        return form is None or not self.options.ftfy or unicodedata.is_normalized(form, text)

    def repair(self, text: str) -> tuple[str, list[str]]:
        """One pass can expose work for another (an entity decoding to mojibake, a
        collapsed space completing a sequence ftfy knows), so repeat to a fixed point."""
        fixes: list[str] = []
        for _ in range(_MAX_PASSES):
            fixed, names = self._repair_once(text)
            if fixed == text:
                break
            fixes.extend(n for n in names if n not in fixes)
            text = fixed
        return text, fixes

    def _repair_once(self, text: str) -> tuple[str, list[str]]:
        needs_ftfy, needs_own = self.screen(text)
        fixes: list[str] = []
        if needs_ftfy and self.options.ftfy:
            if self.options.fast_path:
                fixed, steps = self.gate.fix(text)
            else:
                fixed, steps = ftfy.fix_and_explain(text, self.ftfy_config)
            if fixed != text:
                fixes.extend(explanation_names(steps))
                text = fixed
                needs_own = True
        if "\n" in text or "\r" in text:
            # A paragraph is one line: ftfy turns U+2028/U+0085 into "\n", and the input
            # may hold a bare "\r"; either would split it on re-reading.
            text = text.replace("\r", " ").replace("\n", " ")
            fixes.append("line_breaks")
        if not needs_own:
            return text, fixes
        for name, fix in self._own_fixes:
            fixed = fix(text)
            if fixed != text:
                fixes.append(name)
                text = fixed
        return text, fixes
