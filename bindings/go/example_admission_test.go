package sympozium_test

import (
	"net/http"

	sympozium "github.com/sympozium-ai/libsympozium/bindings/go"
)

func ExampleAdmissionHandler() {
	s := sympozium.NewClusterStore()
	defer s.Close()
	// Fed by an informer: s.Upsert(obj) on add and update, s.Remove on delete.
	mux := http.NewServeMux()
	mux.Handle("/validate", sympozium.AdmissionHandler(s, sympozium.AdmissionOptions{}))
	mux.Handle("/mutate", sympozium.AdmissionHandler(s, sympozium.AdmissionOptions{Endpoint: sympozium.Mutate}))
	_ = mux // http.ListenAndServeTLS(":8443", "tls.crt", "tls.key", mux)
}
