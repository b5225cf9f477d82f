package sympozium

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// testDataDir is tests/shared (SYMPOZIUM_TEST_DATA when set).
func testDataDir() string {
	if dir := os.Getenv("SYMPOZIUM_TEST_DATA"); dir != "" {
		return dir
	}
	return filepath.Join("..", "..", "tests", "shared")
}

func testData(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testDataDir(), rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// benchData is bench/data (SYMPOZIUM_BENCH_DATA when set).
func benchData(t testing.TB, name string) []byte {
	t.Helper()
	dir := os.Getenv("SYMPOZIUM_BENCH_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "bench", "data")
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustPreset(t testing.TB, name string, opts ...Option) *Policy {
	t.Helper()
	p, err := Preset(name, opts...)
	if err != nil {
		t.Fatalf("Preset(%q): %v", name, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

const runWithPath = `{"apiVersion": "sympozium.ai/v1alpha1", "kind": "AgentRun",
  "metadata": {"name": "r", "namespace": "default"},
  "spec": {"agentRef": "alice", "env": {"PATH": "/evil"}}}`

func TestEvaluateAllowedAndDenied(t *testing.T) {
	p := mustPreset(t, "restrictive")
	d, err := p.Evaluate(benchData(t, "agentrun.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !d.Allowed || d.Result != ResultAllowed || d.Status != 200 || d.Code != "" || len(d.Violations) != 0 {
		t.Errorf("agentrun.json under restrictive: %+v", d)
	}
	d, err = p.Evaluate(testData(t, "fixtures/sympozium/samples/agentrun_sample.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Allowed || d.Result != ResultDenied || d.Status != 403 || d.Code != "tool.denied" {
		t.Errorf("agentrun_sample.yaml under restrictive: %+v", d)
	}
	if len(d.Violations) == 0 || d.Violations[0].Code != d.Code || d.Violations[0].Path == "" ||
		d.Violations[0].Message != d.Message {
		t.Errorf("first violation does not match the decision: %+v", d)
	}
	if fmt.Sprint(d.Result) != "denied" {
		t.Errorf("Result prints %q", fmt.Sprint(d.Result))
	}
}

func TestEvaluateEveryViolationWithPath(t *testing.T) {
	d, err := mustPreset(t, "restrictive").Evaluate([]byte(runWithPath))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, v := range d.Violations {
		if v.Code == "env.denied" && v.Path == "spec.env.PATH" && strings.Contains(v.Message, "PATH") {
			found = true
		}
	}
	if d.Allowed || !found {
		t.Errorf("want env.denied at spec.env.PATH among %+v", d.Violations)
	}
}

func TestEvaluateErrors(t *testing.T) {
	p := mustPreset(t, "default")
	// A document that does not decode is an error decision, never allowed.
	d, err := p.Evaluate([]byte(`{"kind": "AgentRun", "spec": {"agentRef": 7}}`))
	if err != nil {
		t.Fatal(err)
	}
	if d.Allowed || d.Result != ResultError || d.Code != "decode.error" {
		t.Errorf("wrong-typed run: %+v", d)
	}
	// Bytes that do not read are an *Error.
	for _, doc := range []string{"", "{unclosed: [", "a: 1\n---\nb: 2\n"} {
		d, err := p.Evaluate([]byte(doc))
		var e *Error
		if d != nil || !errors.As(err, &e) || e.Message == "" {
			t.Errorf("Evaluate(%q) = %+v, %v; want an *Error", doc, d, err)
		}
	}
}

func TestLimitsHold(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 20) + "1" + strings.Repeat("}", 20)
	p := mustPreset(t, "default")
	_, err := p.Evaluate([]byte(deep), WithLimits(Limits{MaxDepth: 5}))
	var e *Error
	if !errors.As(err, &e) || e.Code != "limit.max_depth" {
		t.Errorf("want a limit.max_depth *Error, got %v (%#v)", err, e)
	}
}

func TestCompileErrorHasCodeAndPath(t *testing.T) {
	policy := []byte(`apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: loose, namespace: default}
spec:
  toolGating:
    rules: [{tool: read_file, action: maybe}]
`)
	_, err := Compile(policy)
	var e *Error
	if !errors.As(err, &e) || e.Code != "compile.unknown_action" ||
		e.Path != "spec.toolGating.rules[0].action" || !strings.Contains(e.Error(), "maybe") {
		t.Fatalf("strict compile: %v (%#v)", err, e)
	}
	// Compat compiles it; the problem is a lint finding, and evaluations
	// default to compat.
	p, err := Compile(policy, WithMode(Compat), WithSourceName("loose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	lint := p.Lint()
	if len(lint) == 0 || !lint[0].Error || lint[0].Path != "spec.toolGating.rules[0].action" {
		t.Errorf("compat lint: %+v", lint)
	}
	if p.Name() != "loose" {
		t.Errorf("Name() = %q", p.Name())
	}
}

func TestCompatDiffersFromStrict(t *testing.T) {
	run := []byte(runWithPath)
	strict, err := Evaluate(run)
	if err != nil {
		t.Fatal(err)
	}
	compat, err := Evaluate(run, WithMode(Compat))
	if err != nil {
		t.Fatal(err)
	}
	// Strict refuses PATH even without a policy; the Go webhook lets it through.
	if strict.Allowed || strict.Code != "env.denied" || !compat.Allowed {
		t.Errorf("strict %+v, compat %+v", strict, compat)
	}
	// A policy compiled in compat evaluates in compat unless told otherwise.
	p := mustPreset(t, "default", WithMode(Compat))
	again, err := p.Evaluate(run, WithMode(Strict))
	if err != nil || again.Allowed {
		t.Errorf("WithMode(Strict) per call: %+v, %v", again, err)
	}
}

func TestToolDecision(t *testing.T) {
	p := mustPreset(t, "restrictive")
	for tool, want := range map[string]string{"execute_command": "ask", "read_file": "allow", "fetch_url": "deny"} {
		a, err := p.ToolDecision(tool)
		if err != nil || a.String() != want {
			t.Errorf("ToolDecision(%q) = %v, %v; want %s", tool, a, err, want)
		}
	}
	if _, err := p.ToolDecisionForRun([]byte("not: [a run"), "read_file"); err == nil {
		t.Error("a run that does not read must fail")
	}
}

func TestRBACFor(t *testing.T) {
	objs, err := RBACFor(testData(t, "fixtures/sympozium/skills/k8s-ops.yaml"), benchData(t, "agentrun.json"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, o := range objs {
		kinds[fmt.Sprint(o["kind"])] = true
	}
	if !kinds["Role"] || !kinds["RoleBinding"] {
		t.Errorf("kinds %v", kinds)
	}
	if _, err := RBACFor(nil, []byte("kind: AgentRun\nspec: {agentRef: 1}\n")); err == nil {
		t.Error("a run that does not decode must fail")
	}
}

func TestClusterLookup(t *testing.T) {
	agent := []byte(`apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: alice, namespace: default}
spec: {policyRef: team}
`)
	policy := []byte(`apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: default}
spec: {sandboxPolicy: {required: true}}
`)
	c, err := NewCluster([][]byte{agent, policy})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	run := []byte(`{"apiVersion":"sympozium.ai/v1alpha1","kind":"AgentRun","metadata":{"name":"r","namespace":"default"},"spec":{"agentRef":"alice"}}`)
	d, err := c.Evaluate(run)
	if err != nil || d.Code != "sandbox.required" {
		t.Errorf("lookup through the Agent: %+v, %v", d, err)
	}
	orphan := []byte(strings.Replace(string(run), "alice", "bob", 1))
	d, err = c.Evaluate(orphan)
	if err != nil || d.Result != ResultError || d.Allowed {
		t.Errorf("a missing Agent must be an error decision: %+v, %v", d, err)
	}
	if _, err := NewCluster([][]byte{[]byte("{broken")}); err == nil {
		t.Error("NewCluster on bytes that do not read must fail")
	}
}

func TestClosedHandles(t *testing.T) {
	p, err := Preset("default")
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	p.Close() // a second Close does nothing
	if _, err := p.Evaluate([]byte(runWithPath)); !errors.Is(err, ErrClosed) {
		t.Errorf("Evaluate after Close: %v", err)
	}
	if _, err := p.ToolDecision("read_file"); !errors.Is(err, ErrClosed) {
		t.Errorf("ToolDecision after Close: %v", err)
	}
	c, err := NewCluster(nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := c.Evaluate([]byte(runWithPath)); !errors.Is(err, ErrClosed) {
		t.Errorf("Cluster.Evaluate after Close: %v", err)
	}
}

// Many goroutines share one policy and one cluster while one closes them at
// the end: every call either answers or returns ErrClosed (run with -race).
func TestConcurrentUse(t *testing.T) {
	p, err := Preset("restrictive")
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCluster(nil)
	if err != nil {
		t.Fatal(err)
	}
	docs := [][]byte{benchData(t, "agentrun.json"), benchData(t, "pod.json"), []byte(runWithPath)}
	want := make([]*Decision, len(docs))
	for i, doc := range docs {
		if want[i], err = p.Evaluate(doc); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := (g + i) % len(docs)
				d, err := p.Evaluate(docs[k], WithCluster(c))
				if err != nil {
					errs <- err
					return
				}
				if d.Allowed != want[k].Allowed || d.Code != want[k].Code {
					errs <- fmt.Errorf("doc %d: %+v, want %+v", k, d, want[k])
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Close racing with calls: each call answers or says closed.
	var racing sync.WaitGroup
	for g := 0; g < 4; g++ {
		racing.Add(1)
		go func() {
			defer racing.Done()
			for i := 0; i < 100; i++ {
				if _, err := p.Evaluate(docs[0]); err != nil && !errors.Is(err, ErrClosed) {
					t.Error(err)
					return
				}
			}
		}()
	}
	p.Close()
	c.Close()
	racing.Wait()
}

func TestPresetsAndVersion(t *testing.T) {
	names := strings.Join(Presets(), ",")
	if !strings.Contains(names, "restrictive") || !strings.Contains(names, "permissive") {
		t.Errorf("Presets() = %s", names)
	}
	if Version() == "" {
		t.Error("empty Version()")
	}
	if _, err := Preset("lenient"); err == nil {
		t.Error("an unknown preset must fail")
	}
}
