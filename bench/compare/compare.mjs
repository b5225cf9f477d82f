// Side by side with the engines users would otherwise pick: Cedar
// (@cedar-policy/cedar-wasm, the Rust engine as WebAssembly) and CEL as
// Kubernetes ValidatingAdmissionPolicy uses it (@marcbachmann/cel-js).
//
// Both express the same decisions as sympozium's restrictive preset: its tool
// gate, and ten pod checks (privileged, hostNetwork, runAsNonRoot, registry
// allowlist, env denylist, CPU cap, memory cap, runtime class, drop ALL,
// seccomp). Every engine starts from the same JSON text and pays for its own
// parse. Before timing, each engine's decisions are checked against ours
// (the sympozium-policy CLI) on every tool and on the pod plus ten variants
// that each break one check.
//
//   node compare.mjs --cli build-bench/tools/sympozium-policy \
//     --pod bench/data/pod.json [--ours bench-output.json] [--out compare.json]
//
// --ours is sympozium_bench's JSON output (with --benchmark_repetitions); our
// medians are its BM_PeerToolGateJson and BM_PodEvalJson medians (CPU time).
import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {Environment} from '@marcbachmann/cel-js';

const require = createRequire(import.meta.url);
const cedar = require('@cedar-policy/cedar-wasm/nodejs');

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const required of ['cli', 'pod']) {
    if (!args[required]) throw new Error(`missing --${required}`);
  }
  return args;
}

// ---- The decisions, as the restrictive preset states them -----------------

// toolGating: defaultAction deny; execute_command ask; these allow; these deny.
const ASK_TOOLS = ['execute_command'];
const ALLOW_TOOLS = ['read_file', 'list_directory', 'send_channel_message'];
const DENY_TOOLS = ['write_file', 'fetch_url'];
// The rotation BM_PeerToolGateJson asks: rule hits and defaultAction misses.
const TIMED_TOOLS = ['execute_command', 'read_file', 'list_directory', 'write_file',
  'fetch_url', 'send_channel_message', 'browser_open', 'memory_search'];
const CHECKED_TOOLS = [...new Set([...TIMED_TOOLS, 'web_search', 'spawn_subagent',
  'unknown_tool', 'EXECUTE_COMMAND'])];

const ALLOWED_REGISTRIES = ['ghcr.io/sympozium-ai/', 'docker.io/library/'];
const DENIED_ENV = ['PATH', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT', 'HOME', 'SHELL', 'USER',
  'HOSTNAME', 'BASH_ENV', 'ENV', 'PYTHONPATH', 'PYTHONSTARTUP', 'NODE_OPTIONS', 'PERL5OPT',
  'RUBYOPT', 'GCONV_PATH'];
const MAX_CPU = '2';
const MAX_MEMORY = '4Gi';
const RUNTIME_CLASSES = ['gvisor', 'kata'];
const SECCOMP = 'RuntimeDefault';

// Kubernetes quantities as numbers (neither engine parses them: Kubernetes'
// CEL has a quantity() library, which CEL gets here as a function; Cedar
// gets the numbers from the adapter).
const SUFFIX = {'': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40};
function quantity(text) {
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(text));
  if (!m) throw new Error(`not a quantity: ${text}`);
  return Number(m[1]) * SUFFIX[m[2] ?? ''];
}

