"""The HTTP destination: JSON batches POSTed to the declared url, with retries.

Protocol (docs/activation.md): each batch is one POST of

    {"destination": ..., "audience": ..., "sync_id": 7, "batch": 2, "mode": "delta",
     "last_batch": false,
     "operations": [
        {"op_id": "7-1", "op": "remove", "external_id": "cus_…", "identifiers": {…}},
        {"op_id": "7-2", "op": "add", "external_id": "cus_…", "data": {…}}]}

with an ``Idempotency-Key`` header. A 2xx answer accepts the batch; its JSON body may
list operations the receiver rejected (``{"rejected": [{"op_id": "7-2", "reason":
"invalid_email"}]}``). An operation sent again after a failure keeps its op_id, so a
receiver that remembers the op_ids it applied applies each one once.

Timeouts, connection errors, 408, 429 and 5xx answers are retried with exponential
back-off (``backoff_seconds`` × 2^attempt, at most a minute; a ``Retry-After`` of up to a
minute is honoured) up to ``max_attempts``; any other answer stops the sync.
"""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from cdp.activation.destinations import Destination, is_loopback

RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}
MAX_DELAY_SECONDS = 60.0
REASON = re.compile(r"^[a-z0-9_.-]{1,64}$")


class DeliveryError(Exception):
    """A batch could not be delivered. ``maybe_applied``: the receiver may have applied
    it (it answered 5xx or timed out after the request reached it)."""

    def __init__(self, message: str, maybe_applied: bool) -> None:
        super().__init__(message)
        self.maybe_applied = maybe_applied


@dataclass
class BatchResult:
    attempts: int
    rejected: dict[str, str] = field(default_factory=dict)
    retries: list[str] = field(default_factory=list)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None


def _opener(url: str) -> urllib.request.OpenerDirector:
    handlers: list = [_NoRedirect()]
    if is_loopback(urlsplit(url).hostname or ""):
        handlers.append(urllib.request.ProxyHandler({}))  # never through a proxy
    return urllib.request.build_opener(*handlers)


def shown(url: str) -> str:
    """The url as messages and the log show it: without credentials or a query string
    (where an endpoint may carry a token)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}" + ("?…" if parts.query else "")


def _retry_after(error: urllib.error.HTTPError) -> float | None:
    value = error.headers.get("Retry-After") if error.headers else None
    try:
        return min(float(value), MAX_DELAY_SECONDS) if value is not None else None
    except ValueError:
        return None


def _rejected(body: bytes, op_ids: set[str]) -> dict[str, str]:
    """The operations a 2xx answer rejects, with a reason code (free text from the
    receiver, which might echo personal data, is not kept)."""
    try:
        answer = json.loads(body) if body.strip() else {}
    except (ValueError, UnicodeDecodeError):
        return {}
    rejected = {}
    for item in answer.get("rejected") or [] if isinstance(answer, dict) else []:
        if isinstance(item, dict) and item.get("op_id") in op_ids:
            reason = str(item.get("reason") or "").lower()
            rejected[item["op_id"]] = reason if REASON.match(reason) else "rejected"
    return rejected


def post_batch(
    destination: Destination,
    body: dict,
    idempotency_key: str,
    headers: dict[str, str],
    sleep: Callable[[float], None] = time.sleep,
) -> BatchResult:
    """POST one batch, retrying what can be retried; raise DeliveryError otherwise."""
    assert destination.url is not None
    data = json.dumps(body, separators=(",", ":"), default=str).encode("utf-8")
    op_ids = {op["op_id"] for op in body["operations"]}
    opener = _opener(destination.url)
    reached = False
    retries: list[str] = []
    for attempt in range(1, destination.max_attempts + 1):
        request = urllib.request.Request(
            destination.url,
            data=data,
            method="POST",
            headers={
                **headers,
                "Content-Type": "application/json",
                "Idempotency-Key": idempotency_key,
                "User-Agent": "cdp-sync",
            },
        )
        delay = None
        try:
            with opener.open(request, timeout=destination.timeout_seconds) as response:
                answer = response.read()
            return BatchResult(attempt, _rejected(answer, op_ids), retries)
        except urllib.error.HTTPError as error:
            if error.code not in RETRYABLE_STATUS and error.code < 500:
                raise DeliveryError(
                    f"{shown(destination.url)} answered HTTP {error.code} {error.reason}"
                    + (" (a redirect: update the url)" if 300 <= error.code < 400 else ""),
                    maybe_applied=False,
                ) from error
            reached = True
            problem = f"HTTP {error.code}"
            delay = _retry_after(error)
        except TimeoutError:
            reached = True
            problem = f"no answer within {destination.timeout_seconds:g} s"
        except (http.client.HTTPException, ConnectionResetError) as error:
            reached = True
            problem = f"connection broken ({type(error).__name__})"
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                reached = True
                problem = f"no answer within {destination.timeout_seconds:g} s"
            else:
                problem = f"cannot connect ({error.reason})"
        except OSError as error:
            problem = f"cannot connect ({error})"
        retries.append(problem)
        if attempt == destination.max_attempts:
            break
        if delay is None:
            delay = min(destination.backoff_seconds * 2 ** (attempt - 1), MAX_DELAY_SECONDS)
        sleep(delay)
    raise DeliveryError(
        f"{shown(destination.url)}: {'; '.join(_counted(retries))} in "
        f"{destination.max_attempts} "
        "attempt(s)",
        maybe_applied=reached,
    )


def _counted(problems: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    for problem in problems:
        seen[problem] = seen.get(problem, 0) + 1
    return [p if n == 1 else f"{p} ({n} times)" for p, n in seen.items()]
