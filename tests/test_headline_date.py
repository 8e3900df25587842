"""Tests of the `headline_date` cleaner on the seeds and small labelled cases."""

from __future__ import annotations

import gzip
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from cleankit.plugins._dates import DateFinder, find_dates
from cleankit.plugins._headline_lines import Line
from cleankit.plugins._headline_meta import find_dateline, relative_age
from cleankit.plugins.headline_date import HeadlineDateCleaner

from cleankit.document import Document

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-dev"


def clean(text: str, **config: object) -> Document:
    doc = Document.from_text("doc", text)
    HeadlineDateCleaner(config).clean(doc)
    return doc


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        doc = Document.from_text(path.stem, path.read_text(encoding="utf-8"))
        HeadlineDateCleaner().clean(doc)
        out[path.stem[:3]] = doc
    return out


# ------------------------------------------------------------------------------- seeds
def test_seed_headlines(seeds: dict[str, Document]) -> None:
    assert seeds["000"].headline is None
    assert seeds["001"].headline == "US and Russian militaries launch talks on Syria"
    assert seeds["002"].headline is None
    assert seeds["003"].headline == "US, Russia to discuss air safety in Syria says Pentagon"
    assert (
        seeds["004"].headline
        == "U.S. says progress made with Russia during latest Syria airspace safety talks"
    )


def test_seed_dates(seeds: dict[str, Document]) -> None:
    assert seeds["000"].published == "2015-10-15"
    assert seeds["001"].published == "2015-09-18"
    assert seeds["002"].published is None
    assert seeds["002"].meta["published_partial"] == "09-29"
    assert seeds["003"].published is None
    assert seeds["004"].published is None


def test_seed_000_date_line_leaves_the_body(seeds: dict[str, Document]) -> None:
    doc = seeds["000"]
    first = doc.paragraphs[0]
    assert first.removed is not None and first.removed.rule == "date"
    assert doc.meta["published_source"]["pattern"] == "iso"
    assert doc.meta["published_source"]["paragraph"] == 0
    assert doc.meta["credit"] == "Xinhua"
    assert doc.text.startswith("Defense officials from the United States")


def test_seed_001_byline_date_and_headline_are_metadata(seeds: dict[str, Document]) -> None:
    doc = seeds["001"]
    assert doc.meta["byline"] == "AFP"
    removed = {p.text: p.removed.rule for p in doc.paragraphs if p.removed}
    assert removed["By AFP"] == "byline"
    assert removed["September 18, 2015"] == "date"
    assert removed["US and Russian militaries launch talks on Syria"] == "headline"
    assert "US and Russian militaries launch talks on Syria" not in doc.text


def test_seed_002_dateline_is_cut_and_kept_as_metadata(seeds: dict[str, Document]) -> None:
    doc = seeds["002"]
    assert doc.meta["dateline"] == {"place": "WASHINGTON", "agency": "Xinhua", "date": "09-29"}
    first = doc.paragraphs[0]
    assert first.kept
    assert first.text.startswith("The Pentagon announced on Tuesday")
    assert first.original.startswith("WASHINGTON, Sept. 29 (Xinhua) --")
    # The related stories keep their own datelines: only the first body paragraph is cut.
    assert any(p.text.startswith("UNITED NATIONS, Sept. 28 (Xinhua)") for p in doc.paragraphs)


def test_seed_002_year_from_configured_default() -> None:
    text = (SEEDS / "002_2de1490a76f047af.txt").read_text(encoding="utf-8")
    doc = clean(text, default_year=2015)
    assert doc.published == "2015-09-29"
    assert doc.meta["published_source"]["year_from"] == "default_year"


def test_seed_credits(seeds: dict[str, Document]) -> None:
    assert seeds["003"].meta["credit"] == "TRTWorld and agencies"
    assert seeds["004"].meta["credit"] == "with files from The Associated Press"
    assert "TRTWorld and agencies" not in seeds["003"].text
    assert "with files from The Associated Press" not in seeds["004"].text


def test_seed_004_caption_date_is_not_the_publication_date(seeds: dict[str, Document]) -> None:
    # "on Oct. 7" in a caption and "on Oct. 1" in the narrative carry no year.
    assert seeds["004"].published is None
    assert "published_partial" not in seeds["004"].meta


