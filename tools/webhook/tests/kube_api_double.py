"""A Kubernetes API-server double for the webhook's list/watch tests.

Speaks the documented wire format for custom resources of
sympozium.ai/v1alpha1 over HTTPS (Python's ssl + http.server):

  GET /apis/sympozium.ai/v1alpha1/[namespaces/NS/]PLURAL?limit=N&continue=T
      an XxxList with apiVersion, kind, metadata.resourceVersion and
      metadata.continue (pages of at most `page_size`, whatever limit asks);
  GET ...?watch=1&resourceVersion=RV&allowWatchBookmarks=true&timeoutSeconds=S
      a chunked stream of newline-delimited WatchEvents
      ({"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR, "object": ...}) after RV;
      410 Gone for an RV older than the last compaction, as the HTTP status
      or as an ERROR event carrying a Status with code 410.

Every request must carry `Authorization: Bearer <token>` (401 otherwise).
Faults for tests: hold a list page, drop streams (also mid-line), stall
streams, compact history, rotate the token.
"""
import copy
import json
import socket
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GROUP_VERSION = "sympozium.ai/v1alpha1"
KINDS = {"sympoziumpolicies": "SympoziumPolicy", "agents": "Agent", "skillpacks": "SkillPack"}
PLURALS = {v: k for k, v in KINDS.items()}


