"""A fast, exact gate in front of ftfy: decide cheaply when ftfy cannot change a text.

`ftfy.fix_and_explain` changes a text only through one of its steps, and each step acts
only on a text containing particular characters (read from ftfy's own tables here, not
copied):

- `unescape_html` substitutes matches of `chardata.HTML_ENTITY_RE` (`&...;`);
- `fix_encoding` returns ASCII text, and text that `ftfy.badness.is_bad` rejects, as is;
- `fix_c1_controls`, `fix_latin_ligatures`, `fix_character_width`, `uncurl_quotes`,
  `fix_line_breaks`, `fix_surrogates`, `remove_terminal_escapes`, `remove_control_chars`
  are character maps or searches for specific characters;
- normalisation changes nothing when `unicodedata.is_normalized` says so.

If none of them can act in the first pass, ftfy's fix-point loop stops with the input
unchanged, so skipping ftfy gives the very same output. `is_bad` itself is a slow regex
(about 6 MB/s); `BadnessPrefilter` proves, from the parsed regex, which characters any
match must contain, and only texts containing them are handed to `is_bad`. Mostly-ASCII
text is first reduced to its non-ASCII runs (`non_ascii_runs`, one bytes pass).

`tests/test_encoding.py` fails if ftfy gains a fixer this module does not know.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import ftfy
from ftfy import chardata
from ftfy.badness import BADNESS_RE, is_bad

try:  # Python >= 3.11
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_LINE_BREAKS = "\r\u2028\u2029\u0085"


def _char_class(chars: set[str]) -> str:
    """A regex character class for `chars`, with consecutive code points as ranges."""
    points = sorted(ord(c) for c in chars)
    parts: list[str] = []
    start = prev = points[0]
    for point in points[1:] + [-1]:
        if point == prev + 1:
            prev = point
            continue
        parts.append(
            _escape_point(start)
            if start == prev
            else f"{_escape_point(start)}-{_escape_point(prev)}"
        )
        start = prev = point
    return "[" + "".join(parts) + "]"


def _escape_point(point: int) -> str:
    return f"\\U{point:08x}"


def _trigger_chars(config: ftfy.TextFixerConfig) -> set[str]:
    """Characters whose presence lets one of ftfy's character-level steps act."""
    chars: set[str] = set()
    if config.fix_c1_controls or config.fix_encoding:
        chars.update(chr(c) for c in range(0x80, 0xA0))
    if config.fix_latin_ligatures:
        chars.update(chr(c) for c in chardata.LIGATURES)
    if config.fix_character_width:
        chars.update(chr(c) for c in chardata.WIDTH_MAP)
    if config.uncurl_quotes:
        chars.update(_regex_members(chardata.SINGLE_QUOTE_RE))
        chars.update(_regex_members(chardata.DOUBLE_QUOTE_RE))
    if config.fix_surrogates:
        chars.update(chr(c) for c in range(0xD800, 0xE000))
    if config.fix_line_breaks:
        chars.update(_LINE_BREAKS)
    if config.remove_terminal_escapes:
        chars.add("\x1b")
    if config.remove_control_chars:
        chars.update(chr(c) for c in chardata.CONTROL_CHARS)
    if config.unescape_html:
        chars.add("&")
    return chars


def _regex_members(pattern: re.Pattern[str]) -> set[str]:
    """Every character a one-character-class regex (like ftfy's quote regexes) matches."""
    members: set[str] = set()
    for op, arg in sre_parse.parse(pattern.pattern):
        members.update(_set_members(op, arg) or set())
    return members


def _set_members(op: Any, arg: Any) -> set[str] | None:
    """The characters one parsed regex item matches, or None if not a finite set."""
    if op is sre_constants.LITERAL:
        return {chr(arg)}
    if op is sre_constants.IN:
        members: set[str] = set()
        for sub_op, sub_arg in arg:
            if sub_op is sre_constants.LITERAL:
                members.add(chr(sub_arg))
            elif sub_op is sre_constants.RANGE:
                members.update(chr(c) for c in range(sub_arg[0], sub_arg[1] + 1))
            else:  # NEGATE, CATEGORY (\s, \w): not a finite set
                return None
        return members
    return None


