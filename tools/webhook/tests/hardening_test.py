#!/usr/bin/env python3
"""Hostile-load and TLS tests of sympozium-webhook over real sockets.

  1. memory: 4 concurrent ~1.4 MB AgentRuns are all answered and peak RSS
     growth (VmHWM) stays under 8x their total; 32 concurrent maximum-size
     bodies keep the process under MEMORY_LIMIT (the rest get 503);
  2. the in-flight body budget: with it held, a request gets 503 with
     Retry-After, and is answered once it is free;
  3. Content-Length 10^23 answered 413 at once; pipelined requests in one
     TLS record all answered, in order;
  4. 1,000 idle, no-ClientHello and trickling connections from 127.0.0.1
     while /healthz and reviews from 127.0.0.2 still answer (p99 printed,
     not asserted: wall-clock bounds fail on a busy machine);
  5. TLS: a static-RSA/CBC suite refused, ECDHE+AEAD accepted; the
     certificate reloaded when its files change; --client-ca requires a
     client certificate; --metrics-listen serves /metrics and not /validate;
  6. a second instance on the same port exits non-zero.

  hardening_test.py --server BIN --fixtures DIR
"""
import argparse
import http.client
import json
import os
import re
import resource
import select
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webhook_test import ConfigMapDir, Failure, check, kill_and_show_log, review  # noqa: E402

MAX_BODY = 2_000_000
INFLIGHT = 4 * MAX_BODY
# Under AddressSanitizer (scripts/test sets ASAN_OPTIONS) resident memory
# measures the sanitizer too: the memory bounds are checked in the plain build.
SANITIZED = "ASAN_OPTIONS" in os.environ
MEMORY_LIMIT = 256 << 20  # the Deployment's limit (deploy/deployment.yaml)
FLOOD = 1000
TIMEOUT = 30  # --timeout-seconds: the flood must outlast the good requests


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def self_signed(tmp, name):
    cert, key = os.path.join(tmp, name + ".crt"), os.path.join(tmp, name + ".key")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
            "-days", "1", "-subj", "/CN=" + name,
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
    return cert, key


class Webhook:
    def __init__(self, binary, tmp, config, cert, key, *extra):
        self.log_path = os.path.join(tmp, "server-%d.log" % time.monotonic_ns())
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [binary, "--cert", cert, "--key", key, "--listen", "127.0.0.1:0", "--config", config,
             "--poll-interval-ms", "200", "--max-body-bytes", str(MAX_BODY),
             "--max-inflight-bytes", str(INFLIGHT), "--timeout-seconds", str(TIMEOUT),
             "--max-connections-per-client", str(FLOOD + 200), *extra],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        check(ready, "the server printed no address within 10 s")
        m = re.fullmatch(r"sympozium-webhook listening on https://127\.0\.0\.1:(\d+)\n",
                         self.proc.stdout.readline())
        check(m, "no listening line")
        self.port = int(m.group(1))
        self.metrics_port = None
        if "--metrics-listen" in extra:
            m = re.fullmatch(r"sympozium-webhook metrics on http://127\.0\.0\.1:(\d+)/metrics\n",
                             self.proc.stdout.readline())
            check(m, "no metrics line")
            self.metrics_port = int(m.group(1))

    def hwm(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            return int(re.search(r"^VmHWM:\s+(\d+) kB", f.read(), re.M).group(1)) * 1024

    def stop(self):
        self.proc.terminate()
        rc = self.proc.wait(timeout=10)
        self.log.close()
        check(rc == 0, "the server exited %d after SIGTERM" % rc)


def client_context(cafile, **kw):
    context = ssl.create_default_context(cafile=cafile)
    for name, value in kw.items():
        setattr(context, name, value)
    return context


def request(server, context, method, path, body=None, source="127.0.0.2", timeout=20):
    """(status, headers, body) over a fresh HTTPS connection from `source`."""
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=context,
                                       timeout=timeout, source_address=(source, 0))
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        res = conn.getresponse()
        return res.status, dict(res.getheaders()), res.read()
    finally:
        conn.close()


