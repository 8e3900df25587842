"""The `cleankit` command line. Errors a user can cause print one line and exit non-zero.

Exit codes: 0 done (quarantined records do not fail a run), 1 unexpected error,
2 bad config or option, 3 broken plugin, 4 bad input or output path (missing, not
readable, not writable), 5 a cleaner raised with `on_error = "fail"`, or a corpus-level
cleaner raised (it cannot skip one document), 6 `validate` found invalid records,
130 interrupted (Ctrl-C), 143 terminated (SIGTERM). SIGTERM is handled like Ctrl-C:
temporary files are removed and no output file looks complete. A closed stdout (`| head`)
ends the command quietly with 141, like other Unix tools.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from cleankit import __version__
from cleankit.errors import CleankitError, ConfigError, InputError

EPILOG = """\
examples:
  cleankit clean seeds -o out                      clean a folder of .txt files
  cleankit clean pages.jsonl.gz -o out --workers 2 --format parquet
  cleankit clean data/ -o out --only encoding,dedup --set dedup.threshold=0.9
  cleankit plugins                                 list plugins and their cleaners
  cleankit validate out                            re-check an output folder

exit codes: 0 ok, 1 unexpected error, 2 bad config/option, 3 broken plugin,
  4 bad input/output path, 5 cleaner failed (on_error=fail, or a corpus-level cleaner
  raised), 6 invalid output, 130 interrupted, 143 terminated (SIGTERM)
