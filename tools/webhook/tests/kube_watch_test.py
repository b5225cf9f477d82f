#!/usr/bin/env python3
"""sympozium-webhook --kube-api against an API-server double (kube_api_double).

Starts the webhook before the API server is up, then checks, by polling with
generous timeouts (never a wall-clock assertion):
  - not ready, and no run admitted, while the API server is down and while
    the first LIST of a resource is incomplete (a page held back);
  - an Agent and policy created after start make their run admissible once
    the ADDED events arrive; a MODIFIED policy takes effect; a deleted policy
    makes the run an error; a broken policy is an error naming it;
  - a 410 (as the HTTP status, then as an ERROR event) relists, and objects
    deleted while the history was lost are gone;
  - a stream dropped mid-line and a stalled stream are watched again from the
    last resourceVersion, bookmarks included;
  - a rotated token file is read again;
  - /metrics has the watch series.

  kube_watch_test.py --server BIN
"""
import argparse
import http.client
import json
import os
import re
import select
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kube_api_double  # noqa: E402

GV = "sympozium.ai/v1alpha1"
DEADLINE = 30  # seconds any expected change may take on a busy machine


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def agent(name, policy, ns="default"):
    return {"apiVersion": GV, "kind": "Agent", "metadata": {"name": name, "namespace": ns},
            "spec": {"policyRef": policy}}


def policy(name, ns="default", sandbox=False):
    spec = {"toolGating": {"defaultAction": "allow"}}
    if sandbox:
        spec["sandboxPolicy"] = {"required": True}
    return {"apiVersion": GV, "kind": "SympoziumPolicy",
            "metadata": {"name": name, "namespace": ns}, "spec": spec}


def run_review(agent_name, ns="default"):
    run = {"apiVersion": GV, "kind": "AgentRun",
           "metadata": {"name": "r-" + agent_name, "namespace": ns},
           "spec": {"agentRef": agent_name, "task": "t"}}
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {"uid": "u1", "operation": "CREATE", "namespace": ns,
                        "kind": {"group": "sympozium.ai", "version": "v1alpha1",
                                 "kind": "AgentRun"},
                        "object": run}}


# AdmissionReview answers carry messages, not reason codes: the codes these
# tests expect, by the message each has.
REASONS = [("agent.not_found", r'agents\.sympozium\.ai ".*" not found'),
           ("policy.not_found", r'sympoziumpolicies\.sympozium\.ai ".*" not found'),
           ("sandbox.required", r"sandbox is required"),
           ("policy.invalid", r"SympoziumPolicy \S+ cannot be used")]


def reason_of(message):
    for code, pattern in REASONS:
        if re.search(pattern, message):
            return code
    return None


def make_cert(tmp, name):
    cert, key = os.path.join(tmp, name + ".crt"), os.path.join(tmp, name + ".key")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
         "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True)
    return cert, key


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_token(path, token):
    # As the kubelet rotates a projected token: a new file renamed over.
    with open(path + ".new", "w") as f:
        f.write(token + "\n")
    os.rename(path + ".new", path)


class Webhook:
    def __init__(self, binary, tmp, api_port, api_ca, token_file, extra=(), name="webhook"):
        self.cert, key = make_cert(tmp, name)
        self.log_path = os.path.join(tmp, name + ".log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [binary, "--cert", self.cert, "--key", key, "--listen", "127.0.0.1:0",
             "--kube-api", "https://127.0.0.1:%d" % api_port, "--kube-token-file", token_file,
             "--kube-ca-file", api_ca, "--kube-stall-seconds", "2", *extra],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 20)
        check(ready, "the webhook printed no address")
        m = re.search(r":(\d+)$", self.proc.stdout.readline().strip())
        check(m, "no port in the first line")
        self.port = int(m.group(1))
        self.ctx = ssl.create_default_context(cafile=self.cert)

    def request(self, method, path, body=None):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx, timeout=10)
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None,
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            return resp.status, resp.read().decode()
        finally:
            conn.close()

    def ready(self):
        return self.request("GET", "/readyz")[0] == 200

    def answer(self, agent_name, ns="default"):
        """(allowed, reason code or None, message) for a run of agent_name."""
        code, body = self.request("POST", "/validate", run_review(agent_name, ns))
        if code != 200:
            return False, "http %d" % code, body
        resp = json.loads(body)["response"]
        message = resp.get("status", {}).get("message", "")
        return resp["allowed"], reason_of(message), message

    def metrics(self):
        return self.request("GET", "/metrics")[1]

    def stop(self, check_exit=True):
        """Stops the webhook; it must exit cleanly (a sanitizer report is not)."""
        self.proc.terminate()
        rc = self.proc.wait(timeout=60)
        self.log.close()
        if check_exit and rc != 0:
            with open(self.log_path) as f:
                tail = f.read()[-4000:]
            raise Failure("the webhook exited with status %d; its log ends:\n%s" % (rc, tail))