# --------------------------------------------------------------------- date patterns
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Source:Xinhua Published: 2015-10-15 9:20:20", date(2015, 10, 15)),
        ("September 18, 2015", date(2015, 9, 18)),
        ("3. Mai 2024, 17:47", date(2024, 5, 3)),
        ("Updated 10:31 AM EDT, Tue May 7, 2024", date(2024, 5, 7)),
        ("Stand: 07.11.2023, 07:30 Uhr", date(2023, 11, 7)),
        ("Publié le 7 mai 2020 à 10h", date(2020, 5, 7)),
        ("3 de mayo de 2022 21:25", date(2022, 5, 3)),
        ("Pubblicato il 5 gennaio 2025", date(2025, 1, 5)),
        ("Publicado em 12 de março de 2021", date(2021, 3, 12)),
        ("Gepubliceerd op 14 februari 2023", date(2023, 2, 14)),
        ("2025年1月13日 20時01分", date(2025, 1, 13)),
        ("12/30/2019 05:03 AM EST", date(2019, 12, 30)),
    ],
)
def test_date_patterns(line: str, expected: date) -> None:
    hits = find_dates(line)
    assert hits and hits[0].as_date() == expected


def test_no_full_date_without_a_year() -> None:
    assert find_dates("WASHINGTON, Sept. 29 (Xinhua) --") == []
    assert find_dates("Russia began airstrikes in Syria on Sept. 30") == []


def test_languages_limit_month_names() -> None:
    assert DateFinder(("en",)).find("3. Mai 2024") == []
    assert DateFinder(("de",)).find("3. Mai 2024")[0].as_date() == date(2024, 5, 3)


def test_dateline_parsing() -> None:
    finder = DateFinder()
    line = find_dateline("BERLIN (dpa) - Die Bundesregierung hat am Mittwoch beschlossen.", finder)
    assert line is not None and line.place == "BERLIN" and line.agency == "dpa"
    assert find_dateline("Washington and Moscow set to renew talks", finder) is None


def test_relative_dates() -> None:
    assert relative_age("2 hours ago") == timedelta(hours=2)
    assert relative_age("vor 3 Tagen") == timedelta(days=3)
    assert relative_age("il y a 2 jours") == timedelta(days=2)
    assert relative_age("The 2 days of talks ended") is None


# ------------------------------------------------------------------- small documents
BAHN_BODY = """\
Die Bundesregierung hat neue Regeln für den Bahnverkehr beschlossen, die ab Dezember \
gelten sollen und viele Pendler betreffen werden.
Nach Angaben des Ministeriums sollen die Regeln vor allem die Pünktlichkeit verbessern, \
was Fahrgastverbände seit Jahren fordern.
Kritiker bemängeln, dass die Finanzierung der Maßnahmen bislang nicht geklärt sei und \
die Länder zu wenig eingebunden würden.
"""

ARTICLE = (
    """Home
News
Politik
Wirtschaft
Neue Regeln für den Bahnverkehr ab Dezember
Von Anna Beispiel
Veröffentlicht am 3. Mai 2024, 17:47 Uhr
Aktualisiert am 4. Mai 2024, 09:10 Uhr
"""
    + BAHN_BODY
    + """Mehr zum Thema
Weitere Artikel vom 1. Januar 2023
"""
)


def test_small_article_headline_byline_and_published_over_updated() -> None:
    doc = clean(ARTICLE)
    assert doc.headline == "Neue Regeln für den Bahnverkehr ab Dezember"
    assert doc.published == "2024-05-03"
    assert doc.meta["byline"] == "Anna Beispiel"
    assert "Neue Regeln für den Bahnverkehr ab Dezember" not in doc.text
    assert "Von Anna Beispiel" not in doc.text
    assert doc.meta["updated"] == "2024-05-04"
    assert "Aktualisiert" not in doc.text and "Veröffentlicht" not in doc.text
    # The navigation lines are chrome's business; the body paragraphs stay.
    assert doc.text.startswith("Home\n\nNews\n\nPolitik\n\nWirtschaft\n\nDie Bundesregierung")


