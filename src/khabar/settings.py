"""Settings: shipped defaults, then a user TOML file, then KHABAR_* environment, then --set.

Every key must exist in ``default_settings.toml``; values are validated against the type of
their default, and a bad key or value raises :class:`SettingsError` naming it.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from khabar.errors import SettingsError

ENV_PREFIX = "KHABAR_"
_RESERVED_ENV = {"KHABAR_DB", "KHABAR_CONFIG"}


@dataclass(frozen=True)
class SettingInfo:
    key: str
    default: Any
    help: str


def _defaults_text() -> str:
    return resources.files("khabar").joinpath("default_settings.toml").read_text("utf-8")


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def describe_defaults() -> list[SettingInfo]:
    """Every setting with its default and the help comment written above it."""
    text = _defaults_text()
    defaults = _flatten(tomllib.loads(text))
    helps: dict[str, str] = {}
    section, comment = "", ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section, comment = line[1:-1], ""
        elif line.startswith("#"):
            comment = line.lstrip("# ").strip()
        elif "=" in line and section:
            helps[f"{section}.{line.split('=', 1)[0].strip()}"] = comment
            comment = ""
    return [SettingInfo(k, v, helps.get(k, "")) for k, v in defaults.items()]


def _coerce(key: str, value: Any, default: Any) -> Any:
    """Check ``value`` against the type of ``default``; strings from env/--set are parsed."""
    if isinstance(value, str) and not isinstance(default, str):
        try:
            value = tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            if isinstance(default, list):
                value = [v.strip() for v in value.split(",") if v.strip()]
            else:
                raise SettingsError(f"setting {key!r}: cannot read {value!r}") from None
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, list):
        ok = isinstance(value, list)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise SettingsError(
            f"setting {key!r} must be {type(default).__name__}, got {value!r}"
        )
    return value


class Settings:
    """Effective settings; read with ``settings["section.key"]``."""

    def __init__(self, values: Mapping[str, Any], sources: Mapping[str, str]) -> None:
        self._values = dict(values)
        self._sources = dict(sources)

    def __getitem__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise SettingsError(f"unknown setting {key!r}") from None

    def source(self, key: str) -> str:
        return self._sources[key]

    def items(self) -> Iterable[tuple[str, Any]]:
        return self._values.items()

    def to_dict(self) -> dict[str, Any]:
        return dict(self._values)

    @classmethod
    def load(
        cls,
        config: str | Path | None = None,
        overrides: Mapping[str, Any] | Iterable[str] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Defaults < user file < environment < overrides (``{"a.b": v}`` or ``["a.b=v"]``)."""
        env = os.environ if environ is None else environ
        defaults = {info.key: info.default for info in describe_defaults()}
        values, sources = dict(defaults), dict.fromkeys(defaults, "default")

        def apply(key: str, value: Any, source: str) -> None:
            if key not in defaults:
                raise SettingsError(f"unknown setting {key!r} (from {source})")
            values[key] = _coerce(key, value, defaults[key])
            sources[key] = source

        config = config or env.get("KHABAR_CONFIG") or None
        if config:
            path = Path(config)
            try:
                tree = tomllib.loads(path.read_text("utf-8"))
            except OSError as exc:
                raise SettingsError(f"cannot read settings file {path}: {exc.strerror}") from exc
            except tomllib.TOMLDecodeError as exc:
                raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from exc
            for key, value in _flatten(tree).items():
                apply(key, value, str(path))
        by_env = {ENV_PREFIX + k.replace(".", "_").upper(): k for k in defaults}
        for name, value in env.items():
            if name.startswith(ENV_PREFIX) and name not in _RESERVED_ENV:
                if name not in by_env:
                    raise SettingsError(f"unknown setting in environment variable {name}")
                apply(by_env[name], value, f"env {name}")
        pairs = overrides.items() if isinstance(overrides, Mapping) else _pairs(overrides or ())
        for key, value in pairs:
            apply(key, value, "--set")
        return cls(values, sources)

    def dumps(self) -> str:
        return json.dumps(self._values, ensure_ascii=False, indent=2)


def _pairs(items: Iterable[str]) -> Iterable[tuple[str, str]]:
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SettingsError(f"--set expects section.key=value, got {item!r}")
        yield key.strip(), value.strip()