class BadnessPrefilter:
    """A provably complete pre-check for `ftfy.badness.is_bad`.

    From the parsed BADNESS_RE, every alternative is reduced to something any match must
    contain: two adjacent non-ASCII characters (a pair of character sets), or one
    character from `single_chars`. A text containing none of these cannot match
    BADNESS_RE. If an alternative cannot be reduced (a future ftfy), `sound` is False and
    `may_be_bad` always answers True.
    """

    def __init__(self, pattern: re.Pattern[str] = BADNESS_RE) -> None:
        self.followers: dict[str, set[str]] = {}
        self.single_chars: set[str] = set()
        self.sound = self._analyse(pattern)
        seconds = set().union(*self.followers.values()) if self.followers else set()
        first = _char_class(set(self.followers)) if self.followers else "(?!)"
        second = _char_class(seconds) if seconds else "(?!)"
        self._pair_start = re.compile(f"(?={first}{second})")
        single = _char_class(self.single_chars) if self.single_chars else "(?!)"
        self._single = re.compile(single)

    def _analyse(self, pattern: re.Pattern[str]) -> bool:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        items = list(parsed)
        if len(items) == 1 and items[0][0] is sre_constants.BRANCH:
            branches = items[0][1][1]
        else:
            branches = [parsed]
        return all(self._reduce_branch(list(branch)) for branch in branches)

    def _reduce_branch(self, branch: list[tuple[Any, Any]]) -> bool:
        """Record what this alternative must contain; False if nothing provable."""
        sets = [_set_members(op, arg) for op, arg in branch]
        non_ascii = [s if s and not any(c.isascii() for c in s) else None for s in sets]
        for left, right in zip(non_ascii, non_ascii[1:], strict=False):
            if left and right:
                for char in left:
                    self.followers.setdefault(char, set()).update(right)
                return True
        sizes = sorted((len(s), sorted(s)) for s in non_ascii if s)
        if not sizes:
            return False
        self.single_chars.update(sizes[0][1])
        return True

    def may_be_bad(self, text: str) -> bool:
        """False only if `is_bad(text)` is False. `text` may be the whole text or its
        non-ASCII runs (`non_ascii_runs`): adjacency of non-ASCII characters is kept."""
        if not self.sound or self._single.search(text):
            return True
        return self.has_bad_pair(text)

    def has_bad_pair(self, text: str) -> bool:
        """Whether `text` holds two adjacent characters some alternative requires."""
        for match in self._pair_start.finditer(text):
            at = match.start()
            if text[at + 1] in self.followers[text[at]]:
                return True
        return False


# Printable ASCII becomes a space (split away); other ASCII whitespace becomes \x01 so
# it stays visible as a control character. Controls and non-ASCII bytes are kept.
_RUNS_TABLE = bytes.maketrans(bytes(range(0x20, 0x7F)) + b"\t\n\x0b\x0c\r", b" " * 95 + b"\x01" * 5)


def non_ascii_runs(text: str) -> str:
    """The text's non-ASCII characters and controls, in order, with a space wherever
    printable ASCII stood between them. Bytes-level translate is much faster than a regex
    over a mostly-ASCII text; a tab, CR or LF shows as \x01."""
    data = text.encode("utf-8", "surrogatepass").translate(_RUNS_TABLE)
    return b" ".join(data.split()).decode("utf-8", "surrogatepass")


def has_entity(text: str) -> bool:
    """Whether ftfy's `unescape_html` (a substitution of HTML_ENTITY_RE) can act."""
    return "&" in text and chardata.HTML_ENTITY_RE.search(text) is not None


