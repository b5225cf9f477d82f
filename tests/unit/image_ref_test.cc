#include <doctest/doctest.h>

#include <string>
#include <utility>

#include "lib/base/image_ref.h"

namespace sympozium {
namespace {

const std::string kSha256 = "sha256:" + std::string(64, 'a');

struct ImageCase {
  std::string image;
  std::string registry;
  std::string repository;
  std::string tag;
  std::string digest;
};

TEST_CASE("image_ref: NormalizeImage follows ParseNormalizedNamed for well-formed references") {
  const ImageCase cases[] = {
      {"busybox", "docker.io", "library/busybox", "", ""},
      {"busybox:1.36", "docker.io", "library/busybox", "1.36", ""},
      {"user/app", "docker.io", "user/app", "", ""},
      {"user/app:v2", "docker.io", "user/app", "v2", ""},
      {"a/b/c/d:tag_1.0-x", "docker.io", "a/b/c/d", "tag_1.0-x", ""},
      {"docker.io/busybox", "docker.io", "library/busybox", "", ""},
      {"docker.io/library/busybox", "docker.io", "library/busybox", "", ""},
      {"index.docker.io/busybox", "docker.io", "library/busybox", "", ""},
      {"index.docker.io/user/app:1", "docker.io", "user/app", "1", ""},
      {"docker.io", "docker.io", "library/docker.io", "", ""},
      {"ghcr.io/sympozium-ai/sympozium/agent:v1", "ghcr.io", "sympozium-ai/sympozium/agent", "v1",
       ""},
      {"quay.io/x/y", "quay.io", "x/y", "", ""},
      {"localhost/app", "localhost", "app", "", ""},
      {"localhost:5000/app:1", "localhost:5000", "app", "1", ""},
      {"localhost:5000/team/app@" + kSha256, "localhost:5000", "team/app", "", kSha256},
      // A lone `localhost[:port]` is a Docker Hub image with a tag.
      {"localhost", "docker.io", "library/localhost", "", ""},
      {"localhost:5000", "docker.io", "library/localhost", "5000", ""},
      {"registry:5000/app", "registry:5000", "app", "", ""},
      {"127.0.0.1:5000/app:latest", "127.0.0.1:5000", "app", "latest", ""},
      {"[::1]:5000/app:1", "[::1]:5000", "app", "1", ""},
      {"[fe80::1]/app", "[fe80::1]", "app", "", ""},
      {"busybox@" + kSha256, "docker.io", "library/busybox", "", kSha256},
      {"busybox:1.36@" + kSha256, "docker.io", "library/busybox", "1.36", kSha256},
      {"docker.io/library/busybox@sha512:" + std::string(128, '0'), "docker.io", "library/busybox",
       "", "sha512:" + std::string(128, '0')},
      {"busybox:V1", "docker.io", "library/busybox", "V1", ""},
      // Registry names keep their case; an uppercase first component is a registry.
      {"Registry.Example.com/app", "Registry.Example.com", "app", "", ""},
      {"Acme/app", "Acme", "app", "", ""},
      {"ghcr.io/a--b/c__d/e.f_g", "ghcr.io", "a--b/c__d/e.f_g", "", ""},
      {"busybox:" + std::string(128, 't'), "docker.io", "library/busybox", std::string(128, 't'),
       ""},
  };
  for (const ImageCase& c : cases) {
    CAPTURE(c.image);
    const ImageRef ref = NormalizeImage(c.image);
    CHECK(ref.registry == c.registry);
    CHECK(ref.repository == c.repository);
    CHECK(ref.tag == c.tag);
    CHECK(ref.digest == c.digest);
  }
}

TEST_CASE("image_ref: malformed references are kept as written, split at the first '/'") {
  const ImageCase cases[] = {
      {"", "", "", "", ""},
      {"BusyBox", "", "BusyBox", "", ""},
      {"busybox 1.36", "", "busybox 1.36", "", ""},
      {std::string(64, 'f'), "", std::string(64, 'f'), "", ""},
      {"busybox@sha256:abc", "", "busybox@sha256:abc", "", ""},
      {"busybox@md5:" + std::string(32, 'a'), "", "busybox@md5:" + std::string(32, 'a'), "", ""},
      {"busybox@sha256:" + std::string(64, 'A'), "", "busybox@sha256:" + std::string(64, 'A'), "",
       ""},
      {"busybox:-bad", "", "busybox:-bad", "", ""},
      {"busybox:" + std::string(129, 't'), "", "busybox:" + std::string(129, 't'), "", ""},
      {"ghcr.io/Acme/x:1", "ghcr.io", "Acme/x:1", "", ""},
      {"ghcr.io/acme/x:", "ghcr.io", "acme/x:", "", ""},
      {" ghcr.io/acme/x", " ghcr.io", "acme/x", "", ""},
      {"ghcr.io/a___b/x", "ghcr.io", "a___b/x", "", ""},
      {"ghcr.io/a./x", "ghcr.io", "a./x", "", ""},
      {"ghcr.io//x", "ghcr.io", "/x", "", ""},
      {"ghcr.io:port/x", "ghcr.io:port", "x", "", ""},
      {"-bad.io/x", "-bad.io", "x", "", ""},
      {"my_registry.io/app", "my_registry.io", "app", "", ""},
      // No docker.io rewrite for a malformed reference.
      {"index.docker.io/library/BusyBox", "index.docker.io", "library/BusyBox", "", ""},
      {"ghcr.io/" + std::string(256, 'a'), "ghcr.io", std::string(256, 'a'), "", ""},
  };
  for (const ImageCase& c : cases) {
    CAPTURE(c.image);
    const ImageRef ref = NormalizeImage(c.image);
    CHECK(ref.registry == c.registry);
    CHECK(ref.repository == c.repository);
    CHECK(ref.tag == c.tag);
    CHECK(ref.digest == c.digest);
    CHECK(ref.ToString() == c.image);
  }
  // The longest path the grammar accepts is 255 characters.
  CHECK(NormalizeImage("ghcr.io/" + std::string(255, 'a')).repository == std::string(255, 'a'));
}

TEST_CASE("image_ref: ToString renders the normalised reference") {
  CHECK(NormalizeImage("busybox").ToString() == "docker.io/library/busybox");
  CHECK(NormalizeImage("busybox:1.36@" + kSha256).ToString() ==
        "docker.io/library/busybox:1.36@" + kSha256);
  CHECK(NormalizeImage("localhost:5000/app:1").ToString() == "localhost:5000/app:1");
  CHECK(NormalizeImage("index.docker.io/user/app").Name() == "docker.io/user/app");
}

TEST_CASE("image_ref: NormalizeRegistryEntry") {
  const std::pair<std::string, std::string> cases[] = {
      {"ghcr.io/sympozium-ai/", "ghcr.io/sympozium-ai/"},
      {"ghcr.io/acme", "ghcr.io/acme"},
      {"docker.io/library/", "docker.io/library/"},
      {"docker.io/library", "docker.io/library"},
      {"docker.io", "docker.io"},
      {"docker.io/", "docker.io/"},
      // An org prefix under docker.io stays an org prefix.
      {"docker.io/nginx", "docker.io/nginx"},
      {"index.docker.io/library/", "docker.io/library/"},
      {"index.docker.io", "docker.io"},
      {"quay.io", "quay.io"},
      {"localhost", "localhost"},
      {"localhost/", "localhost/"},
      {"localhost:5000/", "localhost:5000/"},
      {"localhost:5000", "localhost:5000"},
      {"library/", "docker.io/library/"},
      {"acme/", "docker.io/acme/"},
      {"acme/tools", "docker.io/acme/tools"},
      {"busybox", "docker.io/library/busybox"},
      {"Registry.Example.com/team/", "Registry.Example.com/team/"},
      {"", ""},
      {"/", ""},
  };
  for (const auto& [entry, want] : cases) {
    CAPTURE(entry);
    CHECK(NormalizeRegistryEntry(entry) == want);
  }
}

struct MatchCase {
  std::string entry;  // as written in allowedRegistries
  std::string image;  // as written in the pod spec
  bool strict;        // ImageMatchesEntry after normalising both
  bool compat;        // ImageHasPrefix on the raw strings
};

TEST_CASE("image_ref: ImageMatchesEntry matches on a path-segment boundary; compat on raw text") {
  const MatchCase cases[] = {
      // Segment boundary vs lookalike organisations.
      {"ghcr.io/acme", "ghcr.io/acme/x:1", true, true},
      {"ghcr.io/acme", "ghcr.io/acme-evil/x:1", false, true},
      {"ghcr.io/acme/", "ghcr.io/acme-evil/x:1", false, false},
      {"ghcr.io/acme", "ghcr.io/acme:1", true, true},
      {"ghcr.io/acme/", "ghcr.io/acme", true, false},
      {"ghcr.io/acme", "ghcr.io/acme/x@" + kSha256, true, true},
      {"ghcr.io/sympozium-ai", "ghcr.io/sympozium-ai/sympozium/agent:v1", true, true},
      {"ghcr.io/sympozium-ai", "ghcr.io/sympozium-ai-evil/sandbox:1", false, true},
      {"ghcr.io/sympozium-ai/", "ghcr.io/sympozium-ai/sympozium/sandbox:latest", true, true},
      // Docker Hub normalisation.
      {"docker.io/library/", "busybox", true, false},
      {"docker.io/library/", "busybox:1.36", true, false},
      {"docker.io/library/", "docker.io/library/busybox@" + kSha256, true, true},
      {"docker.io/library/", "index.docker.io/busybox", true, false},
      {"docker.io/library/", "user/app", false, false},
      {"docker.io/library/", "docker.io/evil/skill:1", false, false},
      {"library/", "busybox", true, false},
      {"index.docker.io/library/", "docker.io/library/busybox", true, false},
      {"busybox", "busybox:1.36", true, true},
      {"busybox", "busybox-evil", false, true},
      {"acme/", "acme/app:1", true, true},
      {"acme/", "acme", false, false},
      {"docker.io", "nginx", true, false},
      {"docker.io", "ghcr.io/x", false, false},
      // Bare registries and ports.
      {"quay.io", "quay.io/x/y", true, true},
      {"quay.io", "quay.io.evil.com/x", false, true},
      {"quay.io", "quay.io", false, true},
      {"localhost:5000/", "localhost:5000/app:1", true, true},
      {"localhost:5000", "localhost:5001/app", false, false},
      {"localhost:5000", "localhost:50000/app", false, true},
      {"localhost", "localhost:5000/app", false, true},
      {"localhost/", "localhost/app", true, true},
      {"localhost", "localhost", false, true},
      // Case: registries keep theirs, uppercase repositories are malformed.
      {"ghcr.io/acme", "GHCR.io/acme/x", false, false},
      {"ghcr.io/acme/", "ghcr.io/Acme/x", false, false},
      {"docker.io/library/", "BusyBox", false, false},
      {"docker.io/library/", "index.docker.io/library/BusyBox", false, false},
      // A malformed reference matches only on its own text.
      {"ghcr.io/acme/", "ghcr.io/acme/X:1", true, true},
      {"ghcr.io/acme/", "ghcr.io/acme/x y", true, true},
      // Empty images and entries.
      {"docker.io/library/", "", false, false},
      {"", "busybox", false, true},
      {"/", "busybox", false, false},
      {"", "", false, true},
  };
  for (const MatchCase& c : cases) {
    CAPTURE(c.entry);
    CAPTURE(c.image);
    CHECK(ImageMatchesEntry(NormalizeImage(c.image), NormalizeRegistryEntry(c.entry)) == c.strict);
    CHECK(ImageHasPrefix(c.image, c.entry) == c.compat);
  }
}

TEST_CASE("image_ref: a malformed reference never matches an entry its text does not start with") {
  const std::string images[] = {"",
                                "BusyBox",
                                "busybox 1.36",
                                "Busybox:1",
                                "docker.io/library/BusyBox",
                                "index.docker.io/library/Busybox",
                                "ghcr.io/acme/X",
                                "ghcr.io/acme-evil/X",
                                "localhost:5000/App",
                                "library/Busybox",
                                std::string(64, 'a')};
  const std::string entries[] = {
      "docker.io/library/", "library/",        "busybox", "docker.io", "ghcr.io/acme", "ghcr.io",
      "localhost:5000/",    "index.docker.io", "",        "/"};
  for (const std::string& image : images) {
    const ImageRef ref = NormalizeImage(image);
    REQUIRE(ref.ToString() == image);  // all of these are malformed
    for (const std::string& entry : entries) {
      CAPTURE(image);
      CAPTURE(entry);
      std::string prefix = NormalizeRegistryEntry(entry);
      if (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
      if (ImageMatchesEntry(ref, NormalizeRegistryEntry(entry))) {
        CHECK((image == prefix || ImageHasPrefix(image, prefix + "/")));
      }
    }
  }
}

}  // namespace
}  // namespace sympozium
