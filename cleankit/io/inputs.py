"""Expanding the command line's INPUT paths into files, and fingerprinting them."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleankit.errors import InputError
from cleankit.io.readers import path_text, supported


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    root: Path


def expand_inputs(paths: list[str | Path], exclude: Path | None = None) -> list[InputFile]:
    """Files to read, in a defined order: inputs as given, folder contents sorted by path.

    A missing input is an error before anything is read; files of unknown type inside a
    folder are skipped with a warning, named files of unknown type are left to plugins.
    `exclude` is the output folder: a run never reads its own (or a previous run's)
    outputs from inside an input folder, and an input folder that *is* the output folder
    is refused.
    """
    skip = exclude.resolve() if exclude is not None else None
    files: list[InputFile] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            if skip is not None and path.resolve() == skip:
                raise InputError(
                    f"input folder {raw} is also the output folder; write the output elsewhere (-o)"
                )
            files.extend(_walk(path, skip))
        elif path.is_file():
            files.append(InputFile(path, path.parent))
        else:
            raise InputError(f"input {raw} does not exist")
    return files


def _walk(folder: Path, skip: Path | None = None) -> list[InputFile]:
    found = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not _hidden(p, folder) and not _inside(p, skip)
    )
    skipped = [p for p in found if not supported(p)]
    if skipped:
        print(
            f"cleankit: skipped {len(skipped)} file(s) of unsupported type in {folder} "
            f"(e.g. {skipped[0].name})",
            file=sys.stderr,
        )
    return [InputFile(p, folder) for p in found if supported(p)]


def _inside(path: Path, folder: Path | None) -> bool:
    return folder is not None and path.resolve().is_relative_to(folder)


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


def fingerprint(path: Path) -> dict[str, Any]:
    """Size and SHA-256 of a file, for the manifest."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return {
        "path": path_text(str(path)),
        "bytes": path.stat().st_size,
        "sha256": digest.hexdigest(),
    }
