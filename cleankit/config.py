"""Run configuration: `cleankit.toml` (or `--config FILE`) plus `--set key=value` overrides.

Layout of the file (every table optional):

    [pipeline]
    cleaners = ["encoding", "dedup", "chrome", "headline_date"]
    on_error = "quarantine"          # or "fail"

    [input]
    id_field = "id"

    [dedup]                           # one table per cleaner: its options
    threshold = 0.9

Everything is validated before any document is read: an unknown cleaner, table or key is
a `ConfigError` with a one-line message naming it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cleankit.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from cleankit.cleaner import CleanerConfig
    from cleankit.host import Host

DEFAULT_CLEANERS = ("encoding", "dedup", "chrome", "headline_date")
DEFAULT_CONFIG_FILE = "cleankit.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PipelineSettings(_Section):
    cleaners: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CLEANERS), description="cleaners, in run order"
    )
    on_error: Literal["quarantine", "fail"] = Field(
        "quarantine", description="when a cleaner raises: quarantine the document, or stop"
    )
    batch_size: int = Field(256, ge=1, le=100_000, description="documents per batch")
    workers: int = Field(1, ge=1, le=256, description="worker processes (or Ray actors)")
    engine: Literal["local", "ray"] = Field(
        "local", description="where document stages run: local processes, or a Ray cluster"
    )


class InputSettings(_Section):
    id_field: str = Field(
        "id", min_length=1, description="JSONL/Parquet field holding the document id"
    )
    text_field: str = Field(
        "text", min_length=1, description="JSONL/Parquet field holding the text"
    )
    source_field: str = Field(
        "source", min_length=1, description="field naming the site; else url host"
    )
    max_doc_bytes: int = Field(
        20_000_000, ge=1, description="documents larger than this are quarantined"
    )
    max_doc_lines: int = Field(
        100_000,
        ge=1,
        description="documents with more lines are quarantined (each line is a paragraph: "
        "about 1.7 KB of memory while it is cleaned)",
    )


class OutputSettings(_Section):
    format: Literal["jsonl", "parquet"] = Field("jsonl", description="documents file format")
    audit: bool = Field(True, description="write removed.jsonl")


class Settings(_Section):
    """Resolved settings of one run; `cleaners` maps cleaner name to its validated config."""

    pipeline: PipelineSettings = Field(default_factory=lambda: PipelineSettings())
    input: InputSettings = Field(default_factory=lambda: InputSettings())
    output: OutputSettings = Field(default_factory=lambda: OutputSettings())
    cleaners: dict[str, Any] = Field(default_factory=dict)

    def cleaner_config(self, name: str) -> CleanerConfig:
        return self.cleaners[name]  # type: ignore[no-any-return]

    def to_json(self) -> dict[str, Any]:
        """The resolved config as plain JSON, as recorded in manifest.json."""
        out = {
            "pipeline": self.pipeline.model_dump(),
            "input": self.input.model_dump(),
            "output": self.output.model_dump(),
        }
        for name in self.pipeline.cleaners:
            out[name] = self.cleaners[name].model_dump(mode="json")
        return out


SECTIONS: dict[str, type[_Section]] = {
    "pipeline": PipelineSettings,
    "input": InputSettings,
    "output": OutputSettings,
}


def read_config_file(path: str | Path | None) -> tuple[dict[str, Any], str | None]:
    """Load a TOML file; with no path, `./cleankit.toml` if it exists, else nothing."""
    if path is None:
        default = Path(DEFAULT_CONFIG_FILE)
        if not default.is_file():
            return {}, None
        path = default
    path = Path(path)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh), str(path)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:  # tomllib decodes the file as UTF-8
        raise ConfigError(
            f"config file {path} is not UTF-8 text (byte {exc.start}: {exc.reason})"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None


def apply_overrides(raw: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Apply `section.key=value` strings; values are parsed as TOML, else kept as strings."""
    merged = {k: dict(v) if isinstance(v, dict) else v for k, v in raw.items()}
    for item in overrides:
        key, sep, value = item.partition("=")
        section, dot, option = key.strip().partition(".")
        if not sep or not dot or not section or not option:
            raise ConfigError(
                f"--set {item!r}: expected SECTION.KEY=VALUE, e.g. dedup.threshold=0.9"
            )
        table = merged.setdefault(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"--set {item!r}: {section!r} is not a table")
        table[option] = _parse_value(value.strip())
    return merged