def status(code, reason, message):
    return {"apiVersion": "v1", "kind": "Status", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


class Stream:
    """One open watch: the handler thread writes, tests poke it."""

    def __init__(self, plural, ns):
        self.plural = plural
        self.ns = ns
        self.closed = False
        self.stalled = False
        self.drop_midline = False


class ApiDouble:
    def __init__(self, cert, key, token, port=0, page_size=2, gone_as="http"):
        self.token = token
        self.page_size = page_size
        self.gone_as = gone_as  # "http" or "event": how an expired RV is answered
        self.lock = threading.Condition()
        self.rv = 100
        self.compacted = 0  # watches from an RV below this get 410
        self.objects = {}  # (plural, ns, name) -> object
        self.events = []  # (rv, plural, ns, type, object)
        self.streams = []
        self.watch_requests = []  # (plural, ns, resourceVersion) of each watch, in order
        self.list_requests = 0
        self.unauthorized = 0
        self.hold_page = None  # threading.Event: the second list page waits for it
        self.snapshots = {}  # continue token -> (rv, items)
        double = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                double.handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.close_streams()
        self.httpd.shutdown()
        self.httpd.server_close()

    # ---- state changes, as the API server makes them

    def _record(self, type_, obj):
        self.rv += 1
        obj["metadata"]["resourceVersion"] = str(self.rv)
        meta = obj["metadata"]
        self.events.append((self.rv, PLURALS[obj["kind"]], meta.get("namespace", ""), type_,
                            copy.deepcopy(obj)))
        self.lock.notify_all()

    def put(self, obj, record=True):
        """Creates or replaces `obj` (ADDED or MODIFIED)."""
        obj = copy.deepcopy(obj)
        obj.setdefault("apiVersion", GROUP_VERSION)
        meta = obj["metadata"]
        key = (PLURALS[obj["kind"]], meta.get("namespace", ""), meta["name"])
        with self.lock:
            existed = key in self.objects
            self.objects[key] = obj
            if record:
                self._record("MODIFIED" if existed else "ADDED", obj)
            else:
                self.rv += 1
                obj["metadata"]["resourceVersion"] = str(self.rv)

    def delete(self, kind, ns, name, record=True):
        with self.lock:
            obj = self.objects.pop((PLURALS[kind], ns, name))
            if record:
                self._record("DELETED", obj)
            else:
                self.rv += 1

    def compact(self):
        """Forgets history: every watch from an older RV now gets 410."""
        with self.lock:
            self.compacted = self.rv  # a list made now is watchable from its RV
            self.events = []
            self.lock.notify_all()

    def bookmark(self):
        with self.lock:
            self.rv += 1
            for plural in KINDS:
                self.events.append((self.rv, plural, None, "BOOKMARK", None))
            self.lock.notify_all()

    def close_streams(self, midline=False):
        with self.lock:
            for s in self.streams:
                if midline:
                    s.drop_midline = True
                else:
                    s.closed = True
            self.lock.notify_all()

    def stall_streams(self):
        with self.lock:
            for s in self.streams:
                s.stalled = True
            self.lock.notify_all()

    def open_streams(self):
        with self.lock:
            return sum(1 for s in self.streams if not s.closed and not s.stalled)

    # ---- HTTP

    def handle(self, req):
        if req.headers.get("Authorization") != "Bearer " + self.token:
            with self.lock:
                self.unauthorized += 1
            return self.reply(req, 401, status(401, "Unauthorized", "Unauthorized"))
        url = urllib.parse.urlsplit(req.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        parts = url.path.split("/")
        # ['', 'apis', 'sympozium.ai', 'v1alpha1', ('namespaces', NS,)? PLURAL]
        if parts[1:4] != ["apis", "sympozium.ai", "v1alpha1"]:
            return self.reply(req, 404, status(404, "NotFound", "not found"))
        rest = parts[4:]
        ns = None
        if len(rest) == 3 and rest[0] == "namespaces":
            ns, rest = rest[1], rest[2:]
        if len(rest) != 1 or rest[0] not in KINDS:
            return self.reply(req, 404, status(404, "NotFound", "not found"))
        if query.get("watch") in ("1", "true"):
            return self.watch(req, rest[0], ns, query)
        return self.list(req, rest[0], ns, query)

    def reply(self, req, code, body):
        data = json.dumps(body).encode()
        req.send_response(code)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)

    def list(self, req, plural, ns, query):
        limit = min(int(query.get("limit", "0")) or 10**9, self.page_size)
        token = query.get("continue")
        with self.lock:
            self.list_requests += 1
            if token:
                if token not in self.snapshots:
                    return self.reply(req, 410, status(410, "Expired", "continue token expired"))
                rv, items = self.snapshots[token]
            else:
                rv = self.rv
                items = [copy.deepcopy(o) for (p, n, _), o in sorted(self.objects.items())
                         if p == plural and (ns is None or n == ns)]
        offset = int(token.split(":")[1]) if token else 0
        if offset > 0 and self.hold_page is not None:
            self.hold_page.wait()
        page = items[offset:offset + limit]
        meta = {"resourceVersion": str(rv)}
        if offset + limit < len(items):
            next_token = "%d:%d" % (rv, offset + limit)
            with self.lock:
                self.snapshots[next_token] = (rv, items)
            meta["continue"] = next_token
        self.reply(req, 200, {"apiVersion": GROUP_VERSION, "kind": KINDS[plural] + "List",
                              "metadata": meta, "items": page})

    def watch(self, req, plural, ns, query):
        since = int(query.get("resourceVersion") or "0")
        timeout = int(query.get("timeoutSeconds") or "300")
        with self.lock:
            self.watch_requests.append((plural, ns, query.get("resourceVersion", "")))
            expired = since < self.compacted
        if expired and self.gone_as == "http":
            return self.reply(req, 410, status(410, "Expired", "too old resource version"))
        req.send_response(200)
        req.send_header("Content-Type", "application/json")
        req.send_header("Transfer-Encoding", "chunked")
        req.end_headers()
        stream = Stream(plural, ns)
        try:
            if expired:
                event = {"type": "ERROR",
                         "object": status(410, "Expired", "too old resource version: %d" % since)}
                self.chunk(req, json.dumps(event).encode() + b"\n")
                return self.end(req)
            with self.lock:
                self.streams.append(stream)
            self.pump(req, stream, since, time.monotonic() + timeout)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass
        finally:
            with self.lock:
                if stream in self.streams:
                    self.streams.remove(stream)

    def pump(self, req, stream, since, deadline):
        sent = since
        while True:
            with self.lock:
                while True:
                    if stream.closed or time.monotonic() > deadline:
                        break
                    pending = [e for e in self.events if e[0] > sent and e[1] == stream.plural
                               and (e[2] is None or stream.ns is None or e[2] == stream.ns)]
                    if (pending or stream.drop_midline) and not stream.stalled:
                        break
                    self.lock.wait(0.2)
                if stream.closed or time.monotonic() > deadline:
                    return self.end(req) if not stream.closed else self.hang_up(req)
                if stream.drop_midline and not pending:
                    return self.hang_up(req)
            for rv, plural, _, type_, obj in pending:
                if type_ == "BOOKMARK":
                    obj = {"apiVersion": GROUP_VERSION, "kind": KINDS[plural],
                           "metadata": {"resourceVersion": str(rv)}}
                line = json.dumps({"type": type_, "object": obj}).encode() + b"\n"
                if stream.drop_midline:  # half an event, then the connection dies
                    self.chunk(req, line[:len(line) // 2])
                    return self.hang_up(req)
                self.chunk(req, line)
                sent = rv

    def chunk(self, req, data):
        req.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        req.wfile.flush()

    def end(self, req):
        req.wfile.write(b"0\r\n\r\n")
        req.wfile.flush()

    def hang_up(self, req):
        req.close_connection = True
        try:
            req.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
