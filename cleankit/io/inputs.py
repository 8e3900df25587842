"""Expanding the command line's INPUT paths into files, and fingerprinting them."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleankit.errors import InputError
from cleankit.io.readers import supported


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    root: Path


def expand_inputs(paths: list[str | Path]) -> list[InputFile]:
    """Files to read, in a defined order: inputs as given, folder contents sorted by path.

    A missing input is an error before anything is read; files of unknown type inside a
    folder are skipped with a warning, named files of unknown type are left to plugins.
    """
    files: list[InputFile] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(_walk(path))
        elif path.is_file():
            files.append(InputFile(path, path.parent))
        else:
            raise InputError(f"input {raw} does not exist")
    return files


def _walk(folder: Path) -> list[InputFile]:
    found = sorted(p for p in folder.rglob("*") if p.is_file() and not _hidden(p, folder))
    skipped = [p for p in found if not supported(p)]
    if skipped:
        print(
            f"cleankit: skipped {len(skipped)} file(s) of unsupported type in {folder} "
            f"(e.g. {skipped[0].name})",
            file=sys.stderr,
        )
    return [InputFile(p, folder) for p in found if supported(p)]


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


def fingerprint(path: Path) -> dict[str, Any]:
    """Size and SHA-256 of a file, for the manifest."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return {"path": str(path), "bytes": path.stat().st_size, "sha256": digest.hexdigest()}
