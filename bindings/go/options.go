package sympozium

/*
#include <stdlib.h>
#include <sympozium/sympozium.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// Mode is how policies are compiled and documents evaluated.
type Mode int

const (
	// Strict (the default) adds the checks Sympozium's documentation
	// promises and its Go webhook never enforces.
	Strict Mode = C.SYM_MODE_STRICT
	// Compat reproduces the Go webhook's decisions, bug for bug.
	Compat Mode = C.SYM_MODE_COMPAT
)

func (m Mode) String() string {
	switch m {
	case Strict:
		return "strict"
	case Compat:
		return "compat"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Limits bound what reading and compiling accept; a zero field keeps the
// library's default (see docs/ on limits). Exceeding one is an error whose
// Code names it ("limit.max_depth"), never an allowed decision.
type Limits struct {
	MaxBytes      uint64 // one input (8 MiB)
	MaxDepth      uint64 // nesting of maps and lists (64)
	MaxDocuments  uint64 // documents in one stream (100,000)
	MaxNodes      uint64 // nodes in one input (1,000,000)
	MaxListLength uint64 // items in one list or members in one map (100,000)
	MaxToolRules  uint64 // spec.toolGating.rules of one policy (100,000)
	MaxRegistries uint64 // spec.imagePolicy.allowedRegistries (100,000)
}

func (l Limits) named() []struct {
	name  string
	value uint64
} {
	return []struct {
		name  string
		value uint64
	}{
		{"max_bytes", l.MaxBytes}, {"max_depth", l.MaxDepth},
		{"max_documents", l.MaxDocuments}, {"max_nodes", l.MaxNodes},
		{"max_list_length", l.MaxListLength}, {"max_tool_rules", l.MaxToolRules},
		{"max_registries", l.MaxRegistries},
	}
}

// Option changes how Compile, Preset, Evaluate and NewCluster work.
type Option func(*settings)

type settings struct {
	mode       Mode
	limits     Limits
	sourceName string
	mutate     bool
	cluster    *Cluster
}

// WithMode sets the mode (default Strict). A policy remembers the mode it
// was compiled in and evaluates in it unless told otherwise.
func WithMode(m Mode) Option { return func(s *settings) { s.mode = m } }

// WithLimits sets the limits on what is read and compiled.
func WithLimits(l Limits) Option { return func(s *settings) { s.limits = l } }

// WithSourceName names the input in messages ("run.yaml").
func WithSourceName(name string) Option { return func(s *settings) { s.sourceName = name } }

// WithMutation applies the mutating webhook's defaults to an AgentRun before
// evaluating it, as `sympozium-policy admit --mutate` does.
func WithMutation() Option { return func(s *settings) { s.mutate = true } }

// WithCluster resolves the run's SkillPacks in c when evaluating with a
// policy (Policy.Evaluate); c stays owned by the caller.
func WithCluster(c *Cluster) Option { return func(s *settings) { s.cluster = c } }

func apply(base settings, opts []Option) settings {
	for _, o := range opts {
		o(&base)
	}
	return base
}

// isDefault tells whether s needs no C options (NULL means the defaults).
func (s *settings) isDefault() bool {
	return s.mode == Strict && s.limits == (Limits{}) && s.sourceName == "" && !s.mutate
}

// newCOptions makes the C options for s (nil for the defaults); free them
// with freeCOptions.
func newCOptions(s *settings) (*C.sym_options_t, error) {
	if s.isDefault() {
		return nil, nil
	}
	o := C.sym_options_create()
	if o == nil {
		return nil, &Error{Message: "sympozium: out of memory"}
	}
	if C.sym_options_set_mode(o, C.int(s.mode)) != 0 {
		C.sym_options_free(o)
		return nil, &Error{Message: fmt.Sprintf("sympozium: unknown mode %d", int(s.mode))}
	}
	if s.mutate {
		C.sym_options_set_mutate(o, 1)
	}
	if s.sourceName != "" {
		name := C.CString(s.sourceName)
		C.sym_options_set_source_name(o, name)
		C.free(unsafe.Pointer(name))
	}
	for _, l := range s.limits.named() {
		if l.value == 0 {
			continue
		}
		name := C.CString(l.name)
		rc := C.sym_options_set_limit(o, name, C.uint64_t(l.value))
		C.free(unsafe.Pointer(name))
		if rc != 0 {
			C.sym_options_free(o)
			return nil, &Error{Code: "limit." + l.name,
				Message: fmt.Sprintf("sympozium: limit %s=%d is out of range", l.name, l.value)}
		}
	}
	return o, nil
}

func freeCOptions(o *C.sym_options_t) { C.sym_options_free(o) }
