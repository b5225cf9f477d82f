#include <iostream>
#include "sympozium/evaluate.h"

int main() {
  auto policy = sympozium::Preset("restrictive");  // or sympozium::CompilePolicy(yaml_or_json)
  std::string run = R"({"apiVersion": "sympozium.ai/v1alpha1", "kind": "AgentRun",
    "metadata": {"name": "r", "namespace": "default"}, "spec": {"agentRef": "alice"}})";
  sympozium::Decision d = sympozium::Evaluate(run, sympozium::Binding::Direct(policy->get()));
  std::cout << (d.allowed ? "allowed: " : "denied: ") << d.message << "\n";
  for (const auto& v : d.violations) std::cout << "  " << v.path << ": " << v.message << "\n";
}
