"""An OpenAI-compatible chat and embeddings server on 127.0.0.1 that misbehaves on demand: too slow, a 500, a body
that is not JSON, a stream cut before its end, a 429 (busy) for the next `refusals` requests, or a vector per token;
in "ok" mode it answers every chat request with `reply` and every text with a vector of `dimension` numbers drawn
from the text."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

Mode = Literal["ok", "slow", "error", "malformed", "cut", "busy", "per_token"]
SLOW_SECONDS = 3.0


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}/v1"
        self.mode: Mode = "ok"
        self.reply = '{"answer": "", "evidence": []}'
        self.requests = 0
        self.refusals = 0  # in "busy" mode: requests refused with a 429 before the next is answered
        self.dimension = 8
        self.models = ["fault"]
        self.in_flight = self.most_in_flight = 0
        self._lock = threading.Lock()

    def entered(self, change: int) -> None:
        """Count a request starting (+1) or ending (-1), and the most ever in flight together."""
        with self._lock:
            self.requests += max(change, 0)
            self.in_flight += change
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: a cut connection is the point of some modes."""


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        models = [{"id": name, "object": "model", "created": 0, "owned_by": "me"} for name in self.server.models]
        self._send(200, json.dumps({"object": "list", "data": models}).encode())

    def do_POST(self) -> None:
        self.server.entered(+1)
        try:
            self._answer(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        finally:
            self.server.entered(-1)

    def _answer(self, request: dict[str, Any]) -> None:
        mode = self.server.mode
        if mode == "busy" and self.server.refusals > 0:
            self.server.refusals -= 1
            return self._send(429, b'{"error": {"message": "busy"}}', {"retry-after-ms": "10"})
        if mode == "slow":
            time.sleep(SLOW_SECONDS)
        if mode == "error":
            return self._send(500, b'{"error": {"message": "the model crashed"}}')
        if mode == "malformed":
            return self._send(200, b'{"id": "x", "choices": [{"mess')
        if self.path.endswith("/embeddings"):
            return self._embeddings(request["input"], per_token=mode == "per_token")
        if request.get("stream"):
            return self._stream(cut=mode == "cut")
        message = {"role": "assistant", "content": self.server.reply}
        body = {"id": "x", "object": "chat.completion", "created": 0, "model": "fault", "usage": None}
        body["choices"] = [{"index": 0, "message": message, "finish_reason": "stop"}]
        self._send(200, json.dumps(body).encode())

    def _embeddings(self, texts: list[str], per_token: bool) -> None:
        time.sleep(0.2)  # long enough for requests sent together to overlap, even on a busy machine
        rows = []
        for number, text in enumerate(texts):
            seed = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
            vector = [((seed >> bit) & 0xFF) / 255 + 0.01 for bit in range(self.server.dimension)]
            rows.append({"object": "embedding", "index": number, "embedding": [vector] if per_token else vector})
        body = {"object": "list", "data": rows, "model": "fault", "usage": {"prompt_tokens": 1, "total_tokens": 1}}
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

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
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
