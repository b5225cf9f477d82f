# Fails when the README's C++ block and examples/cpp/readme_example.cc differ,
# so the example the README shows is the one the tests run.
file(READ ${README} readme)
file(READ ${EXAMPLE} example)
string(FIND "${readme}" "```cpp\n${example}```" at)
if(at EQUAL -1)
  message(FATAL_ERROR "README.md's C++ example differs from ${EXAMPLE}")
endif()
