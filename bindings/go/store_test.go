package sympozium

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func agentDoc(name, policy string) []byte {
	return []byte(fmt.Sprintf(`{"apiVersion":"sympozium.ai/v1alpha1","kind":"Agent",
"metadata":{"name":%q,"namespace":"default"},"spec":{"policyRef":%q}}`, name, policy))
}

func policyDoc(name, action string) []byte {
	return []byte(fmt.Sprintf(`{"apiVersion":"sympozium.ai/v1alpha1","kind":"SympoziumPolicy",
"metadata":{"name":%q,"namespace":"default"},
"spec":{"sandboxPolicy":{"required":true},"toolGating":{"rules":[{"tool":"read_file","action":%q}]}}}`,
		name, action))
}

const aliceRun = `{"apiVersion":"sympozium.ai/v1alpha1","kind":"AgentRun",
"metadata":{"name":"r","namespace":"default"},"spec":{"agentRef":"alice"}}`

func TestClusterStore(t *testing.T) {
	s := NewClusterStore()
	defer s.Close()
	empty := s.Snapshot()
	defer empty.Close()
	if err := s.Upsert(agentDoc("alice", "team")); err != nil {
		t.Fatal(err)
	}
	if err := s.Upsert(policyDoc("team", "allow")); err != nil {
		t.Fatal(err)
	}
	snap := s.Snapshot()
	defer snap.Close()
	if snap.Generation() <= empty.Generation() {
		t.Errorf("generations %d then %d", empty.Generation(), snap.Generation())
	}
	d, err := snap.Evaluate([]byte(aliceRun))
	if err != nil || d.Code != "sandbox.required" {
		t.Errorf("through the store: %+v, %v", d, err)
	}
	// The older view is unchanged: no Agent there.
	if d, err := empty.Evaluate([]byte(aliceRun)); err != nil || d.Result != ResultError {
		t.Errorf("the empty view: %+v, %v", d, err)
	}

	// A policy that does not compile is kept broken; the run is an error.
	err = s.Upsert(policyDoc("team", "maybe"))
	var e *Error
	if !errors.Is(err, ErrBroken) || !errors.As(err, &e) || e.Message == "" {
		t.Fatalf("broken upsert: %v", err)
	}
	refused := s.Snapshot()
	defer refused.Close()
	if d, err := refused.Evaluate([]byte(aliceRun)); err != nil || d.Allowed {
		t.Errorf("a run bound to a policy strict refuses: %+v, %v", d, err)
	}
	// One that does not even decode is listed as broken.
	undecodable := `{"apiVersion":"sympozium.ai/v1alpha1","kind":"SympoziumPolicy",
"metadata":{"name":"team","namespace":"default"},"spec":{"toolGating":{"rules":7}}}`
	if err := s.Upsert([]byte(undecodable)); !errors.Is(err, ErrBroken) {
		t.Fatalf("undecodable upsert: %v", err)
	}
	broken := s.Snapshot()
	defer broken.Close()
	if len(broken.Broken()) != 1 || !strings.Contains(broken.Broken()[0], "team") {
		t.Errorf("Broken() = %v", broken.Broken())
	}
	if d, err := broken.Evaluate([]byte(aliceRun)); err != nil || d.Allowed || d.Result != ResultError {
		t.Errorf("a run bound to a broken policy: %+v, %v", d, err)
	}
	if err := s.Upsert([]byte("{not yaml")); err == nil || errors.Is(err, ErrBroken) {
		t.Errorf("unreadable bytes store nothing: %v", err)
	}

	if !s.Remove("Agent", "default", "alice") || s.Remove("Agent", "default", "alice") {
		t.Error("Remove must say whether the object was there")
	}
	s.Close()
	if err := s.Upsert(agentDoc("bob", "team")); !errors.Is(err, ErrClosed) || s.Snapshot() != nil {
		t.Errorf("after Close: %v", err)
	}
	// A snapshot outlives its store.
	if d, err := snap.Evaluate([]byte(aliceRun)); err != nil || d.Code != "sandbox.required" {
		t.Errorf("snapshot after the store's Close: %+v, %v", d, err)
	}
}

// Writers and readers at once (run with -race): readers always see a
// complete view.
func TestClusterStoreConcurrent(t *testing.T) {
	s := NewClusterStore()
	defer s.Close()
	if err := s.Upsert(agentDoc("alice", "team")); err != nil {
		t.Fatal(err)
	}
	if err := s.Upsert(policyDoc("team", "allow")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if err := s.Upsert(agentDoc(fmt.Sprintf("a%d-%d", w, i), "team")); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				snap := s.Snapshot()
				d, err := snap.Evaluate([]byte(aliceRun))
				snap.Close()
				if err != nil || d.Code != "sandbox.required" {
					t.Errorf("%+v, %v", d, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
