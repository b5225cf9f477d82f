#!/bin/sh
# The read limits as a CLI user meets them (default limits): each hostile
# file is an error naming the limit (exit 2), never a crash and never ALLOWED.
# Usage: cli_limits_test.sh PATH/TO/sympozium-policy
set -u

BIN=${1:?usage: cli_limits_test.sh PATH/TO/sympozium-policy}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
FAILED=0

RUN_HEAD='apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: r, namespace: ns}
spec: {agentRef: alice, task: t}'

# refused LIMIT DESCRIPTION -- COMMAND...: exit 2, stderr names limit.LIMIT,
# stdout does not say ALLOWED.
refused() {
  limit=$1 what=$2
  shift 3
  "$@" >"$DIR/out" 2>"$DIR/err"
  got=$?
  if [ "$got" -ne 2 ] || ! grep -qF "limit.$limit" "$DIR/err" || grep -q ALLOWED "$DIR/out"; then
    echo "FAIL: $what: exit $got, want 2 naming limit.$limit" >&2
    head -c 600 "$DIR/out" | sed 's/^/  stdout: /' >&2
    head -c 600 "$DIR/err" | sed 's/^/  stderr: /' >&2
    FAILED=1
  fi
}

# The control: the plain run is allowed, so only a limit refuses the others.
printf '%s\n' "$RUN_HEAD" >"$DIR/run.yaml"
"$BIN" admit "$DIR/run.yaml" >"$DIR/out" 2>&1 || { echo "FAIL: the plain run" >&2; cat "$DIR/out" >&2; FAILED=1; }

# max_bytes: 8 MiB of comment after the run.
{ printf '%s\n' "$RUN_HEAD"; head -c 8400000 /dev/zero | tr '\0' '#'; echo; } >"$DIR/big.yaml"
refused max_bytes "an input over 8 MiB" -- "$BIN" admit "$DIR/big.yaml"

# max_depth: 64 nested lists under status (the root is depth 1).
{ printf '%s\nstatus: ' "$RUN_HEAD"; awk 'BEGIN { for (i = 0; i < 64; i++) printf "["; for (i = 0; i < 64; i++) printf "]"; print "" }'; } >"$DIR/deep.yaml"
refused max_depth "nesting deeper than 64" -- "$BIN" admit "$DIR/deep.yaml"

# max_nodes: a billion laughs, as a run, as a policy and in a cluster.
bomb() {
  echo 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'
  awk 'BEGIN { for (i = 1; i <= 9; i++) { printf "a%d: &a%d [", i, i; for (k = 0; k < 10; k++) printf "%s*a%d", (k ? ", " : ""), i - 1; print "]" } }'
}
{ printf '%s\n' "$RUN_HEAD"; bomb; } >"$DIR/bomb.yaml"
refused max_nodes "an alias bomb" -- "$BIN" admit "$DIR/bomb.yaml"
{ printf 'apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata: {name: p}\n'; bomb; } >"$DIR/policy.yaml"
refused max_nodes "an alias-bomb policy" -- "$BIN" admit --policy "$DIR/policy.yaml" "$DIR/run.yaml"
refused max_nodes "an alias-bomb policy, tool" -- "$BIN" tool --policy "$DIR/policy.yaml" execute_command
refused max_nodes "an alias-bomb cluster" -- "$BIN" admit --cluster "$DIR/policy.yaml" "$DIR/run.yaml"

# max_list_length: 100001 items.
{ printf '%s\nstatus:\n' "$RUN_HEAD"; awk 'BEGIN { for (i = 0; i <= 100000; i++) print "- 0" }'; } >"$DIR/long.yaml"
refused max_list_length "a list of 100001" -- "$BIN" admit "$DIR/long.yaml"

# max_documents: 100001 documents in one stream.
awk 'BEGIN { for (i = 0; i <= 100000; i++) print "--- {kind: AgentRun}" }' >"$DIR/many.yaml"
refused max_documents "100001 documents" -- "$BIN" admit "$DIR/many.yaml"

# max_bytes holds while reading: a device and an endless pipe stop at the
# limit (no time bound here; without the streaming read these never end,
# and the memory check below would fail first).
refused max_bytes "the /dev/zero device" -- "$BIN" admit --preset default --max-bytes 1000 /dev/zero
refused max_bytes "an endless pipe" -- sh -c "yes | \"$BIN\" admit --preset default --max-bytes 1000 -"
# verify-model stops at --max-model-bytes on an endless device.
printf 'apiVersion: sympozium.ai/v1alpha1\nkind: Model\nmetadata: {name: m}\nspec: {source: {url: "https://h/m", sha256: "%064d"}}\n' 0 >"$DIR/model.yaml"
"$BIN" verify-model --max-model-bytes 5000000 "$DIR/model.yaml" /dev/zero >"$DIR/out" 2>"$DIR/err"
if [ $? -ne 2 ] || ! grep -q "larger than the limit of 5000000 bytes" "$DIR/err"; then
  echo "FAIL: verify-model on /dev/zero did not stop at its limit" >&2; cat "$DIR/err" >&2; FAILED=1
fi

# Memory stays bounded on a 1 GiB stream (GNU time's maximum resident KiB).
head -c 1073741824 /dev/zero | /usr/bin/time -f '%M' -o "$DIR/rss" "$BIN" admit --preset default --max-bytes 1000 - >/dev/null 2>&1
rss=$(tail -n 1 "$DIR/rss")
# (Not under AddressSanitizer, whose shadow memory is not the reader's.)
if [ -z "${ASAN_OPTIONS:-}" ] && [ "$rss" -gt 51200 ]; then echo "FAIL: a 1 GiB stream peaked at $rss KiB" >&2; FAILED=1; fi

exit $FAILED
