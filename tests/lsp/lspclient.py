"""A small LSP client for the tests: starts `annals lsp`, frames messages, waits for answers."""
import json
import os
import select
import subprocess
import time


class Client:
    def __init__(self, argv, cwd=None, env=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd, env=env)
        self.buf = b""
        self.next_id = 0
        self.inbox = []          # messages read and not yet taken

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params=None):
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.next_id

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def _read_one(self, deadline):
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                header = self.buf[:end].decode()
                n = None
                for line in header.split("\r\n"):
                    k, _, v = line.partition(":")
                    if k.strip().lower() == "content-length":
                        n = int(v)
                assert n is not None, "header without Content-Length: %r" % header
                if len(self.buf) >= end + 4 + n:
                    body = self.buf[end + 4:end + 4 + n]
                    self.buf = self.buf[end + 4 + n:]
                    return json.loads(body)
            left = deadline - time.time()
            if left <= 0:
                return None
            r, _, _ = select.select([self.proc.stdout], [], [], left)
            if not r:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return None
            self.buf += chunk

    def wait(self, pred, timeout=30):
        """The first message (read or in the inbox) for which pred is true."""
        for i, m in enumerate(self.inbox):
            if pred(m):
                return self.inbox.pop(i)
        deadline = time.time() + timeout
        while True:
            m = self._read_one(deadline)
            if m is None:
                return None
            if pred(m):
                return m
            self.inbox.append(m)

    def response(self, rid, timeout=30):
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def call(self, method, params=None, timeout=30):
        m = self.response(self.request(method, params), timeout)
        assert m is not None, "no answer to %s" % method
        return m

    def diagnostics(self, uri, timeout=30, pred=None):
        """The next publishDiagnostics for uri (and pred on its list)."""
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri
                         and (pred is None or pred(m["params"]["diagnostics"])), timeout)

    def drain(self, seconds=0.3):
        deadline = time.time() + seconds
        while True:
            m = self._read_one(deadline)
            if m is None:
                return
            self.inbox.append(m)

    def close(self, timeout=60):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None


def uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))
