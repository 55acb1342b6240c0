"""A tiny HTTP client for the black-box tests: starts the real server on a free port of
127.0.0.1 and talks to it with urllib, keeping cookies per client like a browser would."""
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "cli"))
from common import BIN  # noqa: E402


class Server:
    def __init__(self, db, *extra):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.proc = subprocess.Popen(
            [BIN, "--db", db, "serve", "--host", "127.0.0.1", "--port", str(self.port), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(self.base + "/api/health", timeout=10):
                    break
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    out = self.proc.stdout.read() if self.proc.poll() is not None else ""
                    raise RuntimeError("server did not start: " + out)
                time.sleep(0.2)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    def header_all(self, name):
        return self.headers.get_all(name) or []


class Client:
    """One visitor: its own cookies; optionally an API token sent as a Bearer header."""

    def __init__(self, server, token=None):
        self.server = server
        self.token = token
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def request(self, method, path, form=None, json_body=None, headers=None):
        data = None
        h = dict(headers or {})
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if form is not None:
            data = urllib.parse.urlencode(form, doseq=True).encode()
            h["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            data = json.dumps(json_body).encode()
            h["Content-Type"] = "application/json"
        elif method == "POST":
            data = b""
        req = urllib.request.Request(self.server.base + path, data=data, method=method, headers=h)
        try:
            with self.opener.open(req, timeout=60) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def cookie(self, name):
        for c in self.jar:
            if c.name == name:
                return c.value
        return None

    def set_cookie(self, name, value):
        c = http.cookiejar.Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/",
                                  True, False, None, False, None, None, {"HttpOnly": None})
        self.jar.set_cookie(c)

    def csrf(self, path="/login"):
        """The CSRF token of a form on `path` (hidden input named csrf)."""
        r = self.get(path)
        m = re.search(r'name="csrf" value="([^"]+)"', r.text)
        return m.group(1) if m else None

    def sign_in(self, username, password):
        # Signed in already, /login redirects: the session's token is on /account.
        token = self.csrf("/login") or self.csrf("/account")
        r = self.post("/login", form={"username": username, "password": password, "csrf": token,
                                      "next": "/account"})
        return r


def cli_token(run, db, username, scope="write"):
    """Creates an API token with the CLI and returns it (the last line of the output)."""
    out = run(db, "user", "token", username, "--name", "test", "--scope", scope).stdout
    return out.strip().splitlines()[-1]


def add_user(run, db, username, name, roles, institution=None, password=None, email=""):
    args = ["user", "add", username, "--name", name]
    if email:
        args += ["--email", email]
    if institution:
        args += ["--institution", institution]
    for r in roles:
        args += ["--role", r]
    if password:
        args.append("--password-stdin")
        import subprocess as sp
        p = sp.run([BIN, "--db", db, *args], input=password + "\n", capture_output=True,
                   text=True)
        if p.returncode != 0:
            raise AssertionError(p.stderr)
        return p.stdout
    return run(db, *args).stdout
