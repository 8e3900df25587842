"""The `encoding` cleaner: repairs, their switches, the exact ftfy gate, rewrapping."""

from __future__ import annotations

import gzip
import json
import random
import textwrap
import unicodedata
from pathlib import Path

import ftfy
import pytest
from cleankit.plugins._encoding_fixes import ParagraphRepairer, RepairOptions
from cleankit.plugins._encoding_gate import BadnessPrefilter, non_ascii_runs
from cleankit.plugins._encoding_rewrap import find_wrapped_runs
from cleankit.plugins.encoding import Cleaner_encoding, EncodingConfig
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleankit.document import Document

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
CORPUS = REPO.parent / "shared" / "corpus-dev" / "docs.jsonl.gz"

CLEANER = Cleaner_encoding()


def clean_text(text: str, **config: object) -> Document:
    doc = Document.from_text("t", text)
    (Cleaner_encoding(config) if config else CLEANER).clean(doc)
    return doc


def repair(text: str, **options: object) -> tuple[str, list[str]]:
    return ParagraphRepairer(RepairOptions(**options)).repair(text)  # type: ignore[arg-type]


# --- seeds ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_seeds_lose_every_acute_apostrophe_and_nothing_else_changes(path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    doc = clean_text(original)
    assert "´" not in doc.text
    for paragraph in doc.paragraphs:
        assert paragraph.removed is None
        for edit in paragraph.edits:
            assert set(edit.fixes) <= {"acute_apostrophe", "whitespace"}
        # The only intended changes: typed apostrophes and non-breaking/double spaces.
        expected = " ".join(paragraph.original.replace("´", "'").split())
        assert paragraph.text == expected


def test_seed_apostrophes_and_nbsp_are_recorded_in_the_audit() -> None:
    doc = clean_text((REPO / "seeds" / "001_d119ceb19cfc3e37.txt").read_text(encoding="utf-8"))
    edited = [p for p in doc.paragraphs if p.edits]
    assert edited and all(p.edits[0].cleaner == "encoding" for p in edited)
    assert any("Russia's Defense Minister" in p.text for p in edited)
    assert "Russia´s" in edited[0].edits[0].before


# --- per-paragraph repairs -------------------------------------------------------------


def test_mojibake_is_repaired_and_named() -> None:
    text, fixes = repair("Monday\u00e2\u20ac\u2122s best deals: don\u00e2\u20ac\u2122t miss")
    assert text == "Monday\u2019s best deals: don\u2019t miss"
    assert any(f.startswith("mojibake:") for f in fixes)


def test_curly_quotes_are_kept_by_default_and_uncurled_on_request() -> None:
    assert repair("\u201cHe said\u201d")[0] == "\u201cHe said\u201d"
    assert repair("\u201cHe said\u201d", uncurl_quotes=True)[0] == '"He said"'


def test_entities_are_decoded_including_leftovers_next_to_a_less_than() -> None:
    assert repair("Bibliotheken &amp; Archiv")[0] == "Bibliotheken & Archiv"
    assert repair("Tag&nbsp;d. off. Denkmals")[0] == "Tag d. off. Denkmals"
    assert repair("it&#8217;s")[0] == "it\u2019s"
    text, fixes = repair("if a < b &amp;&amp; c")  # ftfy leaves entities when '<' is present
    assert text == "if a < b && c" and "html_entities" in fixes
    assert repair("E-Mail:&nbsp;<persönliche Adresse>")[0] == "E-Mail: <persönliche Adresse>"


def test_entities_inside_markup_stay() -> None:
    code = '<img src="p?c1=2&amp;c2=3">'
    assert repair(code)[0] == code


def test_acute_accent_only_between_letters() -> None:
    assert repair("Russia´s and geht´s")[0] == "Russia's and geht's"
    assert repair("Russia´s", apostrophe="\u2019")[0] == "Russia\u2019s"
    assert repair("a ´ b")[0] == "a ´ b"
    assert repair("Russia´s", acute_apostrophe=False)[0] == "Russia´s"


def test_invisible_characters_go_but_joiners_stay() -> None:
    assert repair("zero\u200bwidth\ufeff and\u200e mark")[0] == "zerowidth and mark"
    # A soft hyphen is an authored hyphenation hint: kept unless asked for.
    assert repair("Staats\u00adange\u00adhörigen")[0] == "Staats\u00adange\u00adhörigen"
    assert repair("Staats\u00adange", soft_hyphens=True)[0] == "Staatsange"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert repair(f"emoji {family}")[0] == f"emoji {family}"


