"""An OpenAI-compatible chat server on 127.0.0.1 that misbehaves on demand: too slow, a 500, a body that is not
JSON, or a stream cut before its end; in "ok" mode it answers every request with `reply`."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Mode = Literal["ok", "slow", "error", "malformed", "cut"]
SLOW_SECONDS = 3.0


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}/v1"
        self.mode: Mode = "ok"
        self.reply = '{"answer": "", "evidence": []}'
        self.requests = 0

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: a cut connection is the point of some modes."""


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._send(200, json.dumps({"object": "list", "data": [{"id": "fault", "object": "model"}]}).encode())

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests += 1
        mode = self.server.mode
        if mode == "slow":
            time.sleep(SLOW_SECONDS)
        if mode == "error":
            return self._send(500, b'{"error": {"message": "the model crashed"}}')
        if mode == "malformed":
            return self._send(200, b'{"id": "x", "choices": [{"mess')
        if request.get("stream"):
            return self._stream(cut=mode == "cut")
        message = {"role": "assistant", "content": self.server.reply}
        body = {"id": "x", "object": "chat.completion", "created": 0, "model": "fault", "usage": None}
        body["choices"] = [{"index": 0, "message": message, "finish_reason": "stop"}]
        self._send(200, json.dumps(body).encode())

    def _stream(self, cut: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        reply = self.server.reply
        pieces = [reply[: len(reply) // 2], reply[len(reply) // 2 :]]
        for number, piece in enumerate(pieces):
            if cut and number == 1:
                self.connection.shutdown(2)  # the server dies mid-reply
                return
            last = number == len(pieces) - 1
            choice = {"index": 0, "delta": {"content": piece}, "finish_reason": "stop" if last else None}
            chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "fault", "choices": [choice]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def fault_server() -> Iterator[FaultServer]:
    server = FaultServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
