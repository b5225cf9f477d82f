#include "sympozium/decision.h"

#include "sympozium/strings.h"

namespace sympozium {

std::string_view ResultName(Result r) {
  switch (r) {
    case Result::kAllowed:
      return "allowed";
    case Result::kDenied:
      return "denied";
    case Result::kError:
      return "error";
  }
  return "error";
}

Decision Decision::Allow(std::string message, Mode mode) {
  Decision d;
  d.allowed = true;
  d.result = Result::kAllowed;
  d.status = 200;
  d.message = std::move(message);
  d.mode = mode;
  return d;
}

Decision Decision::Error(int status, std::string_view code, std::string message, std::string path,
                         Mode mode) {
  Decision d;
  d.mode = mode;
  d.Fail(status, code, std::move(message), std::move(path));
  return d;
}

void Decision::Deny(std::string_view violation_code, std::string violation_message,
                    std::string path) {
  if (violations.empty()) {
    allowed = false;
    result = Result::kDenied;
    status = 403;
    code = violation_code;
    message = violation_message;
  }
  if (full()) {
    ++omitted_violations;
    return;
  }
  violations.push_back({violation_code, std::move(violation_message), std::move(path)});
}

void Decision::Fail(int error_status, std::string_view violation_code,
                    std::string violation_message, std::string path) {
  bool first = violations.empty();
  Deny(violation_code, std::move(violation_message), std::move(path));
  if (first) {
    result = Result::kError;
    status = error_status;
  }
}

}  // namespace sympozium
