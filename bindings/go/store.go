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

// ClusterStore is a cluster kept in step one object at a time, as a
// controller's informer sees it. Upsert and Remove may run on many
// goroutines at once; each change publishes a new immutable Snapshot, and
// readers never wait for writers. An object that does not decode or compile
// is kept broken: decisions that need it are errors naming it, never
// allowed. Close frees the store (snapshots taken stay usable).
type ClusterStore struct {
	mu    sync.RWMutex // for reading by calls, for writing by Close
	store *C.sym_store_t
}

// NewClusterStore makes an empty store (Strict mode and the default limits
// unless opts say otherwise).
func NewClusterStore(opts ...Option) *ClusterStore {
	s := apply(settings{}, opts)
	o, err := newCOptions(&s)
	if err != nil {
		panic(err) // only an out-of-range option gets here: a programming error
	}
	defer freeCOptions(o)
	cs := C.sym_store_create(o)
	if cs == nil {
		panic("sympozium: out of memory")
	}
	out := &ClusterStore{store: cs}
	runtime.SetFinalizer(out, (*ClusterStore).Close)
	return out
}

// Close frees the store; later calls return ErrClosed.
func (s *ClusterStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.store != nil {
		C.sym_store_free(s.store)
		s.store = nil
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

// Upsert stores every document of doc (Agent, SympoziumPolicy, SkillPack;
// YAML or JSON), each replacing what its kind, namespace and name held. It
// returns nil when stored; an *Error for which errors.Is(err, ErrBroken)
// holds when an object was stored as broken; any other *Error when nothing
// was stored.
func (s *ClusterStore) Upsert(doc []byte) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.store == nil {
		return ErrClosed
	}
	ptr, n := cBytes(doc)
	var cerr *C.char
	switch C.sym_store_upsert(s.store, ptr, n, &cerr) {
	case 0:
		return nil
	case 1:
		err := takeError(cerr).(*Error)
		err.broken = true
		return err
	}
	return takeError(cerr)
}

// Remove deletes the object of that kind, namespace and name; false when
// there was none (or the store is closed).
func (s *ClusterStore) Remove(kind, ns, name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.store == nil {
		return false
	}
	ck, cn, cname := C.CString(kind), C.CString(ns), C.CString(name)
	defer C.free(unsafe.Pointer(ck))
	defer C.free(unsafe.Pointer(cn))
	defer C.free(unsafe.Pointer(cname))
	return C.sym_store_remove(s.store, ck, cn, cname) == 1
}

// Snapshot is the store's current view, which never changes; Close it when
// done (it stays valid after the store's Close). Nil once the store is
// closed.
func (s *ClusterStore) Snapshot() *Cluster {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.store == nil {
		return nil
	}
	c := C.sym_store_snapshot(s.store)
	if c == nil {
		return nil
	}
	return wrapCluster(c)
}

// Generation is the view's generation: 1 for a new store's empty view, one
// more per change; 0 for a cluster from NewCluster.
func (c *Cluster) Generation() uint64 {
	var g uint64
	c.use(func(cc *C.sym_cluster_t) error {
		g = uint64(C.sym_cluster_generation(cc))
		return nil
	})
	return g
}

// Broken lists the view's broken objects, each as "KIND NS/NAME cannot be
// used: ERROR".
func (c *Cluster) Broken() []string {
	var out []string
	c.use(func(cc *C.sym_cluster_t) error {
		n := int(C.sym_cluster_broken_count(cc))
		for i := 0; i < n; i++ {
			out = append(out, goString(C.sym_cluster_broken(cc, C.size_t(i))))
		}
		return nil
	})
	return out
}
