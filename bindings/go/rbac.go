package sympozium

/*
#include <stdlib.h>
#include <sympozium/sympozium.h>
*/
import "C"

import (
	"encoding/json"
	"unsafe"
)

// Object is one Kubernetes object as JSON decodes it.
type Object = map[string]any

// RBACFor gives the Role, RoleBinding, ClusterRole and ClusterRoleBinding
// objects the controller creates for the SkillPacks of skillPack (a stream
// of zero or more documents, each treated as attached) and the AgentRun
// run (strict mode, no policy).
func RBACFor(skillPack, run []byte) ([]Object, error) {
	sp, spn := cBytes(skillPack)
	rp, rn := cBytes(run)
	var cerr *C.char
	text := C.sym_rbac_for(sp, spn, rp, rn, &cerr)
	if text == nil {
		return nil, takeError(cerr)
	}
	defer C.sym_free(unsafe.Pointer(text))
	var list struct {
		Items []Object `json:"items"`
	}
	if err := json.Unmarshal([]byte(C.GoString(text)), &list); err != nil {
		return nil, &Error{Message: "sympozium: the RBAC list does not decode: " + err.Error()}
	}
	return list.Items, nil
}
