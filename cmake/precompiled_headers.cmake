# The standard and Abseil headers nearly every C++ file here includes,
# precompiled once per target: Abseil's containers and Status alone take
# about 2 s of parsing in each file, a third or more of a clean build
# (scripts/test makes three). Only third-party headers: the project's own
# change too often to be worth it.
#
# ccache does not cache compiles that read a precompiled header, so a
# build with a compiler launcher leaves them off by default.
if(CMAKE_CXX_COMPILER_LAUNCHER)
  set(SYMPOZIUM_PCH_DEFAULT OFF)
else()
  set(SYMPOZIUM_PCH_DEFAULT ON)
endif()
option(SYMPOZIUM_PCH "Precompile common third-party headers" ${SYMPOZIUM_PCH_DEFAULT})

set(SYMPOZIUM_COMMON_HEADERS
  <algorithm> <cstdint> <functional> <map> <memory> <optional> <string> <string_view> <utility>
  <vector> <absl/container/flat_hash_map.h> <absl/container/flat_hash_set.h>
  <absl/status/status.h> <absl/status/statusor.h> <absl/strings/str_cat.h>)

# sympozium_precompile_common(TARGET...): for targets of many C++ files and
# no C file (the headers are C++).
function(sympozium_precompile_common)
  if(NOT SYMPOZIUM_PCH)
    return()
  endif()
  foreach(target ${ARGN})
    target_precompile_headers(${target} PRIVATE ${SYMPOZIUM_COMMON_HEADERS})
  endforeach()
endfunction()