class FtfyGate:
    """Answers `needs_ftfy(text)`: False only when ftfy would return `text` unchanged."""

    def __init__(self, config: ftfy.TextFixerConfig, prefilter: BadnessPrefilter) -> None:
        self.config = config
        triggers = _trigger_chars(config)
        self._unescape = bool(config.unescape_html)
        # "&" is tested on the whole text. The runs show tab, CR, LF, VT, FF (and a real
        # \x01) all as \x01; only CR and VT (and \x01) are triggers, so a \x01 in the
        # runs sends the gate back to the text for them: a tab alone costs no ftfy call.
        triggers.discard("&")
        self._hidden_triggers = sorted(triggers & set("\x01\t\n\x0b\x0c\r"))
        self.trigger_class = _char_class(triggers | {"\x01"})
        self._trigger = re.compile(self.trigger_class)
        self._runs_trigger = re.compile(_char_class(triggers - {"\x01"}))
        self._prefilter = prefilter

    def needs_ftfy(self, text: str, runs: str | None = None) -> bool:
        """`runs`, if given, must be `non_ascii_runs(text)` (saves computing it twice)."""
        return self.acts_beyond_normalizing(text, runs) or not self._normalized(text)

    def _normalized(self, text: str) -> bool:
        form = self.config.normalization
        return form is None or unicodedata.is_normalized(form, text)

    def acts_beyond_normalizing(
        self, text: str, runs: str | None = None, chars: bool | None = None
    ) -> bool:
        """Whether some ftfy step other than Unicode normalisation may act on `text`
        (`chars`, if given, must be `_acts_on_characters(text)`)."""
        if self._unescape and has_entity(text):
            return True
        return self._acts_on_characters(text, runs) if chars is None else chars

    def _acts_on_characters(self, text: str, runs: str | None = None) -> bool:
        """Whether a step other than unescaping and normalisation may act on `text`."""
        if text.isascii():
            # ASCII: fix_encoding, widths, ligatures, quotes, normalisation are no-ops;
            # what is left acts on control characters only.
            return not text.isprintable() and self._trigger.search(text) is not None
        if runs is None:
            runs = non_ascii_runs(text)
        if self._runs_trigger.search(runs) is not None:
            return True
        if "\x01" in runs and any(char in text for char in self._hidden_triggers):
            return True
        return bool(self.config.fix_encoding) and self._prefilter.may_be_bad(runs) and is_bad(text)

    def fix(self, text: str) -> tuple[str, list[ftfy.ExplanationStep]]:
        """`ftfy.fix_and_explain(text)`, without running ftfy where that is provably not
        needed, or where its first pass provably makes one change after which the gate
        clears the text (then ftfy's second pass changes nothing and it stops)."""
        # The character checks may run ftfy's slow `is_bad`: once here, not per helper.
        chars = self._acts_on_characters(text)
        beyond = self.acts_beyond_normalizing(text, chars=chars)
        if not beyond and self._normalized(text):
            return text, []
        shortcut = (None if beyond else self._only_normalizing(text)) or (
            None if chars else self._only_unescaping(text)
        )
        if shortcut is not None:
            return shortcut
        fixed, steps = ftfy.fix_and_explain(text, self.config)
        return fixed, steps or []

    def _only_normalizing(self, text: str) -> tuple[str, list[ftfy.ExplanationStep]] | None:
        """When normalisation is the only step that can act, ftfy's first pass is
        `normalize(text)`; if the gate clears that (and normalising made no `<`, which
        would switch "auto" unescaping off), it is the result."""
        form = self.config.normalization
        assert form is not None  # `fix` calls this only for unnormalised text
        normalized = unicodedata.normalize(form, text)
        same_auto = ("<" in normalized) == ("<" in text)
        if same_auto and not self.needs_ftfy(normalized):
            return normalized, [ftfy.ExplanationStep("normalize", form)]
        return None

    def _only_unescaping(self, text: str) -> tuple[str, list[ftfy.ExplanationStep]] | None:
        """When entities are all a step can act on, ftfy's first pass starts with
        `unescape_html` (on for the whole run: "auto" is decided on the input, here
        without `<`); if the gate clears the unescaped text, no later step acts."""
        if not self._unescape or "<" in text:  # (`fix` checked the characters)
            return None
        unescaped = ftfy.FIXERS["unescape_html"](text)
        if unescaped == text or self.needs_ftfy(unescaped):
            return None
        return unescaped, [ftfy.ExplanationStep("apply", "unescape_html")]
