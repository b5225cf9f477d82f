package sympozium

import "errors"

// Error is what every failing call of this package returns: the library's
// message (naming the input, line and column where known) with its stable
// reason code and the document path of the field at fault, each "" when the
// error has none.
type Error struct {
	Code    string // "compile.unknown_action", "limit.max_depth", ...
	Path    string // "spec.toolGating.rules[4].action"
	Message string

	broken bool // Upsert stored the object, as broken
}

func (e *Error) Error() string { return e.Message }

// Is makes errors.Is(err, ErrBroken) true for an Upsert that stored a
// broken object.
func (e *Error) Is(target error) bool { return target == ErrBroken && e.broken }

// ErrClosed is returned by calls on a Policy, Cluster or ClusterStore after
// its Close.
var ErrClosed = errors.New("sympozium: use of a closed handle")

// ErrBroken marks the error of a ClusterStore.Upsert that kept the object,
// as broken: lookups that reach it give an error decision naming it.
var ErrBroken = errors.New("sympozium: stored as broken")
