"""A local fake of DingTalk's and WeCom's robot endpoints (http.server in a thread).

It checks DingTalk's signature exactly as DingTalk documents it — `timestamp` (ms, within an
hour) and `sign` = base64(HMAC-SHA256(secret, "timestamp\\nsecret")) — and answers like the
vendor: {"errcode": 0, "errmsg": "ok"}, or {"errcode": 310000, "errmsg": "sign not match"}.
`fail_next` makes it answer HTTP 500 that many times first (to exercise retries).
"""

import base64
import hashlib
import hmac
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import json
import threading
import time
from urllib.parse import parse_qs, urlsplit


class FakeRobot:
    def __init__(self, secret: str = "") -> None:
        self.secret = secret
        self.fail_next = 0
        self.received: list[dict] = []
        self.refused: list[str] = []
        self.hits = 0
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                robot.hits += 1
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                if robot.fail_next > 0:
                    robot.fail_next -= 1
                    return self._answer(500, {"errcode": -1, "errmsg": "busy"})
                if parts.path == "/robot/send" and robot.secret:
                    timestamp = (query.get("timestamp") or [""])[0]
                    sign = (query.get("sign") or [""])[0]
                    expected = base64.b64encode(hmac.new(robot.secret.encode(), f"{timestamp}\n{robot.secret}".encode(),
                                                         hashlib.sha256).digest()).decode()
                    fresh = timestamp.isdigit() and abs(time.time() * 1000 - int(timestamp)) < 3600 * 1000
                    if not fresh or not hmac.compare_digest(sign, expected):
                        robot.refused.append(sign)
                        return self._answer(200, {"errcode": 310000, "errmsg": "sign not match"})
                robot.received.append(body)
                return self._answer(200, {"errcode": 0, "errmsg": "ok"})

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeRobot":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def dingtalk_url(self) -> str:
        return f"{self.base}/robot/send?access_token=test-token"

    @property
    def wecom_url(self) -> str:
        return f"{self.base}/cgi-bin/webhook/send?key=test-key"
