// The verb table: names, help texts and the functions that run them.
#include "tools/cli/verbs.h"

#include "tools/cli/help.h"

namespace sympozium::cli {

const std::vector<Verb>& Verbs() {
  static const std::vector<Verb> verbs = {
      {"admit", "evaluate AgentRuns, SkillPacks and pods (the validating webhook)",
       "admit [binding | --pod-security LEVEL[@VERSION]] [--mutate] [--allow-empty]\n"
       "                        [--output text|json|junit|sarif|github] DOC...",
       "Evaluates each document by its kind: an AgentRun, SkillPack or Model\n"
       "(docs/checks.md), or a Pod, Job, CronJob or Deployment (docs/pods.md). Every\n"
       "violation is listed, each with its document path; the first is the one the Go\n"
       "webhook reports.\n"
       "  --mutate           apply the mutating webhook's defaults first (docs/mutation.md)\n"
       "  --output json      one object per document, naming it (file, index, line, kind,\n"
       "                     namespace, name); an object for one document, else an array\n"
       "  --output junit     JUnit XML, one test case per document (failure = denied)\n"
       "  --allow-empty      exit 0 when nothing was evaluated (default: exit 2)\n"
       "  --pod-security LEVEL[@VERSION]\n"
       "                     evaluate pods and workloads against one Pod Security Standard\n"
       "                     alone, with no policy: LEVEL baseline or restricted, VERSION\n"
       "                     latest (the default) or v1.N as in Pod Security Admission\n"
       "                     (docs/pod-security.md)\n"
       "DOC may be a directory (its *.yaml, *.yml and *.json files) or a file of one or more\n"
       "documents (YAML separated by ---, concatenated JSON objects, List objects and typed\n"
       "lists such as AgentRunList). Kinds admit does not evaluate (a Service, a ConfigMap,\n"
       "an Agent) are reported as skipped and counted. A file that cannot be read is reported\n"
       "with its file:line and the others are still evaluated. Exit code 1 when any document\n"
       "is not allowed, 2 when a file could not be read or no document was evaluated.",
       "  sympozium-policy admit --preset restrictive run.yaml\n"
       "  sympozium-policy admit --preset restrictive --output junit manifests/ > admit.xml\n"
       "  sympozium-policy admit --cluster cluster.yaml --mode compat --output json run.yaml\n"
       "  kubectl get agentrun r -o json | sympozium-policy admit --policy p.yaml -\n"
       "  sympozium-policy admit --pod-security restricted@v1.37 deploy/\n",
       true, Admit},
      {"mutate", "show the defaults the mutating webhook would apply",
       "mutate [binding] [--output text|json] RUN...",
       "Prints the RFC 6902 JSON Patch and the mutated AgentRun (docs/mutation.md). Nothing is\n"
       "applied to any cluster; Sympozium itself never wires this webhook.\n"
       "RUN may be a directory (its *.yaml, *.yml and *.json files) or a multi-document\n"
       "file: every document is mutated, in order, and reported under its source\n"
       "(file#N). A document that is not an AgentRun is an error (in text on stderr).\n"
       "JSON is one object for one document, an array of them for several. Exit code 1\n"
       "when any document is an error.",
       "  sympozium-policy mutate --preset restrictive run.yaml\n"
       "  sympozium-policy mutate --policy p.yaml --output json run.yaml | jq .patch\n"
       "  sympozium-policy mutate --cluster cluster.yaml --output json runs/ | jq '.[].patch'\n",
       true, MutateVerb},
      {"tool", "decide whether tools are allowed, denied or need approval",
       "tool [binding] [--run RUN] [--namespace NS] [--output text|json] TOOL...",
       "Answers allow, deny or ask for each TOOL (docs/tools.md): the run's toolPolicy lists\n"
       "first, then the policy's exact rule (deny > ask > allow), then defaultAction.\n"
       "  --run FILE         an AgentRun whose toolPolicy narrows the answer; with --cluster\n"
       "                     alone, its Agent's policyRef picks the policy (as admission does)\n"
       "  --namespace NS     with --cluster alone and no --run: the one SympoziumPolicy in NS\n"
       "Exit code 1 when any tool is denied, or when the cluster lookup fails (a missing\n"
       "Agent or policy, a policy strict mode refuses).",
       "  sympozium-policy tool --preset restrictive execute_command read_file fetch_url\n"
       "  sympozium-policy tool --policy p.yaml --run run.yaml --output json write_file\n"
       "  sympozium-policy tool --cluster cluster.yaml --run run.yaml execute_command\n"
       "  sympozium-policy tool --cluster cluster.yaml --namespace agents execute_command\n",
       true, Tool},
      {"rbac", "render the RBAC objects for SkillPack sidecars and a run",
       "rbac --run RUN [--policy FILE|--preset NAME] [--output yaml|json] SKILLPACK...",
       "Prints a v1 List of the Role, RoleBinding, ClusterRole and ClusterRoleBinding\n"
       "objects the controller creates (docs/rbac.md), ready for `kubectl apply -f -`, and\n"
       "warns on stderr about grants wider than least privilege. In strict mode a bound\n"
       "policy's lifecyclePolicy.deniedResources bounds the SkillPack rules (exit 1).\n"
       "Each warning on stderr reads `warning[code] path: message`; the label selectors\n"
       "that find the run's cluster-scoped objects for cleanup follow as `cleanup selector:`.\n"
       "  --run FILE         the AgentRun (name, namespace, uid, mode, lifecycle.rbac)\n"
       "  --output yaml|json yaml by default",
       "  sympozium-policy rbac --run run.yaml skills/k8s-ops.yaml | kubectl apply -f -\n"
       "  sympozium-policy rbac --run run.yaml --preset restrictive skills/k8s-ops.yaml\n",
       false, Rbac},
      {"netpol", "render the NetworkPolicy a policy asks for",
       "netpol (--policy FILE|--preset NAME) [--namespace NS] [--output text|json]",
       "Prints the networking.k8s.io/v1 NetworkPolicy (docs/rbac.md#networkpolicy)\n"
       "for the policy's networkPolicy; hostnames in allowedEgress are reported on stderr\n"
       "(NetworkPolicy selects only IP blocks). A policy that asks for none (no\n"
       "networkPolicy, or denyAll: false) prints a note on stderr, and in JSON an empty\n"
       "v1 List.\n"
       "  --namespace NS     where the NetworkPolicy goes (default: the policy's namespace)\n"
       "  --output text|json text (default) is the manifest as YAML; `yaml` is another\n"
       "                     name for it",
       "  sympozium-policy netpol --preset restrictive --namespace agents | kubectl apply -f -\n"
       "  sympozium-policy netpol --policy p.yaml --output json | jq '.spec.egress'\n",
       false, NetPol},
      {"presets", "show the built-in presets and how they decide every built-in tool",
       "presets [--mode strict|compat] [--output text|json]",
       "Prints, for permissive, default, restrictive and network-isolated (docs/presets.md), the\n"
       "decision for every built-in tool and the main settings, with the pod rules each\n"
       "enforces: every preset applies the restricted Pod Security Standard at its latest\n"
       "version plus Sympozium's own pod rules; host access and the seccomp type follow the\n"
       "policy (docs/pod-security.md).",
       "  sympozium-policy presets\n"
       "  sympozium-policy presets --output json | jq '.[2].tools'\n",
       false, PresetsVerb, /*reads_inputs=*/false},
      {"start", "re-check a run as the controller does when it starts",
       "start [binding] [--running N] [--children M] [--output text|json] RUN",
       "Checks one Pending AgentRun with the facts admission cannot know: how many runs\n"
       "are already Running. compat: a null spec.task, the Agent and policy lookups, depth\n"
       "(spawnDepth > maxDepth), concurrency over every Running run of the Agent, and the\n"
       "gate-hook rules, worded as the controller's status.error. strict: depth as\n"
       "admission (>=), concurrency only for child runs, over the parent's Running\n"
       "children (maxConcurrent 0 = no children). Exit code 1 when the run may not start.\n"
       "  --running N        Running AgentRuns labelled sympozium.ai/instance=<agentRef>\n"
       "                     (the run itself is still Pending and not counted); omitted =\n"
       "                     unknown: compat skips the check, as on a failed list\n"
       "  --children M       Running child runs of the run's parent (strict); omitted =\n"
       "                     unknown: strict refuses a child run it cannot bound",
       "  sympozium-policy start --preset restrictive --running 3 --mode compat run.yaml\n"
       "  sympozium-policy start --cluster cluster.yaml --children 1 --output json child.yaml\n",
       true, Start},
      {"verify-model", "check a downloaded model file against its Model's sha256",
       "verify-model [--output text|json] [--max-model-bytes N] MODEL.yaml FILE",
       "Streams FILE (\"-\" = standard input) through SHA-256 in a 1 MiB buffer and compares\n"
       "the digest with the Model's spec.source.sha256. Exit code 0 on a match, 1 on a\n"
       "mismatch (both digests are printed), 2 when it cannot check (no or malformed\n"
       "sha256, unreadable file, more than --max-model-bytes bytes: default 4 TiB, so a\n"
       "device or an endless pipe cannot keep it running).",
       "  sympozium-policy verify-model model.yaml /models/llama.gguf\n"
       "  curl -sL \"$URL\" | sympozium-policy verify-model --output json model.yaml -\n",
       false, VerifyModelVerb},
      {"lint", "report everything wrong with or risky in SympoziumPolicies",
       "lint [--cluster FILE]... [--ignore CODE,...]... [--fail-on-warn] [--mode strict|compat]\n"
       "                        [--output text|json|junit|sarif|github] POLICY...",
       "Prints every error and warning the compiler knows for each SympoziumPolicy, as\n"
       "  file:line:col: warning[code] path: message\n"
       "Errors: CRD schema violations (schema.*, the API server refuses them), documents\n"
       "that do not decode (decode.error), and what strict mode cannot compile (an unknown\n"
       "tool action, a cap that is not a quantity: compile.*; warnings with --mode compat,\n"
       "where Go ignores them). Warnings: unknown tools and feature gates, duplicate,\n"
       "conflicting and redundant tool rules, registries without a trailing '/', sandbox\n"
       "requirements no run can meet, caps and limits that block everything, defaults the\n"
       "policy's own allowlists refuse, Unconfined seccomp, host mounts, unknown fields,\n"
       "and networkPolicy entries a NetworkPolicy cannot express.\n"
       "Other documents in the inputs are skipped; SkillPacks among them (and in --cluster\n"
       "files) declare tool names, so rules for their tools are not unknown.\n"
       "  --cluster FILE     SkillPacks whose sidecar tools rules may name; repeatable\n"
       "  --output junit     one test case per policy, failed when it has errors\n"
       "  --fail-on-warn     exit 1 on warnings too\n"
       "  --ignore CODE,...  do not report these warning codes (repeatable); a policy may\n"
       "                     also carry the annotation lint.sympozium.ai/ignore: \"CODE,...\".\n"
       "                     Errors cannot be suppressed; suppressed warnings are counted\n"
       "Exit code 1 when any policy has an error; warnings alone exit 0.",
       "  sympozium-policy lint policies/\n"
       "  sympozium-policy lint --cluster skills/ --output junit policies/*.yaml > lint.xml\n"
       "  sympozium-policy lint --output json team.yaml | jq '.policies[].findings[].code'\n",
       false, Lint},
      {"diff", "show what changes for users between two policies",
       "diff [--fail-on-looser] [--output text|json] OLD NEW",
       "Compares two policies (files, or preset:NAME for a built-in preset) by what users\n"
       "notice: the decision for every built-in tool and every tool either policy names\n"
       "(\"*\" / \"(any other tool)\" is defaultAction), then each setting that is tighter,\n"
       "looser or just changed: sandbox and agent-sandbox requirements, maxCPU/maxMemory\n"
       "(as quantities), maxDepth, maxConcurrent, seccomp, host mounts, runtime classes,\n"
       "allowed registries, models and namespaces (empty = any), denied resources,\n"
       "feature gates (absent = enabled) and the network policy. In JSON, \"old\"/\"new\"\n"
       "are display strings (\"none\" = unset, \"any\" = unrestricted; null = an entry that\n"
       "is not in that policy).\n"
       "OLD and NEW may also be directories (their *.yaml, *.yml and *.json files) or\n"
       "multi-document files. With one policy a side the two are compared whatever their\n"
       "names. When either side holds several, policies are paired by namespace/name (a\n"
       "preset by its name): each pair is diffed as above under a `== namespace/name`\n"
       "header, and a policy on one side only is listed as added or removed. Other kinds\n"
       "among several documents (Agents, ...) are skipped; the same namespace/name twice\n"
       "on one side is an error (exit 2). Paired JSON is one object: \"old\" and \"new\"\n"
       "(the operands), \"mode\", \"pairs\" (each the single-pair object with\n"
       "\"policy\": \"namespace/name\" first), \"added\" (objects with \"policy\", \"new\"\n"
       "and \"direction\": \"looser\"), \"removed\" (\"policy\", \"old\"), and the\n"
       "totals \"tighter\", \"looser\" (added policies included) and \"changed\".\n"
       "  --fail-on-looser   exit code 1 when anything loosens (a CI gate for reviews); an\n"
       "                     added policy counts as looser: it newly governs its namespace\n"
       "Otherwise the exit code is 0: a diff is information.",
       "  sympozium-policy diff preset:permissive preset:restrictive\n"
       "  sympozium-policy diff --fail-on-looser <(git show main:policy.yaml) policy.yaml\n"
       "  sympozium-policy diff --output json old.yaml new.yaml | jq '.tools'\n"
       "  sympozium-policy diff --fail-on-looser released-policies/ policies/\n",
       false, Diff},
      {"replay", "count what a new policy would admit or deny over many runs and pods",
       "replay (--policy FILE|--preset NAME|--cluster FILE) [--baseline OLD]\n"
       "                        [--output text|json|junit|sarif|github] [--jobs N] "
       "[--allow-empty]\n"
       "                        RUN...",
       "Evaluates every AgentRun, SkillPack and pod (Pod, Job, Deployment, CronJob, ...) in\n"
       "the RUN files and directories under the bound policy, compiled once, and counts\n"
       "what is allowed, denied or an error, by reason code. Other kinds (Agents, policies)\n"
       "are skipped, so a whole cluster dump can be replayed. A progress bar is drawn on\n"
       "standard error when it is a terminal and there are more than 300 documents.\n"
       "  --baseline OLD     a policy file, or preset:NAME, to compare with: every decision\n"
       "                     that changes is reported (newly denied, newly allowed, denied\n"
       "                     for another reason)\n"
       "  --output junit     one test case per document; with --baseline only newly denied\n"
       "                     documents fail, and those the baseline denies too are skipped\n"
       "  --jobs N           read and evaluate on N workers (default: one per core); the\n"
       "                     output is the same for every N\n"
       "  --allow-empty      exit 0 when no document was evaluated (default: exit 2)\n"
       "A file that cannot be read is reported with its file:line and counted as an error;\n"
       "the others are still replayed.\n"
       "Exit code 1 when any document is not allowed; with --baseline, when any document the\n"
       "baseline allows is not allowed; 2 when a file could not be read or no document was\n"
       "evaluated.",
       "  sympozium-policy replay --policy new.yaml runs/\n"
       "  kubectl get agentruns -A -o json > runs.json\n"
       "  sympozium-policy replay --cluster cluster.yaml --baseline preset:permissive runs.json\n"
       "  sympozium-policy replay --preset restrictive --output junit runs/ > replay.xml\n",
       true, Replay},
      {"review", "answer a saved AdmissionReview exactly as the webhook would",
       "review [--cluster FILE...] [--enforcement deny|warn|audit]\n"
       "                        [--shadow-mode strict|compat] [--endpoint validate|mutate] REVIEW",
       "Prints the body sympozium-webhook answers to the admission.k8s.io/v1\n"
       "AdmissionReview in REVIEW (a file, or - for stdin): an AdmissionReview with the\n"
       "request's uid, or the metav1.Status of an HTTP error. Handy for reproducing a\n"
       "cluster's denial offline (see docs/admission.md).\n"
       "  --cluster FILE     Agent, SympoziumPolicy and SkillPack files or directories, as\n"
       "                     the webhook's --config (repeatable; none: an empty cluster)\n"
       "  --enforcement E    deny (default); warn: allowed, violations as warnings;\n"
       "                     audit: allowed silently\n"
       "  --shadow-mode M    also evaluate in mode M and warn where it disagrees\n"
       "  --endpoint E       validate (default) or mutate\n"
       "Exit code 0 when response.allowed is true, 1 when it is false, 2 for an HTTP-level\n"
       "error (not an AdmissionReview with a request.uid) or a command that could not run.",
       "  sympozium-policy review --cluster cluster.yaml review.json\n"
       "  sympozium-policy review --cluster policies/ --enforcement warn review.json | jq\n"
       "  sympozium-policy review --cluster cluster.yaml --endpoint mutate review.json\n",
       false, Review},
      {"test", "run test suites: the results resources and tools must get",
       "test [--output text|json|junit|sarif|github] [--fail-only] [--allow-empty] PATH...",
       "Runs each test file (docs/testing.md): PATH is a test file, or a directory searched\n"
       "recursively for sympozium-test.yaml and *.sympozium-test.yaml. A test file names\n"
       "policies, presets, a cluster and resources (relative to itself) and the result each\n"
       "resource (allowed, denied or error, a code, the violation codes) or tool (allow,\n"
       "deny or ask) must get. Text is a table per test file, failures first with expected\n"
       "and actual, then a summary line.\n"
       "  --output json      the results of every test file, with expected and actual\n"
       "  --output junit     JUnit XML, one test case per result (failure = not as expected)\n"
       "  --fail-only        show only the results that failed\n"
       "  --allow-empty      exit 0 when there is no test file (default: exit 2)\n"
       "A result naming a resource that does not exist, or that matches several, fails.\n"
       "Exit code 0 when every result is as expected, 1 when any is not, 2 when a test file\n"
       "could not be read (reported as file:line:col) or there are none.",
       "  sympozium-policy test examples/policy-tests/\n"
       "  sympozium-policy test --fail-only policies/\n"
       "  sympozium-policy test -o junit . > policy-tests.xml\n",
       false, RunTestVerb, /*reads_inputs=*/false, /*takes_mode=*/false},
  };
  return verbs;
}

}  // namespace sympozium::cli
