"""Fixtures for plugin authors (an opt-in pytest plugin).

Enable in your `conftest.py`:

    pytest_plugins = ["cleankit.testing"]

Fixtures:
- `make_document(text, id="doc", source=None)` -> Document
- `run_cleaner(cleaner_or_name, texts_or_docs, **options)` -> list of cleaned Documents
- `register_plugin(plugin_object, name="throwaway")` -> a Host with the plugin registered
- `fake_entry_point(name, module_source)` -> installs a module and a `cleankit` entry point
  for it in a temporary distribution on sys.path (worker processes see it too)
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from cleankit.cleaner import Cleaner
from cleankit.document import Document
from cleankit.host import Host


def make_doc(text: str, id: str = "doc", source: str | None = None) -> Document:
    return Document.from_text(id, text, source=source, input=f"{id}.txt")


def run(
    cleaner: Cleaner | str, docs: Iterable[Document | str], host: Host | None = None, **options: Any
) -> list[Document]:
    """Run one cleaner (an instance, or a registered name plus options) over documents."""
    if isinstance(cleaner, str):
        cleaner = (host or Host()).cleaner_class(cleaner)(options)
    prepared = [make_doc(d, id=f"doc{i}") if isinstance(d, str) else d for i, d in enumerate(docs)]
    return list(cleaner.run(prepared))


@pytest.fixture
def make_document() -> Callable[..., Document]:
    return make_doc


@pytest.fixture
def run_cleaner() -> Callable[..., list[Document]]:
    return run


@pytest.fixture
def register_plugin() -> Callable[..., Host]:
    def register(plugin: object, name: str = "throwaway", **host_options: Any) -> Host:
        host = Host(**host_options)
        if not host.pm.is_registered(plugin):  # an installed plugin is already loaded
            host.register_module(name, plugin, dist="throwaway-test-plugin")
        return host

    return register


@pytest.fixture
def fake_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    def install(name: str, module_source: str, dist: str = "cleankit-fake-plugin") -> Path:
        site = tmp_path / "site"
        site.mkdir(exist_ok=True)
        module = f"{name}_plugin"
        (site / f"{module}.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
        info = site / f"{dist.replace('-', '_')}-1.0.dist-info"
        info.mkdir(exist_ok=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
        (info / "entry_points.txt").write_text(f"[cleankit]\n{name} = {module}\n")
        monkeypatch.syspath_prepend(str(site))
        monkeypatch.setenv("PYTHONPATH", str(site))
        importlib.invalidate_caches()
        sys.modules.pop(module, None)
        return site

    return install
