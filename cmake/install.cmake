# `cmake --install build --prefix P` (README.md):
# headers, libsympozium (C++), libsympozium_c (C API), the CLI, the CMake
# package sympoziumConfig.cmake and the pkg-config files.
include(CMakePackageConfigHelpers)

# The public API, and only it: the facade headers of docs/README.md (the
# headers inside lib/ are the library's own). tests/install checks that
# exactly these are installed, that they are every header of
# include/sympozium/, and that each compiles on its own from the prefix.
set(SYMPOZIUM_PUBLIC_HEADERS
  admission.h build.h cluster.h cluster_store.h decision.h diagnostic.h evaluate.h export.h json.h
  lint.h model_integrity.h mutate.h network_policy.h options.h pod_security.h policy.h policy_diff.h
  policy_store.h rbac.h read.h
  start.h strings.h sympozium.h test_suite.h tool_gate.h version.h)
list(TRANSFORM SYMPOZIUM_PUBLIC_HEADERS PREPEND ${PROJECT_SOURCE_DIR}/include/sympozium/
     OUTPUT_VARIABLE SYMPOZIUM_PUBLIC_HEADER_FILES)
install(FILES ${SYMPOZIUM_PUBLIC_HEADER_FILES}
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sympozium)

set(SYMPOZIUM_INSTALL_TARGETS sympozium)
if(TARGET sympozium_c)
  list(APPEND SYMPOZIUM_INSTALL_TARGETS sympozium_c)
endif()
install(TARGETS ${SYMPOZIUM_INSTALL_TARGETS} EXPORT sympoziumTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS sympozium-policy RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET sympozium-webhook)
  install(TARGETS sympozium-webhook RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

set(SYMPOZIUM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/sympozium)
install(EXPORT sympoziumTargets NAMESPACE sympozium:: DESTINATION ${SYMPOZIUM_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sympoziumConfig.cmake.in
  ${PROJECT_BINARY_DIR}/sympoziumConfig.cmake INSTALL_DESTINATION ${SYMPOZIUM_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sympoziumConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/sympoziumConfig.cmake
              ${PROJECT_BINARY_DIR}/sympoziumConfigVersion.cmake
        DESTINATION ${SYMPOZIUM_CMAKE_DIR})

foreach(pc sympozium sympozium_c)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
