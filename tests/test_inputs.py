"""Reading every supported input format, and bad input ending up in the quarantine."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from cleankit.cli import main

BODY = "The Pentagon said on Friday that talks with Russia would continue next week."


def clean(tmp_path: Path, *inputs: Path | str, extra: tuple[str, ...] = ()) -> tuple[int, Path]:
    out = tmp_path / "out"
    code = main(["clean", *map(str, inputs), "-o", str(out), "--only", "encoding", *extra])
    return code, out


def rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def jsonl_bytes(records: list[dict]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def test_every_format_in_one_run(tmp_path):
    folder = tmp_path / "txt" / "sub"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(BODY)
    (tmp_path / "single.txt").write_text(BODY)
    recs = [{"doc": f"j{i}", "body": BODY, "url": "https://www.example.org/x"} for i in range(3)]
    (tmp_path / "p.jsonl").write_bytes(jsonl_bytes(recs))
    (tmp_path / "p.jsonl.gz").write_bytes(
        gzip.compress(jsonl_bytes([{**r, "doc": r["doc"] + "g"} for r in recs]))
    )
    zst = zstandard.ZstdCompressor().compress(
        jsonl_bytes([{**r, "doc": r["doc"] + "z"} for r in recs])
    )
    (tmp_path / "p.jsonl.zst").write_bytes(zst)
    table = pa.table({"doc": ["q1", "q2"], "body": [BODY, BODY]})
    pq.write_table(table, tmp_path / "p.parquet")
    inputs = [
        tmp_path / "txt",
        tmp_path / "single.txt",
        tmp_path / "p.jsonl",
        tmp_path / "p.jsonl.gz",
        tmp_path / "p.jsonl.zst",
        tmp_path / "p.parquet",
    ]
    code, out = clean(tmp_path, *inputs, extra=("--id-field", "doc", "--text-field", "body"))
    assert code == 0
    docs = rows(out / "documents.jsonl")
    ids = [d["id"] for d in docs]
    assert ids == [
        "sub/a",
        "single",
        "j0",
        "j1",
        "j2",
        "j0g",
        "j1g",
        "j2g",
        "j0z",
        "j1z",
        "j2z",
        "q1",
        "q2",
    ]
    assert docs[2]["source"] == "example.org"
    assert docs[2]["meta"]["input_fields"] == {"url": "https://www.example.org/x"}
    assert rows(out / "quarantine.jsonl") == []


def test_non_utf8_text_is_decoded_and_charset_recorded(tmp_path):
    text = (
        "Le ministre a déclaré que les discussions étaient « très utiles » à Genève, où il était."
    )
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    code, out = clean(tmp_path, tmp_path / "latin.txt")
    assert code == 0
    (doc,) = rows(out / "documents.jsonl")
    assert doc["text"] == text
    assert doc["meta"]["charset"] not in (None, "utf-8")


def test_bad_files_are_quarantined_not_fatal(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(BODY)
    (folder / "empty.txt").write_text("  \n\n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 3)
    (folder / "big.txt").write_text(BODY * 100)
    code, out = clean(tmp_path, folder, extra=("--max-doc-bytes", "1000"))
    assert code == 0
    assert [d["id"] for d in rows(out / "documents.jsonl")] == ["good"]
    reasons = {q["id"]: q["reason"] for q in rows(out / "quarantine.jsonl")}
    assert reasons == {"big": "too-large", "binary": "binary", "empty": "empty"}
    stats = json.loads((out / "stats.json").read_text())
    assert stats["documents"]["quarantined_by_reason"] == {"binary": 1, "empty": 1, "too-large": 1}


def test_broken_json_lines_keep_the_rest(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": BODY}),
        '{"id": "b", "text": "unterminated',
        "[1, 2]",
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": "x" * 5000}),
        json.dumps({"id": "e", "text": BODY}),
        "",
        json.dumps({"id": "f", "text": BODY}),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    code, out = clean(tmp_path, path, extra=("--max-doc-bytes", "1000"))
    assert code == 0
    assert [d["id"] for d in rows(out / "documents.jsonl")] == ["a", "e", "f"]
    quarantine = rows(out / "quarantine.jsonl")
    assert [(q["input"].rsplit(":", 1)[1], q["reason"]) for q in quarantine] == [
        ("2", "bad-json"),
        ("3", "bad-json"),
        ("4", "missing-field"),
        ("5", "too-large"),
    ]
    assert quarantine[0]["content"].startswith('{"id": "b"')


def test_truncated_gzip_keeps_records_before_the_damage(tmp_path):
    data = gzip.compress(jsonl_bytes([{"id": f"r{i}", "text": BODY} for i in range(200)]))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    code, out = clean(tmp_path, path)
    assert code == 0
    assert rows(out / "documents.jsonl"), "records before the damage are kept"
    assert rows(out / "quarantine.jsonl")[-1]["reason"] == "unreadable"


def test_duplicate_ids_are_quarantined(tmp_path):
    path = tmp_path / "dups.jsonl"
    path.write_bytes(
        jsonl_bytes([{"id": "same", "text": BODY}, {"id": "same", "text": BODY + " Again."}])
    )
    code, out = clean(tmp_path, path)
    assert code == 0
    assert len(rows(out / "documents.jsonl")) == 1
    assert rows(out / "quarantine.jsonl")[0]["reason"] == "duplicate-id"


@pytest.mark.parametrize("name", ["notes.md", "data.csv"])
def test_unsupported_files_in_folders_are_skipped_with_a_warning(tmp_path, capsys, name):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(BODY)
    (folder / name).write_text("ignored")
    code, out = clean(tmp_path, folder)
    assert code == 0
    assert "skipped 1 file" in capsys.readouterr().err


# --- legacy Latin code pages: windows-1252 preferred when the bytes allow it -------------

WESTERN = {
    "fr": "L'élève très âgé était à Paris, à côté de la rivière, où il a déclaré « non ».",
    "de": "Der Bürgermeister sagte, die Straße werde für den Verkehr gesperrt, weil Bäume fallen.",
    "es": "El niño pequeño comió una manzana en el jardín; ¿dónde está la señora García? ¡Qué día!",
}
CENTRAL = {
    "cs": "Příliš žluťoučký kůň úpěl ďábelské ódy. Předseda vlády řekl, že zákon bude "
    "schválen příští týden a že se nic nezmění.",
    "pl": "Zażółć gęślą jaźń. Minister powiedział, że rząd przyjmie ustawę w przyszłym "
    "tygodniu, a sąd ją zbada.",
    "hu": "Győr városában a polgármester bejelentette, hogy jövőre új hidat építenek a folyó "
    "fölött, és ősszel kezdődik.",
}


@pytest.mark.parametrize("lang", sorted(WESTERN))
@pytest.mark.parametrize("charset", ["latin-1", "cp1252"])
def test_western_legacy_text_is_read_as_cp1252(tmp_path, lang, charset):
    text = WESTERN[lang]
    (tmp_path / "w.txt").write_bytes((text + "\n").encode(charset))
    code, out = clean(tmp_path, tmp_path / "w.txt")
    assert code == 0
    (doc,) = rows(out / "documents.jsonl")
    assert doc["text"] == text
    assert doc["meta"]["charset"] == "cp1252"


@pytest.mark.parametrize("lang", sorted(CENTRAL))
def test_central_european_cp1250_text_stays_cp1250(tmp_path, lang):
    text = CENTRAL[lang]
    (tmp_path / "c.txt").write_bytes((text + "\n").encode("cp1250"))
    code, out = clean(tmp_path, tmp_path / "c.txt")
    assert code == 0
    (doc,) = rows(out / "documents.jsonl")
    assert doc["text"] == text
    assert doc["meta"]["charset"] == "cp1250"


def test_french_sentence_that_fooled_the_detector(tmp_path):
    """The QA case: short Latin-1 French came out as cp1250 ("élčve ... ŕ Paris")."""
    text = "l'élève très âgé était à Paris, à côté de la rivière."
    (tmp_path / "fr.txt").write_bytes((text + "\n").encode("latin-1"))
    code, out = clean(tmp_path, tmp_path / "fr.txt")
    (doc,) = rows(out / "documents.jsonl")
    assert (doc["text"], doc["meta"]["charset"]) == (text, "cp1252")


# --- UTF-16 / UTF-32 ----------------------------------------------------------------------

GERMAN = "Der Bürgermeister sagte, die Straße bleibt bis Freitag gesperrt …"


@pytest.mark.parametrize("charset", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_utf16_and_utf32_text_is_decoded_not_binary(tmp_path, charset):
    (tmp_path / "wide.txt").write_bytes((GERMAN + "\n").encode(charset))
    code, out = clean(tmp_path, tmp_path / "wide.txt")
    assert code == 0
    (doc,) = rows(out / "documents.jsonl")
    assert doc["text"] == GERMAN
    assert rows(out / "quarantine.jsonl") == []


def test_bomless_utf16_outside_latin1_stays_quarantined(tmp_path):
    """Only the simple NUL pattern is trusted without a BOM; Cyrillic UTF-16LE is not."""
    text = "Президент заявил, что закон примут на этой неделе.\n"
    (tmp_path / "ru.txt").write_bytes(text.encode("utf-16-le"))
    code, out = clean(tmp_path, tmp_path / "ru.txt")
    assert code == 0
    assert rows(out / "documents.jsonl") == []
    assert rows(out / "quarantine.jsonl")[0]["reason"] == "binary"


# --- damaged zstd ---------------------------------------------------------------------------


def zst_records(n: int) -> bytes:
    return zstandard.ZstdCompressor().compress(
        jsonl_bytes([{"id": f"r{i}", "text": f"{BODY} Number {i}."} for i in range(n)])
    )


@pytest.mark.parametrize("n", [3, 2000])
def test_truncated_zstd_is_quarantined_as_unreadable(tmp_path, n):
    path = tmp_path / "cut.jsonl.zst"
    path.write_bytes(zst_records(n)[:-3])
    code, out = clean(tmp_path, path)
    assert code == 0
    quarantine = rows(out / "quarantine.jsonl")
    assert quarantine[-1]["reason"] == "unreadable"
    assert "zstd frame" in quarantine[-1]["detail"]
    assert not any(q["reason"] == "bad-json" for q in quarantine), "no half line is parsed"
    if n > 100:
        assert rows(out / "documents.jsonl"), "records before the damage are kept"


def test_corrupt_zstd_is_quarantined_not_a_crash(tmp_path):
    path = tmp_path / "garbage.jsonl.zst"
    path.write_bytes(b"not zstd at all")
    code, out = main(["clean", str(path), "-o", str(tmp_path / "out")]), tmp_path / "out"
    assert code == 0
    (entry,) = rows(out / "quarantine.jsonl")
    assert entry["reason"] == "unreadable"
    assert "corrupt zstd" in entry["detail"]


def test_multi_frame_zstd_is_read_to_the_end(tmp_path):
    path = tmp_path / "two.jsonl.zst"
    path.write_bytes(zst_records(3) + zst_records(2))
    code, out = clean(tmp_path, path)
    assert code == 0
    assert len(rows(out / "documents.jsonl")) == 3  # ids r0..r2; r0, r1 repeat
    assert [q["reason"] for q in rows(out / "quarantine.jsonl")] == ["duplicate-id"] * 2


# --- names and strings that are not valid Unicode ----------------------------------------


def test_txt_with_undecodable_file_name_is_read_with_an_escaped_id(tmp_path):
    import os

    from cleankit.config import Settings
    from cleankit.io.readers import read_txt
    from cleankit.io.records import Record

    folder = os.fsencode(tmp_path / "fn")
    os.mkdir(folder)
    try:
        with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as fh:
            fh.write(BODY.encode())
    except OSError:
        pytest.skip("file system refuses non-UTF-8 names")
    (path,) = (tmp_path / "fn").iterdir()
    record = read_txt(path, tmp_path / "fn", Settings())
    assert isinstance(record, Record)
    assert record.id == "caf\\xe9"
    assert record.input.endswith("caf\\xe9.txt")
    record.input.encode("utf-8")  # valid text: no surrogates left


def test_lone_surrogates_from_json_escapes_are_replaced(tmp_path):
    path = tmp_path / "sur.jsonl"
    path.write_text(
        '{"id": "a", "text": "x \\ud800 y"}\n'
        '{"id": "b\\udc00", "text": "fine text", "tags": ["\\udfff"]}\n'
        '{"id": "c", "text": "a real pair \\ud83d\\ude00"}\n'
    )
    code, out = clean(tmp_path, path)
    assert code == 0
    docs = {d["id"]: d for d in rows(out / "documents.jsonl")}
    assert set(docs) == {"a", "b\ufffd", "c"}
    assert docs["a"]["text"] == "x \ufffd y"
    assert docs["a"]["meta"]["replaced_surrogates"] == 1
    assert docs["b\ufffd"]["meta"]["input_fields"] == {"tags": ["\ufffd"]}
    assert docs["c"]["text"] == "a real pair \U0001f600"
    assert "replaced_surrogates" not in docs["c"]["meta"]


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        (CENTRAL["cs"], "iso-8859-2"),
        (CENTRAL["pl"], "iso-8859-2"),
        (
            "Cumhurbaşkanı, hükümetin yasayı bu hafta kabul edeceğini söyledi; görüşmeler sürüyor.",
            "cp1254",
        ),
        (
            "Prezidentas pareiškė, kad vyriausybė šią savaitę priims įstatymą, o teismas jį "
            "išnagrinės.",
            "cp1257",
        ),
    ],
)
def test_other_latin_code_pages_are_not_forced_to_cp1252(tmp_path, text, charset):
    """Czech ISO-8859-2 used to come out as iso8859_10, Turkish cp1254 as cp1250."""
    (tmp_path / "x.txt").write_bytes((text + "\n").encode(charset))
    code, out = clean(tmp_path, tmp_path / "x.txt")
    (doc,) = rows(out / "documents.jsonl")
    assert doc["text"] == text
    assert doc["meta"]["charset"] != "cp1252"