// The pod and ten variants, each breaking one check.
function podVariants(podText) {
  const variant = (name, edit) => {
    const pod = JSON.parse(podText);
    edit(pod.spec, pod.spec.containers);
    return {name, text: JSON.stringify(pod)};
  };
  return [
    {name: 'typical pod', text: podText.trim()},
    variant('privileged', (s, c) => { c[0].securityContext.privileged = true; }),
    variant('hostNetwork', (s) => { s.hostNetwork = true; }),
    variant('runAsNonRoot false', (s) => { s.securityContext.runAsNonRoot = false; }),
    variant('registry', (s, c) => { c[1].image = 'quay.io/evil/ipc-bridge:v1'; }),
    variant('env denylist', (s, c) => { c[0].env.push({name: 'LD_PRELOAD', value: '/x.so'}); }),
    variant('CPU cap', (s, c) => { c[2].resources.limits.cpu = '4'; }),
    variant('memory cap', (s, c) => { c[2].resources.limits.memory = '8Gi'; }),
    variant('runtime class', (s) => { s.runtimeClassName = 'runc'; }),
    variant('drop ALL', (s, c) => { c[1].securityContext.capabilities = {drop: ['NET_RAW']}; }),
    variant('seccomp', (s) => { s.securityContext.seccompProfile.type = 'Unconfined'; }),
  ];
}

// ---- Ours, through the CLI (for the decisions only) ------------------------

function oursTools(cli, tools) {
  let out;
  try {
    out = execFileSync(cli, ['tool', '--preset', 'restrictive', '--output', 'json', ...tools]);
  } catch (e) {
    out = e.stdout;  // exit code 1 when a tool is denied
  }
  return Object.fromEntries(JSON.parse(out).map((d) => [d.tool, d.decision]));
}

function oursPod(cli, text) {
  let out;
  try {
    out = execFileSync(cli, ['admit', '--preset', 'restrictive', '--output', 'json', '-'],
      {input: text});
  } catch (e) {
    out = e.stdout;
  }
  return JSON.parse(out).allowed;
}

// ---- Cedar -------------------------------------------------------------------

const cedarPolicies = {
  // Tool gate: no permit means deny (defaultAction deny); `ask` is a permit
  // whose id says so.
  'tool-allow': 'permit(principal, action == Action::"callTool", resource) ' +
    `when { [${ALLOW_TOOLS.map((t) => `Tool::"${t}"`).join(', ')}].contains(resource) };`,
  'tool-ask': 'permit(principal, action == Action::"callTool", resource) ' +
    `when { [${ASK_TOOLS.map((t) => `Tool::"${t}"`).join(', ')}].contains(resource) };`,
  'tool-deny': 'forbid(principal, action == Action::"callTool", resource) ' +
    `when { [${DENY_TOOLS.map((t) => `Tool::"${t}"`).join(', ')}].contains(resource) };`,
  // Pods: Cedar has no loops over lists, so the adapter asks once for the
  // pod, once per container and once per env var; each is allowed unless a
  // forbid matches.
  'pod-base': 'permit(principal, action in [Action::"admitPod", Action::"admitContainer", ' +
    'Action::"setEnv"], resource);',
  'host-network': 'forbid(principal, action == Action::"admitPod", resource) ' +
    'when { context.hostNetwork };',
  'runtime-class': 'forbid(principal, action == Action::"admitPod", resource) ' +
    `when { context.runtimeClassName != "" && !${JSON.stringify(RUNTIME_CLASSES)}` +
    '.contains(context.runtimeClassName) };',
  'privileged': 'forbid(principal, action == Action::"admitContainer", resource) ' +
    'when { context.sc has privileged && context.sc.privileged };',
  'run-as-non-root': 'forbid(principal, action == Action::"admitContainer", resource) ' +
    'unless { if context.sc has runAsNonRoot then context.sc.runAsNonRoot ' +
    'else (context.pod has runAsNonRoot && context.pod.runAsNonRoot) };',
  'registry': 'forbid(principal, action == Action::"admitContainer", resource) unless { ' +
    ALLOWED_REGISTRIES.map((r) => `context.image like "${r}*"`).join(' || ') + ' };',
  'drop-all': 'forbid(principal, action == Action::"admitContainer", resource) unless { ' +
    'context.sc has capabilities && context.sc.capabilities has drop && ' +
    'context.sc.capabilities.drop.contains("ALL") };',
  'seccomp': 'forbid(principal, action == Action::"admitContainer", resource) unless { ' +
    'if context.sc has seccompProfile ' +
    `then context.sc.seccompProfile.type == "${SECCOMP}" ` +
    'else (context.pod has seccompProfile && ' +
    `context.pod.seccompProfile.type == "${SECCOMP}") };`,
  'cpu-cap': 'forbid(principal, action == Action::"admitContainer", resource) ' +
    `when { context.name == "sandbox" && context.cpuMilli > ${quantity(MAX_CPU) * 1000} };`,
  'memory-cap': 'forbid(principal, action == Action::"admitContainer", resource) ' +
    `when { context.name == "sandbox" && context.memoryBytes > ${quantity(MAX_MEMORY)} };`,
  'env-denylist': 'forbid(principal, action == Action::"setEnv", resource) ' +
    `when { ${JSON.stringify(DENIED_ENV)}.contains(context.name) || context.name like "LD_*" };`,
};