def test_future_dates_and_dates_before_the_floor_are_ignored() -> None:
    future = date.today() + timedelta(days=40)
    text = f"A headline about the coming summit\n{future:%B} {future.day}, {future.year}\n" + (
        "The summit will bring together leaders from many countries to discuss trade. " * 3
    )
    assert clean(text).published is None
    old = "A headline about an old treaty\nMarch 3, 1985\n" + ("The treaty was signed. " * 8)
    assert clean(old).published is None
    assert clean(old, date_floor="1980-01-01").published == "1985-03-03"


def test_a_date_line_under_the_headline_counts_whatever_chrome_called_it() -> None:
    # Chrome may call the short date line `nav` or `related`; it is still the article's
    # own date line (right under the headline and byline), unlike the list's date.
    for label in ("nav", "related", "comments"):
        doc = Document.from_text("doc", ARTICLE)
        for p in doc.paragraphs:
            if "Mai 2024" in p.text or p.text.startswith(("Mehr zum", "Weitere")):
                p.notes["chrome"] = label
        HeadlineDateCleaner().clean(doc)
        assert doc.published == "2024-05-03", label


TEASERS = """Home
Neue Regeln für den Bahnverkehr ab Dezember
Die Bundesregierung hat neue Regeln für den Bahnverkehr beschlossen, die ab Dezember \
gelten sollen und viele Pendler betreffen werden.
Nach Angaben des Ministeriums sollen die Regeln vor allem die Pünktlichkeit verbessern, \
was Fahrgastverbände seit Jahren fordern.
Mehr zum Thema
Bahnstreik legt den Fernverkehr lahm 12. April 2024
Neue Schnellstrecke nach Süden eröffnet 2. März 2024
"""


def test_dates_of_related_teasers_are_not_used() -> None:
    doc = Document.from_text("doc", TEASERS)
    for p in doc.paragraphs[-3:]:
        p.notes["chrome"] = "related"
    HeadlineDateCleaner().clean(doc)
    assert doc.headline == "Neue Regeln für den Bahnverkehr ab Dezember"
    assert doc.published is None


def test_reads_lines_chrome_removed_as_meta() -> None:
    doc = Document.from_text("doc", ARTICLE)
    for p in doc.paragraphs:
        if p.text.startswith(("Veröffentlicht", "Neue Regeln")):
            p.notes["chrome"] = "meta"
            p.remove("chrome", "meta:date" if "Mai" in p.text else "meta:title")
    HeadlineDateCleaner().clean(doc)
    assert doc.headline == "Neue Regeln für den Bahnverkehr ab Dezember"
    assert doc.published == "2024-05-03"


def test_lines_removed_by_dedup_are_ignored() -> None:
    doc = Document.from_text("doc", ARTICLE)
    for p in doc.paragraphs:
        if p.text.startswith("Veröffentlicht"):
            p.remove("dedup", "duplicate")
    HeadlineDateCleaner().clean(doc)
    assert doc.published != "2024-05-03"


def test_relative_date_needs_a_reference_date() -> None:
    text = "Storm closes the harbour for a week\n2 days ago\n" + (
        "The harbour authority closed the port after the storm damaged the quays. " * 3
    )
    doc = clean(text)
    assert doc.published is None and doc.meta["published_relative"] == "2 days ago"
    assert clean(text, reference_date="2024-05-07").published == "2024-05-05"


def test_no_headline_when_the_text_starts_with_the_body() -> None:
    text = (
        "The council voted on Tuesday to close the old bridge to traffic. " * 2
        + "\n"
        + ("Engineers had warned for years that the structure was unsafe for heavy vehicles. " * 2)
    )
    assert clean(text).headline is None


def test_output_is_json_serialisable_and_deterministic(seeds: dict[str, Document]) -> None:
    for doc in seeds.values():
        json.dumps(doc.meta)
    again = clean((SEEDS / "001_d119ceb19cfc3e37.txt").read_text(encoding="utf-8"))
    assert again.meta == seeds["001"].meta


def test_config_rejects_unknown_keys_and_bad_dates() -> None:
    with pytest.raises(ValueError):
        HeadlineDateCleaner({"no_such_option": 1})
    with pytest.raises(ValueError):
        HeadlineDateCleaner({"date_floor": "not a date"})


def test_empty_and_odd_documents() -> None:
    for text in ["", "\n\n", "x", "2024", "By\n\n|", "—" * 500]:
        doc = clean(text)
        assert doc.published is None


