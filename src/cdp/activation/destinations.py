"""Destinations, declared in the dbt project: a dbt exposure whose ``meta`` holds a
``cdp_destination`` block is a destination. The exposure says which audience goes
there (its ``depends_on``) and who owns it; dbt docs show it in the lineage. Example::

    exposures:
      - name: google_ads_win_back
        type: application
        owner: {name: Retention team, email: retention@example.com}
        depends_on: [ref('audience_lapsed_high_value_email')]
        config:
          meta:
            cdp_destination:
              type: file                        # file | http
              format: google_customer_match     # or meta_custom_audience, json (http)
              file_format: csv                  # file: csv | parquet
              path: "{{ env_var('CDP_EXPORT_DIR', 'data/exports') }}/google_ads_win_back"
              consent_purposes: [email_marketing, third_party_sharing]
              identifiers: [email, phone]

Values may read environment variables as dbt does (``{{ env_var('NAME') }}``, or with a
default); secrets never go in the YAML: ``headers_from_env`` names the variables HTTP
headers are read from when the sync runs. Every mistake is reported with the file, the
exposure and the key.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import yaml

META_KEY = "cdp_destination"
TYPES = ("file", "http")
FORMATS = ("google_customer_match", "meta_custom_audience", "json")
FILE_FORMATS = ("csv", "parquet")
IDENTIFIERS = ("email", "phone", "first_name", "last_name", "country", "postal_code")
# Google matches names only together with the country and postal code
GOOGLE_ADDRESS_IDENTIFIERS = ("first_name", "last_name", "country", "postal_code")
# identifiers the suppression list and a removal rely on: a hashed list must hold one
ADDRESS_IDENTIFIERS = ("email", "phone")
COMMON_KEYS = {"type", "format", "consent_purposes", "identifiers", "audience"}
KEYS = {
    "file": COMMON_KEYS | {"path", "file_format"},
    "http": COMMON_KEYS
    | {
        "url",
        "fields",
        "batch_size",
        "timeout_seconds",
        "max_attempts",
        "backoff_seconds",
        "headers_from_env",
    },
}
NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
LOOPBACK_NAMES = {"localhost"}


class DestinationError(ValueError):
    """A declaration is wrong or incomplete: names the file, exposure and key."""


@dataclass(frozen=True)
class Destination:
    name: str
    audience: str
    type: str
    format: str
    consent_purposes: tuple[str, ...]
    identifiers: tuple[str, ...]
    declared_in: str
    fields: tuple[str, ...] = ()
    path: Path | None = None
    file_format: str = "csv"
    url: str | None = None
    batch_size: int = 500
    timeout_seconds: float = 10.0
    max_attempts: int = 5
    backoff_seconds: float = 1.0
    headers_from_env: dict[str, str] = field(default_factory=dict)
    # why the destination cannot be synced as declared (an empty url or path), if so
    not_configured: str | None = None

    @property
    def kind(self) -> str:
        return f"{self.type} · {self.format}" + (
            f" · {self.file_format}" if self.type == "file" else ""
        )

    def headers(self) -> dict[str, str]:
        """The HTTP headers of ``headers_from_env``, read now from the environment."""
        headers = {}
        for header, variable in self.headers_from_env.items():
            value = os.environ.get(variable)
            if value is None:
                raise DestinationError(
                    f"destination {self.name}: environment variable {variable} (header "
                    f"{header}) is not set"
                )
            headers[header] = value
        return headers


def _env_var(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise DestinationError(f"environment variable {name} is not set")
    return value


_TEMPLATES = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
_TEMPLATES.globals["env_var"] = _env_var


def _render(value: str, where: str) -> str:
    """A string value with dbt's ``{{ env_var(...) }}`` applied."""
    if "{{" not in value and "{%" not in value:
        return value
    try:
        return _TEMPLATES.from_string(value).render()
    except DestinationError as error:
        raise DestinationError(f"{where}: {error}") from None
    except jinja2.TemplateError as error:
        raise DestinationError(f"{where}: cannot render {value!r}: {error}") from None


def model_paths(project_dir: Path) -> list[Path]:
    path = project_dir / "dbt_project.yml"
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise DestinationError(f"cannot read {path}: {error}") from error
    return [project_dir / p for p in config.get("model-paths") or ["models"]]


