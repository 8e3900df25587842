"""Tests of the `chrome` cleaner on the seeds and on small labelled pages."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from cleankit.plugins._chrome_repeats import _copy_keys
from cleankit.plugins.chrome import Cleaner_chrome
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit.document import Document

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
CORPUS = REPO.parent / "shared" / "corpus-dev"
LABELS = {"body", "meta", "boilerplate", "related", "comments", "nav", "caption"}


def clean(text: str, **config: object) -> Document:
    doc = Document.from_text("t", text)
    Cleaner_chrome(config or None).clean(doc)
    return doc


def seed(prefix: str) -> Document:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return clean(path.read_text(encoding="utf-8"))


def kept(doc: Document) -> set[str]:
    return {p.text for p in doc.paragraphs if p.kept}


def removed(doc: Document) -> dict[str, str]:
    return {p.text: p.removed.rule for p in doc.paragraphs if p.removed is not None}


def lines_between(doc: Document, first: str, last: str) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    start = next(i for i, t in enumerate(texts) if t.startswith(first))
    end = next(i for i, t in enumerate(texts) if t.startswith(last) and i >= start)
    return texts[start : end + 1]


# ------------------------------------------------------------------ seeds


def test_seed_000_keeps_every_body_paragraph() -> None:
    doc = seed("000")
    body = [p.text for p in doc.paragraphs[1:]]
    assert set(body) <= kept(doc)
    assert removed(doc)["Source:Xinhua Published: 2015-10-15 9:20:20"].startswith("meta:")


def test_seed_001_drops_the_unrelated_headline_list() -> None:
    doc = seed("001")
    texts = [p.text for p in doc.paragraphs]
    tail = texts[texts.index("-") :]
    assert len(tail) == 16
    assert not any(t in kept(doc) for t in tail)
    body = lines_between(doc, "In military terms", '"He noted that defeating ISIL')
    assert set(body) <= kept(doc)
    assert removed(doc)["By AFP"] == "meta:byline"
    assert removed(doc)["September 18, 2015"] == "meta:date"


def test_seed_002_drops_the_related_block() -> None:
    doc = seed("002")
    texts = [p.text for p in doc.paragraphs]
    related = texts[texts.index("Related:") :]
    assert not any(t in kept(doc) for t in related)
    assert set(texts[: texts.index("Related:")]) <= kept(doc)  # dateline paragraph included


def test_seed_003_drops_photo_credit_and_keeps_body() -> None:
    doc = seed("003")
    assert "Photo by: DoD" not in kept(doc)
    body = lines_between(doc, "The US Department of State", "Russia’s defence ministry has denied")
    assert set(body) <= kept(doc)
    assert removed(doc)["TRTWorld and agencies"] == "meta:credit"


def test_seed_004_drops_the_comment_footer() -> None:
    doc = seed("004")
    texts = [p.text for p in doc.paragraphs]
    footer = texts[texts.index("with files from The Associated Press") :]
    assert not any(t in kept(doc) for t in footer)
    assert removed(doc)["with files from The Associated Press"] == "meta:credit"
    body = lines_between(doc, "The former Cold War enemies", "Syria's civil war, which has killed")
    assert set(body) <= kept(doc)
    assert "Russia signals support for U.S. plan" in kept(doc)  # a subheading stays


@pytest.mark.parametrize("preset", ["balanced", "precision", "recall"])
def test_every_preset_keeps_seed_body(preset: str) -> None:
    text = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    doc = clean(text, preset=preset)
    assert doc.paragraphs[0].kept and doc.paragraphs[5].kept


# ------------------------------------------------------------------ audit contract


def test_every_removal_is_explained_and_every_paragraph_labelled() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        doc = clean(path.read_text(encoding="utf-8"))
        for p in doc.paragraphs:
            assert p.notes["chrome"] in LABELS
            if p.removed is not None:
                assert p.removed.cleaner == "chrome"
                assert p.removed.rule
                assert p.removed.score is not None and 0.0 <= p.removed.score <= 1.0
                assert p.notes["chrome"] != "body"
            else:
                assert p.notes["chrome"] == "body"
            assert p.text == p.original  # chrome never edits text


def test_output_is_deterministic() -> None:
    text = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    assert clean(text).text == clean(text).text


def test_paragraphs_removed_by_another_cleaner_are_left_alone() -> None:
    doc = Document.from_text("t", "Subscribe to our newsletter\n" + BODY_EN)
    doc.paragraphs[1].remove("dedup", "exact", 1.0)
    Cleaner_chrome().clean(doc)
    assert doc.paragraphs[1].removed is not None
    assert doc.paragraphs[1].removed.cleaner == "dedup"
    assert "chrome" not in doc.paragraphs[1].notes


# ------------------------------------------------------------------ small labelled pages

BODY_EN = "\n".join(
    [
        "The city council voted on Tuesday to expand the bus network to the northern "
        "suburbs, a plan that has been debated for more than three years.",
        "Supporters said the new routes would cut commuting times for thousands of "
        "residents who currently have to change buses twice to reach the centre.",
        "Opponents argued that the cost, estimated at 40 million dollars, was too high "
        "and that the money should instead be spent on repairing existing roads.",
        "The first new routes are expected to open next spring, according to the "
        "transport department, which will publish a detailed timetable in January.",
    ]
)

BODY_DE = "\n".join(
    [
        "Der Gemeinderat hat am Dienstag beschlossen, das Busnetz in die nördlichen "
        "Vororte zu erweitern, nachdem über den Plan mehr als drei Jahre gestritten wurde.",
        "Die Befürworter sagten, die neuen Linien würden die Fahrzeit für tausende "
        "Menschen verkürzen, die bisher zweimal umsteigen müssen.",
        "Die Gegner hielten die Kosten von 40 Millionen Euro für zu hoch und wollten das "
        "Geld lieber in die Sanierung der bestehenden Straßen stecken.",
        "Die ersten neuen Linien sollen im kommenden Frühjahr in Betrieb gehen, wie das "
        "Verkehrsamt mitteilte, das im Januar einen Fahrplan veröffentlichen will.",
    ]
)


def test_english_page_furniture_is_removed_with_rules() -> None:
    page = "\n".join(
        [
            "Home | News | Sport | Business | Weather",
            "Sign in",
            "Council approves bus network expansion",
            "By Jane Smith",
            "Published: 12 March 2024",
            "Share on Facebook",
            BODY_EN,
            "Read more",
            "Mayor defends budget plan",
            "Stadium project delayed again",
            "Schools to get new funding",
            "We use cookies to improve your experience on our site. By continuing you agree.",
            "© 2024 City News. All rights reserved.",
        ]
    )
    doc = clean(page)
    assert set(BODY_EN.split("\n")) <= kept(doc)
    rules = removed(doc)
    assert rules["Home | News | Sport | Business | Weather"] == "shape:menu"
    assert rules["By Jane Smith"] == "meta:byline"
    assert rules["Published: 12 March 2024"] == "meta:date"
    assert rules["Council approves bus network expansion"] == "meta:title"
    assert "Mayor defends budget plan" in rules
    assert rules["© 2024 City News. All rights reserved."].startswith("trigger:")
    assert doc.text.count("\n\n") == 3


def test_german_page_with_related_block_and_cookie_notice() -> None:
    page = "\n".join(
        [
            "Startseite",
            "Politik",
            "Wirtschaft",
            "Wir verwenden Cookies, um Ihnen ein besseres Nutzungserlebnis zu bieten.",
            BODY_DE,
            "Lesen Sie auch",
            "Neue Radwege für die Innenstadt",
            "Der Stadtrat will bis 2026 zwanzig Kilometer neue Radwege bauen lassen.",
            "Kommentare",
            "Impressum | Datenschutz | Kontakt",
        ]
    )
    doc = clean(page)
    assert set(BODY_DE.split("\n")) <= kept(doc)
    assert doc.text == "\n\n".join(BODY_DE.split("\n"))
    labels = {p.text: p.notes["chrome"] for p in doc.paragraphs}
    assert labels["Neue Radwege für die Innenstadt"] == "related"


def test_a_body_sentence_that_mentions_sharing_stays() -> None:
    text = BODY_EN + "\nMore pictures of the new buses have been shared by the council online."
    doc = clean(text)
    assert "More pictures of the new buses have been shared by the council online." in kept(doc)


def test_frequent_boilerplate_flagged_by_dedup_is_removed() -> None:
    doc = Document.from_text("t", BODY_EN + "\nThanks for reading our local news service today.")
    doc.paragraphs[-1].notes["dup_count"] = 25
    Cleaner_chrome().clean(doc)
    assert doc.paragraphs[-1].removed is not None
    assert doc.paragraphs[-1].removed.rule == "recurrent"


def test_config_rejects_unknown_keys_and_presets() -> None:
    with pytest.raises(ValueError):
        Cleaner_chrome({"preset": "aggressive"})
    with pytest.raises(ValueError):
        Cleaner_chrome({"no_such_option": 1})


def test_precision_preset_is_stricter_than_recall() -> None:
    strict = Cleaner_chrome({"preset": "precision"}).thresholds
    loose = Cleaner_chrome({"preset": "recall"}).thresholds
    assert strict.stop_low > loose.stop_low and strict.length_low > loose.length_low
    assert Cleaner_chrome({"preset": "precision", "stop_low": 0.1}).thresholds.stop_low == 0.1


# ------------------------------------------------------------------ corpus smoke test


@pytest.mark.skipif(not (CORPUS / "docs.jsonl.gz").exists(), reason="corpus-dev absent")
def test_runs_on_corpus_dev_pages() -> None:
    """No exact outputs (corpus-dev is a benchmark): it runs, labels and keeps text."""
    cleaner = Cleaner_chrome()
    with gzip.open(CORPUS / "docs.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(40), f, strict=False)]
    kept_any = 0
    for row in rows:
        doc = Document.from_text(row["id"], row["text"])
        cleaner.clean(doc)
        assert all(p.notes.get("chrome") in LABELS for p in doc.paragraphs)
        kept_any += bool(doc.text)
        assert len(doc.text) < len(row["text"])
    assert kept_any >= 35


def test_remove_title_off_keeps_the_headline_labelled_meta() -> None:
    page = "Council approves bus network expansion\n" + BODY_EN
    doc = clean(page, remove_title=False)
    assert doc.paragraphs[0].kept and doc.paragraphs[0].notes["chrome"] == "meta"
    assert clean(page).paragraphs[0].removed is not None


def test_a_comment_thread_after_the_article_is_removed() -> None:
    page = "\n".join(
        [
            BODY_EN,
            "12 comments",
            "Mary Jones says:",
            "I have been waiting for this bus line for years, and I am very glad it is finally "
            "happening after all the delays we have had to put up with in the north.",
            "Reply",
            "Tom Brown says:",
            "The money would have been better spent on the roads, which are in a terrible state "
            "and have been for as long as I can remember living here.",
        ]
    )
    doc = clean(page)
    assert doc.text == "\n\n".join(BODY_EN.split("\n"))
    assert {p.notes["chrome"] for p in doc.paragraphs[4:]} <= {"comments", "nav", "related"}


def test_a_small_island_after_the_article_is_dropped() -> None:
    page = "\n".join(
        [
            BODY_EN,
            BODY_EN.replace("council", "committee")
            .replace("bus", "tram")
            .replace("cost", "price")
            .replace("routes", "lines"),
            "Tags",
            "Transport",
            "City",
            "Jane Smith has covered city hall for the paper since 2015 and lives in the north.",
        ]
    )
    doc = clean(page)
    assert doc.paragraphs[-1].removed is not None
    assert doc.paragraphs[-1].removed.rule == "context:outside-body"
    assert all(p.kept for p in doc.paragraphs[:8])


# ------------------------------------------------------------------ round 2: body split, lists

INTRO_EN = [
    "Most cats love a wild game. Electronic toys keep them busy when nobody is at home to "
    "play with them during the long working day.",
    "We have tested a dozen of these toys over the last months. Here is which of them are "
    "worth the money, and which ones the cats ignored after a day.",
]
# A comparison table, one cell per line: it weighs more against the body than the two
# intro paragraphs weigh for it, so it cuts the article in two.
TABLE = ["Product", "Price", "Battery"] + [
    cell for n in range(1, 8) for cell in (f"Toy model {n}", f"{10 + n} euros", "USB")
]


def test_article_text_cut_off_by_a_table_before_the_densest_block_is_kept() -> None:
    page = "\n".join(["Menu", "Best cat toys of the year", *INTRO_EN, *TABLE, BODY_EN])
    doc = clean(page)
    assert set(INTRO_EN) <= kept(doc)
    assert set(BODY_EN.split("\n")) <= kept(doc)
    assert {"Menu", "Price", "Toy model 3", "USB"} <= set(removed(doc))


def test_a_lone_teaser_paragraph_before_the_article_is_still_dropped() -> None:
    teaser = (
        "A new study shows that dogs understand far more words than their owners think, "
        "researchers in Budapest report."
    )
    page = "\n".join(["Top stories", "Dogs know more words", teaser, *TABLE, BODY_EN, BODY_EN])
    doc = clean(page)
    assert removed(doc)[teaser] == "context:outside-body"
    assert set(BODY_EN.split("\n")) <= kept(doc)


def test_short_sentences_inside_the_article_are_not_a_headline_list() -> None:
    steps = ["Switch the toy off first.", "Open the lid on the back.", "Charge it for an hour."]
    headlines = ["Mayor defends budget plan", "Stadium project delayed again", "Schools win"]
    lines = BODY_EN.split("\n")
    page = "\n".join([*lines[:2], *steps, *lines[2:], *headlines, lines[0]])
    doc = clean(page)
    assert set(steps) <= kept(doc)
    assert not any(h in kept(doc) for h in headlines)


# ------------------------------------------------------------------ the fast paths say the same


def test_first_character_dispatch_matches_the_full_alternation() -> None:
    from cleankit.plugins._chrome_features import load_triggers

    tset = load_triggers()
    full = tset.starts._any  # the alternation of every category's `starts`
    lines = [
        "by jane smith",
        "published: 12 march 2024",
        "3 hours ago",
        "(afp)",
        "related",
        "advertisement",
        "photo: dpa",
        "12:30",
        "skip to content",
        "the council voted on tuesday.",
        "",
        "über uns",
        "입력 2024.03.12",
    ]
    for line in lines:
        fast, slow = tset.starts.match(line), full.match(line)
        assert (fast and fast.lastgroup) == (slow and slow.lastgroup), line


def test_phrase_triggers_need_the_whole_phrase() -> None:
    from cleankit.plugins._chrome_features import WORD, find_trigger, load_triggers

    tset = load_triggers()

    def category(text: str) -> tuple[str | None, bool]:
        lower = text.lower()
        trig, specific = find_trigger(lower, WORD.findall(lower), tset)
        return (trig.category if trig else None), specific

    assert category("This site uses cookies") == ("cookie", True)
    assert category("Join the conversation") == ("comments", True)
    assert category("Comments") == ("comments", False)
    assert category("The site of the new stadium") == (None, False)
    assert category("Police at the scene (AP Photo)")[0] == "caption"


def test_a_quoted_subheading_is_not_taken_for_a_caption() -> None:
    quote = "“We could hear a sound like an electric saw and then a terrible smell”"
    caption = "Residents of the northern suburbs wait for a bus at the old market square"
    lines = BODY_EN.split("\n")
    doc = clean("\n".join([*lines[:2], quote, *lines[2:3], caption, *lines[3:]]))
    assert quote in kept(doc)
    assert removed(doc)[caption] == "caption:unpunctuated"


def test_first_characters_are_read_without_regex_internals() -> None:
    from cleankit.plugins._chrome_dispatch import DIGIT, first_chars

    assert first_chars(r"(?:by|von)\s+\w+") == {"b", "v"}
    assert first_chars(r"\(?(?:ap|afp)\)?\s*$") == {"(", "a"}
    assert first_chars(r"\d+ (?:hours?|days?) ago\b") == {DIGIT}
    assert first_chars(r"ver[öo]ffentlicht") == {"v"}
    assert first_chars(r"(?<=x)y") == {"y"}  # a look-around matches no character
    assert first_chars(r"x?y{0,2}z") == {"x", "y", "z"}
    for unknown in [r"\w+", r".x", r"[^a]", r"(?i)a", r"x*", r"a(b", r"[ab"]:
        assert first_chars(unknown) is None, unknown


def test_first_character_search_finds_what_search_finds() -> None:
    import re

    from cleankit.plugins._chrome_dispatch import FirstCharSearch

    patterns = [r"\(c\) ?\d{4}", r"/ ?(?:dpa|afp)\b", r":(?:(?<=foto:)|(?<=bild :))", r"©"]
    combined = re.compile("|".join(f"(?P<c{n}>{p})" for n, p in enumerate(patterns)))
    fast = FirstCharSearch(patterns, combined)
    lines = [
        "Foto: dpa",
        "Bild : AFP / dpa",
        "(C) 2024 all rights",
        "a/b: (c) 2023",
        "© Reuters",
        "nothing here: really",
        "",
        "x/dpax / dpa",
    ]
    for line in lines:
        lower = line.lower()
        got, want = fast.search(lower), combined.search(lower)
        assert (got and (got.span(), got.lastgroup)) == (want and (want.span(), want.lastgroup))


def test_a_page_is_measured_as_its_lines_are_one_by_one() -> None:
    from cleankit.plugins._chrome_features import load_triggers, measure, measure_page
    from cleankit.plugins._chrome_lang import stopwords_for

    tset, stop = load_triggers(), stopwords_for("en")
    lines = [
        *BODY_EN.split("\n"),
        "Home | News | Sport | Weather",
        "HomeNewsSportWeather",
        "September 18, 2015",
        "WASHINGTON, Sept. 29 (Xinhua) -- The talks resumed on Monday in the capital city.",
        "Jane says:",
        "https://example.org/story",
        "“We could hear a sound like an electric saw”",
        "Read more >>",
        "Über uns · Kontakt · Impressum",
        "Police at the scene (AP Photo)",
    ]
    assert measure_page(lines, stop, tset) == [measure(line, stop, tset) for line in lines]


def test_short_sentences_just_before_the_body_open_it() -> None:
    opener = "It can be frustrating to step on the scale."
    menu = ["Home", "World", "Business", "Sport"]
    doc = clean("\n".join([*menu, opener, BODY_EN]))
    assert opener in kept(doc)
    assert not any(m in kept(doc) for m in menu)


# ------------------------------------------------------------------ repeated paragraphs

STANDFIRST = (
    "Defence officials from the United States and Russia held a 90-minute video "
    "conference call on Saturday to discuss safe flight operations over Syria."
)


def test_a_standfirst_repeated_as_the_lead_is_kept_once() -> None:
    doc = seed("004")
    copies = [p for p in doc.paragraphs if p.text.startswith("Defence officials from")]
    assert len(copies) == 2
    assert copies[0].kept
    assert copies[1].removed is not None and copies[1].removed.rule == "repeat"
    assert copies[1].removed.detail["kept_index"] == doc.paragraphs.index(copies[0])
    assert doc.text.count("Defence officials from the United States") == 1


def test_a_near_repeat_noted_by_dedup_goes_only_within_its_document() -> None:
    near = STANDFIRST.replace("Saturday", "Sunday")
    doc = Document.from_text("t", "\n".join([STANDFIRST, BODY_EN, near]))
    doc.paragraphs[5].notes["dup_of"] = {"doc": "t", "index": 0, "similarity": 0.93}
    Cleaner_chrome().clean(doc)
    assert doc.paragraphs[0].kept
    removal = doc.paragraphs[5].removed
    assert removal is not None and removal.rule == "repeat" and removal.score == 0.93
    unrelated = Document.from_text("u", "\n".join([STANDFIRST, BODY_EN, near]))
    unrelated.paragraphs[5].notes["dup_of"] = {"doc": "other", "index": 0, "similarity": 0.9}
    Cleaner_chrome().clean(unrelated)
    assert unrelated.paragraphs[5].kept  # a copy of another document's text is dedup's call


def test_repeats_can_be_kept() -> None:
    page = "\n".join([STANDFIRST, BODY_EN, STANDFIRST])
    assert clean(page).text.count(STANDFIRST) == 1
    assert clean(page, drop_page_repeats=False).text.count(STANDFIRST) == 2


def test_text_dedup_kept_once_is_not_taken_for_a_caption() -> None:
    """Seed 001 prints its teaser three times, the first copy truncated mid-sentence (no
    final punctuation, caption-shaped). dedup keeps the first copy and removes the
    complete ones; chrome must not then remove the kept copy as a caption."""
    from cleankit.api import clean_records

    text = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8")
    [row] = clean_records([{"id": "001", "text": text}], only=["dedup", "chrome"])
    paragraphs = row["text"].split("\n\n")
    quote = [p for p in paragraphs if p.startswith('"The secretary and the minister talked')]
    assert len(quote) == 1


def test_out_of_range_options_are_refused() -> None:
    from pydantic import ValidationError

    for bad in ({"stop_low": 5}, {"length_low": -5}, {"preset": "foo"}):
        with pytest.raises(ValidationError):
            Cleaner_chrome(bad)


# ------------------------------------------------------------------ round 4: block edges


def test_short_sentences_just_after_the_body_close_it() -> None:
    closing = [
        "Officials did not immediately provide any other details.",
        "The detailed timetable is available here:",
    ]
    furniture = ["Follow me on Twitter.", "Mayor defends budget plan", "Stadium project delayed"]
    doc = clean("\n".join(["Home", "World", BODY_EN, *closing, *furniture]))
    assert set(closing) <= kept(doc)
    assert removed(doc)["Follow me on Twitter."] == "trigger:share"  # a trigger stops them
    assert not any(f in kept(doc) for f in furniture)


def test_headlines_after_the_body_are_not_closing_sentences() -> None:
    teasers = ["Mayor defends budget plan", "Stadium project delayed again", "Schools win"]
    doc = clean("\n".join([BODY_EN, *teasers, "Tags", "Transport"]))
    assert set(BODY_EN.split("\n")) <= kept(doc)
    assert not any(t in kept(doc) for t in teasers)


def test_an_appeal_at_the_end_of_the_article_is_removed() -> None:
    appeal = (
        "Receive our monthly newsletter to stay on top of the latest articles and "
        "announcements from the city desk."
    )
    doc = clean("\n".join([BODY_EN, appeal, "Tags", "Transport"]))
    assert removed(doc)[appeal] == "trigger:subscribe"
    assert next(p for p in doc.paragraphs if p.text == appeal).notes["chrome"] == "boilerplate"
    assert set(BODY_EN.split("\n")) <= kept(doc)


def test_a_sentence_about_subscriptions_inside_the_article_stays() -> None:
    about = (
        "The transport department said a monthly subscription for the new routes would "
        "cost less than the current tickets, and that students would ride for free."
    )
    lines = BODY_EN.split("\n")
    doc = clean("\n".join([*lines[:2], about, *lines[2:]]))
    assert about in kept(doc)


def test_a_shorter_stretch_of_article_text_before_a_table_is_kept() -> None:
    # The intro holds about 12% of the evidence of the article after the table.
    body = "\n".join(BODY_EN.replace("council", f"council {n}") for n in range(4))
    page = "\n".join(["Menu", "Best cat toys of the year", *INTRO_EN, *TABLE, body])
    doc = clean(page)
    assert set(INTRO_EN) <= kept(doc)
    assert "Toy model 3" not in kept(doc)


def test_the_unpunctuated_line_right_after_the_lead_is_furniture() -> None:
    lines = BODY_EN.split("\n")
    caption, subheading = "The new depot in the northern suburbs", "Costs and timetable"
    doc = clean("\n".join(["Home", lines[0], caption, lines[1], subheading, *lines[2:]]))
    assert removed(doc)[caption] == "meta:after-lead"  # readable for headline_date
    assert next(p for p in doc.paragraphs if p.text == caption).notes["chrome"] == "meta"
    assert subheading in kept(doc)  # after some text, a short line is a subheading
    assert set(lines) <= kept(doc)


def test_a_question_right_after_the_lead_stays() -> None:
    lines = BODY_EN.split("\n")
    question = "Why did it take three years?"
    doc = clean("\n".join([lines[0], question, *lines[1:]]))
    assert question in kept(doc)


def test_article_text_dense_with_names_before_a_table_is_kept() -> None:
    # Near-good paragraphs (few stopwords: names, scores) count as text of an earlier block.
    report = [
        "Chelsea beat Arsenal 3-1 at Stamford Bridge on Sunday, with goals from Palmer, "
        "Jackson and Madueke sealing third place in the Premier League table.",
        "Arsenal manager Mikel Arteta blamed referee Anthony Taylor and VAR official Darren "
        "England for the penalty decision in the second half.",
    ]
    body = "\n".join(BODY_EN.replace("council", f"council {n}") for n in range(2))
    doc = clean("\n".join(["Menu", "Chelsea 3-1 Arsenal", *report, *TABLE, body]))
    assert set(report) <= kept(doc)
    assert "Toy model 3" not in kept(doc)


# ------------------------------------------------------------------ round 5: snippets

# Twelve distinct paragraphs (no page repeats).
LONG_BODY_EN = "\n".join(
    f"{line[:-1]}, officials said in statement number {n}."
    for n in range(3)
    for line in BODY_EN.split("\n")
)


def test_a_blurb_after_the_share_bar_is_dropped() -> None:
    # One share-bar line is gap enough before a short blurb at the end of the block.
    blurb = (
        "The City Desk is a team of four reporters who have covered local government, "
        "transport and housing for the paper since 2015."
    )
    doc = clean("\n".join([LONG_BODY_EN, "Share this article", blurb, "Contact", "Imprint"]))
    assert removed(doc)[blurb] == "context:outside-body"
    assert set(LONG_BODY_EN.split("\n")) <= kept(doc)


def test_a_last_paragraph_after_a_subheading_stays() -> None:
    # A short line without a trigger phrase is a subheading: the text after it stays.
    last = (
        "The transport department said it would publish the detailed timetable of the "
        "new routes in January, together with the fares."
    )
    doc = clean("\n".join([LONG_BODY_EN, "What comes next", last, "Contact", "Imprint"]))
    assert {"What comes next", last} <= kept(doc)


def test_a_newsletter_box_after_the_article_is_dropped() -> None:
    # The box: a header with a subscribe phrase, a blurb, a button, a disclaimer.
    box = [
        "Get our politics newsletter",
        "The latest news, analysis and insights from our reporters at city hall and in the "
        "state capital, delivered to you every weekday morning before the first meeting.",
        "Sign me up",
        "You may occasionally receive promotional content from the City Times and from the "
        "partners of its publisher.",
    ]
    # A long article: the box holds less than a twentieth of its text.
    article = LONG_BODY_EN.replace("officials", "spokesmen") + "\n" + LONG_BODY_EN
    article += "\n" + LONG_BODY_EN.replace("officials", "aides")
    doc = clean("\n".join([article, *box, "Jane Smith", "Follow us"]))
    assert not any(line in kept(doc) for line in box)
    assert set(article.split("\n")) <= kept(doc)


def _units(paragraphs: list[str]) -> list[str]:
    """Units of two short lines (section, headline) and one paragraph."""
    return [
        line
        for n, paragraph in enumerate(paragraphs, 1)
        for line in (f"Section {n}", f"Headline number {n} of the list", paragraph)
    ]


def test_a_list_of_teasers_inside_the_block_is_removed() -> None:
    teasers = [f"{line[:-1]} in district {n}." for n, line in enumerate(BODY_EN.split("\n"))]
    units = _units(teasers)
    board = BODY_EN.replace("council", "board")
    doc = clean("\n".join([LONG_BODY_EN, *units, "Opinion", board]))
    assert all(removed(doc)[line] == "teaser-list" for line in units)
    assert set(LONG_BODY_EN.split("\n")) <= kept(doc)


def test_article_sections_shaped_like_teasers_stay() -> None:
    # Two short lines and one long paragraph per section (a product test, a listicle):
    # the paragraphs are too long for teasers.
    lines = BODY_EN.split("\n")
    sections = [" ".join([lines[n], lines[n - 1], f"It was case {n}."]) for n in range(4)]
    doc = clean("\n".join([LONG_BODY_EN, *_units(sections), BODY_EN.replace("council", "board")]))
    assert not any(rule == "teaser-list" for rule in removed(doc).values())
    assert set(sections) <= kept(doc)


def test_a_short_line_after_a_photo_credit_is_its_caption_a_sentence_is_text() -> None:
    lines = BODY_EN.split("\n")
    caption = "The new depot seen from the air."
    sentence = (
        "Work on the depot began in March, and the first buses are due to be parked there "
        "before the summer."
    )  # 19 words, one sentence: the text resumes after the picture
    page = [lines[0], "Photo: Jane Doe / AFP", caption, lines[1], "Photo: John Roe / AFP"]
    doc = clean("\n".join([*page, sentence, *lines[2:]]))
    assert removed(doc)[caption] == "caption:after-credit"
    assert sentence in kept(doc)
    assert set(lines) <= kept(doc)


def test_a_share_bar_inside_the_article_does_not_end_it() -> None:
    lines = LONG_BODY_EN.split("\n")
    doc = clean("\n".join([lines[0], "Share this article", *lines[1:], "Share", "Imprint"]))
    assert set(lines) <= kept(doc)


_COPY_TEXT = st.text(alphabet=st.sampled_from("aAßSs \t\u00a0İi.Σσς"), max_size=90)


@settings(max_examples=300, deadline=None)
@given(st.lists(_COPY_TEXT, max_size=12))
def test_copy_keys_equal_exactly_when_normal_forms_are(texts: list[str]) -> None:
    """`later_copies`' cheap keys group texts as their whole normal forms do."""
    texts = texts + [t.upper() + " " for t in texts[:3]]
    keys = _copy_keys(texts)
    normal = [" ".join(t.split()).casefold() for t in texts]
    for i in range(len(texts)):
        for j in range(len(texts)):
            assert (keys[i] == keys[j]) == (normal[i] == normal[j])