def _parse_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def resolve(
    raw: dict[str, Any],
    host: Host,
    origin: str = "config",
    only: list[str] | None = None,
    skip: list[str] | None = None,
) -> Settings:
    """Validate a raw config against the host's cleaners; `only`/`skip` pick cleaners."""
    sections = {name: _section(name, raw.get(name, {}), origin) for name in SECTIONS}
    pipeline: PipelineSettings = sections["pipeline"]  # type: ignore[assignment]
    names = _select_cleaners(pipeline, host, origin)
    names = choose_cleaners(names, only or [], skip or [], host)
    pipeline = pipeline.model_copy(update={"cleaners": names})
    for key in raw:
        if key not in SECTIONS and key not in host.cleaners:
            known = ", ".join(list(SECTIONS) + sorted(host.cleaners))
            raise ConfigError(f"{origin}: unknown section [{key}] (known: {known})")
    cleaners = {n: _cleaner_config(n, raw.get(n, {}), host, origin) for n in names}
    for name in sorted(set(raw) & set(host.cleaners) - set(names)):
        _cleaner_config(name, raw[name], host, origin)  # a typo is an error even when skipped
    return Settings(
        pipeline=pipeline,
        input=sections["input"],  # type: ignore[arg-type]
        output=sections["output"],  # type: ignore[arg-type]
        cleaners=cleaners,
    )


def _select_cleaners(pipeline: PipelineSettings, host: Host, origin: str) -> list[str]:
    names = list(pipeline.cleaners)
    for name in names:
        if name not in host.cleaners:
            known = ", ".join(sorted(host.cleaners)) or "none"
            raise ConfigError(f"{origin}: unknown cleaner {name!r} in pipeline (known: {known})")
    if len(set(names)) != len(names):
        raise ConfigError(f"{origin}: a cleaner is listed twice in pipeline.cleaners: {names}")
    return names


def choose_cleaners(
    configured: list[str], only: list[str], skip: list[str], host: Host
) -> list[str]:
    """`--only` keeps the named cleaners (configured order first, then as given);
    `--skip` drops names. Unknown names are an error."""
    for name in [*only, *skip]:
        if name not in host.cleaners:
            known = ", ".join(sorted(host.cleaners)) or "none"
            raise ConfigError(f"unknown cleaner {name!r} (known: {known})")
    names = list(configured)
    if only:
        names = [n for n in names if n in only] + [n for n in only if n not in names]
    chosen = [n for n in names if n not in skip]
    if (only or skip) and not chosen:
        raise ConfigError(
            f"--only/--skip leave no cleaner to run (configured: {', '.join(configured) or 'none'})"
        )
    return chosen


def _section(name: str, table: Any, origin: str) -> _Section:
    return _validate(SECTIONS[name], table, name, origin)


def _cleaner_config(name: str, table: Any, host: Host, origin: str) -> CleanerConfig:
    return _validate(host.cleaner_class(name).Config, table, name, origin)  # type: ignore[return-value]


def _validate(model: type[BaseModel], table: Any, name: str, origin: str) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"{origin}: [{name}] must be a table of options")
    try:
        return model(**table)
    except ValidationError as exc:
        raise ConfigError(f"{origin}: {_first_error(exc, name, model)}") from None


def _first_error(exc: ValidationError, section: str, model: type[BaseModel]) -> str:
    err = exc.errors()[0]
    key = ".".join(str(p) for p in (section, *err["loc"]))
    if err["type"] == "extra_forbidden":
        known = ", ".join(model.model_fields) or "none"
        return f"unknown option {key!r} (known: {known})"
    return f"{key}: {err['msg']} (got {err.get('input')!r})"


def load_settings(
    host: Host,
    config_file: str | Path | None = None,
    overrides: list[str] | None = None,
    only: list[str] | None = None,
    skip: list[str] | None = None,
) -> Settings:
    """Read the config file, apply overrides and validate everything."""
    raw, origin = read_config_file(config_file)
    raw = apply_overrides(raw, overrides or [])
    return resolve(raw, host, origin or "config", only, skip)
