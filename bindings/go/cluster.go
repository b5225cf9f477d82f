package sympozium

/*
#include <sympozium/sympozium.h>
*/
import "C"

import (
	"runtime"
	"sync"
)

// Cluster is an immutable view of the objects in a cluster (Agents,
// SympoziumPolicies, SkillPacks): from NewCluster, or a ClusterStore's
// Snapshot. It is safe for concurrent use; Close frees it.
type Cluster struct {
	mu      sync.RWMutex
	cluster *C.sym_cluster_t
}

// NewCluster builds a cluster from YAML or JSON streams of Agent,
// SympoziumPolicy and SkillPack documents, each at its metadata.namespace
// (a later object with the name of an earlier one replaces it). Options
// give the limits and the source name in messages.
func NewCluster(docs [][]byte, opts ...Option) (*Cluster, error) {
	s := apply(settings{}, opts)
	o, err := newCOptions(&s)
	if err != nil {
		return nil, err
	}
	defer freeCOptions(o)
	c := C.sym_cluster_create()
	if c == nil {
		return nil, &Error{Message: "sympozium: out of memory"}
	}
	for _, doc := range docs {
		ptr, n := cBytes(doc)
		var cerr *C.char
		if C.sym_cluster_add_opts(c, o, ptr, n, &cerr) != 0 {
			C.sym_cluster_free(c)
			return nil, takeError(cerr)
		}
	}
	return wrapCluster(c), nil
}

func wrapCluster(c *C.sym_cluster_t) *Cluster {
	out := &Cluster{cluster: c}
	runtime.SetFinalizer(out, (*Cluster).Close)
	return out
}

// Close frees the view; later calls return ErrClosed.
func (c *Cluster) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cluster != nil {
		C.sym_cluster_free(c.cluster)
		c.cluster = nil
		runtime.SetFinalizer(c, nil)
	}
	return nil
}

// use runs fn with the C cluster, held open for the call.
func (c *Cluster) use(fn func(*C.sym_cluster_t) error) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.cluster == nil {
		return ErrClosed
	}
	return fn(c.cluster)
}

// Evaluate decides on one document as the webhook does: an AgentRun's
// policy is found through its spec.agentRef (the Agent in the run's
// namespace, its spec.policyRef there), and its SkillPacks in the cluster.
// A missing Agent or policy is a decision with ResultError.
func (c *Cluster) Evaluate(doc []byte, opts ...Option) (*Decision, error) {
	s := apply(settings{}, opts)
	o, err := newCOptions(&s)
	if err != nil {
		return nil, err
	}
	defer freeCOptions(o)
	var d *Decision
	err = c.use(func(cc *C.sym_cluster_t) error {
		var err error
		d, err = evaluate(nil, cc, o, doc)
		return err
	})
	return d, err
}
