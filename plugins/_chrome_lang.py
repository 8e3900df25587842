"""Language and stopwords for the `chrome` cleaner.

The language comes from py3langid on a capped sample of the document (the starts of its
three longest lines, which are the likeliest to be body text); the stopwords come from
jusText's stoplists. Languages without a jusText stoplist fall back to the union of the
stoplists of the most common web languages, so stopword density stays meaningful on
mixed or unknown text.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from functools import cache, lru_cache

import justext
from cleankit.plugins import _chrome_fast_langid as fast_langid

# ISO 639-1 code (py3langid) -> jusText stoplist name.
_JUSTEXT_NAMES: dict[str, str] = {
    "af": "Afrikaans", "an": "Aragonese", "ar": "Arabic", "az": "Azerbaijani",
    "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali", "br": "Breton", "bs": "Bosnian",
    "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian",
    "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish",
    "gl": "Galician", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "ht": "Haitian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "jv": "Javanese", "ka": "Georgian", "kk": "Kazakh",
    "kn": "Kannada", "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin",
    "lb": "Luxembourgish", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian",
    "ml": "Malayalam", "mr": "Marathi", "ms": "Malay", "mt": "Maltese", "ne": "Nepali",
    "nl": "Dutch", "nn": "Norwegian_Nynorsk", "no": "Norwegian_Bokmal", "oc": "Occitan",
    "pl": "Polish", "pt": "Portuguese", "qu": "Quechua", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili",
    "ta": "Tamil", "te": "Telugu", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "vi": "Vietnamese", "wa": "Walloon", "yo": "Yoruba",
}  # fmt: skip

# Union fallback for languages jusText has no stoplist for (or a failed detection).
_FALLBACK_LANGS = ("English", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch")

# Scripts written without spaces between words: stopword density is meaningless there.
UNSPACED_LANGS = frozenset({"zh", "wuu", "yue", "ja", "th", "lo", "km", "my"})

# The sample: the start of each of the few longest lines (the likeliest to be body text).
# One line alone misleads on pages whose longest line is a foreign-language quote, a
# code-mixed menu or a boilerplate notice; three lines of 120 characters each outvote it.
SAMPLE_CHARS = 120
SAMPLE_LINES = 3
WORD = re.compile(r"\w+")
_NATIVE_MAX_LINES = 64  # `_chrome_native.longest` keeps at most this many


def detect_language(
    lines: list[str], sample_chars: int = SAMPLE_CHARS, sample_lines: int = SAMPLE_LINES
) -> str:
    """py3langid's code for the starts of the longest lines of the document."""
    return _classify(" ".join(line[:sample_chars] for line in _longest(lines, sample_lines)))


def _longest(lines: list[str], count: int) -> list[str]:
    """`heapq.nlargest(count, lines, key=len)`, by `_chrome_native.longest` when built."""
    # Imported here: `_chrome_fast_native` imports (through the triggers) this module.
    from cleankit.plugins._chrome_fast_native import NATIVE

    if NATIVE is not None and type(lines) is list and count <= _NATIVE_MAX_LINES:
        return NATIVE.longest(lines, count)  # type: ignore[no-any-return]
    return heapq.nlargest(count, lines, key=len)


def _classify(sample: str) -> str:
    if not sample.strip():
        return "und"
    return fast_langid.classify(sample)  # py3langid.classify(sample)[0], faster


def has_stoplist(lang: str) -> bool:
    return lang in _JUSTEXT_NAMES


def document_stopwords(texts: list[str], top: int = 30, min_count: int = 3) -> frozenset[str]:
    """For a language jusText has no stoplist for: the union fallback plus the document's
    own most frequent words in its longer lines (function words dominate any language's
    running text; a menu contributes few repeated words)."""
    counts: Counter[str] = Counter()
    for text in texts:
        if len(text) >= 70:
            counts.update(WORD.findall(text.lower()))
    frequent = [w for w, n in counts.most_common(top) if n >= min_count and not w.isdigit()]
    return _fallback_stopwords() | frozenset(frequent)


@cache
def stopwords_for(lang: str) -> frozenset[str]:
    """jusText's stoplist for `lang`, or the union fallback; lower-cased."""
    name = _JUSTEXT_NAMES.get(lang)
    if name is not None:
        return frozenset(w.lower() for w in justext.get_stoplist(name))
    return _fallback_stopwords()


@lru_cache(maxsize=1)
def _fallback_stopwords() -> frozenset[str]:
    words: set[str] = set()
    for name in _FALLBACK_LANGS:
        words.update(w.lower() for w in justext.get_stoplist(name))
    return frozenset(words)
