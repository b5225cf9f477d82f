// Model checks inside the library: admission of a decoded Model and the
// hash check of a decoded Model's file (sympozium/model_integrity.h takes
// documents).
#ifndef SYMPOZIUM_LIB_EVALUATE_MODEL_VERIFY_H_
#define SYMPOZIUM_LIB_EVALUATE_MODEL_VERIFY_H_

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

#include "lib/decode/model.h"
#include "sympozium/decision.h"
#include "sympozium/model_integrity.h"
#include "sympozium/options.h"

namespace sympozium {

// Admission of a Model's `spec.source`, with the Go validator's wording. An
// absent source counts as an empty one, as in Go.
//  - neither url nor modelID -> `model source must specify either url or
//    modelID` (model.source_missing, path spec.source);
//  - a url not starting with `http://` or `https://` (case-sensitive) ->
//    `model source URL must use http:// or https:// scheme`
//    (model.url_scheme, spec.source.url);
//  - a non-empty sha256 that is not 64 bytes -> `sha256 checksum must be
//    exactly 64 hex characters, got %d`, else its first non-hex character ->
//    `sha256 checksum contains invalid character: %c`
//    (model.sha256_invalid, spec.source.sha256).
// strict adds: an `http://` url whose host is not in-cluster (see
// IsInClusterHost) -> `model source URL must use https:// scheme unless the
// host is in-cluster (host %q)` (model.url_insecure, spec.source.url).
// Allowed: "model validated". Go stops at the first; all are listed here.
Decision EvaluateModel(const Model& model, const EvaluateOptions& options = {});

// The hosts strict mode lets a model be fetched from over plain http, where
// the traffic never leaves the cluster network: `localhost`, a name ending
// in `.svc` or `.cluster.local` (so also `.svc.cluster.local`), or a bare
// Service name (a DNS-1035 label: a letter, then letters, digits and '-',
// at most 63). Case-insensitive. No IP address counts, not even 127.0.0.1:
// strict trusts names the cluster DNS answers, not addresses.
bool IsInClusterHost(std::string_view host);
// The host part of an http(s) URL: without userinfo, port and brackets,
// lowercased; "" when there is none.
std::string UrlHost(std::string_view url);

// The size of the one buffer verification reads through (1 MiB): memory
// stays bounded whatever the file size.
inline constexpr size_t kVerifyBufferSize = size_t{1} << 20;

ModelVerification VerifyModel(const Model& model, const ReadCallback& read,
                              uint64_t max_bytes = kDefaultMaxModelBytes);
ModelVerification VerifyModel(const Model& model, std::istream& stream,
                              uint64_t max_bytes = kDefaultMaxModelBytes);
// Reads the file at `path` ("-" is standard input).
ModelVerification VerifyModelFile(const Model& model, const std::string& path,
                                  const VerifyFileOptions& options = {});

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_EVALUATE_MODEL_VERIFY_H_