def test_whitespace_inside_a_paragraph_is_collapsed() -> None:
    assert repair("\tBild:\u00a0 Tesla  (2022)  ")[0] == "Bild: Tesla (2022)"
    assert repair("a\u2009b\u3000c")[0] == "a b c"
    assert repair("a  b", whitespace=False)[0] == "a  b"


def test_mojibake_residue_ftfy_leaves_is_decoded() -> None:
    long_context = "Vielmehr geht es darum, dass die PrÃ¤sentation altersgemÃ¤ß stattfindet."
    assert "altersgemäß" in repair(long_context)[0]
    assert repair("SÃO PAULO")[0] == "SÃO PAULO"  # not a UTF-8 pair


def test_normalisation_form_is_configurable() -> None:
    decomposed = "Cafe\u0301"
    assert repair(decomposed)[0] == "Café"
    assert repair(decomposed, normalization=None)[0] == decomposed
    assert repair("ﬁ ①", normalization="NFKC")[0] == "fi 1"


def test_unchanged_text_produces_no_edit() -> None:
    doc = clean_text("A plain line.\nAnother plain line with “quotes” — and a dash.")
    assert all(not p.edits and p.removed is None for p in doc.paragraphs)


def test_invisible_only_paragraph_is_removed_as_empty() -> None:
    doc = clean_text("Text\n\u200b\nMore")
    assert doc.paragraphs[1].removed is not None
    assert doc.paragraphs[1].removed.rule == "empty"
    assert doc.text == "Text\n\nMore"


def test_config_rejects_unknown_keys() -> None:
    with pytest.raises(ValueError):
        EncodingConfig(unknown=True)  # type: ignore[call-arg]


# --- the ftfy gate is exact ----------------------------------------------------------


def test_gate_knows_every_ftfy_fixer() -> None:
    known = {
        "unescape_html",
        "remove_terminal_escapes",
        "restore_byte_a0",
        "replace_lossy_sequences",
        "decode_inconsistent_utf8",
        "fix_c1_controls",
        "fix_latin_ligatures",
        "fix_character_width",
        "uncurl_quotes",
        "fix_line_breaks",
        "fix_surrogates",
        "remove_control_chars",
    }
    assert set(ftfy.FIXERS) <= known, "a new ftfy step: teach _encoding_gate about it"
    assert BadnessPrefilter().sound


def mojibake(text: str, rng: random.Random) -> str:
    codec = rng.choice(["cp1252", "latin-1", "macroman", "cp437", "cp1251"])
    broken = text.encode("utf-8").decode(codec, errors="replace")
    return broken if rng.random() < 0.5 else broken.replace("\u00a0", " ")


def self_made_sample() -> list[str]:
    """Seed paragraphs, their mojibake in several codecs, entities and odd characters."""
    rng = random.Random(3)
    base = [line for path in SEEDS for line in path.read_text(encoding="utf-8").splitlines()]
    base += [
        "Größe: “Zitat” — ok… naïve café Ⅻ ﬁsh ＦＵＬＬ",
        "Ärger über die Kündigung — «Ça va», dit-il. Œuvre, cœur.",
        "東京都の天気は晴れ、気温は２０度です。",
        "Ελληνικά και русский текст, עברית",
        "Cafe\u0301 e\u0301te\u0301 \u212b",
        "A\u0303\u00a9 composes into mojibake, A\u0303\u00a9 once normalised",
        "tab\there \x1b[31mred\x1b[0m \x00nul \u2028line",
        "caf&eacute; &Atilde;&copy; &lt;b&gt; &amp;amp; &#x2019; &shy;",
        "naïve\ttab, crème\rCR, déjà\x0bVT, café\x0cFF, über\x01SOH",
        "K&ouml;ln &#776;e &#8217;s Stra&szlig;e",
    ]
    sample = list(base)
    for text in base:
        sample.append(mojibake(text, rng))
        sample.append(text.replace(" ", "&nbsp;", 2).replace("'", "&#8217;"))
        sample.append(text.replace("'", "´"))
    return [s for s in sample if s]


