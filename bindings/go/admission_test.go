package sympozium

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func review(uid, object string) []byte {
	return []byte(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"` + uid +
		`","kind":{"group":"sympozium.ai","version":"v1alpha1","kind":"AgentRun"},"operation":"CREATE",` +
		`"namespace":"default","object":` + object + `}}`)
}

func TestAdmissionHandler(t *testing.T) {
	s := NewClusterStore()
	defer s.Close()
	for _, doc := range [][]byte{agentDoc("alice", "team"), policyDoc("team", "allow")} {
		if err := s.Upsert(doc); err != nil {
			t.Fatal(err)
		}
	}
	server := httptest.NewServer(AdmissionHandler(s, AdmissionOptions{}))
	defer server.Close()
	resp, err := http.Post(server.URL, "application/json", bytes.NewReader(review("u-1", aliceRun)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer struct {
		Response struct {
			UID     string `json:"uid"`
			Allowed bool   `json:"allowed"`
		} `json:"response"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d: %v", resp.StatusCode, err)
	}
	if answer.Response.UID != "u-1" || answer.Response.Allowed {
		t.Errorf("answer %+v", answer)
	}
	bad, err := http.Post(server.URL, "application/json", bytes.NewReader([]byte("{nope")))
	if err != nil {
		t.Fatal(err)
	}
	bad.Body.Close()
	if bad.StatusCode == 200 {
		t.Error("a body that is not JSON must not be answered 200")
	}
}
