// What a Cluster keeps of an Agent: the fields its lookups read
// (docs/model.md#lookups), in one object, without the document it was
// decoded from (a document's arena starts at 4 KiB, an Agent's fields take
// a few dozen bytes).
#ifndef SYMPOZIUM_LIB_CLUSTER_STORED_AGENT_H_
#define SYMPOZIUM_LIB_CLUSTER_STORED_AGENT_H_

#include <array>
#include <string>

#include "lib/decode/model.h"

namespace sympozium {

class StoredAgent {
 public:
  // Keeps apiVersion, kind, name, namespace and policyRef; labels,
  // annotations, uid and skills are left empty (no lookup reads them).
  explicit StoredAgent(const Agent& agent);
  // agent_ points into text_.
  StoredAgent(const StoredAgent&) = delete;
  StoredAgent& operator=(const StoredAgent&) = delete;

  const Agent& get() const { return agent_; }
  const std::string& text() const { return text_; }  // the kept fields' bytes

 private:
  template <class A>  // Agent or const Agent
  static auto Fields(A& a) {
    return std::array{&a.type.api_version, &a.type.kind, &a.metadata.name, &a.metadata.namespace_,
                      &a.spec.policy_ref};
  }

  std::string text_;
  Agent agent_;
};

inline StoredAgent::StoredAgent(const Agent& agent) {
  for (const Str* field : Fields(agent)) text_.append(*field);
  size_t at = 0;
  std::array<Str*, 5> copies = Fields(agent_);
  for (size_t i = 0; i < copies.size(); ++i) {
    size_t size = Fields(agent)[i]->size();
    *copies[i] = Str(text_).substr(at, size);
    at += size;
  }
}

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_CLUSTER_STORED_AGENT_H_
