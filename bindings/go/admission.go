package sympozium

/*
#include <stdlib.h>
#include <sympozium/sympozium.h>
*/
import "C"

import (
	"fmt"
	"io"
	"net/http"
	"unsafe"
)

// Enforcement is what a decision that is not allowed does.
type Enforcement int

const (
	EnforceDeny  Enforcement = C.SYM_ENFORCE_DENY  // refuse the object
	EnforceWarn  Enforcement = C.SYM_ENFORCE_WARN  // allow, with the violations as warnings
	EnforceAudit Enforcement = C.SYM_ENFORCE_AUDIT // allow silently
)

// Endpoint is the webhook endpoint a review is answered as.
type Endpoint int

const (
	Validate Endpoint = C.SYM_ENDPOINT_VALIDATE // /validate
	Mutate   Endpoint = C.SYM_ENDPOINT_MUTATE   // /mutate: the defaults as a JSON Patch
)

// AdmissionOptions configure AdmissionHandler; the zero value validates in
// Strict mode with EnforceDeny, no shadow mode and the default limits.
type AdmissionOptions struct {
	Endpoint    Endpoint
	Mode        Mode
	Enforcement Enforcement
	ShadowMode  *Mode // also evaluate in this mode and report disagreement
	Limits      Limits
}

// AdmissionHandler answers admission.k8s.io/v1 AdmissionReview POSTs as
// sympozium-webhook does, against the store's snapshot at each request.
func AdmissionHandler(s *ClusterStore, opts AdmissionOptions) http.Handler {
	return &admissionHandler{store: s, opts: opts}
}

type admissionHandler struct {
	store *ClusterStore
	opts  AdmissionOptions
}

// defaultMaxBytes is the library's max_bytes default.
const defaultMaxBytes = 8 << 20

func (h *admissionHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST an AdmissionReview", http.StatusMethodNotAllowed)
		return
	}
	limit := int64(h.opts.Limits.MaxBytes)
	if limit == 0 {
		limit = defaultMaxBytes
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		http.Error(w, fmt.Sprintf("reading the request body: %v", err), http.StatusRequestEntityTooLarge)
		return
	}
	status, answer, err := h.review(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(answer)
}

// review answers one body: the HTTP status and the JSON to send.
func (h *admissionHandler) review(body []byte) (int, []byte, error) {
	s := settings{mode: h.opts.Mode, limits: h.opts.Limits}
	o, err := newCOptions(&s)
	if err != nil {
		return 0, nil, err
	}
	if o == nil {
		o = C.sym_options_create()
	}
	defer freeCOptions(o)
	if C.sym_options_set_enforcement(o, C.int(h.opts.Enforcement)) != 0 {
		return 0, nil, &Error{Message: fmt.Sprintf("sympozium: unknown enforcement %d", h.opts.Enforcement)}
	}
	if h.opts.ShadowMode != nil && C.sym_options_set_shadow_mode(o, C.int(*h.opts.ShadowMode)) != 0 {
		return 0, nil, &Error{Message: fmt.Sprintf("sympozium: unknown shadow mode %d", *h.opts.ShadowMode)}
	}
	snap := h.store.Snapshot()
	if snap == nil {
		return 0, nil, ErrClosed
	}
	defer snap.Close()
	var status int
	var answer []byte
	err = snap.use(func(c *C.sym_cluster_t) error {
		ptr, n := cBytes(body)
		var cstatus C.int
		var cerr *C.char
		text := C.sym_admission_review(c, o, C.int(h.opts.Endpoint), ptr, n, &cstatus, &cerr)
		if text == nil {
			return takeError(cerr)
		}
		defer C.sym_free(unsafe.Pointer(text))
		status, answer = int(cstatus), []byte(C.GoString(text))
		return nil
	})
	return status, answer, err
}
