#!/usr/bin/env python3
"""A chat-completions server that thinks before answering, like a local model on a slow CPU.

Usage: slow_server.py PORT_FILE [DELAY_SECONDS]
Listens on 127.0.0.1 on a free port (written to PORT_FILE), reads a POST, sleeps DELAY_SECONDS
(default 10) without sending a byte, then streams a short OpenAI-style answer as server-sent events.
"""
import http.server
import json
import sys
import time

DELAY = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0


def chunk(content=None, finish=None):
    delta = {} if content is None else {"content": content}
    return "data: " + json.dumps({"id": "c1", "object": "chat.completion.chunk", "model": "slow",
                                  "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}) + "\n\n"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(DELAY)
        body = (chunk("hello") + chunk(None, "stop") + "data: [DONE]\n\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
