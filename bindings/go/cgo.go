package sympozium

// The one file that speaks C. The helpers below gather what several C calls
// would each fetch into one cgo transition, since a transition costs about
// as much as reading a field. No C pointer leaves this package: every string
// is copied into Go memory before its handle is freed.

/*
#cgo pkg-config: sympozium_c
#include <stdlib.h>
#include <sympozium/sympozium.h>

typedef struct {
	int allowed, result, status;
	const char* code;
	const char* message;
	size_t violations, warnings;
} sym_go_verdict;

typedef struct {
	const char* code;
	const char* message;
	const char* path;
} sym_go_finding;

static sym_decision_t* sym_go_evaluate(const sym_policy_t* p, const sym_cluster_t* c,
                                       const sym_options_t* o, const char* doc, size_t len,
                                       char** err, sym_go_verdict* out) {
	sym_decision_t* d = sym_evaluate_opts(p, c, o, doc, len, err);
	if (d == NULL) return NULL;
	out->allowed = sym_decision_allowed(d);
	out->result = sym_decision_result(d);
	out->status = sym_decision_status(d);
	out->code = sym_decision_code(d);
	out->message = sym_decision_message(d);
	out->violations = sym_decision_violation_count(d);
	out->warnings = sym_decision_warning_count(d);
	return d;
}

// Fills out[0..n) with the violations (warnings == 0) or warnings of d.
static void sym_go_findings(const sym_decision_t* d, int warnings, sym_go_finding* out, size_t n) {
	for (size_t i = 0; i < n; ++i) {
		out[i].code = warnings ? sym_decision_warning_code(d, i) : sym_decision_violation_code(d, i);
		out[i].message =
		    warnings ? sym_decision_warning_message(d, i) : sym_decision_violation_message(d, i);
		out[i].path = warnings ? sym_decision_warning_path(d, i) : sym_decision_violation_path(d, i);
	}
}
*/
import "C"

import (
	"unsafe"
)

// emptyDoc stands in for a nil or empty slice: the C API takes NULL as a
// missing argument, not as empty input.
var emptyDoc = [1]byte{}

// cBytes points C at b's bytes for the duration of one call (they hold no
// Go pointers, so cgo allows it).
func cBytes(b []byte) (*C.char, C.size_t) {
	if len(b) == 0 {
		return (*C.char)(unsafe.Pointer(&emptyDoc[0])), 0
	}
	return (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// goString copies a C string owned by a handle; NULL is "".
func goString(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

// takeError turns a message the C API stored in *errptr into an *Error and
// frees it.
func takeError(err *C.char) error {
	if err == nil {
		return &Error{Message: "sympozium: the call failed without a message"}
	}
	defer C.sym_free(unsafe.Pointer(err))
	return &Error{
		Code:    goString(C.sym_error_code(err)),
		Path:    goString(C.sym_error_path(err)),
		Message: C.GoString(err),
	}
}

func decisionFrom(d *C.sym_decision_t, v *C.sym_go_verdict) *Decision {
	out := &Decision{
		Allowed: v.allowed == 1,
		Result:  Result(v.result),
		Status:  int(v.status),
		Code:    goString(v.code),
		Message: goString(v.message),
	}
	out.Violations = findings(d, false, int(v.violations))
	out.Warnings = findings(d, true, int(v.warnings))
	return out
}

func findings(d *C.sym_decision_t, warnings bool, n int) []Violation {
	if n == 0 {
		return nil
	}
	raw := make([]C.sym_go_finding, n)
	flag := C.int(0)
	if warnings {
		flag = 1
	}
	C.sym_go_findings(d, flag, &raw[0], C.size_t(n))
	out := make([]Violation, n)
	for i, f := range raw {
		out[i] = Violation{Code: goString(f.code), Message: goString(f.message), Path: goString(f.path)}
	}
	return out
}

// evaluate runs one evaluation; p, c and o may each be nil.
func evaluate(p *C.sym_policy_t, c *C.sym_cluster_t, o *C.sym_options_t, doc []byte) (*Decision, error) {
	ptr, n := cBytes(doc)
	var cerr *C.char
	var verdict C.sym_go_verdict
	d := C.sym_go_evaluate(p, c, o, ptr, n, &cerr, &verdict)
	if d == nil {
		return nil, takeError(cerr)
	}
	defer C.sym_decision_free(d)
	return decisionFrom(d, &verdict), nil
}