def project_var(project_dir: Path, name: str, default=None):
    """A var of dbt_project.yml (the build's default)."""
    path = project_dir / "dbt_project.yml"
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise DestinationError(f"cannot read {path}: {error}") from error
    return (config.get("vars") or {}).get(name, default)


def declaration_files(project_dir: Path) -> list[Path]:
    files = []
    for folder in model_paths(project_dir):
        files += sorted(folder.rglob("*.yml")) + sorted(folder.rglob("*.yaml"))
    return files


def load_destinations(project_dir: Path, files: list[Path] | None = None) -> dict[str, Destination]:
    """Every destination declared in ``files`` (default: the YAML files of the
    project's model paths), by name."""
    destinations: dict[str, Destination] = {}
    for path in files if files is not None else declaration_files(project_dir):
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            raise DestinationError(f"cannot read {path}: {error}") from error
        if not isinstance(document, dict):
            continue
        for exposure in document.get("exposures") or []:
            if not isinstance(exposure, dict):
                continue
            meta = {
                **(exposure.get("meta") or {}),
                **((exposure.get("config") or {}).get("meta") or {}),
            }
            if META_KEY not in meta:
                continue
            destination = _parse(exposure, meta[META_KEY], path, project_dir)
            if destination.name in destinations:
                raise DestinationError(
                    f"destination {destination.name} is declared twice: in "
                    f"{destinations[destination.name].declared_in} and {path}"
                )
            destinations[destination.name] = destination
    return destinations


def _refs(exposure: dict) -> list[str]:
    refs = []
    for dependency in exposure.get("depends_on") or []:
        match = re.fullmatch(r"\s*ref\(\s*['\"]([^'\"]+)['\"]\s*\)\s*", str(dependency))
        if match:
            refs.append(match.group(1))
    return refs


