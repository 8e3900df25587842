"""The fixtures `cleankit.testing` offers plugin authors work as documented."""

from __future__ import annotations

from cleankit import DocumentCleaner


def test_make_document_and_run_cleaner_by_name(make_document, run_cleaner):
    doc = make_document("Russia´s defence ministry said so.\n\nA second paragraph.", id="a")
    assert [p.gap_before for p in doc.paragraphs] == [False, True]
    (cleaned,) = run_cleaner("encoding", [doc], acute_apostrophe=True)
    assert cleaned.paragraphs[0].text == "Russia's defence ministry said so."
    assert cleaned.paragraphs[0].edits[0].fixes == ["acute_apostrophe"]


def test_run_cleaner_with_an_instance_and_plain_strings(run_cleaner):
    class Upper(DocumentCleaner):
        name = "upper"

        def clean(self, doc):
            for p in doc.paragraphs:
                p.edit(self.name, ["upper"], p.text.upper())

    docs = run_cleaner(Upper(), ["one line", "another"])
    assert [d.text for d in docs] == ["ONE LINE", "ANOTHER"]
    assert [d.id for d in docs] == ["doc0", "doc1"]
