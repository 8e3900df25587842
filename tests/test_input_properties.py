"""Property tests of the input layer: any bytes become a record or a quarantine entry."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleankit.config import Settings
from cleankit.document import Document
from cleankit.io.decode import decode_bytes
from cleankit.io.readers import read_jsonl, read_txt
from cleankit.io.records import Quarantined, Record

SETTINGS = Settings()
PROFILE = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROFILE
@given(st.binary(max_size=2000))
def test_decode_never_raises_and_is_lossless_for_utf8(data):
    decoded = decode_bytes(data)
    assert decoded.text is not None or decoded.problem in ("binary", "undecodable")
    if decoded.charset == "utf-8":
        assert decoded.text == data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")


@PROFILE
@given(st.binary(max_size=2000))
def test_any_txt_file_is_a_record_or_quarantined(tmp_path: Path, data):
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    result = read_txt(path, tmp_path, SETTINGS)
    assert isinstance(result, (Record, Quarantined))
    if isinstance(result, Record):
        assert result.id == "doc" and result.text.strip()


@PROFILE
@given(st.lists(st.binary(max_size=300).filter(lambda b: b"\n" not in b), max_size=20))
def test_any_jsonl_lines_yield_one_result_per_nonblank_line(tmp_path: Path, lines):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    results = list(read_jsonl(path, SETTINGS))
    assert len(results) == sum(1 for line in lines if line.strip())
    assert all(isinstance(r, (Record, Quarantined)) for r in results)


@PROFILE
@given(st.text(max_size=3000))
def test_paragraph_split_keeps_every_nonblank_line(text):
    doc = Document.from_text("d", text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # gap_before: a blank line right before (then every line since the last paragraph is)
    expected = [
        (ln, i > 0 and not lines[i - 1].strip()) for i, ln in enumerate(lines) if ln.strip()
    ]
    assert [(p.text, p.gap_before) for p in doc.paragraphs] == expected


LATIN1_TEXT = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"),
    min_size=2,
    max_size=400,
).filter(lambda t: not any(0x80 <= ord(c) < 0xA0 for c in t))


@PROFILE
@given(LATIN1_TEXT, st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32"]))
def test_wide_unicode_text_of_latin1_range_round_trips(text, charset):
    decoded = decode_bytes(text.encode(charset))
    assert decoded.text == text


@PROFILE
@given(st.text(max_size=200))
def test_json_strings_with_any_code_points_read_as_valid_text(tmp_path: Path, text):
    import json

    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"id": text or "x", "text": "t " + text}) + "\n")
    (result,) = list(read_jsonl(path, SETTINGS))
    assert isinstance(result, (Record, Quarantined))
    if isinstance(result, Record):
        (result.id + result.text).encode("utf-8")  # no lone surrogate survives


@PROFILE
@given(st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\x00" not in b))
def test_path_text_is_always_valid_utf8(name):
    import os

    from cleankit.io.readers import path_text

    shown = path_text(os.fsdecode(name))
    shown.encode("utf-8")
