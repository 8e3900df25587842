"""The plugin host: entry points, the README example, broken plugins, allow/block lists."""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cleankit import DocumentCleaner, hookimpl, hookspecs
from cleankit.cli import main
from cleankit.errors import PluginError
from cleankit.host import BUILTIN_PLUGINS, Host

ROOT = Path(__file__).resolve().parents[1]


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- example: shouting -->\s*```python\n(.*?)```", readme, re.S)
    assert block, "README has the 'Write a cleaner' example"
    return block.group(1)


def test_readme_example_is_about_twenty_lines():
    lines = [ln for ln in readme_example().splitlines() if ln.strip()]
    assert len(lines) <= 25


def test_readme_example_runs_as_an_installed_plugin(fake_entry_point, tmp_path, capsys):
    fake_entry_point("shouting", readme_example(), dist="cleankit-shouting")
    host = Host()
    assert "shouting" in host.cleaners
    assert host.cleaner_owner("shouting").distribution == "cleankit-shouting"
    text = (
        "Officials met on Friday to talk about air safety over Syria.\n"
        "SUBSCRIBE NOW TO OUR NEWSLETTER\n"
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(text)
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        code = main(
            [
                "clean",
                str(tmp_path / "in"),
                "-o",
                str(out),
                "-w",
                workers,
                "--set",
                'pipeline.cleaners=["encoding", "shouting"]',
                "--set",
                "shouting.min_letters=10",
            ]
        )
        assert code == 0, capsys.readouterr().err
        (doc,) = [json.loads(x) for x in (out / "documents.jsonl").read_text().splitlines()]
        assert doc["text"] == "Officials met on Friday to talk about air safety over Syria."
        (row,) = [json.loads(x) for x in (out / "removed.jsonl").read_text().splitlines()]
        assert (row["cleaner"], row["rule"], row["paragraph"]) == ("shouting", "all-caps", 1)
    code = main(["plugins", "--json"])
    listed = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert listed["shouting"]["distribution"] == "cleankit-shouting"
    assert listed["shouting"]["cleaners"] == ["shouting"]


def test_allow_and_block_lists(fake_entry_point, monkeypatch):
    fake_entry_point("shouting", readme_example())
    monkeypatch.setenv("CLEANKIT_PLUGINS", "")
    assert "shouting" not in Host().cleaners
    monkeypatch.setenv("CLEANKIT_PLUGINS", "shouting")
    assert "shouting" in Host().cleaners
    monkeypatch.delenv("CLEANKIT_PLUGINS")
    monkeypatch.setenv("CLEANKIT_NO_PLUGINS", "shouting,chrome")
    host = Host()
    assert "shouting" not in host.cleaners and "chrome" not in host.cleaners
    assert "shouting" not in Host(block=["shouting"], load_entry_points=True).cleaners


def test_broken_plugin_is_one_line_naming_it(fake_entry_point, capsys):
    fake_entry_point("broken", "import no_such_module_anywhere\n", dist="cleankit-broken")
    with pytest.raises(PluginError, match="plugin 'broken' from distribution 'cleankit-broken'"):
        Host()
    code = main(["plugins"])
    err = capsys.readouterr().err
    assert code == 3 and "cleankit-broken" in err and len(err.strip().splitlines()) == 1
    assert main(["plugins", "--no-plugin", "broken"]) == 0


def test_clashing_cleaner_names_are_refused(register_plugin):
    class Impostor(DocumentCleaner):
        name = "encoding"

    class Plugin:
        @hookimpl
        def cleankit_register_cleaners(self, register):
            register(Impostor)

    with pytest.raises(PluginError, match="clashes with the one from plugin 'encoding'"):
        register_plugin(Plugin())


def test_every_hook_is_prefixed_typed_and_documented():
    specs = [f for name, f in vars(hookspecs).items() if name.startswith("cleankit_")]
    assert len(specs) >= 7
    for func in specs:
        assert inspect.getdoc(func), f"{func.__name__} needs a docstring"
        assert all(
            p.annotation is not inspect.Parameter.empty
            for p in inspect.signature(func).parameters.values()
        )


def test_every_hook_is_mentioned_in_the_readme_or_spec_module():
    readme = (ROOT / "README.md").read_text()
    assert "hookspecs.py" in readme


def test_builtins_register_like_third_party_plugins():
    host = Host()
    for dotted in BUILTIN_PLUGINS:
        info = host.plugins[dotted.rsplit(".", 1)[-1]]
        assert info.builtin and info.module == dotted
    assert set(host.cleaners) >= {"encoding", "dedup", "chrome", "headline_date"}


def test_wheel_contains_only_the_cleankit_package(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("cleankit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"cleankit"}
    assert "cleankit/plugins/dedup.py" in names and "cleankit/schemas/documents.py" in names
    assert "cleankit/schemas/cleaned_document.yaml" in names and "cleankit/py.typed" in names


def test_a_plugin_name_that_matches_nothing_is_warned_about(monkeypatch, capsys):
    monkeypatch.setenv("CLEANKIT_PLUGINS", "nosuch_allowed")
    Host(block=["dedupp"])
    err = capsys.readouterr().err
    assert "no plugin named 'dedupp' (not loaded)" in err
    assert "no plugin named 'nosuch_allowed' (listed in CLEANKIT_PLUGINS)" in err
    monkeypatch.delenv("CLEANKIT_PLUGINS")
    Host(block=["dedup"])  # a real plugin's name: nothing to say
    assert capsys.readouterr().err == ""
