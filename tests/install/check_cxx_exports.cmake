# Fails unless libsympozium exports its API and nothing of its insides: no
# symbol of a lib/ stage (the *_internal namespaces) and none of Abseil's own
# (absl::Status in an API function's signature is part of that API).
# With -DHEADERS=DIR, also that every C++ header there declares its API in
# the exported region (include/sympozium/export.h).
# Run with cmake -DNM=.. -DLIB=.. [-DHEADERS=..] -P check_cxx_exports.cmake
execute_process(COMMAND ${NM} -DC --defined-only ${LIB} OUTPUT_VARIABLE symbols
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${LIB}")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${symbols}")
set(api 0)
set(private "")
foreach(line IN LISTS lines)
  # The symbol's own name: what precedes its parameter list (an API function
  # may take an absl::Status; a function *of* Abseil is not ours to export).
  string(REGEX REPLACE "^[0-9a-f]+ . " "" name "${line}")
  string(REGEX REPLACE "^(vtable|typeinfo|typeinfo name|VTT|construction vtable) for " "" name "${name}")
  string(REGEX REPLACE "\\(.*" "" name "${name}")
  if(line MATCHES "_internal" OR name MATCHES "absl::")
    string(APPEND private "\n  ${line}")
  elseif(line MATCHES " sympozium::")
    math(EXPR api "${api} + 1")
  endif()
endforeach()
if(NOT private STREQUAL "")
  message(FATAL_ERROR "${LIB} exports symbols that are not its API:${private}")
endif()
# The API itself must still be there (a hidden Compile would link nowhere).
foreach(needed "sympozium::Compile(" "sympozium::Evaluate(" "sympozium::Version()")
  string(FIND "${symbols}" "${needed}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${LIB} does not export ${needed}")
  endif()
endforeach()
message(STATUS "${LIB}: ${api} sympozium:: API symbols, no internal or Abseil symbol")
if(HEADERS)
  file(GLOB headers ${HEADERS}/*.h)
  foreach(header IN LISTS headers)
    get_filename_component(name ${header} NAME)
    if(name STREQUAL "sympozium.h" OR name STREQUAL "export.h")
      continue()  # the C API (its own export map) and the macros themselves
    endif()
    file(READ ${header} text)
    if(NOT text MATCHES "SYMPOZIUM_API_BEGIN")
      message(FATAL_ERROR "${header} declares no SYMPOZIUM_API_BEGIN region: its API is hidden")
    endif()
  endforeach()
endif()