# --------------------------------------------------------------- corpus-dev smoke test
@pytest.mark.skipif(not (SHARED / "docs.jsonl.gz").exists(), reason="corpus-dev absent")
def test_corpus_dev_smoke() -> None:
    """Runs on a few real pages without asserting exact outputs (corpus-dev is a benchmark)."""
    with gzip.open(SHARED / "docs.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(40), f, strict=False)]
    cleaner = HeadlineDateCleaner()
    for row in rows:
        doc = Document.from_text(row["id"], row["text"])
        cleaner.clean(doc)
        assert doc.published is None or len(doc.published) == 10
        json.dumps(doc.meta)


def test_month_day_under_the_headline_gets_a_year_only_from_evidence() -> None:
    body = "The committee met again to discuss the budget for the coming year. " * 3
    text = f"Budget talks resume in the capital\nSept. 29\n{body}"
    doc = clean(text)
    assert doc.published is None and doc.meta["published_partial"] == "09-29"
    # A related story's date cannot be the publication date, but it is evidence of the year.
    with_evidence = Document.from_text("doc", text + "\nRelated: an older story, October 2, 2015")
    with_evidence.paragraphs[-1].notes["chrome"] = "related"
    HeadlineDateCleaner().clean(with_evidence)
    assert with_evidence.published == "2015-09-29"
    assert with_evidence.meta["published_source"]["year_from"] == "page"


def test_a_sentence_starting_with_von_is_not_a_byline() -> None:
    doc = clean("Streit um den Haushalt\nVon der Leyen kritisiert die Pläne\n" + "Der Text. " * 30)
    assert "byline" not in doc.meta


# --------------------------------------------------------------- round 2 behaviours
LEAD = (
    "Die Bundesregierung hat am Mittwoch neue Regeln beschlossen, die ab Dezember gelten "
    "sollen und viele Pendler betreffen werden.\n"
) * 3


@pytest.mark.parametrize(
    "title",
    [
        "Von München bis Aachen: Im Netz der China-Agenten",
        "«Gute Löhne alleine reichen nicht»",
    ],
)
def test_headlines_that_look_like_a_byline_or_a_nav_arrow(title: str) -> None:
    doc = clean(f"Home\nPolitik\n{title}\nVon Anna Beispiel\n3. Mai 2024\n{LEAD}")
    assert doc.headline == title
    assert doc.meta["byline"] == "Anna Beispiel"
    assert doc.published == "2024-05-03"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published: Aug 08, 2024 4:00 AM EDT", True),
        ("1. Februar 2022 Luis Holuch", True),
        ("Von Anna Beispiel | 03.05.2024, 17:47 Uhr", True),
        ("Source:Xinhua Published: 2015-10-15 9:20:20", True),
        ("Mining blasts shatter homes across the valley November 21, 2025", False),
        ("Bahnstreik legt den Fernverkehr lahm 12. April 2024", False),
    ],
)
def test_date_lines_are_told_from_teasers(text: str, expected: bool) -> None:
    doc = Document.from_text("doc", text)
    line = Line(0, 0, doc.paragraphs[0], text, "nav", len(text.split()), False)
    line.dates = find_dates(text)
    assert line.is_date_line is expected
    assert line.may_date is expected


def test_headline_above_a_short_article_when_comments_are_longer() -> None:
    article = (
        "Die Stadt plant einen neuen Radweg entlang des Flusses, der im kommenden Frühjahr "
        "fertig werden soll, wie die Verwaltung am Dienstag mitteilte.\n"
    ) * 2
    menu = "".join(f"Rubrik {k}\n" for k in range(45))
    comment = (
        "Ich finde diesen Artikel wirklich sehr gut geschrieben, aber ein paar Punkte fehlen "
        "mir noch, zum Beispiel die Kosten.\n"
    )
    doc = clean(f"Home\nLokales\nNeuer Radweg am Fluss geplant\n{article}{menu}" + comment * 12)
    assert doc.headline == "Neuer Radweg am Fluss geplant"


