#!/bin/sh
# CLI tests for `sympozium-policy start` and `sympozium-policy verify-model`:
# exit codes, the JSON fields and the text verdicts.
# Usage: start_test.sh PATH/TO/sympozium-policy
set -u

BIN=${1:?usage: start_test.sh PATH/TO/sympozium-policy}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
FAILED=0

# expect CODE DESCRIPTION -- COMMAND...: runs COMMAND, keeps its stdout in
# $DIR/out and stderr in $DIR/err, and checks the exit code.
expect() {
  want=$1 what=$2
  shift 3
  "$@" >"$DIR/out" 2>"$DIR/err"
  got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, want $want" >&2
    sed 's/^/  stdout: /' "$DIR/out" >&2
    sed 's/^/  stderr: /' "$DIR/err" >&2
    FAILED=1
  fi
}

# has FILE TEXT: FILE holds TEXT (a fixed string).
has() {
  if ! grep -qF -- "$2" "$DIR/$1"; then
    echo "FAIL: $1 lacks: $2" >&2
    sed 's/^/  /' "$DIR/$1" >&2
    FAILED=1
  fi
}

cat >"$DIR/policy.yaml" <<'EOF'
apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: ns}
spec:
  subagentPolicy: {maxDepth: 3, maxConcurrent: 2}
EOF
cat >"$DIR/run.yaml" <<'EOF'
apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: r, namespace: ns}
spec:
  agentRef: alice
  task: summarise the logs
EOF
cat >"$DIR/child.yaml" <<'EOF'
apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: c, namespace: ns}
spec:
  agentRef: alice
  task: look closer
  parent: {runName: r, sessionKey: s, spawnDepth: 3}
EOF
cat >"$DIR/cluster.yaml" <<'EOF'
apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: alice, namespace: ns}
spec: {policyRef: team}
EOF

# --- start ------------------------------------------------------------------
expect 0 "start under the limit" -- "$BIN" start --policy "$DIR/policy.yaml" --running 1 "$DIR/run.yaml"
has out "MAY START under policy team"
expect 1 "compat concurrency" -- "$BIN" start --policy "$DIR/policy.yaml" --mode compat --running 2 --output json "$DIR/run.yaml"
has out '"code":"start.concurrency"'
has out '"message":"policy validation failed: concurrency limit reached: 2/2"'
has out '"status":403'
expect 0 "strict leaves top-level runs alone" -- "$BIN" start --policy "$DIR/policy.yaml" --running 2 "$DIR/run.yaml"
expect 0 "compat depth 3 of 3 passes (>)" -- "$BIN" start --policy "$DIR/policy.yaml" --mode compat --running 0 "$DIR/child.yaml"
expect 1 "strict depth 3 of 3 fails (>=)" -- "$BIN" start --policy "$DIR/policy.yaml" --children 0 --output json "$DIR/child.yaml"
has out '"message":"policy validation failed: sub-agent depth 3 exceeds maximum 3"'
expect 1 "strict child concurrency, text" -- "$BIN" start --preset permissive --children 10 "$DIR/child.yaml"
has out "REFUSED under preset permissive@v1 (strict mode), 1 violation:"
has out "policy validation failed: concurrency limit reached: 10/10"
has out "at spec.parent.runName [start.concurrency]"
expect 1 "strict child with unknown siblings" -- "$BIN" start --preset permissive --output json "$DIR/child.yaml"
has out '"code":"start.concurrency_unknown"'
expect 0 "compat unknown count skips and warns" -- "$BIN" start --policy "$DIR/policy.yaml" --mode compat "$DIR/run.yaml"
has out "the concurrency check was skipped"
expect 1 "lookup through the cluster: the policy is missing" -- "$BIN" start --cluster "$DIR/cluster.yaml" --mode compat --running 0 --output json "$DIR/run.yaml"
has out '"code":"policy.not_found"'
has out 'policy validation failed: policy \"team\" not found'
expect 1 "lookup through the cluster: depth" -- "$BIN" start --cluster "$DIR/cluster.yaml" --cluster "$DIR/policy.yaml" --children 0 "$DIR/child.yaml"
has out "[start.depth]"
expect 2 "a bad count" -- "$BIN" start --preset default --running -1 "$DIR/run.yaml"
has err "--running -1: want a count"
expect 2 "not an AgentRun" -- "$BIN" start --preset default --running 0 "$DIR/policy.yaml"
has err "start checks an AgentRun, not SympoziumPolicy"
expect 2 "no run" -- "$BIN" start --preset default --running 0
expect 0 "help" -- "$BIN" start --help
has out "usage: sympozium-policy start"

# --- verify-model -------------------------------------------------------------
printf 'abc' >"$DIR/model.bin"
model() {
  cat >"$DIR/model.yaml" <<EOF
apiVersion: sympozium.ai/v1alpha1
kind: Model
metadata: {name: llama, namespace: ai}
spec:
  source: {url: "https://files.example.com/llama.gguf"$1}
EOF
}
ABC=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
model ", sha256: $ABC"
expect 0 "a match" -- "$BIN" verify-model "$DIR/model.yaml" "$DIR/model.bin"
has out "OK, sha256 $ABC (3 bytes) matches Model ai/llama"
expect 0 "a match from stdin, json" -- sh -c "\"$BIN\" verify-model --output json \"$DIR/model.yaml\" - <\"$DIR/model.bin\""
has out "{\"status\":\"match\",\"match\":true,\"expected\":\"$ABC\",\"actual\":\"$ABC\",\"bytes\":3,\"error\":\"\"}"
printf 'abd' >"$DIR/model.bin"
expect 1 "a mismatch" -- "$BIN" verify-model "$DIR/model.yaml" "$DIR/model.bin"
has out "MISMATCH for Model ai/llama (3 bytes)"
has out "expected sha256 $ABC"
expect 1 "a mismatch, json" -- "$BIN" verify-model --output json "$DIR/model.yaml" "$DIR/model.bin"
has out '"status":"mismatch"'
model ""
expect 2 "no sha256" -- "$BIN" verify-model "$DIR/model.yaml" "$DIR/model.bin"
has err "the model has no spec.source.sha256 to verify against"
model ", sha256: abc"
expect 2 "a malformed sha256" -- "$BIN" verify-model "$DIR/model.yaml" "$DIR/model.bin"
has err "sha256 checksum must be exactly 64 hex characters, got 3"
model ", sha256: $ABC"
expect 2 "a missing file" -- "$BIN" verify-model "$DIR/model.yaml" "$DIR/nope.bin"
has err "cannot open $DIR/nope.bin"
expect 2 "not a Model" -- "$BIN" verify-model "$DIR/run.yaml" "$DIR/model.bin"
expect 2 "one argument" -- "$BIN" verify-model "$DIR/model.yaml"

# admit dispatches Model documents to the Model checks.
model ", sha256: $ABC"
sed -i 's#https://files.example.com#http://files.example.com#' "$DIR/model.yaml"
expect 1 "admit a Model, strict" -- "$BIN" admit --output json "$DIR/model.yaml"
has out '"code":"model.url_insecure"'
expect 0 "admit a Model, compat" -- "$BIN" admit --mode compat "$DIR/model.yaml"

if [ "$FAILED" -ne 0 ]; then
  echo "start_test.sh: FAILED" >&2
  exit 1
fi
echo "start_test.sh: all passed"