const PRINCIPAL = {type: 'Sympozium::Controller', id: 'controller'};

function cedarAsk(action, resource, context) {
  const answer = cedar.statefulIsAuthorized({
    principal: PRINCIPAL,
    action: {type: 'Action', id: action},
    resource,
    context,
    preparsedPolicySetId: 'restrictive',
    entities: [],
  });
  if (answer.type !== 'success') throw new Error(JSON.stringify(answer.errors));
  return answer.response;
}

const cedarEngine = {
  name: 'Cedar',
  version: `cedar-wasm ${cedar.getCedarVersion()}`,
  setup() {
    const parsed = cedar.preparsePolicySet('restrictive', {staticPolicies: cedarPolicies});
    if (parsed.type !== 'success') throw new Error(JSON.stringify(parsed.errors));
  },
  tool(text) {
    const {tool} = JSON.parse(text);
    const response = cedarAsk('callTool', {type: 'Tool', id: tool}, {});
    if (response.decision === 'deny') return 'deny';
    return response.diagnostics.reason.includes('tool-ask') ? 'ask' : 'allow';
  },
  pod(text) {
    const pod = JSON.parse(text);
    const spec = pod.spec;
    const podSc = spec.securityContext ?? {};
    const allow = (action, resource, context) =>
      cedarAsk(action, resource, context).decision === 'allow';
    if (!allow('admitPod', {type: 'Pod', id: pod.metadata.name}, {
      hostNetwork: spec.hostNetwork === true,
      runtimeClassName: spec.runtimeClassName ?? '',
    })) return false;
    for (const c of spec.containers) {
      const capped = (dim) => Math.max(quantity(c.resources?.requests?.[dim] ?? 0),
        quantity(c.resources?.limits?.[dim] ?? 0));
      if (!allow('admitContainer', {type: 'Container', id: c.name}, {
        name: c.name,
        image: c.image,
        sc: c.securityContext ?? {},
        pod: podSc,
        cpuMilli: Math.ceil(capped('cpu') * 1000),
        memoryBytes: Math.ceil(capped('memory')),
      })) return false;
      for (const e of c.env ?? []) {
        if (!allow('setEnv', {type: 'EnvVar', id: e.name}, {name: e.name})) return false;
      }
    }
    return true;
  },
};

// ---- CEL (ValidatingAdmissionPolicy style) ---------------------------------

const celEnv = new Environment({unlistedVariablesAreDyn: true})
  .registerFunction('quantity(string): double', (s) => quantity(s));

const list = (items) => `[${items.map((s) => JSON.stringify(s)).join(', ')}]`;
// `c` is a container; the pod's securityContext is the fallback (as the kubelet).
const podSc = 'object.spec.securityContext';
const capCheck = (dim, max) =>
  `object.spec.containers.all(c, c.name != "sandbox" || !has(c.resources) || ` +
  `((!has(c.resources.requests) || !has(c.resources.requests.${dim}) || ` +
  `quantity(c.resources.requests.${dim}) <= quantity("${max}")) && ` +
  `(!has(c.resources.limits) || !has(c.resources.limits.${dim}) || ` +
  `quantity(c.resources.limits.${dim}) <= quantity("${max}"))))`;