def eventually(what, fn, timeout=DEADLINE):
    """Polls fn until it is truthy; returns (value, seconds taken)."""
    start = time.monotonic()
    last = None
    while time.monotonic() - start < timeout:
        last = fn()
        if last:
            return last, time.monotonic() - start
        time.sleep(0.02)
    raise Failure("%s: not within %d s (last: %r)" % (what, timeout, last))


def metric(text, name, labels=""):
    m = re.search(r"^%s%s (\S+)$" % (re.escape(name), re.escape(labels)), text, re.M)
    return float(m.group(1)) if m else None


def test_start(hook, api_factory):
    # API server down: not ready, and runs are never admitted.
    for _ in range(5):
        check(not hook.ready(), "ready with the API server down")
        allowed, _, _ = hook.answer("alice")
        check(not allowed, "a run admitted with the API server down")
        time.sleep(0.1)
    api = api_factory()
    api.put(policy("team"))
    for name in ("alice", "zed", "zoe"):  # three Agents: two list pages
        api.put(agent(name, "team"))
    api.hold_page = kube_api_double.threading.Event()
    api.start()
    # The first agents page is served, the second held: still not ready.
    eventually("the first list page", lambda: api.list_requests >= 3)
    for _ in range(5):
        check(not hook.ready(), "ready during an incomplete first LIST")
        check(not hook.answer("alice")[0], "admitted from an incomplete first LIST")
        time.sleep(0.1)
    api.hold_page.set()
    eventually("ready after the first LIST", hook.ready)
    check(hook.answer("zoe")[0], "a listed Agent's run refused: %r" % (hook.answer("zoe"),))
    return api


def test_events(hook, api, timings):
    check(hook.answer("bob")[1] == "agent.not_found",
          "bob exists before being created: %r" % (hook.answer("bob"),))
    api.put(policy("bob-policy"))
    created = time.monotonic()
    api.put(agent("bob", "bob-policy"))
    _, took = eventually("bob's run admitted after ADDED", lambda: hook.answer("bob")[0])
    timings["added->admitted"] = time.monotonic() - created
    api.put(policy("bob-policy", sandbox=True))
    eventually("MODIFIED policy enforced", lambda: hook.answer("bob")[1] == "sandbox.required")
    created = time.monotonic()
    api.delete("SympoziumPolicy", "default", "bob-policy")
    answer, _ = eventually("deleted policy is an error",
                           lambda: (lambda a: a if a[1] == "policy.not_found" else None)(
                               hook.answer("bob")))
    timings["deleted->error"] = time.monotonic() - created
    check(not answer[0], "a run admitted without its policy")
    broken = policy("bob-policy")
    broken["spec"] = {"sandboxPolicy": {"required": ["not", "a", "bool"]}}
    api.put(broken)
    answer, _ = eventually("broken policy is an error",
                           lambda: (lambda a: a if a[1] == "policy.invalid" else None)(
                               hook.answer("bob")))
    check("bob-policy" in answer[2], "the error does not name the policy: %r" % (answer,))


def test_relist_after_410(hook, api, gone_as):
    api.gone_as = gone_as
    api.items_without_kind = gone_as == "event"  # both forms of list items, too
    api.put(agent("carol", "team"))
    eventually("carol admitted", lambda: hook.answer("carol")[0])
    before = metric(hook.metrics(), "sympozium_webhook_kube_relists_410_total",
                    '{resource="agents",namespace="*"}')
    # Deleted while its event is lost with the history: only a relist shows it.
    api.delete("Agent", "default", "carol", record=False)
    api.compact()
    api.close_streams()
    eventually("carol gone after the 410 relist (%s)" % gone_as,
               lambda: hook.answer("carol")[1] == "agent.not_found")
    after = metric(hook.metrics(), "sympozium_webhook_kube_relists_410_total",
                   '{resource="agents",namespace="*"}')
    check(after is not None and after > before, "relists_410 did not move: %r" % after)


