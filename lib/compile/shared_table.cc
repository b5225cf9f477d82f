#include "lib/compile/shared_table.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"

namespace sympozium {
namespace {

using Digest = std::array<unsigned char, 32>;  // SHA-256

// An unambiguous encoding of a tree: every node's kind and flags, every
// text and every count length-prefixed, so two trees encode alike only when
// they are identical. Positions are left out: they do not reach the table.
void AppendSize(std::string* out, size_t n) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((n >> (8 * i)) & 0xff));
}
void AppendText(std::string* out, std::string_view text) {
  AppendSize(out, text.size());
  out->append(text);
}
void AppendTree(std::string* out, const Value& v) {
  out->push_back(static_cast<char>(v.kind));
  out->push_back(static_cast<char>(v.boolean));
  out->push_back(static_cast<char>(v.plain));
  AppendText(out, v.text);
  AppendSize(out, v.items.size());
  for (const Value& item : v.items) AppendTree(out, item);
  AppendSize(out, v.members.size());
  for (const Member& m : v.members) {
    AppendText(out, m.key);
    AppendTree(out, m.value);
  }
}

Digest DigestOf(const Value* spec) {
  std::string encoded;
  AppendTree(&encoded, spec != nullptr ? *spec : Value::Null());
  Digest digest{};
  unsigned int size = 0;
  EVP_Digest(encoded.data(), encoded.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

// The live shared tables by spec digest. Entries hold weak references, so
// the registry keeps no table alive; a table's deleter drops its entry.
class Registry {
 public:
  static Registry& Get() {
    static Registry* registry = new Registry();  // never destroyed: deleters may run at exit
    return *registry;
  }

  std::shared_ptr<const PolicyTable> Share(std::unique_ptr<PolicyTable> built,
                                           const Digest& digest) {
    std::lock_guard<std::mutex> lock(mu_);
    std::weak_ptr<const PolicyTable>& slot = tables_[digest];
    if (std::shared_ptr<const PolicyTable> live = slot.lock()) return live;
    std::shared_ptr<const PolicyTable> table(built.release(), Forget{digest});
    slot = table;
    return table;
  }

 private:
  // Deletes a table and its entry, unless the entry already names a newer
  // table of the same digest (shared after this one expired).
  struct Forget {
    Digest digest;
    void operator()(const PolicyTable* table) const {
      Registry& registry = Get();
      {
        std::lock_guard<std::mutex> lock(registry.mu_);
        auto it = registry.tables_.find(digest);
        if (it != registry.tables_.end() && it->second.expired()) registry.tables_.erase(it);
      }
      delete table;
    }
  };

  // std::mutex, not absl::Mutex: Debian's Abseil is not built for
  // ThreadSanitizer, which then cannot see absl::Mutex's locking.
  std::mutex mu_;
  absl::flat_hash_map<Digest, std::weak_ptr<const PolicyTable>> tables_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

std::shared_ptr<const PolicyTable> ShareTable(std::unique_ptr<PolicyTable> built,
                                              const Value* spec) {
  return Registry::Get().Share(std::move(built), DigestOf(spec));
}

}  // namespace sympozium
