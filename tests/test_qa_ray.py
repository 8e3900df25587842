"""QA round 4: errors from Ray actors read like local ones (skipped without Ray)."""

from __future__ import annotations

import pytest

from cleankit.cli import main

pytest.importorskip("ray")

RAISING_PLUGIN = """
from cleankit import DocumentCleaner, hookimpl

class Exploding(DocumentCleaner):
    name = "exploding"

    def clean(self, doc):
        if "Pentagon" in doc.paragraphs[0].text:
            raise RuntimeError("boom")

@hookimpl
def cleankit_register_cleaners(register):
    register(Exploding)
"""


def test_a_failing_cleaner_on_ray_is_one_plain_line(capsys, fake_entry_point, seeds_dir, tmp_path):
    """Was: Ray's whole remote traceback, ANSI colour codes included, on the error line."""
    fake_entry_point("exploding", RAISING_PLUGIN)
    args = ["clean", str(seeds_dir), "-o", str(tmp_path / "out"), "-q", "--engine", "ray"]
    args += ["-w", "1", "--set", 'pipeline.cleaners=["encoding","exploding"]']
    code = main([*args, "--on-error", "fail"])
    err = capsys.readouterr().err
    assert code == 5
    [line] = [x for x in err.splitlines() if x.startswith("cleankit:")]
    assert line.endswith("cleaner 'exploding' raised RuntimeError: boom")
    assert "\x1b[" not in line and "ray::" not in line