def corpus_sample(count: int = 3000) -> list[str]:
    if not CORPUS.exists():
        return []
    rng = random.Random(5)
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        lines = [line for record in handle for line in json.loads(record)["text"].split("\n")]
    picked = rng.sample(lines, min(count, len(lines)))
    return picked + [mojibake(line, rng) for line in picked[: count // 10]]


def assert_gate_is_exact(texts: list[str]) -> None:
    repairer = ParagraphRepairer(RepairOptions())
    config = repairer.ftfy_config._replace(explain=False)
    for text in texts:
        expected = ftfy.fix_text(text, config)
        gated = ftfy.fix_text(text, config) if repairer.gate.needs_ftfy(text) else text
        assert gated == expected, repr(text)
        assert repairer.gate.fix(text)[0] == expected, repr(text)
        needs_ftfy, _ = repairer.screen(text)
        assert needs_ftfy or expected == text, repr(text)
    slow = ParagraphRepairer(RepairOptions(fast_path=False))
    assert [repairer.repair(t) for t in texts] == [slow.repair(t) for t in texts]


def test_gate_gives_ftfy_output_on_self_made_sample() -> None:
    assert_gate_is_exact(self_made_sample())


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus-dev not present")
def test_gate_gives_ftfy_output_on_corpus_sample() -> None:
    assert_gate_is_exact(corpus_sample())


MOJIBAKE_ALPHABET = (
    "aeAE sz.,!?'\"-€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿"
    "ÂÃÄÅÆÇÐÑØÙàáâãäåçèéêëìíîïðñòóôõöøùúûüýþÿ\u00a0\u00adВГРСвЂΒΓΞΟβāœ√≈│┌═▀"
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=MOJIBAKE_ALPHABET, max_size=12))
def test_badness_prefilter_never_misses(text: str) -> None:
    prefilter = BadnessPrefilter()
    if ftfy.badness.is_bad(text):
        assert prefilter.may_be_bad(text)
        assert prefilter.may_be_bad(non_ascii_runs(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=MOJIBAKE_ALPHABET + "&;#0123456789\t<>", max_size=30))
def test_gate_exact_on_generated_text(text: str) -> None:
    assert_gate_is_exact([text])


# --- rewrap ----------------------------------------------------------------------------

PROSE = [
    "The Pentagon announced on Tuesday that the military was to open lines of "
    "communication with Russia to de-conflict air operations in Syria, a move that "
    "officials described as narrowly technical and limited to the safety of aircrews.",
    "After over a year of suspension of military contacts, defense secretaries of both "
    "countries held their first talk amid rising concern about the military buildup, "
    "and analysts said the talks would not change the course of the conflict soon.",
    "Unlike the Russian strategy, which sought to put the government at a vital place, "
    "the coalition had long excluded the leadership from its campaign, and the "
    "announcement came one day after the presidents met at the United Nations.",
]


def wrapped_document(width: int) -> tuple[str, list[str]]:
    lines = ["Pentagon opens talks with Russia"]
    for paragraph in PROSE:
        lines += textwrap.wrap(paragraph, width, break_on_hyphens=False)
    lines += ["- first item of a list", "- second item of a list", "Related stories"]
    return "\n".join(lines), ["Pentagon opens talks with Russia", *PROSE]


@pytest.mark.parametrize("width", [60, 72, 80, 100])
def test_hard_wrapped_paragraphs_are_rejoined_at_any_width(width: int) -> None:
    text, paragraphs = wrapped_document(width)
    doc = clean_text(text)
    kept = doc.kept_texts()
    assert kept[: len(paragraphs)] == paragraphs
    assert kept[len(paragraphs) :] == [
        "- first item of a list",
        "- second item of a list",
        "Related stories",
    ]
    merged = [p for p in doc.paragraphs if p.removed is not None]
    assert merged and all(p.removed.rule == "rewrap:merged" for p in merged)  # type: ignore[union-attr]
    first_joined = next(i for i, p in enumerate(doc.paragraphs) if "rewrap" in str(p.edits))
    assert merged[0].removed.detail == {"into": first_joined}  # type: ignore[union-attr]


def test_rewrap_switch_off() -> None:
    text, _ = wrapped_document(70)
    doc = clean_text(text, rewrap=False)
    assert all(p.removed is None for p in doc.paragraphs)


def test_long_word_cut_at_the_width_is_joined_without_space() -> None:
    url = "https://example.org/" + "a-very-long-path-segment/" * 5 + "page.html"
    paragraph = f"{PROSE[0]} See {url} for the whole statement of the ministry."
    text = "\n".join(textwrap.wrap(paragraph, 60, break_on_hyphens=False) + [PROSE[1]])
    text = "\n".join(textwrap.wrap(PROSE[1], 60, break_on_hyphens=False)) + "\n" + text
    assert url in clean_text(text).text.split()


def fill_or_cut(paragraph: str, width: int) -> list[str]:
    """A wrapper that breaks at spaces (lines up to width - 1) but cuts a word at the
    width rather than leave a line shorter than half of it (like `fold` on short lines)."""
    lines: list[str] = []
    line = ""
    for word in paragraph.split():
        while word:
            if not line or len(line) + 1 + len(word) < width:
                line = f"{line} {word}" if line else word
                word = ""
            elif len(line) < width // 2:
                room = width - len(line) - 1
                lines.append(f"{line} {word[:room]}")
                line, word = "", word[room:]
            else:
                lines.append(line)
                line = ""
    return [*lines, line] if line else lines


def hard_cut_prose() -> list[str]:
    """Prose long enough that some breaks prove the width is below 80 (the next word
    would have fitted into 80)."""
    return [" ".join(PROSE[k:] + PROSE[:k]) for k in range(3)] + [" ".join(PROSE[::-1])]


def test_a_word_cut_hard_at_one_beyond_the_wrap_width_is_joined_without_space() -> None:
    compound = "DatenschutzhinweiseNutzungsbedingungenKontaktformularBarrierefreiheitCookies"
    prose = hard_cut_prose()
    paragraphs = [*prose[:2], f"Imprint {compound} and contact", *prose[2:]]
    lines = [line for paragraph in paragraphs for line in fill_or_cut(paragraph, 80)]
    assert f"Imprint {compound[:72]}" in lines  # cut though shorter than the width
    assert clean_text("\n".join(lines)).text.split() == " ".join(paragraphs).split()


def test_a_line_one_beyond_the_width_before_a_known_word_is_not_glued() -> None:
    """A line of width + 1 may be an unwrapped line of the page: a next line starting
    with a word the page uses elsewhere is no cut word's tail."""
    prose = hard_cut_prose()
    short_line = "Officials said the talks were very narrowly technical and limited to crew safety"
    assert len(short_line) == 80
    lines = [line for paragraph in prose[:2] for line in fill_or_cut(paragraph, 80)]
    lines += [short_line, "the talks would not change the course soon."]
    lines += [line for paragraph in prose[2:] for line in fill_or_cut(paragraph, 80)]
    tokens = clean_text("\n".join(lines)).text.split()
    assert "safety" in tokens and "safetythe" not in tokens


def test_real_paragraphs_menus_and_headings_are_not_merged() -> None:
    unwrapped = "\n".join(["Pentagon opens talks", *PROSE, "Home", "World news", "Sports"])
    doc = clean_text(unwrapped)
    assert all(p.removed is None for p in doc.paragraphs)
    # A list of lowercase items of similar length has the shape of wrapped prose; on a
    # page whose other paragraphs are far longer than the items it is not a wrap.
    items = [
        "no Python dependencies, only depends on shell commands",
        "one-stop management of all installed Python versions",
        "somewhat convoluted install and setup process for users",
        "officially supported by the Python Packaging Authority",
        "quickly set per-user and per-project default Python versions and environments",
    ]
    page = [*PROSE, *items, *PROSE]
    assert find_wrapped_runs(page, [False] * len(page)) == []


def test_blank_lines_separate_paragraphs_even_when_lengths_fit() -> None:
    text, _ = wrapped_document(70)
    spaced = text.replace("\n", "\n\n")
    assert all(p.removed is None for p in clean_text(spaced).paragraphs)


def test_noisy_wrapped_text_with_nbsp_and_entities_comes_back_token_identical() -> None:
    paragraph = " ".join(PROSE)
    noisy_lines = [
        line.replace(" ", "&nbsp;", 1) + "  "
        for line in textwrap.wrap(paragraph, 76, break_on_hyphens=False)
    ]
    doc = clean_text("\n".join(noisy_lines))
    assert doc.text.split() == paragraph.split()
    assert len(doc.kept_texts()) == 1


# --- properties -----------------------------------------------------------------------

ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]) | st.sampled_from(list("´&;\n \t\u00a0")),
    max_size=200,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_any_text_in_a_string_out_idempotent(text: str) -> None:
    once = clean_text(text)
    assert isinstance(once.text, str)
    twice = clean_text(once.text)
    assert twice.text == once.text
    for paragraph in once.paragraphs:
        assert repair(paragraph.text)[0] == paragraph.text or paragraph.removed is not None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abc defg,.´&;ÃÂ¤©\u00a0", min_size=1, max_size=90), max_size=12))
def test_line_soup_is_idempotent(lines: list[str]) -> None:
    once = clean_text("\n".join(lines))
    assert clean_text(once.text).text == once.text


def test_a_paragraph_stays_one_line_even_without_whitespace_fix() -> None:
    text, fixes = repair("one\u2028two\x85three", whitespace=False)
    assert "\n" not in text and "line_breaks" in fixes


def test_surrogates_and_controls_do_not_raise() -> None:
    doc = clean_text("bad \ud800 surrogate \x00 nul \x85 nel")
    assert "\ud800" not in doc.text and "\x00" not in doc.text
    assert unicodedata.is_normalized("NFC", doc.text)