// One validation per check, as a ValidatingAdmissionPolicy lists them.
const celValidations = [
  'object.spec.containers.all(c, !has(c.securityContext) || ' +
    '!has(c.securityContext.privileged) || c.securityContext.privileged == false)',
  '!has(object.spec.hostNetwork) || object.spec.hostNetwork == false',
  'object.spec.containers.all(c, (has(c.securityContext) && ' +
    'has(c.securityContext.runAsNonRoot)) ? c.securityContext.runAsNonRoot == true : ' +
    `(has(${podSc}) && has(${podSc}.runAsNonRoot) && ${podSc}.runAsNonRoot == true))`,
  'object.spec.containers.all(c, ' +
    ALLOWED_REGISTRIES.map((r) => `c.image.startsWith("${r}")`).join(' || ') + ')',
  `object.spec.containers.all(c, !has(c.env) || c.env.all(e, !(e.name in ${list(DENIED_ENV)}) ` +
    '&& !e.name.startsWith("LD_")))',
  capCheck('cpu', MAX_CPU),
  capCheck('memory', MAX_MEMORY),
  `!has(object.spec.runtimeClassName) || object.spec.runtimeClassName in ${
    list(RUNTIME_CLASSES)}`,
  'object.spec.containers.all(c, has(c.securityContext) && has(c.securityContext.capabilities) ' +
    '&& has(c.securityContext.capabilities.drop) && "ALL" in c.securityContext.capabilities.drop)',
  'object.spec.containers.all(c, (has(c.securityContext) && ' +
    `has(c.securityContext.seccompProfile)) ? c.securityContext.seccompProfile.type == "${
      SECCOMP}" : (has(${podSc}) && has(${podSc}.seccompProfile) && ` +
    `${podSc}.seccompProfile.type == "${SECCOMP}"))`,
];
const celToolGate = `tool in ${list(DENY_TOOLS)} ? "deny" : tool in ${list(ASK_TOOLS)} ? "ask" ` +
  `: tool in ${list(ALLOW_TOOLS)} ? "allow" : "deny"`;

const celEngine = {
  name: 'CEL',
  version: 'cel-js (@marcbachmann) 8.0.0',
  setup() {
    this.validations = celValidations.map((e) => celEnv.parse(e));
    this.toolGate = celEnv.parse(celToolGate);
  },
  tool(text) {
    return this.toolGate(JSON.parse(text));
  },
  pod(text) {
    const ctx = {object: JSON.parse(text)};
    return this.validations.every((v) => v(ctx) === true);
  },
};

// ---- Checking and timing ---------------------------------------------------

function checkDecisions(engine, cli, pods) {
  const ours = oursTools(cli, CHECKED_TOOLS);
  for (const tool of CHECKED_TOOLS) {
    const theirs = engine.tool(JSON.stringify({tool}));
    if (theirs !== ours[tool]) {
      throw new Error(`${engine.name}: tool ${tool} is ${theirs}, ours says ${ours[tool]}`);
    }
  }
  for (const pod of pods) {
    const want = oursPod(cli, pod.text);
    if (want !== (pod.name === 'typical pod')) {
      throw new Error(`ours: ${pod.name} is ${want ? 'allowed' : 'denied'}`);
    }
    const got = engine.pod(pod.text);
    if (got !== want) {
      throw new Error(`${engine.name}: ${pod.name} is ${got ? 'allowed' : 'denied'}, ours ` +
        `says ${want ? 'allowed' : 'denied'}`);
    }
  }
  return CHECKED_TOOLS.length + pods.length;
}