"""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--no-plugin",
        action="append",
        default=[],
        metavar="NAME",
        help="do not load this plugin (repeatable; also CLEANKIT_NO_PLUGINS=a,b)",
    )
    common.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser = argparse.ArgumentParser(
        prog="cleankit",
        description="Clean scraped text corpora: repair encoding, drop near-duplicate "
        "paragraphs, strip web chrome, recover headlines and dates.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cleankit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_clean(sub, common)
    plugins = sub.add_parser(
        "plugins", parents=[common], help="list installed plugins and cleaners"
    )
    plugins.add_argument("--json", action="store_true", help="machine-readable output")
    plugins.add_argument(
        "--options", action="store_true", help="also list each cleaner's options and defaults"
    )
    validate = sub.add_parser("validate", parents=[common], help="re-validate an output folder")
    validate.add_argument("outdir", type=Path, help="output folder of a finished `clean` run")
    schema = sub.add_parser("schema", parents=[common], help="output schema tools")
    schema_sub = schema.add_subparsers(dest="schema_command", metavar="ACTION", required=True)
    export = schema_sub.add_parser("export", help="write the pandera schema as YAML")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    return parser


def _add_clean(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "clean",
        parents=[common],
        help="clean a corpus into an output folder",
        description="Read INPUT files or folders (.txt, .jsonl, .jsonl.gz, .jsonl.zst, "
        ".parquet), run the cleaners in order, validate, and write OUTDIR: "
        "documents.jsonl|parquet, removed.jsonl (audit), quarantine.jsonl, stats.json, "
        "manifest.json. OUTDIR may sit inside an INPUT folder (it is not read as input) "
        "but may not be an INPUT folder. A finished run removes cleankit's own files in "
        "OUTDIR that it did not write (e.g. the other format's documents file) and "
        "temporary files of killed runs; other files are left alone.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders (recursive)")
    p.add_argument(
        "-o", "--output", required=True, type=_folder, metavar="OUTDIR", help="output folder"
    )
    p.add_argument("-c", "--config", metavar="FILE", help="TOML config (default ./cleankit.toml)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        dest="overrides",
        help="override a config value, e.g. dedup.threshold=0.9 (repeatable)",
    )
    p.add_argument("--only", metavar="NAME[,NAME]", help="run only these cleaners")
    p.add_argument("--skip", metavar="NAME[,NAME]", help="do not run these cleaners")
    p.add_argument("-w", "--workers", type=int, metavar="N", help="worker processes (default 1)")
    p.add_argument(
        "--engine",
        choices=["local", "ray"],
        help="run document stages locally "
        "(default) or on Ray (RAY_ADDRESS, else a local Ray with --workers CPUs)",
    )
    p.add_argument("--format", choices=["jsonl", "parquet"], help="documents file format")
    p.add_argument("--id-field", help="JSONL/Parquet id field (default: id)")
    p.add_argument("--text-field", help="JSONL/Parquet text field (default: text)")
    p.add_argument("--source-field", help="field naming the site (default: source, else url host)")
    p.add_argument("--on-error", choices=["quarantine", "fail"], help="when a cleaner raises")
    p.add_argument("--max-doc-bytes", type=int, metavar="N", help="quarantine larger documents")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")


def _folder(value: str) -> Path:
    """An output path; empty (an unset shell variable, `-o "$OUT"`) is refused rather than
    taken for the current folder."""
    if not value.strip():
        raise argparse.ArgumentTypeError("the output folder is empty")
    return Path(value)


def _names(value: str | None) -> list[str]:
    names = [n.strip() for n in (value or "").split(",") if n.strip()]
    if value is not None and not names:
        raise ConfigError("--only/--skip need at least one cleaner name")
    return names


def _clean_overrides(args: argparse.Namespace) -> list[str]:
    """Dedicated flags are shorthands for --set; they win over the config file."""
    pairs = {
        "pipeline.workers": args.workers,
        "pipeline.engine": args.engine,
        "output.format": args.format,
        "input.id_field": args.id_field,
        "input.text_field": args.text_field,
        "input.source_field": args.source_field,
        "pipeline.on_error": args.on_error,
        "input.max_doc_bytes": args.max_doc_bytes,
    }
    flags = [f"{k}={json.dumps(v)}" for k, v in pairs.items() if v is not None]
    return list(args.overrides) + flags


def cmd_clean(args: argparse.Namespace) -> int:
    from cleankit.engine import tune_gc
    from cleankit.pipeline import Pipeline
    from cleankit.progress import ProgressLine, print_summary

    pipeline = Pipeline.from_config(
        args.config, _clean_overrides(args), _names(args.only), _names(args.skip), args.no_plugin
    )
    tune_gc()
    interactive = sys.stderr.isatty() and not args.quiet
    bar = ProgressLine() if interactive else None
    try:
        stats = pipeline.run(args.inputs, args.output, progress=bar)
    finally:
        if bar is not None:  # also on errors and Ctrl-C: their message gets a clean line
            bar.close()
    if bar is not None:
        print_summary(stats, pipeline.settings.pipeline.cleaners, args.output)
    elif stats.documents_written == 0 and (stats.quarantined or stats.documents_emptied):
        _warn_nothing_written(stats, args.output)
    return 0


def _warn_nothing_written(stats: Any, outdir: Path) -> None:
    """Even with -q: a run that quarantined or emptied everything (a wrong --text-field,
    say, or pages that are all chrome) should not pass for a success in silence. The exit
    code stays 0, as documented."""
    from cleankit.progress import quarantine_reasons

    parts = []
    if stats.documents_emptied:
        parts.append(
            f"{stats.documents_emptied} emptied (every paragraph removed; see "
            f"{outdir / 'removed.jsonl'})"
        )
    if stats.quarantined:
        reasons = quarantine_reasons(stats)
        parts.append(
            f"{sum(stats.quarantined.values())} quarantined ({reasons}), see "
            f"{outdir / 'quarantine.jsonl'}"
        )
    print(f"cleankit: warning: no document was written; {'; '.join(parts)}", file=sys.stderr)


def cmd_plugins(args: argparse.Namespace) -> int:
    from cleankit.host import Host

    host = Host(block=args.no_plugin)
    rows = [vars(p) | {"hooks": p.hooks} for p in host.plugins.values()]
    if args.json:
        for row in rows:
            row["options"] = {c: _options(host, c) for c in row["cleaners"]}
        print(json.dumps(rows, indent=2, default=str))
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        kind = "built-in" if r["builtin"] else r["distribution"]
        cleaners = ", ".join(r["cleaners"]) or "-"
        print(f"{r['name']:<{width}}  {r['version']:<8}  {kind:<12}  cleaners: {cleaners}")
        if args.options:
            for cleaner in r["cleaners"]:
                for key, (default, about) in _options(host, cleaner).items():
                    print(f"    {cleaner}.{key} = {default!r}" + (f"  # {about}" if about else ""))
    return 0


def _options(host: Any, cleaner: str) -> dict[str, tuple[Any, str]]:
    """Each option of a cleaner: (default, description), from its pydantic Config."""
    fields = host.cleaner_class(cleaner).Config.model_fields
    return {
        name: (f.get_default(call_default_factory=True), f.description or "")
        for name, f in fields.items()
    }


def cmd_validate(args: argparse.Namespace) -> int:
    from cleankit.revalidate import revalidate

    checked, invalid, failures = revalidate(args.outdir)
    for line in failures[:20]:
        print(line)
    if len(failures) > 20:
        print(f"... and {len(failures) - 20} more problems")
    print(f"{args.outdir}: {checked} records checked, {invalid} invalid, {len(failures)} problems")
    return 6 if failures else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from cleankit.schemas.documents import CleanedDocument

    text = CleanedDocument.to_schema().to_yaml()
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write {args.output}: {exc.strerror}") from None
    else:
        sys.stdout.write(text)
    return 0


COMMANDS = {
    "clean": cmd_clean,
    "plugins": cmd_plugins,
    "validate": cmd_validate,
    "schema": cmd_schema,
}


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so the same cleanup runs (temp files, worker pool)."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the final flush does not fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is not a real file (tests): nothing will be flushed to a pipe


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    debug = getattr(args, "debug", False) or bool(os.environ.get("CLEANKIT_DEBUG"))
    try:
        with _sigterm_as_interrupt():
            return COMMANDS[args.command](args)
    except CleankitError as exc:
        print(f"cleankit: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `cleankit plugins | head -1`: the reader has gone
        _silence_stdout()
        return 141
    except Terminated:
        print("cleankit: terminated; no output file was completed", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("cleankit: interrupted; no output file was completed", file=sys.stderr)
        return 130
    except Exception as exc:  # last resort: one line, traceback only on request
        if debug:
            traceback.print_exc()
        print(
            f"cleankit: internal error: {type(exc).__name__}: {exc} (rerun with --debug)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
