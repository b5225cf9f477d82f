#!/usr/bin/env python3
"""The webhook's manifests: deploy/ (the API-server watch, the default) and
deploy-configmap/ (the ConfigMap alternative).

Checks with PyYAML that each kustomization lists every manifest beside it,
that the RBAC grants exactly get, list and watch on sympoziumpolicies, agents
and skillpacks (sympozium.ai) to the webhook's ServiceAccount and nothing
else, and that the Deployment runs --kube with the token mounted where
in-cluster clients read it. When kubectl is installed, both directories are
also built with `kubectl kustomize` and the rendered objects checked.

  deploy_test.py --webhook-dir tools/webhook
"""
import argparse
import os
import shutil
import subprocess
import sys

import yaml

TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
RBAC_KINDS = {"ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"}
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def check_listed(directory, patches=()):
    kustomization = load_all(os.path.join(directory, "kustomization.yaml"))[0]
    listed = [r for r in kustomization.get("resources", []) if r.endswith(".yaml")]
    present = sorted(f for f in os.listdir(directory) if f.endswith(".yaml")
                     and f != "kustomization.yaml" and f not in patches)
    check(sorted(listed) == present,
          "%s: kustomization lists %s, the directory has %s" % (directory, listed, present))
    return kustomization


def check_rbac(objects):
    by_kind = {}
    for o in objects:
        by_kind.setdefault(o["kind"], []).append(o)
    check(set(by_kind) & RBAC_KINDS == {"ServiceAccount", "ClusterRole", "ClusterRoleBinding"},
          "RBAC kinds: %s" % sorted(set(by_kind) & RBAC_KINDS))
    roles = by_kind.get("ClusterRole", [])
    check(len(roles) == 1, "one ClusterRole, not %d" % len(roles))
    for role in roles:
        rules = role.get("rules", [])
        check(len(rules) == 1, "one rule, not %d" % len(rules))
        for rule in rules:
            check(rule.get("apiGroups") == ["sympozium.ai"], "apiGroups %r" % rule.get("apiGroups"))
            check(sorted(rule.get("resources", [])) == ["agents", "skillpacks", "sympoziumpolicies"],
                  "resources %r" % rule.get("resources"))
            check(sorted(rule.get("verbs", [])) == ["get", "list", "watch"],
                  "verbs %r" % rule.get("verbs"))
            check(set(rule) == {"apiGroups", "resources", "verbs"},
                  "rule fields %r (no resourceNames, nonResourceURLs)" % sorted(rule))
        check("aggregationRule" not in role, "the ClusterRole aggregates others")
    for binding in by_kind.get("ClusterRoleBinding", []):
        check(binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io",
                                     "kind": "ClusterRole", "name": roles[0]["metadata"]["name"]},
              "roleRef %r" % binding["roleRef"])
        check(binding["subjects"] == [{"kind": "ServiceAccount", "name": "sympozium-webhook",
                                       "namespace": "sympozium-system"}],
              "subjects %r" % binding["subjects"])


def deployment(objects):
    found = [o for o in objects if o["kind"] == "Deployment"]
    check(len(found) == 1, "one Deployment")
    return found[0]["spec"]["template"]["spec"]


def check_kube_deployment(pod):
    container = pod["containers"][0]
    check("--kube" in container["args"], "the Deployment does not run --kube")
    check(not any(a.startswith("--config") for a in container["args"]), "--config with --kube")
    check(pod.get("serviceAccountName") == "sympozium-webhook", "serviceAccountName")
    mounts = {m["name"]: m for m in container.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    token = [n for n, m in mounts.items() if m["mountPath"] == TOKEN_DIR]
    check(len(token) == 1, "no volume mounted at %s" % TOKEN_DIR)
    if token:
        sources = volumes[token[0]]["projected"]["sources"]
        check(any("serviceAccountToken" in s for s in sources), "no projected token")
        check(any(s.get("configMap", {}).get("name") == "kube-root-ca.crt" for s in sources),
              "no cluster CA")


def check_configmap_deployment(pod, objects):
    container = pod["containers"][0]
    check("--config=/etc/sympozium/policies" in container["args"], "variant: no --config")
    check("--kube" not in container["args"], "variant: --kube")
    check(pod.get("automountServiceAccountToken") is False, "variant: a token is mounted")
    check(all(m["mountPath"] != TOKEN_DIR for m in container.get("volumeMounts", [])),
          "variant: the token volume is mounted")
    check(not [o for o in objects if o["kind"] in RBAC_KINDS], "variant: RBAC objects")
    check([o for o in objects if o["kind"] == "ConfigMap"], "variant: no ConfigMap")


def kustomize(directory):
    out = subprocess.run(["kubectl", "kustomize", directory], capture_output=True, text=True)
    check(out.returncode == 0, "kubectl kustomize %s: %s" % (directory, out.stderr.strip()))
    return [d for d in yaml.safe_load_all(out.stdout) if d is not None] if out.returncode == 0 else []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--webhook-dir", required=True)
    args = parser.parse_args()
    deploy = os.path.join(args.webhook_dir, "deploy")
    variant = os.path.join(args.webhook_dir, "deploy-configmap")

    check_listed(deploy)
    objects = [o for f in os.listdir(deploy) if f.endswith(".yaml") and f != "kustomization.yaml"
               for o in load_all(os.path.join(deploy, f))]
    check_rbac(objects)
    check_kube_deployment(deployment(objects))
    kustomization = check_listed(variant, patches=("deployment-patch.yaml",))
    check("../deploy" in kustomization["resources"], "the variant does not build on ../deploy")

    built = "no kubectl: kubectl kustomize not run"
    if shutil.which("kubectl"):
        rendered = kustomize(deploy)
        check_rbac(rendered)
        check_kube_deployment(deployment(rendered))
        rendered = kustomize(variant)
        if rendered:
            check_configmap_deployment(deployment(rendered), rendered)
        built = "both built with kubectl kustomize"
    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print("deploy_test: all checks passed (%s)" % built)
    return 0


if __name__ == "__main__":
    sys.exit(main())
