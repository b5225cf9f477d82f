package sympozium_test

import (
	"errors"
	"fmt"

	sympozium "github.com/sympozium-ai/libsympozium/bindings/go"
)

const run = `{"apiVersion": "sympozium.ai/v1alpha1", "kind": "AgentRun",
  "metadata": {"name": "r", "namespace": "default"},
  "spec": {"agentRef": "alice"}}`

func ExamplePreset() {
	p, err := sympozium.Preset("restrictive")
	if err != nil {
		panic(err)
	}
	defer p.Close()
	d, err := p.Evaluate([]byte(run))
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Allowed, d.Result, d.Code)
	for _, v := range d.Violations {
		fmt.Printf("%s: %s\n", v.Path, v.Message)
	}
	// Output:
	// false denied sandbox.required
	// spec.sandbox: sandbox is required by policy
}

func ExampleCompile() {
	policy := []byte(`apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: default}
spec:
  toolGating:
    rules: [{tool: read_file, action: maybe}]
`)
	_, err := sympozium.Compile(policy, sympozium.WithSourceName("team.yaml"))
	var e *sympozium.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Path)
	}
	// Compat mode compiles it, as the Go webhook would, and lints it.
	p, err := sympozium.Compile(policy, sympozium.WithMode(sympozium.Compat))
	if err != nil {
		panic(err)
	}
	defer p.Close()
	fmt.Println(p.Lint()[0].Code)
	// Output:
	// compile.unknown_action spec.toolGating.rules[0].action
	// compile.unknown_action
}

func ExamplePolicy_Evaluate() {
	p, err := sympozium.Preset("permissive")
	if err != nil {
		panic(err)
	}
	defer p.Close()
	d, err := p.Evaluate([]byte(run), sympozium.WithLimits(sympozium.Limits{MaxBytes: 1 << 16}))
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Allowed, d.Status, d.Message)
	// Output: true 200 policy validated
}

func ExampleEvaluate() {
	withPath := []byte(`{"apiVersion": "sympozium.ai/v1alpha1", "kind": "AgentRun",
	  "metadata": {"name": "r", "namespace": "default"},
	  "spec": {"agentRef": "alice", "env": {"PATH": "/evil"}}}`)
	strict, _ := sympozium.Evaluate(withPath)
	compat, _ := sympozium.Evaluate(withPath, sympozium.WithMode(sympozium.Compat))
	fmt.Println(strict.Code, compat.Allowed)
	// Output: env.denied true
}

func ExamplePolicy_ToolDecision() {
	p, err := sympozium.Preset("restrictive")
	if err != nil {
		panic(err)
	}
	defer p.Close()
	for _, tool := range []string{"read_file", "execute_command", "fetch_url"} {
		a, _ := p.ToolDecision(tool)
		fmt.Println(tool, a)
	}
	// Output:
	// read_file allow
	// execute_command ask
	// fetch_url deny
}

func ExampleRBACFor() {
	skill := []byte(`apiVersion: sympozium.ai/v1alpha1
kind: SkillPack
metadata: {name: reader, namespace: default}
spec:
  sidecar:
    image: ghcr.io/example/reader:1
    rbac: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
`)
	objs, err := sympozium.RBACFor(skill, []byte(run))
	if err != nil {
		panic(err)
	}
	for _, o := range objs {
		fmt.Println(o["kind"])
	}
	// Output:
	// Role
	// RoleBinding
}

func ExampleNewCluster() {
	cluster, err := sympozium.NewCluster([][]byte{[]byte(`apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: alice, namespace: default}
spec: {policyRef: team}
---
apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: default}
spec: {sandboxPolicy: {required: true}}
`)})
	if err != nil {
		panic(err)
	}
	defer cluster.Close()
	d, _ := cluster.Evaluate([]byte(run)) // alice's policy, found as the webhook finds it
	fmt.Println(d.Code)
	// Output: sandbox.required
}

func ExampleNewClusterStore() {
	s := sympozium.NewClusterStore()
	defer s.Close()
	// What an informer would hand over, one object at a time.
	for _, doc := range []string{
		`{"apiVersion":"sympozium.ai/v1alpha1","kind":"Agent","metadata":{"name":"alice","namespace":"default"},"spec":{"policyRef":"team"}}`,
		`{"apiVersion":"sympozium.ai/v1alpha1","kind":"SympoziumPolicy","metadata":{"name":"team","namespace":"default"},"spec":{"sandboxPolicy":{"required":true}}}`,
	} {
		if err := s.Upsert([]byte(doc)); err != nil {
			panic(err)
		}
	}
	snap := s.Snapshot()
	defer snap.Close()
	d, _ := snap.Evaluate([]byte(run))
	fmt.Println(snap.Generation(), d.Code)
	s.Remove("Agent", "default", "alice")
	// Output: 3 sandbox.required
}
