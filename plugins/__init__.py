"""cleankit's built-in cleaners, one module each, registered like third-party plugins.

Shipped as `cleankit.plugins`; import them only under that name.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def load_data(name: str) -> Any:
    """A JSON file shipped in `plugins/data/` (package data of the built-in cleaners)."""
    return json.loads(resources.files(__name__).joinpath("data", name).read_text("utf-8"))
