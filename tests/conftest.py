"""Shared fixtures: the seed corpus and the shared dev corpus (when present)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["cleankit.testing"]

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def seed_texts() -> dict[str, str]:
    return {p.stem[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
