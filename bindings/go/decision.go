package sympozium

/*
#include <sympozium/sympozium.h>
*/
import "C"

import "fmt"

// Result is a decision's outcome.
type Result int

const (
	ResultAllowed Result = C.SYM_RESULT_ALLOWED
	ResultDenied  Result = C.SYM_RESULT_DENIED
	// ResultError: the document could not be decoded, or a lookup failed
	// (a missing Agent or policy). Never allowed.
	ResultError Result = C.SYM_RESULT_ERROR
)

// String gives "allowed", "denied" or "error", as the CLI prints them.
func (r Result) String() string {
	switch r {
	case ResultAllowed:
		return "allowed"
	case ResultDenied:
		return "denied"
	case ResultError:
		return "error"
	}
	return fmt.Sprintf("Result(%d)", int(r))
}

// Violation is one broken rule (or, in Decision.Warnings, one warning).
type Violation struct {
	Code    string // stable reason code: "sandbox.required", "env.denied"
	Message string // the Go webhook's wording
	Path    string // document path of the field that decided it: "spec.env.PATH"
}

// Decision answers "may this start?", with every reason.
type Decision struct {
	Allowed bool
	Result  Result
	Status  int    // the webhook's HTTP status: 200, 403, 400 or 500
	Code    string // the first violation's code, "" when allowed
	Message string // the first violation's message, or the allow reason
	// Every violation; the first is the one the Go webhook reports.
	Violations []Violation
	Warnings   []Violation // never change the result
}

// ToolAction is a tool decision. It prints as "allow", "deny" or "ask".
type ToolAction int

const (
	Allow ToolAction = C.SYM_ALLOW
	Deny  ToolAction = C.SYM_DENY
	Ask   ToolAction = C.SYM_ASK // needs a human's approval
)

func (a ToolAction) String() string {
	switch a {
	case Allow:
		return "allow"
	case Deny:
		return "deny"
	case Ask:
		return "ask"
	}
	return fmt.Sprintf("ToolAction(%d)", int(a))
}
