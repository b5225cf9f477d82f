// The cases file of the webhook load clients (webhook_load, closed loop;
// webhook_open_loop, fixed rate): AdmissionReviews to send and the answers
// each may get.
//
// The file is JSON: {"cases": [CASE...]}, each CASE
//   {"name": "...", "path": "/validate", "review": {AdmissionReview},
//    "expect": [{"allowed": bool, "code": int, "message": "...", "patch": "..."}]}
// An answer must match one of `expect` in every field given ("patch": ""
// means no patch). The review's request.uid is the marker "@@UID@@", which
// each request replaces with a uid of its own that the answer must echo.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_TESTS_LOAD_CASES_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_TESTS_LOAD_CASES_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sympozium::webhook_load {

struct Expect {
  std::optional<bool> allowed;
  std::optional<std::string> code;  // as written: the number's text
  std::optional<std::string> message;
  std::optional<std::string> patch;
};

struct Case {
  std::string name;
  std::string path;
  std::string before_uid, after_uid;  // the review's JSON around its uid
  std::vector<Expect> expect;

  // The review's JSON with `uid` as its request.uid.
  std::string Body(const std::string& uid) const { return before_uid + uid + after_uid; }
};

// Appends the cases of `file`; false with the reason in `*error`.
bool LoadCases(const std::string& file, std::vector<Case>* cases, std::string* error);

// Which expectation of `c` the answer `body` to the request `uid` meets, or
// -1 with the reason in `*why`.
int Match(const Case& c, const std::string& uid, const std::string& body, std::string* why);

// The flags both clients take: --host H --port P --ca CERT --cases FILE
// --connections N.
struct ClientFlags {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string ca;
  std::string cases;
  int connections = 0;  // the client sets its default
};

// Reads `--name value` pairs into `*flags`, handing any other name to
// `more` (which returns false for a name it does not know either). False on
// an unknown flag, a flag without its value, or a missing --port/--ca/--cases.
bool ParseClientFlags(
    int argc, char** argv, ClientFlags* flags,
    const std::function<bool(const std::string& name, const std::string& value)>& more);

}  // namespace sympozium::webhook_load

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_TESTS_LOAD_CASES_H_