def test_date_lines_of_a_related_list_are_not_used() -> None:
    teasers = "Mehr zum Thema\nBahnstreik legt den Fernverkehr lahm\n12. April 2024\n"
    teasers += "Neue Schnellstrecke nach Süden eröffnet\n2. März 2024\n"
    doc = Document.from_text("doc", TEASERS.split("Mehr zum Thema")[0] + teasers)
    for p in doc.paragraphs:
        if p.text in teasers:
            p.notes["chrome"] = "related"
    HeadlineDateCleaner().clean(doc)
    assert doc.headline == "Neue Regeln für den Bahnverkehr ab Dezember"
    assert doc.published is None


def test_a_lone_date_line_in_the_head_counts_even_if_labelled_related() -> None:
    doc = Document.from_text("doc", TEASERS.replace("Home\n", "Home\n3. Mai 2024\n"))
    doc.paragraphs[1].notes["chrome"] = "related"
    HeadlineDateCleaner().clean(doc)
    assert doc.published == "2024-05-03"


def test_a_line_cut_from_a_body_paragraph_is_flagged_as_a_teaser() -> None:
    from cleankit.plugins._headline_title import _occurrences

    body = (
        '"The talks covered areas where the two views overlap and areas of divergence," he '
        "said, adding that both sides would meet again next week in Geneva."
    )
    teaser = '"The talks covered areas where the two views overlap and areas of divergence," he'
    page = "\n".join(["Menu", teaser, "By AFP", body])
    inside, continued, _tail, _site, prose = _occurrences(page, teaser)
    assert inside and continued and prose
    title_page = "\n".join(["Talks resume in Geneva", "Talks resume in Geneva | Example News"])
    assert _occurrences(title_page, "Talks resume in Geneva")[4] is False


def test_headline_inside_the_densest_run_after_a_teaser() -> None:
    teaser = (
        "An earlier report about a different subject fills this paragraph with enough words "
        "to look like prose, and it ends like a sentence."
    )
    body = (
        "The city council approved the new budget on Tuesday after a long debate about "
        "schools, roads and the cost of public transport in the region."
    )
    lines = [teaser] * 8 + ["Menu", "Council approves the new city budget", "03.11.2021"]
    doc = clean("\n".join(lines + [body] * 8))
    assert doc.headline == "Council approves the new city budget"
    assert doc.published == "2021-11-03"


# ------------------------------------------------------------------- round 3 additions
@pytest.mark.parametrize(
    ("line", "caption"),
    [
        ("© Eileen Jordan", True),
        ("Motivierte Akteure des Netzwerktreffens in Egling. Foto: Energiewende Oberland", True),
        ("Players after the match (Photos: Getty/AP)", True),
        ("A rally of workers in Des Moines, Iowa. (Courtesy of Tanner Fischer)", True),
        ("Verstappen y Russell, durante la primera vuelta del GP de Qatar.AFP", True),
        ("Un grupo de pingüinos, en la Antártida el 11 de febrero pasado. EFE", True),
        ("Erstes Bild: So könnte die Duisburger Seilbahn aussehen", False),
        ("Bhindi masala (okra stir fry)", False),
        ("Wireshark: Besuchte URLs anzeigen (HTTP und HTTPS)", False),
        ("HOCHAUFLÖSENDE SCHNEEKARTEN AUF GIPFELBUCH.CH", False),
    ],
)
def test_photo_captions_and_credits_are_recognised(line: str, caption: bool) -> None:
    from cleankit.plugins._headline_title import is_caption

    assert is_caption(line) is caption


CAPTIONED = (
    """Home
Politik
Neue Regeln für den Bahnverkehr ab Dezember
3. Mai 2024
Ein Zug im Hauptbahnhof am Montagmorgen. Foto: Anna Beispiel
"""
    + BAHN_BODY
)


def test_a_photo_caption_next_to_the_body_is_not_the_headline() -> None:
    doc = clean(CAPTIONED)
    assert doc.headline == "Neue Regeln für den Bahnverkehr ab Dezember"
    assert doc.published == "2024-05-03"


def test_todays_date_in_the_site_header_is_not_the_publication_date() -> None:
    # The site prints the day it was fetched above its menu; the article's date sits
    # under its headline and is earlier.
    header = "Mittwoch, 8. Mai 2024\nHome\nWirtschaft\nKultur\nSport\n"
    doc = clean(CAPTIONED.replace("Home\n", header))
    assert doc.published == "2024-05-03"