// Median CPU nanoseconds per call over `batches` batches of about `batchMs`.
function time(fn, inputs, batches = 15, batchMs = 40) {
  let sink = 0;
  for (let i = 0; i < 2000; ++i) sink ^= fn(inputs[i % inputs.length]) ? 1 : 0;  // warm up, JIT
  let n = 1;
  for (;;) {  // calls per batch
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; ++i) sink ^= fn(inputs[i % inputs.length]) ? 1 : 0;
    if (Number(process.hrtime.bigint() - start) / 1e6 >= batchMs / 4) break;
    n *= 2;
  }
  n *= 4;
  const perCall = [];
  for (let b = 0; b < batches; ++b) {
    const cpu = process.cpuUsage();
    for (let i = 0; i < n; ++i) sink ^= fn(inputs[i % inputs.length]) ? 1 : 0;
    const used = process.cpuUsage(cpu);
    perCall.push(((used.user + used.system) * 1000) / n);
  }
  perCall.sort((a, b) => a - b);
  if (sink === 42) console.log('');  // keep the results alive
  return perCall[Math.floor(perCall.length / 2)];
}

function oursMedians(path) {
  if (!path) return {};
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const median = (name) => {
    const b = report.benchmarks.find((x) => x.run_name === name && x.aggregate_name === 'median') ??
      report.benchmarks.find((x) => x.name === name);
    if (!b) return undefined;
    const scale = {ns: 1, us: 1e3, ms: 1e6, s: 1e9}[b.time_unit];
    return b.cpu_time * scale;
  };
  return {tool: median('BM_PeerToolGateJson'), pod: median('BM_PodEvalJson')};
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const podText = readFileSync(args.pod, 'utf8');
  const pods = podVariants(podText);
  const toolRequests = TIMED_TOOLS.map((tool) => JSON.stringify({tool}));
  const ours = oursMedians(args.ours);
  const fmt = (ns) => (ns === undefined ? '-' : ns >= 1000 ? `${(ns / 1000).toFixed(2)} us`
    : `${ns.toFixed(0)} ns`);
  const ratio = (ns, base) => (ns === undefined || !base ? '-' : `${(ns / base).toFixed(1)}x`);

  const results = {
    node: process.version,
    workloads: {
      tool: 'the restrictive tool gate, asked with {"tool": "..."} (8 tools in rotation)',
      pod: `the typical pod (${podText.length} bytes of JSON), ten checks`,
    },
    ours: {name: 'sympozium', tool_ns: ours.tool, pod_ns: ours.pod},
    engines: [],
  };
  console.log('Peers: the same decisions from the same JSON text (median CPU time per call)');
  console.log(`  ${'engine'.padEnd(34)} ${'tool gate'.padStart(10)} ${'ratio'.padStart(7)}` +
    ` ${'pod, 10 checks'.padStart(15)} ${'ratio'.padStart(7)}`);
  console.log(`  ${'sympozium (C++, sympozium_bench)'.padEnd(34)} ${fmt(ours.tool).padStart(10)}` +
    ` ${'1.0x'.padStart(7)} ${fmt(ours.pod).padStart(15)} ${'1.0x'.padStart(7)}`);
  for (const engine of [cedarEngine, celEngine]) {
    engine.setup();
    const checked = checkDecisions(engine, args.cli, pods);
    const tool = time((t) => engine.tool(t), toolRequests);
    const pod = time((t) => engine.pod(t), [pods[0].text]);
    results.engines.push({name: engine.name, version: engine.version, checked_decisions: checked,
      tool_ns: tool, pod_ns: pod, tool_ratio: ours.tool ? tool / ours.tool : null,
      pod_ratio: ours.pod ? pod / ours.pod : null});
    console.log(`  ${`${engine.name} (${engine.version})`.padEnd(34)} ${fmt(tool).padStart(10)}` +
      ` ${ratio(tool, ours.tool).padStart(7)} ${fmt(pod).padStart(15)}` +
      ` ${ratio(pod, ours.pod).padStart(7)}`);
  }
  console.log(`  (each engine first agreed with ours on ${results.engines[0].checked_decisions} ` +
    'decisions: every tool checked, the pod and its ten variants)');
  if (args.out) writeFileSync(args.out, JSON.stringify(results, null, 2) + '\n');
}

main();