def _parse(exposure: dict, block, path: Path, project_dir: Path) -> Destination:
    name = str(exposure.get("name") or "")
    where = f"{path}: exposure {name or '?'}, meta {META_KEY}"
    if not NAME.match(name):
        raise DestinationError(
            f"{where}: the exposure name {name!r} is not a plain lower-case name"
        )
    if not isinstance(block, dict):
        raise DestinationError(f"{where}: expected a mapping of settings")
    kind = block.get("type")
    if kind not in TYPES:
        raise DestinationError(f"{where}: type must be one of {', '.join(TYPES)} (got {kind!r})")
    unknown = sorted(set(block) - KEYS[kind])
    if unknown:
        raise DestinationError(
            f"{where}: unknown key(s) {', '.join(unknown)} for a {kind} destination "
            f"(known: {', '.join(sorted(KEYS[kind]))})"
        )
    fmt = block.get("format")
    if fmt not in FORMATS:
        raise DestinationError(f"{where}: format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    if kind == "file" and fmt == "json":
        raise DestinationError(
            f"{where}: a file destination writes a hashed customer list "
            "(google_customer_match or meta_custom_audience); json is for http"
        )

    refs = _refs(exposure)
    audience = block.get("audience")
    if audience is None:
        if len(refs) != 1:
            raise DestinationError(
                f"{where}: the exposure depends on {len(refs)} models "
                f"({', '.join(refs) or 'none'}): name the one it sends with `audience:`"
            )
        audience = refs[0]
    elif audience not in refs:
        raise DestinationError(
            f"{where}: audience {audience!r} is not among the exposure's depends_on "
            f"({', '.join(refs) or 'none'}): add ref('{audience}') there, so the lineage shows it"
        )
    if not NAME.match(str(audience)):
        raise DestinationError(f"{where}: audience {audience!r} is not a model name")

    purposes = _names(block, "consent_purposes", where, required=True)
    identifiers = _names(block, "identifiers", where, required=True)
    bad = [i for i in identifiers if i not in IDENTIFIERS]
    if bad:
        raise DestinationError(
            f"{where}: unknown identifier(s) {', '.join(bad)} (known: {', '.join(IDENTIFIERS)})"
        )
    if fmt != "json" and not set(identifiers) & set(ADDRESS_IDENTIFIERS):
        raise DestinationError(
            f"{where}: a hashed customer list needs email or phone among its identifiers "
            "(what the suppression list checks, and what a removal sends)"
        )
    given = set(identifiers) & set(GOOGLE_ADDRESS_IDENTIFIERS)
    if fmt == "google_customer_match" and given and given != set(GOOGLE_ADDRESS_IDENTIFIERS):
        raise DestinationError(
            f"{where}: Google matches names only with the address: give all of "
            f"{', '.join(GOOGLE_ADDRESS_IDENTIFIERS)} or none of them"
        )
    settings: dict = {}
    not_configured = None
    if kind == "file":
        file_format = block.get("file_format", "csv")
        if file_format not in FILE_FORMATS:
            raise DestinationError(
                f"{where}: file_format must be one of {', '.join(FILE_FORMATS)} "
                f"(got {file_format!r})"
            )
        raw_path = block.get("path")
        if not isinstance(raw_path, str):
            raise DestinationError(f"{where}: path (the folder the files go to) is required")
        rendered = _render(raw_path, f"{where}, path").strip()
        if not rendered:
            not_configured = "its path is empty"
            folder = None
        else:
            folder = Path(rendered)
            folder = folder if folder.is_absolute() else project_dir / folder
        settings.update(path=folder, file_format=file_format)
    else:
        raw_url = block.get("url")
        if not isinstance(raw_url, str):
            raise DestinationError(f"{where}: url is required")
        url = _render(raw_url, f"{where}, url").strip()
        if not url:
            not_configured = f"its url is empty ({raw_url.strip()})"
        else:
            _check_url(url, where)
        fields = _names(block, "fields", where, required=False)
        if fmt != "json" and fields:
            raise DestinationError(f"{where}: fields go with format json only")
        clash = sorted(set(fields) & {"customer_id", *IDENTIFIERS, "email_sha256", "phone_sha256"})
        if clash:
            raise DestinationError(
                f"{where}: field(s) {', '.join(clash)} are identifiers: list them under "
                "identifiers (read from the profiles at send time and checked against the "
                "suppression list); customer_id is always sent as external_id"
            )
        headers = block.get("headers_from_env") or {}
        if not isinstance(headers, dict) or not all(
            isinstance(h, str) and isinstance(v, str) and ENV_NAME.match(v)
            for h, v in headers.items()
        ):
            raise DestinationError(
                f"{where}: headers_from_env maps header names to environment variable names "
                "(e.g. {Authorization: CDP_ESP_AUTHORIZATION})"
            )
        settings.update(
            url=url or None,
            fields=fields,
            headers_from_env=dict(headers),
            batch_size=_number(block, "batch_size", where, int, 500, 1, 100_000),
            timeout_seconds=_number(block, "timeout_seconds", where, float, 10.0, 0.01, 600),
            max_attempts=_number(block, "max_attempts", where, int, 5, 1, 100),
            backoff_seconds=_number(block, "backoff_seconds", where, float, 1.0, 0, 3600),
        )
    return Destination(
        name=name,
        audience=str(audience),
        type=kind,
        format=fmt,
        consent_purposes=purposes,
        identifiers=identifiers,
        declared_in=str(path),
        not_configured=not_configured,
        **settings,
    )


def _names(block: dict, key: str, where: str, required: bool) -> tuple[str, ...]:
    value = block.get(key)
    if value is None and not required:
        return ()
    if (
        not isinstance(value, list)
        or (required and not value)
        or not all(isinstance(v, str) and NAME.match(v) for v in value)
    ):
        raise DestinationError(f"{where}: {key} must be a list of names (got {value!r})")
    if len(set(value)) != len(value):
        raise DestinationError(f"{where}: {key} names a value twice")
    return tuple(value)


def _number(block, key, where, kind, default, low, high):
    value = block.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DestinationError(f"{where}: {key} must be a number (got {value!r})")
    if kind is int and value != int(value):
        raise DestinationError(f"{where}: {key} must be a whole number (got {value!r})")
    if not low <= value <= high:
        raise DestinationError(f"{where}: {key} must be between {low} and {high} (got {value!r})")
    return kind(value)


def _check_url(url: str, where: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise DestinationError(f"{where}: url {url!r} is not an http(s) address")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise DestinationError(
            f"{where}: url {url!r} sends personal data in clear over the network: use "
            "https (plain http only to this machine: 127.0.0.1, ::1, localhost)"
        )


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
