"""Expanding the command line's INPUT paths into files, and fingerprinting them."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleankit.errors import InputError
from cleankit.io.readers import SUPPORTED, path_text
from cleankit.io.writers import MANIFEST, QUARANTINE, STATS

# Files that mark a folder as a cleankit output: a finished run's manifest, or the stats
# and quarantine of a run whose manifest a later (killed) run already removed.
_OUTPUT_MARKERS = (STATS, QUARANTINE)


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    root: Path


@dataclass
class _Skipped:
    """What a folder walk left out, reported as one warning line per kind."""

    unsupported: list[Path] = field(default_factory=list)
    broken_links: list[Path] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)


def expand_inputs(
    paths: list[str | Path], exclude: Path | None = None, suffixes: tuple[str, ...] = ()
) -> list[InputFile]:
    """Files to read, in a defined order: inputs as given, folder contents sorted by path.

    A missing or unreadable input (a file, or any folder below an input folder) is an
    error before anything is read; files of unknown type inside a folder are skipped with
    a warning, named files of unknown type are left to plugins. `exclude` is the output
    folder: a run never reads its own outputs from inside an input folder, and an input
    folder that *is* the output folder is refused. Other cleankit output folders (of
    earlier runs) inside an input folder are skipped with a warning too: their audit and
    quarantine files are not documents. `suffixes`: more file endings to take from folders
    (those reader plugins handle).
    """
    skip = exclude.resolve() if exclude is not None else None
    files: list[InputFile] = []
    for raw in paths:
        if not str(raw).strip():  # an unset shell variable: Path("") would be "."
            raise InputError("an input path is empty")
        path = Path(raw)
        if path.is_dir():
            if skip is not None and path.resolve() == skip:
                raise InputError(
                    f"input folder {raw} is also the output folder; write the output elsewhere (-o)"
                )
            files.extend(_walk(path, skip, suffixes))
        elif path.is_file():
            files.append(InputFile(path, path.parent))
        else:
            raise InputError(_not_found(raw, path))
    return files


def _not_found(raw: str | Path, path: Path) -> str:
    if str(raw) == "-":
        return "input - : reading from standard input is not supported; save it to a file first"
    if path.exists():
        return f"input {path_text(str(raw))} is not a regular file or folder"
    return f"input {path_text(str(raw))} does not exist"


def _walk(
    folder: Path, skip: Path | None = None, suffixes: tuple[str, ...] = ()
) -> list[InputFile]:
    """Supported files below `folder` (hidden ones and symlinked folders not followed)."""
    skipped = _Skipped()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=_unreadable_folder):
        here = Path(dirpath)
        if _inside(here, skip):  # this run's own output folder: left out quietly
            dirnames[:] = []
            continue
        if _is_output_folder(here):
            skipped.outputs.append(here)
            dirnames[:] = []
            continue
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            p = here / name
            # A file below a folder outside `skip` is outside it too, unless it is a link.
            if name.startswith(".") or (p.is_symlink() and _inside(p, skip)):
                continue
            if p.is_file():
                found.append(p)
            elif p.is_symlink() and not p.exists():
                skipped.broken_links.append(p)
    found.sort()
    endings = SUPPORTED + suffixes
    readable = [p.name.lower().endswith(endings) for p in found]
    skipped.unsupported = [p for p, ok in zip(found, readable, strict=True) if not ok]
    _warn(folder, skipped)
    return [InputFile(p, folder) for p, ok in zip(found, readable, strict=True) if ok]


def _unreadable_folder(exc: OSError) -> None:
    where = path_text(str(exc.filename)) if exc.filename else "a folder"
    raise InputError(f"cannot read input folder {where}: {exc.strerror}")


def _is_output_folder(folder: Path) -> bool:
    """Whether `folder` holds the files of a cleankit run (not documents to clean)."""
    manifest = folder / MANIFEST
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict) and "cleankit" in data and "files" in data:
            return True
    return all((folder / name).is_file() for name in _OUTPUT_MARKERS)


def _warn(folder: Path, skipped: _Skipped) -> None:
    """One stderr line per kind of thing left out, with an example."""
    kinds = [
        ("file(s) of unsupported type", [p.name for p in skipped.unsupported], ""),
        ("broken symlink(s)", [p.name for p in skipped.broken_links], ""),
        (
            "cleankit output folder(s)",
            [str(p) for p in skipped.outputs],
            "; name a documents file to clean it again",
        ),
    ]
    for what, names, hint in kinds:
        if names:
            print(
                f"cleankit: skipped {len(names)} {what} in {path_text(str(folder))} "
                f"(e.g. {path_text(names[0])}){hint}",
                file=sys.stderr,
            )


def _inside(path: Path, folder: Path | None) -> bool:
    return folder is not None and path.resolve().is_relative_to(folder)


def fingerprint(path: Path) -> dict[str, Any]:
    """Size and SHA-256 of a file, for the manifest. An unreadable file is an InputError:
    it is met here, before any document is read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read input {path_text(str(path))}: {exc.strerror}") from None
    return {"path": path_text(str(path)), "bytes": size, "sha256": digest.hexdigest()}