def test_bookmark_and_faults(hook, api):
    eventually("agents watched", lambda: api.open_streams() >= 3)
    api.bookmark()
    bookmark_rv = str(api.rv)
    time.sleep(0.3)  # let the bookmark arrive before the drop (a later one is checked anyway)
    n = len(api.watch_requests)
    api.close_streams()
    eventually("re-watched", lambda: len(api.watch_requests) >= n + 3)
    rvs = [rv for plural, _, rv in api.watch_requests[n:]]
    check(bookmark_rv in rvs, "no watch from the bookmark's resourceVersion %s: %r" %
          (bookmark_rv, rvs))
    # Dropped mid-line: the half event is not applied, the re-watch delivers it.
    eventually("agents watched", lambda: api.open_streams() >= 3)
    api.close_streams(midline=True)
    api.put(agent("dave", "team"))
    eventually("dave admitted after a mid-line drop", lambda: hook.answer("dave")[0])
    # Stalled: nothing arrives; after --kube-stall-seconds the webhook re-watches.
    eventually("agents watched", lambda: api.open_streams() >= 3)
    api.stall_streams()
    api.put(agent("erin", "team"))
    eventually("erin admitted after a stall", lambda: hook.answer("erin")[0])


def test_token_rotation(hook, api, token_file):
    api.token = "token-2"
    api.close_streams()
    eventually("old token refused", lambda: api.unauthorized > 0)
    write_token(token_file, "token-2")
    api.put(agent("frank", "team"))
    eventually("frank admitted with the rotated token", lambda: hook.answer("frank")[0])


def test_namespaces(args, tmp, api, api_cert, token_file):
    """--kube-namespace: only that namespace is watched (SkillPacks also in
    sympozium-system), through namespaced paths."""
    api.put(policy("team", ns="other"))
    api.put(agent("olga", "team", ns="other"))
    n = len(api.watch_requests)
    hook = Webhook(args.server, tmp, api.port, api_cert, token_file,
                   extra=("--kube-namespace", "other"), name="namespaced")
    try:
        eventually("the namespaced webhook ready", hook.ready)
        check(hook.answer("olga", ns="other")[0], "a run in the watched namespace refused")
        check(hook.answer("zoe")[1] == "agent.not_found", "an unwatched namespace's Agent seen")
        api.put(agent("oscar", "team", ns="other"))
        eventually("oscar admitted", lambda: hook.answer("oscar", ns="other")[0])
        watched = {(p, ns) for p, ns, _ in api.watch_requests[n:]}
        check(watched == {("sympoziumpolicies", "other"), ("agents", "other"),
                          ("skillpacks", "other"), ("skillpacks", "sympozium-system")},
              "namespaced watches: %r" % sorted(watched))
    finally:
        hook.stop()


def test_metrics(hook):
    text = hook.metrics()
    for name, labels in [("sympozium_webhook_kube_objects", '{kind="Agent"}'),
                         ("sympozium_webhook_kube_objects", '{kind="SympoziumPolicy"}'),
                         ("sympozium_webhook_kube_watch_restarts_total",
                          '{resource="agents",namespace="*"}'),
                         ("sympozium_webhook_kube_lists_total",
                          '{resource="skillpacks",namespace="*"}'),
                         ("sympozium_webhook_kube_seconds_since_last_event",
                          '{resource="agents",namespace="*"}'),
                         ("sympozium_webhook_kube_synced", '{resource="agents",namespace="*"}')]:
        check(metric(text, name, labels) is not None, "no %s%s in /metrics" % (name, labels))
    agents = metric(text, "sympozium_webhook_kube_objects", '{kind="Agent"}')
    check(agents == 7, "Agents held: %r, want 7" % agents)  # alice zed zoe bob dave erin frank
    check(metric(text, "sympozium_webhook_kube_watch_restarts_total",
                 '{resource="agents",namespace="*"}') >= 3, "watch restarts not counted")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        api_cert, api_key = make_cert(tmp, "api")
        token_file = os.path.join(tmp, "token")
        write_token(token_file, "token-1")
        port = free_port()
        hook = Webhook(args.server, tmp, port, api_cert, token_file)
        api = None
        timings = {}
        try:
            api = test_start(hook, lambda: kube_api_double.ApiDouble(
                api_cert, api_key, "token-1", port=port))
            test_events(hook, api, timings)
            test_relist_after_410(hook, api, "http")
            test_relist_after_410(hook, api, "event")
            test_bookmark_and_faults(hook, api)
            test_token_rotation(hook, api, token_file)
            test_metrics(hook)
            # Stopped first: its re-watches would otherwise mix with the
            # namespaced webhook's in what the double records.
            hook.stop()
            test_namespaces(args, tmp, api, api_cert, token_file)
        except Failure as e:
            print("FAIL:", e)
            hook.stop(check_exit=False)
            print(open(hook.log_path).read()[-20000:])
            return 1
        finally:
            if api is not None:
                api.stop()
        hook.stop()
        print("kube_watch_test: all checks passed; " +
              ", ".join("%s %.3f s" % kv for kv in timings.items()))
        return 0


if __name__ == "__main__":
    sys.exit(main())
