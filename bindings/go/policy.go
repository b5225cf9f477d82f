package sympozium

/*
#include <stdlib.h>
#include <sympozium/sympozium.h>
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Policy is a compiled SympoziumPolicy. It is safe for concurrent use;
// Close frees it (a finalizer does too, as a safety net, but C memory is
// invisible to Go's collector, so call Close).
type Policy struct {
	mu       sync.RWMutex // held for reading by calls, for writing by Close
	policy   *C.sym_policy_t
	options  *C.sym_options_t // the compile settings, which evaluations default to
	settings settings
}

// Compile reads, decodes and compiles one SympoziumPolicy document (YAML or
// JSON). In Strict mode a policy that breaks the CRD schema is an *Error
// naming the field; in Compat mode it compiles and the problems are in Lint.
func Compile(doc []byte, opts ...Option) (*Policy, error) {
	return newPolicy(apply(settings{}, opts), func(o *C.sym_options_t, err **C.char) *C.sym_policy_t {
		ptr, n := cBytes(doc)
		return C.sym_policy_compile_opts(ptr, n, o, nil, err)
	})
}

// Preset is a built-in policy by name ("permissive", "default",
// "restrictive", "network-isolated"), optionally versioned
// ("restrictive@v1").
func Preset(name string, opts ...Option) (*Policy, error) {
	return newPolicy(apply(settings{}, opts), func(o *C.sym_options_t, err **C.char) *C.sym_policy_t {
		cname := C.CString(name)
		defer C.free(unsafe.Pointer(cname))
		return C.sym_policy_preset_opts(cname, o, err)
	})
}

// Presets lists the built-in presets' names.
func Presets() []string {
	n := int(C.sym_preset_count())
	names := make([]string, 0, n)
	for i := 0; i < n; i++ {
		names = append(names, goString(C.sym_preset_name(C.size_t(i))))
	}
	return names
}

// Version is the library's version ("0.1.0").
func Version() string { return C.GoString(C.sym_version()) }

func newPolicy(s settings, build func(*C.sym_options_t, **C.char) *C.sym_policy_t) (*Policy, error) {
	o, err := newCOptions(&s)
	if err != nil {
		return nil, err
	}
	var cerr *C.char
	cp := build(o, &cerr)
	if cp == nil {
		freeCOptions(o)
		return nil, takeError(cerr)
	}
	p := &Policy{policy: cp, options: o, settings: s}
	runtime.SetFinalizer(p, (*Policy).Close)
	return p, nil
}

// Close frees the policy; later calls return ErrClosed. It waits for calls
// in progress, and a second Close does nothing.
func (p *Policy) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.policy != nil {
		C.sym_policy_free(p.policy)
		freeCOptions(p.options)
		p.policy, p.options = nil, nil
		runtime.SetFinalizer(p, nil)
	}
	return nil
}

// Name is the policy's metadata.name (a preset's own name).
func (p *Policy) Name() string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.policy == nil {
		return ""
	}
	return goString(C.sym_policy_name(p.policy))
}

// Evaluate decides on one document by its kind, as `sympozium-policy admit`
// does: AgentRun, SkillPack, Model, or a Pod, Job, Deployment, CronJob,
// StatefulSet, DaemonSet, ReplicaSet. The policy is bound directly (no Agent
// lookup). A document that does not decode is a decision with ResultError;
// bytes that are not one YAML or JSON document are an *Error. Options
// default to those the policy was compiled with.
func (p *Policy) Evaluate(doc []byte, opts ...Option) (*Decision, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.policy == nil {
		return nil, ErrClosed
	}
	if len(opts) == 0 {
		return evaluate(p.policy, nil, p.options, doc)
	}
	return evaluateWith(p.policy, apply(p.settings, opts), doc)
}

// evaluateWith evaluates under settings made for this call.
func evaluateWith(policy *C.sym_policy_t, s settings, doc []byte) (*Decision, error) {
	o, err := newCOptions(&s)
	if err != nil {
		return nil, err
	}
	defer freeCOptions(o)
	if s.cluster == nil {
		return evaluate(policy, nil, o, doc)
	}
	var d *Decision
	err = s.cluster.use(func(c *C.sym_cluster_t) error {
		var err error
		d, err = evaluate(policy, c, o, doc)
		return err
	})
	return d, err
}

// ToolDecision is the policy's answer for a tool ("execute_command").
func (p *Policy) ToolDecision(tool string) (ToolAction, error) {
	return p.ToolDecisionForRun(nil, tool)
}

// ToolDecisionForRun is ToolDecision with an AgentRun whose
// spec.toolPolicy lists come first (run nil: none).
func (p *Policy) ToolDecisionForRun(run []byte, tool string) (ToolAction, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.policy == nil {
		return Deny, ErrClosed
	}
	return toolDecision(p.policy, run, tool)
}

func toolDecision(policy *C.sym_policy_t, run []byte, tool string) (ToolAction, error) {
	name := []byte(tool)
	tp, tn := cBytes(name)
	var rc C.int
	if run == nil {
		rc = C.sym_tool_decision(policy, tp, tn)
	} else {
		rp, rn := cBytes(run)
		rc = C.sym_tool_decision_run(policy, rp, rn, tp, tn)
	}
	if rc < 0 {
		return Deny, &Error{Message: "sympozium: the run is not one AgentRun document"}
	}
	return ToolAction(rc), nil
}

// Finding is one lint finding of a policy.
type Finding struct {
	Error   bool // a strict error (only in a policy compiled in Compat mode); else a warning
	Code    string
	Path    string
	Message string
}

// Lint lists the policy's strict errors (Compat mode only), then its
// compile-time warnings.
func (p *Policy) Lint() []Finding {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.policy == nil {
		return nil
	}
	n := int(C.sym_policy_lint_count(p.policy))
	out := make([]Finding, n)
	for i := range out {
		ci := C.size_t(i)
		out[i] = Finding{
			Error:   C.sym_policy_lint_severity(p.policy, ci) == C.SYM_SEVERITY_ERROR,
			Code:    goString(C.sym_policy_lint_code(p.policy, ci)),
			Path:    goString(C.sym_policy_lint_path(p.policy, ci)),
			Message: goString(C.sym_policy_lint_message(p.policy, ci)),
		}
	}
	return out
}

// Evaluate decides on one document with no policy bound and no Agent
// lookup: only the checks that need no policy run (Strict mode refuses a
// run overriding PATH; Compat lets it through, as the Go webhook does).
func Evaluate(doc []byte, opts ...Option) (*Decision, error) {
	return evaluateWith(nil, apply(settings{}, opts), doc)
}
