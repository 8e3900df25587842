"""The plugin host: loads built-in and third-party plugins and collects their cleaners.

Built-ins are registered from a tuple of dotted module names, exactly the way an entry point
is loaded. Third-party plugins come from the `cleankit` entry-point group. Which plugins load
is controlled by `block` (`--no-plugin NAME`) and two environment variables:

- `CLEANKIT_PLUGINS=a,b`: load only these third-party plugins (empty: none);
- `CLEANKIT_NO_PLUGINS=a,b`: never load these (built-ins included).

A plugin that fails to import or register raises `PluginError` naming the plugin and its
distribution, never a bare traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from types import ModuleType
from typing import Any

import pluggy

from cleankit import hookspecs
from cleankit.cleaner import Cleaner
from cleankit.errors import CleankitError, PluginError, one_line

ENTRY_POINT_GROUP = "cleankit"
ENV_ALLOW = "CLEANKIT_PLUGINS"
ENV_BLOCK = "CLEANKIT_NO_PLUGINS"

BUILTIN_PLUGINS: tuple[str, ...] = (
    "cleankit.io.readers",
    "cleankit.plugins.encoding",
    "cleankit.plugins.dedup",
    "cleankit.plugins.chrome",
    "cleankit.plugins.headline_date",
)


@dataclass
class PluginInfo:
    """What `cleankit plugins` shows about one loaded plugin."""

    name: str
    module: str
    distribution: str
    version: str
    builtin: bool
    cleaners: list[str] = field(default_factory=list)
    hooks: list[str] = field(default_factory=list)


class Host:
    """A pluggy PluginManager plus the registry of cleaner classes it collected."""

    def __init__(
        self, block: Iterable[str] = (), load_entry_points: bool = True, warn: bool = True
    ) -> None:
        """`warn=False` in worker processes: the main process already warned."""
        self.pm = pluggy.PluginManager("cleankit")
        self.pm.add_hookspecs(hookspecs)
        self.block = set(block) | _env_names(ENV_BLOCK)
        self.plugins: dict[str, PluginInfo] = {}
        self.cleaners: dict[str, type[Cleaner]] = {}
        self._cleaner_owner: dict[str, str] = {}
        for dotted in BUILTIN_PLUGINS:
            short = dotted.rsplit(".", 1)[-1]
            if short not in self.block:
                self.register_module(short, _import(dotted, short, "cleankit"), builtin=True)
        known = {dotted.rsplit(".", 1)[-1] for dotted in BUILTIN_PLUGINS}
        if load_entry_points:
            known |= self._load_entry_points()
        if load_entry_points and warn:
            _warn_unknown(self.block, known, "not loaded")
            if ENV_ALLOW in os.environ:
                _warn_unknown(_env_names(ENV_ALLOW), known, f"listed in {ENV_ALLOW}")
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:  # a misspelt hook name, usually
            raise self._invalid(exc) from exc

    def register_module(
        self, name: str, plugin: ModuleType | object, builtin: bool = False, dist: str = ""
    ) -> None:
        """Register a plugin object under `name` and collect the cleaners it declares."""
        if name in self.plugins:
            raise PluginError(f"plugin {name!r} is registered twice")
        dist = dist or ("cleankit" if builtin else "")
        try:
            self.pm.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:  # a hook with the wrong arguments
            raise self._invalid(exc, name) from exc
        info = PluginInfo(
            name=name,
            module=getattr(plugin, "__name__", type(plugin).__name__),
            distribution=dist or "(not installed)",
            version=_version(dist or "cleankit"),
            builtin=builtin,
            hooks=sorted(h.name for h in self.pm.get_hookcallers(plugin) or []),
        )
        self.plugins[name] = info
        impl = getattr(plugin, "cleankit_register_cleaners", None)
        if impl is not None:
            try:
                impl(register=lambda cls: self._add_cleaner(cls, info))
            except PluginError:
                raise
            except (Exception, SystemExit) as exc:  # a plugin's own bug: name it
                raise PluginError(
                    f"plugin {name!r} ({info.distribution}) failed to register cleaners: "
                    f"{one_line(exc)}{_skip_hint(name)}"
                ) from exc

    def _invalid(self, exc: pluggy.PluginValidationError, name: str | None = None) -> PluginError:
        """A one-line `PluginError` for a hook implementation pluggy refuses."""
        name = name or self.pm.get_name(exc.plugin) or "(unknown)"
        info = self.plugins.get(name)
        dist = f" ({info.distribution})" if info else ""
        return PluginError(f"plugin {name!r}{dist}: {one_line(exc)}{_skip_hint(name)}")

    def _add_cleaner(self, cls: type[Cleaner], info: PluginInfo) -> None:
        if not (isinstance(cls, type) and issubclass(cls, Cleaner)) or not cls.name:
            raise PluginError(
                f"plugin {info.name!r} ({info.distribution}) registered {cls!r}, "
                "which is not a Cleaner subclass with a name"
            )
        if cls.name in self.cleaners:
            raise PluginError(
                f"cleaner {cls.name!r} from plugin {info.name!r} clashes with the one "
                f"from plugin {self._cleaner_owner[cls.name]!r}"
            )
        self.cleaners[cls.name] = cls
        self._cleaner_owner[cls.name] = info.name
        info.cleaners.append(cls.name)

    def _load_entry_points(self) -> set[str]:
        """Load the installed third-party plugins; returns the names of all of them."""
        allow = _env_names(ENV_ALLOW) if ENV_ALLOW in os.environ else None
        names: set[str] = set()
        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
            names.add(ep.name)
            if ep.name in self.block or (allow is not None and ep.name not in allow):
                continue
            dist = ep.dist.name if ep.dist is not None else "unknown distribution"
            try:
                plugin = ep.load()
            except Exception as exc:
                raise PluginError(
                    f"plugin {ep.name!r} from distribution {dist!r} failed to load "
                    f"({ep.value}): {one_line(exc)}{_skip_hint(ep.name)}"
                ) from exc
            self.register_module(ep.name, plugin, dist=dist)
        return names

    @property
    def hook(self) -> Any:
        return self.pm.hook

    def call(self, hook: str, **kwargs: Any) -> Any:
        """Call a hook; a plugin's exception becomes a one-line `PluginError` naming it.

        A `CleankitError` a plugin raises on purpose (`ConfigError` from
        `cleankit_configure`) passes unchanged."""
        try:
            return getattr(self.pm.hook, hook)(**kwargs)
        except CleankitError:
            raise
        except (Exception, SystemExit) as exc:
            raise PluginError(
                f"plugin {self.blame(exc)} failed in {hook}: {one_line(exc)}"
            ) from exc

    def call_one(self, impl: Any, **kwargs: Any) -> Any:
        """Call one implementation of a hook (to tell whose result is whose)."""
        try:
            return impl.function(**{name: kwargs[name] for name in impl.argnames})
        except CleankitError:
            raise
        except (Exception, SystemExit) as exc:
            raise PluginError(f"plugin {impl.plugin_name!r} failed: {one_line(exc)}") from exc

    def blame(self, exc: BaseException) -> str:
        """`'name' (distribution)` of the plugin whose hook function is on the traceback
        of `exc` (the innermost one), or "(unknown)"."""
        owners = {}
        for caller in vars(self.pm.hook).values():
            for impl in caller.get_hookimpls() if isinstance(caller, pluggy.HookCaller) else []:
                function = getattr(impl.function, "__func__", impl.function)
                code = getattr(function, "__code__", None)
                if code is not None:
                    owners[code] = impl.plugin_name
        name = None
        tb = exc.__traceback__
        while tb is not None:
            name = owners.get(tb.tb_frame.f_code, name)
            tb = tb.tb_next
        if name is None or name not in self.plugins:
            return "(unknown)"
        dist = self.plugins[name].distribution
        return f"{name!r} {dist}" if dist.startswith("(") else f"{name!r} ({dist})"

    def cleaner_class(self, name: str) -> type[Cleaner]:
        try:
            return self.cleaners[name]
        except KeyError:
            known = ", ".join(sorted(self.cleaners)) or "none"
            raise PluginError(f"unknown cleaner {name!r} (known: {known})") from None

    def cleaner_owner(self, name: str) -> PluginInfo:
        return self.plugins[self._cleaner_owner[name]]


def _import(dotted: str, name: str, dist: str) -> ModuleType:
    try:
        return importlib.import_module(dotted)
    except Exception as exc:
        raise PluginError(
            f"plugin {name!r} from distribution {dist!r} failed to import ({dotted}): "
            f"{one_line(exc)}"
        ) from exc


def _skip_hint(name: str) -> str:
    return f" (to run without it: --no-plugin {name}, or {ENV_BLOCK}={name})"


def _env_names(var: str) -> set[str]:
    return {n.strip() for n in os.environ.get(var, "").split(",") if n.strip()}


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _warn_unknown(names: set[str], known: set[str], what: str) -> None:
    """A plugin name that matches nothing is most likely a typo: say so on stderr."""
    unknown = sorted(names - known)
    if unknown:
        print(
            f"cleankit: warning: no plugin named {', '.join(map(repr, unknown))} ({what}); "
            f"installed: {', '.join(sorted(known))}",
            file=sys.stderr,
        )