def big_run(run, size):
    """An AgentRun of about `size` bytes of JSON: a dense spec.task."""
    obj = json.loads(json.dumps(run))
    obj["spec"]["task"] = ("review the change and list every defect " * (size // 40 + 1))[:size]
    return json.dumps(review(obj)).encode()


def concurrent(n, fn):
    results = [None] * n

    def one(i):
        try:
            results[i] = fn(i)
        except Exception as e:  # noqa: BLE001 - reported as the result
            results[i] = e
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def memory(server, ctx, run):
    body = big_run(run, 1_400_000)
    before = server.hwm()
    answers = concurrent(4, lambda i: request(server, ctx, "POST", "/validate", body))
    for a in answers:
        check(not isinstance(a, Exception) and a[0] == 200, "a 1.4 MB review: %r" % (a,))
        check(json.loads(a[2])["response"]["allowed"], "the 1.4 MB run was not allowed")
    growth = server.hwm() - before
    print("memory: 4 concurrent %d-byte reviews answered; peak RSS %.1f -> +%.1f MB (%.1fx their "
          "total)" % (len(body), before / 1e6, growth / 1e6, growth / (4 * len(body))))
    if not SANITIZED:  # ASan's shadow memory and quarantine are not the server's
        check(growth < 8 * 4 * len(body), "peak RSS grew %d bytes for 4 bodies" % growth)

    largest = big_run(run, MAX_BODY - len(big_run(run, 0)))
    check(len(largest) == MAX_BODY, "the largest body is %d bytes" % len(largest))
    answers = concurrent(32, lambda i: request(server, ctx, "POST", "/validate", largest))
    statuses = [a[0] if not isinstance(a, Exception) else repr(a) for a in answers]
    check(all(s in (200, 503) for s in statuses), "32 maximum-size bodies: %r" % statuses)
    check(statuses.count(200) >= 1, "none of 32 maximum-size bodies was answered")
    peak = server.hwm()
    print("memory: 32 concurrent %d-byte reviews: %d answered, %d shed with 503; peak RSS %.1f MB"
          % (len(largest), statuses.count(200), statuses.count(503), peak / 1e6))
    if not SANITIZED:
        check(peak < MEMORY_LIMIT, "peak RSS %d over the documented limit" % peak)


def raw_tls(server, ctx, source="127.0.0.2"):
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT - 5,
                                    source_address=(source, 0))
    return ctx.wrap_socket(sock, server_hostname="127.0.0.1")


def read_responses(tls, count):
    """`count` HTTP responses off one connection: [(status, body)]."""
    data, out = b"", []
    while len(out) < count:
        head_end = data.find(b"\r\n\r\n")
        if head_end >= 0:
            head = data[:head_end].decode()
            length = int(re.search(r"(?im)^content-length:\s*(\d+)", head).group(1))
            if len(data) >= head_end + 4 + length:
                out.append((int(head.split()[1]), data[head_end + 4:head_end + 4 + length]))
                data = data[head_end + 4 + length:]
                continue
        chunk = tls.recv(65536)
        check(chunk, "the connection closed after %d of %d answers" % (len(out), count))
        data += chunk
    return out


def hold_body(server, ctx):
    """A request whose header reserves a maximum-size body that never comes."""
    tls = raw_tls(server, ctx)
    tls.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n{" % MAX_BODY)
    return tls


def still_holding(tls):
    """Whether the server is still waiting for this holder's body: nothing
    to read means it holds its share. A holder whose header arrived while
    another request held part of the budget was answered 503; such a holder
    is closed here, so the caller only drops it."""
    tls.setblocking(False)
    try:
        tls.recv(1)
    except ssl.SSLWantReadError:
        return True  # only session tickets, if anything, came
    except OSError:
        pass
    tls.close()
    return False


def budget_and_framing(server, ctx, run):
    # Hold the whole in-flight budget with headers whose bodies never come.
    # The probe itself briefly holds a little of the budget, so a holder may
    # be refused in its place: refused holders are replaced before each probe.
    holders = []
    small = json.dumps(review(run)).encode()
    shed = None
    for _ in range(100):
        holders = [tls for tls in holders if still_holding(tls)]
        while len(holders) < INFLIGHT // MAX_BODY:
            holders.append(hold_body(server, ctx))
        shed = request(server, ctx, "POST", "/validate", small)
        if shed[0] == 503:
            break
        time.sleep(0.05)  # the holders' headers may still be on their way
    check(shed[0] == 503 and shed[1].get("Retry-After") == "1",
          "a request over the in-flight budget: %r" % (shed,))
    for tls in holders:
        tls.close()
    for _ in range(100):
        if request(server, ctx, "POST", "/validate", small)[0] == 200:
            break
        time.sleep(0.05)
    else:
        raise Failure("the budget was not given back after its holders closed")
    print("budget: a request over the in-flight budget got 503 with Retry-After: 1; "
          "answered again once it was free")

    # 10^23 bytes announced: 413 from the header alone, long before the
    # request deadline would end a wait for the body.
    with raw_tls(server, ctx) as tls:
        tls.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 100000000000000000000000\r\n\r\n")
        status, body = read_responses(tls, 1)[0]
    check(status == 413 and b"larger than" in body, "Content-Length 10^23: %d %r" % (status, body))

    # Three requests in one TLS record: all answered, in order.
    with raw_tls(server, ctx) as tls:
        post = (b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n" % len(small)) + small
        tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + post +
                    b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
        answers = read_responses(tls, 3)
    check([a[0] for a in answers] == [200, 200, 200] and answers[0][1] == b"ok\n" and
          b'"allowed":true' in answers[1][1] and answers[2][1].startswith(b"ready"),
          "pipelined answers: %r" % answers)
    print("framing: Content-Length 10^23 got 413 before any body; 3 pipelined requests answered "
          "in order")


def flood(server, ctx, run):
    socks = []
    # A third idle TCP (no ClientHello), a third TLS with nothing sent, a
    # third trickling a request one byte at a time.
    for i in range(FLOOD):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT,
                                     source_address=("127.0.0.1", 0))
        if i % 3 != 0:
            s = ctx.wrap_socket(s, server_hostname="127.0.0.1")
        socks.append(s)
    trickle = [s for i, s in enumerate(socks) if i % 3 == 2]
    stop = threading.Event()

    def trickler():
        line = b"POST /validate HTTP/1.1\r\nHost: x\r\n"
        for k in range(10 ** 6):
            if stop.wait(0.5):
                return
            for s in trickle:
                s.send(line[k % len(line):k % len(line) + 1])
    t = threading.Thread(target=trickler)
    t.start()
    try:
        small = json.dumps(review(run)).encode()
        latencies = []
        for i in range(60):
            start = time.monotonic()
            if i % 3 == 0:
                status, _, body = request(server, ctx, "POST", "/validate", small, timeout=15)
                check(status == 200 and b'"allowed":true' in body, "a review under the flood")
            else:
                status, _, body = request(server, ctx, "GET", "/healthz", timeout=15)
                check(status == 200, "/healthz under the flood: %d" % status)
            latencies.append((time.monotonic() - start) * 1000)
        alive = sum(1 for s in socks if s.fileno() >= 0)
    finally:
        stop.set()
        t.join()
        for s in socks:
            s.close()
    latencies.sort()
    print("flood: %d idle/silent/trickling connections from 127.0.0.1 (%d open); 60 requests "
          "from 127.0.0.2 on new TLS connections all answered: p50 %.1f ms, p99 %.1f ms, max "
          "%.1f ms" % (FLOOD, alive, latencies[30], latencies[59], latencies[-1]))


def tls_checks(server, ctx, cert, tmp):
    weak = client_context(cert, maximum_version=ssl.TLSVersion.TLSv1_2)
    weak.set_ciphers("AES128-SHA:AES256-SHA:AES128-GCM-SHA256")
    try:
        raw_tls(server, weak).close()
        raise Failure("a static-RSA suite was accepted")
    except ssl.SSLError:
        pass
    strong = client_context(cert, maximum_version=ssl.TLSVersion.TLSv1_2)
    strong.set_ciphers("ECDHE-RSA-AES128-GCM-SHA256")
    check(request(server, strong, "GET", "/healthz")[0] == 200, "ECDHE+AEAD over TLS 1.2")
    tls13 = client_context(cert, minimum_version=ssl.TLSVersion.TLSv1_3)
    check(request(server, tls13, "GET", "/healthz")[0] == 200, "TLS 1.3")

    # Replace the pair (a new key and certificate); new connections get it.
    new_cert, new_key = self_signed(tmp, "rotated")
    with open(new_cert) as f:
        rotated = ssl.PEM_cert_to_DER_cert(f.read())
    os.replace(new_key, server.key)
    os.replace(new_cert, server.cert)
    any_cert = ssl.create_default_context()
    any_cert.check_hostname = False
    any_cert.verify_mode = ssl.CERT_NONE
    for _ in range(200):
        with raw_tls(server, any_cert) as tls:
            if tls.getpeercert(binary_form=True) == rotated:
                break
        time.sleep(0.05)
    else:
        raise Failure("the rotated certificate was never served")
    print("tls: AES128-SHA refused, ECDHE-RSA-AES128-GCM-SHA256 and TLS 1.3 accepted; the "
          "rotated certificate served without a restart")
    return client_context(server.cert)


def client_certificates(binary, tmp, config, cert, key):
    ca_key, ca = os.path.join(tmp, "ca.key"), os.path.join(tmp, "ca.crt")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca,
            "-days", "1", "-subj", "/CN=test-ca")
    client_key, csr = os.path.join(tmp, "client.key"), os.path.join(tmp, "client.csr")
    client = os.path.join(tmp, "client.crt")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", client_key, "-out", csr,
            "-subj", "/CN=kube-apiserver")
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
            "-out", client, "-days", "1")
    server = Webhook(binary, tmp, config, cert, key, "--client-ca", ca,
                     "--metrics-listen", "127.0.0.1:0", "--max-connections-per-client", "3")
    try:
        anonymous = client_context(cert)
        try:
            status = request(server, anonymous, "GET", "/healthz")[0]
            raise Failure("no client certificate, yet HTTP %d" % status)
        except (ssl.SSLError, ConnectionError):
            pass
        signed = client_context(cert)
        signed.load_cert_chain(client, client_key)
        check(request(server, signed, "GET", "/healthz")[0] == 200, "with a client certificate")

        # Three connections from 127.0.0.3 are its limit: a fourth is closed
        # at once, while another address is still served.
        held = [socket.create_connection(("127.0.0.1", server.port), timeout=10,
                                         source_address=("127.0.0.3", 0)) for _ in range(4)]
        readable, _, _ = select.select([held[3]], [], [], 10)
        check(readable and held[3].recv(1) == b"", "the fourth connection was not closed")
        readable, _, _ = select.select(held[:3], [], [], 0)
        closed = 1 + len(readable)
        check(closed == 1, "%d of 4 connections from one address were closed" % closed)
        check(request(server, signed, "GET", "/healthz")[0] == 200, "another address, served")
        plain = http.client.HTTPConnection("127.0.0.1", server.metrics_port, timeout=10)
        plain.request("GET", "/metrics")
        res = plain.getresponse()
        check(res.status == 200 and b"sympozium_webhook_policy_generation" in res.read(),
              "/metrics on --metrics-listen")
        plain.request("POST", "/validate", body=b"{}", headers={"Content-Type": "application/json"})
        res = plain.getresponse()
        check(res.status == 404, "/validate over plain HTTP: %d" % res.status)
        res.read()
        plain.close()

        second = subprocess.run(
            [binary, "--cert", cert, "--key", key, "--config", config,
             "--listen", "127.0.0.1:%d" % server.port], capture_output=True, text=True, timeout=20)
        check(second.returncode != 0 and "Address already in use" in second.stderr,
              "a second instance on the port: rc %d %s" % (second.returncode, second.stderr))
    finally:
        server.stop()
    print("client certs: refused without one, served with one signed by --client-ca; the fourth "
          "connection from one address closed; /metrics on the plain port, /validate not; a "
          "second instance on the port exited %d"
          % second.returncode)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--fixtures", required=True)
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    check(hard >= FLOOD + 200, "RLIMIT_NOFILE hard limit %d is too low" % hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    def fixture(rel):
        with open(os.path.join(args.fixtures, rel)) as f:
            return f.read()
    run = yaml.safe_load(fixture("samples/agentrun_sample.yaml"))
    with tempfile.TemporaryDirectory(prefix="webhook-hardening-") as tmp:
        config = ConfigMapDir(os.path.join(tmp, "config"))
        config.publish({"agent.yaml": fixture("samples/agent_sample.yaml"),
                        "code-review.yaml": fixture("skills/code-review.yaml"),
                        "policy.yaml": fixture("samples/sympoziumpolicy_sample.yaml")})
        cert, key = self_signed(tmp, "localhost")
        server = Webhook(args.server, tmp, config.path, cert, key)
        server.cert, server.key = cert, key
        try:
            ctx = client_context(cert)
            memory(server, ctx, run)
            budget_and_framing(server, ctx, run)
            flood(server, ctx, run)
            tls_checks(server, ctx, cert, tmp)
            server.stop()
        except BaseException:
            kill_and_show_log(server)
            raise
        cert, key = self_signed(tmp, "second")
        client_certificates(args.server, tmp, config.path, cert, key)
    print("hardening test: all checks passed")


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print("hardening test FAILED: %s" % e, file=sys.stderr)
        sys.exit(1)
