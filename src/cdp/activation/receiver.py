"""A reference receiver of the HTTP destination's protocol, to try a sync on this
machine: it keeps one audience list in memory and prints what each batch changed.

    python -m cdp.activation.receiver --port 8099

It applies each operation once: an op_id it has applied before (a batch sent again
after a timeout) is acknowledged and skipped. add and update upsert the record under
its external_id, remove deletes it. It listens on the loopback interface only.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cdp.activation.destinations import is_loopback

OPERATIONS = ("add", "update", "remove")


class ListReceiver:
    """The list and the op_ids applied to it."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}
        self.applied: dict[str, dict[str, Any]] = {}
        self.batches: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def receive(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Apply one batch; the HTTP status and JSON answer."""
        operations = body.get("operations") if isinstance(body, dict) else None
        if not isinstance(operations, list):
            return 400, {"error": "a batch is an object with a list of operations"}
        rejected = []
        with self.lock:
            self.batches.append(body)
            for operation in operations:
                reason = self._invalid(operation)
                if reason:
                    rejected.append({"op_id": operation.get("op_id"), "reason": reason})
                    continue
                if operation["op_id"] in self.applied:
                    continue
                self.applied[operation["op_id"]] = operation
                if operation["op"] == "remove":
                    self.records.pop(operation["external_id"], None)
                else:
                    self.records[operation["external_id"]] = operation["data"]
        return 200, {"accepted": len(operations) - len(rejected), "rejected": rejected}

    @staticmethod
    def _invalid(operation: Any) -> str | None:
        if not isinstance(operation, dict) or not isinstance(operation.get("op_id"), str):
            return "invalid_operation"
        if operation.get("op") not in OPERATIONS or not isinstance(
            operation.get("external_id"), str
        ):
            return "invalid_operation"
        if operation["op"] != "remove" and not isinstance(operation.get("data"), dict):
            return "invalid_operation"
        return None


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._answer(400, {"error": "the body is not JSON"})
            return
        status, answer = self.server.receiver.receive(body)
        self._answer(status, answer)
        if self.server.verbose and status == 200:
            counts = {op: 0 for op in OPERATIONS}
            for operation in body["operations"]:
                counts[operation.get("op")] = counts.get(operation.get("op"), 0) + 1
            print(
                f"{self.path}: sync {body.get('sync_id')} batch {body.get('batch')}: "
                + ", ".join(f"{n} {op}" for op, n in counts.items())
                + f"; {len(answer['rejected'])} rejected; "
                f"{len(self.server.receiver.records)} on the list",
                flush=True,
            )

    def _answer(self, status: int, answer: dict[str, Any]) -> None:
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, receiver: ListReceiver, verbose: bool) -> None:
        super().__init__(address, _Handler)
        self.receiver = receiver
        self.verbose = verbose


def make_server(
    receiver: ListReceiver, host: str = "127.0.0.1", port: int = 0, verbose: bool = False
) -> _Server:
    if not is_loopback(host):
        raise ValueError(f"the reference receiver listens on this machine only, not {host}")
    return _Server((host, port), receiver, verbose)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cdp.activation.receiver", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    args = parser.parse_args(argv)
    try:
        server = make_server(ListReceiver(), args.host, args.port, verbose=True)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    host, port = server.server_address[:2]
    print(f"receiving on http://{host}:{port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
