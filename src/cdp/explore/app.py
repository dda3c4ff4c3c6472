"""The pages of ``cdp explore``: a WSGI application (standard library server,
Jinja2 templates, server-side SVG, no JavaScript).

Every request opens the database read-only for its own duration. Bad input gets
a page saying what is wrong (400), a missing or locked database a page saying so
(503), an unknown customer 404; nothing ever shows a traceback (the terminal
gets it instead)."""

from __future__ import annotations

import ipaddress
import re
import sys
import threading
import traceback
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jinja2

from cdp.explore import queries, svg, syncs
from cdp.explore.project import render_normalizers, survivorship_order

MAX_PARAMETER_LENGTH = 256
MAX_PARAMETERS = 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SECURITY_HEADERS = [
    # nothing is loaded from anywhere but this server, and no script runs at all
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
]
STATUS = {
    200: "200 OK",
    400: "400 Bad Request",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}


class HttpError(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


def bad_request(message: str) -> HttpError:
    return HttpError(400, "Bad query", message)


@dataclass
class Request:
    path: str
    params: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        return self.params.get(name, default)


def parse_request(environ: dict[str, Any]) -> Request:
    """Path and query parameters, decoded strictly: invalid UTF-8, repeated or
    overlong parameters and control characters are refused with a clear message."""
    try:
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8")
        raw_query = environ.get("QUERY_STRING", "").encode("latin-1").decode("utf-8")
    except UnicodeError as error:
        raise bad_request("The address is not valid UTF-8.") from error
    try:
        parsed = parse_qs(
            raw_query,
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_PARAMETERS,
        )
    except UnicodeDecodeError as error:
        raise bad_request("The query string is not valid UTF-8 after percent-decoding.") from error
    except ValueError as error:
        raise bad_request(f"The query string is malformed: {error}.") from error
    params = {}
    for name, values in parsed.items():
        if len(values) > 1:
            raise bad_request(f"Parameter {name!r} is given {len(values)} times.")
        value = values[0]
        if len(value) > MAX_PARAMETER_LENGTH:
            raise bad_request(
                f"Parameter {name!r} is {len(value)} characters long "
                f"(at most {MAX_PARAMETER_LENGTH})."
            )
        if _CONTROL.search(value) or _CONTROL.search(name):
            raise bad_request(f"Parameter {name!r} contains control characters.")
        params[name] = value
    return Request(path=path, params=params)


def _format_value(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)


def _percent(value: Any) -> str:
    """A rate or share (0-1) as a percentage: 0.6 -> '60%', 0.0125 -> '1.3%'."""
    if value is None:
        return "–"
    share = float(value) * 100
    if share == round(share) or abs(share) >= 10:
        return f"{share:.0f}%"
    return f"{share:.1f}%"


def _plural(count: Any, singular: str, plural: str | None = None) -> str:
    """'1 identifier', '2 identifiers', '1,234 records'."""
    number = _format_value(count)
    return f"{number} {singular if count == 1 else (plural or singular + 's')}"


LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def _host_name(host_header: str) -> str:
    """'127.0.0.1:8765' -> '127.0.0.1', '[::1]:8765' -> '::1'."""
    if host_header.startswith("["):
        return host_header[1 : host_header.find("]")]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class ExploreApp:
    """The WSGI application over one DuckDB file and one dbt project.

    ``allowed_hosts``: the Host header names served (default: loopback names only,
    so a web page elsewhere cannot read these pages through DNS rebinding); None
    serves any."""

    def __init__(
        self,
        database: str | Path,
        project_dir: Path,
        default_country: str | None = None,
        allowed_hosts: frozenset[str] | None = LOOPBACK_NAMES,
    ) -> None:
        self.database = Path(database)
        self.allowed_hosts = allowed_hosts
        self.normalizers = render_normalizers(project_dir)
        self.survivorship_order = survivorship_order(project_dir)
        self._default_country = default_country
        self._lock = threading.Lock()
        self.templates = jinja2.Environment(
            loader=jinja2.PackageLoader("cdp.explore", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.filters["show"] = _format_value
        self.templates.filters["percent"] = _percent
        self.templates.filters["plural"] = _plural
        self.templates.globals["urlencode"] = urlencode
        self.stylesheet = (Path(__file__).parent / "static" / "style.css").read_bytes()

    # -- plumbing ----------------------------------------------------------

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if method not in ("GET", "HEAD"):
                raise HttpError(405, "Method not allowed", "This explorer is read-only.")
            host = environ.get("HTTP_HOST")
            allowed = self.allowed_hosts
            if allowed is not None and host and _host_name(host) not in allowed:
                raise HttpError(
                    400,
                    "Unexpected host",
                    f"This explorer answers only as {', '.join(sorted(self.allowed_hosts))}; "
                    "open it through that address.",
                )
            request = parse_request(environ)
            if request.path == "/static/style.css":
                return self._respond(
                    start_response, 200, self.stylesheet, "text/css; charset=utf-8", method
                )
            status, body = self.route(request)
        except HttpError as error:
            status, body = error.status, self._error_page(error)
        except queries.DatabaseUnavailable as error:
            status = 503
            body = self._error_page(HttpError(503, "Database unavailable", str(error)))
        except Exception:  # never a traceback in the browser
            traceback.print_exc(file=sys.stderr)
            status = 500
            body = self._error_page(
                HttpError(
                    500,
                    "Internal error",
                    "Something went wrong on this page; the terminal running cdp explore "
                    "shows the details.",
                )
            )
        return self._respond(
            start_response, status, body.encode("utf-8"), "text/html; charset=utf-8", method
        )

    def _respond(self, start_response, status: int, body: bytes, content_type: str, method: str):
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        start_response(STATUS[status], headers + SECURITY_HEADERS)
        return [b"" if method == "HEAD" else body]

    def _render(self, template: str, **context: Any) -> str:
        return self.templates.get_template(template).render(database=str(self.database), **context)

    def _error_page(self, error: HttpError) -> str:
        try:
            return self._render("error.html", page="error", error=error)
        except Exception:  # the error page itself must not fail
            traceback.print_exc(file=sys.stderr)
            return f"<!doctype html><title>{error.status}</title><p>{error.status}</p>"

    def _connect(self):
        return closing(queries.open_database(self.database))

    def default_country(self, con) -> str | None:
        with self._lock:
            if self._default_country is None:
                self._default_country = queries.most_common_country(con) or ""
            return self._default_country or None

    def _country(self, request: Request, con, known: list[dict[str, Any]]) -> str | None:
        if "country" not in request.params:
            return self.default_country(con)
        code = request.get("country").strip().upper()
        if not code:
            return None
        if code not in {c["country_code"] for c in known}:
            raise bad_request(
                f"Unknown country {code!r}: choose one of the list (ISO-2 codes of the "
                "countries seed), or none: a national number is then read in the one country "
                "whose customers hold it."
            )
        return code

    # -- pages -------------------------------------------------------------

    def route(self, request: Request) -> tuple[int, str]:
        if request.path in ("/", "/search"):
            return 200, self.search_page(request)
        if request.path == "/browse":
            return 200, self.browse_page(request)
        if request.path.startswith("/customer/"):
            return 200, self.customer_page(request, request.path[len("/customer/") :])
        if request.path == "/why":
            return 200, self.why_page(request)
        if request.path == "/health":
            return 200, self.health_page()
        if request.path == "/syncs":
            return 200, syncs.page(self, request)
        raise HttpError(404, "Not found", f"There is no page {request.path!r} here.")

    def search_page(self, request: Request) -> str:
        text = request.get("q")
        kind = request.get("type", "auto") or "auto"
        if kind not in queries.SEARCH_KINDS:
            raise bad_request(
                f"Unknown search type {kind!r}: use one of {', '.join(queries.SEARCH_KINDS)}."
            )
        with self._connect() as con:
            countries = queries.countries(con)
            country = self._country(request, con, countries)
            result = (
                queries.search(con, self.normalizers, text, kind, country) if text.strip() else None
            )
            landing = None
            if result is None:  # nothing searched yet: invite the user in
                landing = {
                    "examples": queries.examples(con),
                    "segments": queries.segments(con),
                    "health": queries.health_summary(con),
                }
        return self._render(
            "search.html",
            page="search",
            text=text,
            kind=kind,
            kinds=queries.SEARCH_KINDS,
            country=country,
            countries=countries,
            result=result,
            limit=queries.SEARCH_LIMIT,
            landing=landing,
        )

    def browse_page(self, request: Request) -> str:
        kind, value = request.get("by"), request.get("value")
        if kind not in queries.BROWSE_KINDS:
            raise bad_request(
                f"Unknown segment kind {kind!r}: use one of {', '.join(queries.BROWSE_KINDS)}."
            )
        with self._connect() as con:
            try:
                result = queries.browse(con, kind, value)
            except ValueError as error:
                raise bad_request(f"{str(error)[0].upper()}{str(error)[1:]}.") from error
        return self._render("browse.html", page="browse", result=result)

    def customer_page(self, request: Request, customer_id: str) -> str:
        if not customer_id or len(customer_id) > 100 or _CONTROL.search(customer_id):
            raise bad_request("That is not a customer id.")
        with self._connect() as con:
            customer = queries.profile(con, customer_id)
            if customer is None:
                raise HttpError(
                    404,
                    "No such customer",
                    f"There is no customer {customer_id!r} in this build (ids can change "
                    "when customers merge: search by an identifier instead).",
                )
            golden = queries.golden_record(con, customer, self.survivorship_order)
            identities = queries.identities(con, customer_id)
            graph = queries.identity_graph(con, customer_id)
            touchpoints = queries.touchpoints(con, customer_id)
            touchpoint_counts = queries.touchpoint_counts(con, customer_id)
            consent = queries.consent(con, customer_id)
            history = queries.consent_history(con, customer_id)
            value = queries.value(con, customer_id)
            privacy = queries.privacy(con, customer_id)
        anchor = next((n for n in graph.nodes if n.is_anchor and not n.is_masked), None)
        why_links = {}
        if anchor is not None:
            for node in graph.nodes:
                if node.is_masked or node.node_id == anchor.node_id:
                    continue
                why_links[(node.identifier_type, node.label)] = "/why?" + urlencode(
                    {
                        "from_type": anchor.identifier_type,
                        "from_value": anchor.label,
                        "to_type": node.identifier_type,
                        "to_value": node.label,
                        "country": "",
                    }
                )
        return self._render(
            "customer.html",
            page="customer",
            customer=customer,
            golden=golden,
            survivorship_order=self.survivorship_order,
            identities=identities,
            graph=graph,
            graph_svg=svg.identity_graph(graph.nodes, graph.links, graph.apart),
            why_links=why_links,
            touchpoints=touchpoints[: queries.TOUCHPOINT_LIMIT],
            touchpoint_total=sum(c["touchpoints"] for c in touchpoint_counts),
            touchpoint_counts=touchpoint_counts,
            timeline_svg=svg.timeline(touchpoints),
            timeline_limit=queries.TIMELINE_LIMIT,
            consent=consent,
            history=history,
            value=value,
            privacy=privacy,
        )

    def why_page(self, request: Request) -> str:
        fields = {
            name: request.get(name) for name in ("from_type", "from_value", "to_type", "to_value")
        }
        fields["from_type"] = fields["from_type"] or "email"
        fields["to_type"] = fields["to_type"] or "loyalty_id"
        with self._connect() as con:
            types = queries.identifier_types(con)
            for name in ("from_type", "to_type"):
                if fields[name] not in types:
                    raise bad_request(
                        f"Unknown identifier type {fields[name]!r} in {name}: use one of "
                        f"{', '.join(types)}."
                    )
            countries = queries.countries(con)
            country = self._country(request, con, countries)
            explanation = None
            if fields["from_value"].strip() and fields["to_value"].strip():
                explanation = queries.explain_link(
                    con,
                    self.normalizers,
                    (fields["from_type"], fields["from_value"]),
                    (fields["to_type"], fields["to_value"]),
                    country,
                )
        return self._render(
            "why.html",
            page="why",
            fields=fields,
            types=types,
            country=country,
            countries=countries,
            explanation=explanation,
            chain_svg=svg.path_chain(explanation.hops) if explanation else "",
        )

    def health_page(self) -> str:
        with self._connect() as con:
            health = queries.health(con)
        sizes = _size_buckets(health.component_sizes)
        refused = [(_refusal_label(r), r["identifiers"]) for r in health.refused]
        reasons = sorted({r["non_stitching_reason"] for r in health.refused})
        audience_charts = []
        for audience in health.audiences:
            if audience.purpose is None:
                continue
            bars = [(o.replace("_", " "), audience.outcomes.get(o, 0)) for o in OUTCOME_ORDER]
            audience_charts.append(
                svg.bar_chart(
                    [b for b in bars if b[1]] or [("member", 0)],
                    f"{audience.name}: known customers by outcome ({audience.purpose})",
                    colour="#9467bd",
                )
            )
        return self._render(
            "health.html",
            page="health",
            health=health,
            sizes_svg=svg.bar_chart(
                sizes, "Customers by number of stitching identifiers (component size)"
            ),
            refused_svg=svg.bar_chart(
                refused or [("none", 0)],
                "Refused (non-stitching) identifiers by type and reason",
                colour="#d62728",
            ),
            audience_charts=audience_charts,
            refusal_legend=[(r, REFUSAL_HELP.get(r, REFUSAL_UNKNOWN)) for r in reasons],
            refusal_label=_refusal_label,
            outcome_help=OUTCOME_HELP,
            excluded_by_consent=queries.EXCLUDED_BY_CONSENT,
        )


REFUSAL_HELP = {
    "blocked": "a test or placeholder value on the blocked_identifiers seed (any casing), "
    "or a phone of zeros only",
    "service_number": "a phone of a line type that is never a person's own "
    "(var identity_non_stitching_line_types: toll-free, shared-cost, premium-rate numbers)",
    "shared": "given by more people or accounts than the type's sharing limit "
    "(identifier_limits seed), or a phone on records naming different people; "
    "'with' says what it was shared across",
    "type_not_stitching": "an identifier type set not to stitch (identifier_types seed)",
}
REFUSAL_UNKNOWN = "a reason this page does not know: see non_stitching_reason in the dbt docs"


def _refusal_label(row: dict[str, Any]) -> str:
    label = f"{row['identifier_type']} · {row['non_stitching_reason']}"
    if row.get("shared_with_type"):
        label += f" with {row['shared_with_type']}"
    return label


OUTCOME_ORDER = (
    "member",
    "denied",
    "no_grant",
    "suppressed",
    "restricted",
    "erased",
    "not_contactable",
    "no_address",
    "other",
)
OUTCOME_HELP = {
    "member": "in the audience",
    "denied": "excluded by consent: the purpose's latest signal is a denial",
    "no_grant": "excluded by consent: no explicit grant (not set: the default applies)",
    "suppressed": "excluded by consent: granted, but the address is on the suppression list",
    "restricted": "excluded by consent: processing restricted (privacy request)",
    "erased": "excluded by consent: erased (privacy request)",
    "not_contactable": "excluded by consent: granted but not contactable",
    "no_address": "not reachable: no primary address for the channel",
    "other": "out for a reason this page does not know (check the audience's model)",
}
SIZE_BUCKETS = ((1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 10), (11, 20), (21, 50), (51, None))


def _size_buckets(sizes: list[dict[str, Any]]) -> list[tuple[str, int]]:
    buckets = []
    for low, high in SIZE_BUCKETS:
        label = (
            f"{low}" if low == high else (f"{low}–{high}" if high is not None else f"{low} or more")
        )
        customers = sum(
            s["customers"]
            for s in sizes
            if s["identifiers"] >= low and (high is None or s["identifiers"] <= high)
        )
        buckets.append((label + (" identifier" if label == "1" else " identifiers"), customers))
    return buckets


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        pass


def make_explore_server(app: ExploreApp, host: str, port: int) -> WSGIServer:
    return make_server(host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