def test_an_edit_stamp_is_not_the_publication_date() -> None:
    text = ARTICLE.replace("Aktualisiert am 4. Mai 2024, 09:10 Uhr", "Letzte Änderung: 4. Mai 2024")
    doc = clean(text)
    assert doc.published == "2024-05-03"
    assert doc.meta["updated"] == "2024-05-04"


def test_config_takes_toml_dates_and_refuses_unknown_languages() -> None:
    from pydantic import ValidationError

    config = HeadlineDateCleaner({"date_floor": date(1700, 1, 1)}).config
    assert config.date_floor == "1700-01-01"  # type: ignore[attr-defined]
    for bad in ({"languages": ["xx"]}, {"date_threshold": -1}, {"date_floor": "1700-13-01"}):
        with pytest.raises(ValidationError):
            HeadlineDateCleaner(bad)


# ------------------------------------------------------------------- round 4 additions
@pytest.mark.parametrize(
    ("line", "headline"),
    [
        ("Home / Essays / 2017 / January / Aggression Fotografie", "Aggression Fotografie"),
        (
            "Du befindest dich hier: Home » Gesellschaft » „Unermüdlicher Einsatz“",
            "„Unermüdlicher Einsatz“",
        ),
        (
            "home / Betrieb / IT / Cyber-Angriffe: 20 Prozent vom Budget",
            "Cyber-Angriffe: 20 Prozent vom Budget",
        ),
        # One spaced slash belongs to the title; ` | ` separates a site name, not a trail.
        (
            "Können Fische Schmerzen spüren / empfinden?",
            "Können Fische Schmerzen spüren / empfinden?",
        ),
        (
            "Record of The Week: Luboku, ‘Pale Blue Dot / Lift Off’",
            "Record of The Week: Luboku, ‘Pale Blue Dot / Lift Off’",
        ),
        (
            "Was wir über uns nicht hören wollen | Blog | FASSETTE.NET",
            "Was wir über uns nicht hören wollen | Blog | FASSETTE.NET",
        ),
        # A trail whose last step is a single word is a section path, not a headline.
        ("Startseite › Politik › Ausland", "Startseite › Politik › Ausland"),
        (
            "»Einfach kein Geld mehr, um die Miete zu zahlen«",
            "»Einfach kein Geld mehr, um die Miete zu zahlen«",
        ),
    ],
)
def test_a_breadcrumb_trail_gives_its_last_step_as_the_headline(line: str, headline: str) -> None:
    from cleankit.plugins._headline_title import headline_text

    assert headline_text(line) == headline


def test_a_breadcrumb_line_chosen_as_headline_yields_the_title_step() -> None:
    text = CAPTIONED.replace(
        "Neue Regeln für den Bahnverkehr ab Dezember",
        "Home / Politik / Verkehr / Neue Regeln für den Bahnverkehr ab Dezember",
    )
    doc = clean(text)
    assert doc.headline == "Neue Regeln für den Bahnverkehr ab Dezember"
    assert doc.published == "2024-05-03"


HINDI = """होम
राज्य
पुलिस ने दो चोरों को गिरफ्तार किया, गहने बरामद
4 सितंबर 2024
पुलिस ने बताया कि दोनों आरोपियों को शहर के बाहर एक खाली मकान से पकड़ा गया, जहां \
वे चोरी का सामान छिपा कर रखे हुए थे और उसे बेचने की तैयारी कर रहे थे।
पूछताछ में दोनों ने पिछले सप्ताह हुई तीन चोरियों की बात कबूल की है, और पुलिस अब \
उनके बाकी साथियों की तलाश में आसपास के गांवों में छापेमारी कर रही है।
थाना प्रभारी ने कहा कि बरामद गहनों की पहचान के लिए पीड़ित परिवारों को बुलाया गया \
है, और मामले की जांच आगे भी जारी रहेगी ताकि पूरे गिरोह का पता चल सके।
"""


def test_prose_ending_with_a_danda_is_the_body_block() -> None:
    # Hindi and Bengali end sentences with `।`: without it the page has no prose block
    # and the headline is looked for in the wrong place.
    footer = "".join(f"संबंधित खबर {n}\n" for n in range(40))
    doc = clean(HINDI + footer)
    assert doc.headline == "पुलिस ने दो चोरों को गिरफ्तार किया, गहने बरामद"
