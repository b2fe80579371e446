# kap's package tests, run by ctest (tests/CMakeLists.txt). Two modes:
#
# MODE=moved_prefix (the default): installs the build in KAP_BINARY_DIR into a staging prefix,
#   moves the prefix, and builds against the moved install with find_package(kap) both the
#   consumer project in this folder and test_package/ (Conan's test package), then the consumer
#   again with pkg-config. Fails when an installed file still names the build tree, the source
#   tree or the staging prefix.
# MODE=subproject: builds tests/package/parent, a host project that add_subdirectory()s kap as a
#   SHARED build (BUILD_SHARED_LIBS=ON): kap's tests, examples, tools and install rules must stay
#   out, the build log must hold no warning, and only the exported API may be visible in the
#   shared libraries. Then turns KAP_INSTALL on in the same build (no recompilation), installs,
#   moves the prefix and builds and runs test_package/ against the shared install.
# MODE=header_only: builds kap from source with KAP_HEADER_ONLY=ON (kap::core without a library)
#   and KAP_WITH_LOG=OFF (no kap::log: the install must ask for no spdlog),
#   installs and moves it, and builds the consumer in this folder with examples/getting_started.cpp
#   against it. The install must hold no libkap_core, and the consumer's own object file must
#   define the engine (kap::validate) that a compiled install's users only reference.
cmake_minimum_required(VERSION 3.21)
foreach(v KAP_SOURCE_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run.cmake: ${v} is not set")
  endif()
endforeach()
if(NOT MODE)
  set(MODE moved_prefix)
endif()

function(run_checked)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "command failed (${rc}): ${ARGV}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
  set(last_error "${err}" PARENT_SCOPE)
endfunction()

# check_relocatable(<prefix> <path>...) - no installed text file may contain any of the paths.
function(check_relocatable prefix)
  file(GLOB_RECURSE installed "${prefix}/*")
  foreach(f IN LISTS installed)
    if(f MATCHES "\\.(cmake|pc|hpp|txt)$")
      file(READ "${f}" content)
      foreach(bad IN LISTS ARGN)
        string(FIND "${content}" "${bad}" pos)
        if(NOT pos EQUAL -1)
          message(FATAL_ERROR "installed file ${f} contains the path ${bad}")
        endif()
      endforeach()
    endif()
  endforeach()
endfunction()

# build_and_run(<source dir> <build dir> <prefix> <expected output> [cmake args...])
function(build_and_run src build prefix expect)
  run_checked(${CMAKE_COMMAND} -S "${src}" -B "${build}" -G "${GENERATOR}" "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" ${ARGN})
  run_checked(${CMAKE_COMMAND} --build "${build}")
  file(GLOB exe "${build}/kap_consumer" "${build}/test_package")
  run_checked("${exe}")
  if(NOT last_output MATCHES "${expect}")
    message(FATAL_ERROR "${exe} did not report success: ${last_output}")
  endif()
endfunction()

set(consumer_flags "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}")

if(MODE STREQUAL "subproject")
  file(REMOVE_RECURSE "${WORK_DIR}")
  set(parent "${WORK_DIR}/parent")
  set(launcher "")
  find_program(CCACHE ccache)
  if(CCACHE)
    set(launcher "-DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE}")
  endif()
  run_checked(${CMAKE_COMMAND} -S "${CMAKE_CURRENT_LIST_DIR}/parent" -B "${parent}" -G "${GENERATOR}"
    "-DKAP_SOURCE_DIR=${KAP_SOURCE_DIR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" -DBUILD_SHARED_LIBS=ON ${launcher})
  if("${last_output}${last_error}" MATCHES "CMake Warning|CMake Deprecation Warning")
    message(FATAL_ERROR "configuring kap as a subproject warns:\n${last_output}${last_error}")
  endif()
  file(STRINGS "${parent}/CMakeCache.txt" cache REGEX "^KAP_(BUILD_TESTS|BUILD_EXAMPLES|BUILD_TOOLS|INSTALL):BOOL=")
  foreach(line IN LISTS cache)
    if(NOT line MATCHES "=OFF$")
      message(FATAL_ERROR "kap as a subproject should default to OFF: ${line}")
    endif()
  endforeach()
  list(LENGTH cache n)
  if(NOT n EQUAL 4)
    message(FATAL_ERROR "expected 4 KAP_BUILD_*/KAP_INSTALL cache entries, found: ${cache}")
  endif()
  if(EXISTS "${parent}/kap/kapTargets.cmake")
    message(FATAL_ERROR "kap as a subproject exported a build-tree kapTargets.cmake")
  endif()

  # Verbose, so the compile lines can be checked too.
  run_checked(${CMAKE_COMMAND} --build "${parent}" --verbose)
  string(TOLOWER "${last_output}${last_error}" log)
  if(log MATCHES "warning")
    message(FATAL_ERROR "building kap as a subproject printed warnings:\n${last_output}${last_error}")
  endif()
  # kap's warning flags are on kap's own compile lines only.
  string(REGEX MATCH "[^\n]*-c [^\n]*test_package\\.cpp[^\n]*" app_line "${last_output}")
  if(NOT app_line)
    message(FATAL_ERROR "no compile line for the parent's test_package.cpp in:\n${last_output}")
  endif()
  if(app_line MATCHES "-Wconversion|-Werror|-fvisibility")
    message(FATAL_ERROR "kap's flags leaked onto the parent's target: ${app_line}")
  endif()

  run_checked(ctest --test-dir "${parent}" -N)
  if(NOT last_output MATCHES "Total Tests: 1\n")
    message(FATAL_ERROR "the parent should have its one test only, kap's must not join:\n${last_output}")
  endif()
  run_checked(ctest --test-dir "${parent}" --output-on-failure)
  run_checked(${CMAKE_COMMAND} --install "${parent}" --prefix "${WORK_DIR}/parent-install")
  file(GLOB_RECURSE parent_installed RELATIVE "${WORK_DIR}/parent-install" "${WORK_DIR}/parent-install/*")
  if(NOT parent_installed STREQUAL "bin/parent_app")
    message(FATAL_ERROR "the parent's install should hold bin/parent_app only, it holds: ${parent_installed}")
  endif()

  # Shared libraries with hidden visibility: the API is exported, the internals are not.
  file(GLOB json_so "${parent}/kap/libkap_json.so.*.*")
  if(NOT json_so)
    message(FATAL_ERROR "BUILD_SHARED_LIBS=ON built no libkap_json.so")
  endif()
  find_program(NM nm REQUIRED)
  run_checked(${NM} -D -C --defined-only "${json_so}")
  if(NOT last_output MATCHES "kap::json::reference_protocol_names\\(\\)")
    message(FATAL_ERROR "libkap_json.so does not export kap::json::reference_protocol_names()")
  endif()
  if(last_output MATCHES "embedded_reference_protocols")
    message(FATAL_ERROR "libkap_json.so exports the internal kap::json::detail::embedded_reference_protocols")
  endif()

  # The same build, installed: a shared install that moves.
  run_checked(${CMAKE_COMMAND} "${parent}" -DKAP_INSTALL=ON)
  set(stage "${WORK_DIR}/stage")
  set(moved "${WORK_DIR}/moved")
  run_checked(${CMAKE_COMMAND} --build "${parent}")
  run_checked(${CMAKE_COMMAND} --install "${parent}/kap" --prefix "${stage}")
  file(RENAME "${stage}" "${moved}")
  check_relocatable("${moved}" "${parent}" "${stage}" "${KAP_SOURCE_DIR}")
  file(GLOB_RECURSE shared_libs "${moved}/*/libkap_json.so*")
  if(NOT shared_libs)
    message(FATAL_ERROR "the shared install holds no libkap_json.so")
  endif()
  build_and_run("${KAP_SOURCE_DIR}/test_package" "${WORK_DIR}/test_package" "${moved}" "test_package ok")
  message(STATUS "subproject and shared package test passed: ${moved}")
  return()
endif()

if(MODE STREQUAL "header_only")
  file(REMOVE_RECURSE "${WORK_DIR}")
  set(build "${WORK_DIR}/kap")
  set(stage "${WORK_DIR}/stage")
  set(moved "${WORK_DIR}/moved")
  set(launcher "")
  find_program(CCACHE ccache)
  if(CCACHE)
    set(launcher "-DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE}")
  endif()
  run_checked(${CMAKE_COMMAND} -S "${KAP_SOURCE_DIR}" -B "${build}" -G "${GENERATOR}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" -DCMAKE_BUILD_TYPE=Release -DKAP_HEADER_ONLY=ON
    -DKAP_BUILD_TESTS=OFF -DKAP_BUILD_EXAMPLES=OFF -DKAP_BUILD_TOOLS=OFF -DKAP_INSTALL=ON
    -DKAP_WITH_JOURNAL=OFF -DKAP_WITH_EXPORT=OFF -DKAP_WITH_LOG=OFF ${launcher})
  run_checked(${CMAKE_COMMAND} --build "${build}")
  run_checked(${CMAKE_COMMAND} --install "${build}" --prefix "${stage}")
  file(RENAME "${stage}" "${moved}")
  check_relocatable("${moved}" "${build}" "${stage}" "${KAP_SOURCE_DIR}")
  file(GLOB_RECURSE core_libs "${moved}/*libkap_core*" "${moved}/*libkap_log*")
  if(core_libs)
    message(FATAL_ERROR "a header-only install without kap::log holds kap_core or kap_log: ${core_libs}")
  endif()
  # Built without kap::log, the package asks for no spdlog: not in kap.pc, not in the headers.
  file(GLOB_RECURSE pc "${moved}/kap.pc")
  if(NOT pc)
    message(FATAL_ERROR "no kap.pc in ${moved}")
  endif()
  file(READ "${pc}" pc_text)
  if(pc_text MATCHES "spdlog" OR EXISTS "${moved}/include/kap/log")
    message(FATAL_ERROR "an install built with KAP_WITH_LOG=OFF still needs spdlog:\n${pc_text}")
  endif()
  build_and_run("${CMAKE_CURRENT_LIST_DIR}" "${WORK_DIR}/consumer" "${moved}" "consumer ok"
    "-DKAP_CONSUMER_EXAMPLE=${KAP_SOURCE_DIR}/examples/getting_started.cpp" -DKAP_CONSUMER_NO_LOG=ON)
  run_checked("${WORK_DIR}/consumer/kap_example")
  file(GLOB_RECURSE consumer_obj "${WORK_DIR}/consumer/*consumer.cpp.o")
  find_program(NM nm REQUIRED)
  run_checked(${NM} -C --defined-only "${consumer_obj}")
  if(NOT last_output MATCHES "kap::validate\\(kap::protocol\\)")
    message(FATAL_ERROR "the consumer does not compile the engine (kap::validate) itself:\n${last_output}")
  endif()
  message(STATUS "header-only package test passed: ${moved}")
  return()
endif()

if(NOT DEFINED KAP_BINARY_DIR)
  message(FATAL_ERROR "run.cmake: KAP_BINARY_DIR is not set")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
set(stage "${WORK_DIR}/stage")
set(moved "${WORK_DIR}/moved")
run_checked(${CMAKE_COMMAND} --install "${KAP_BINARY_DIR}" --prefix "${stage}")
file(RENAME "${stage}" "${moved}")

# No installed file may name the build tree, the source tree or the staging prefix.
check_relocatable("${moved}" "${KAP_BINARY_DIR}" "${stage}" "${KAP_SOURCE_DIR}")

# find_package(kap CONFIG) against the moved prefix: the consumer, then Conan's test_package.
build_and_run("${CMAKE_CURRENT_LIST_DIR}" "${WORK_DIR}/consumer" "${moved}" "consumer ok" ${consumer_flags})
build_and_run("${KAP_SOURCE_DIR}/test_package" "${WORK_DIR}/test_package" "${moved}" "test_package ok"
  ${consumer_flags})
# A compiled install: the consumer references the engine and the library defines it.
file(GLOB_RECURSE consumer_obj "${WORK_DIR}/consumer/*consumer.cpp.o")
find_program(NM nm REQUIRED)
run_checked(${NM} -C --defined-only "${consumer_obj}")
if(last_output MATCHES "kap::validate\\(kap::protocol\\)")
  message(FATAL_ERROR "the consumer compiled kap::validate itself, though kap::core is compiled")
endif()

# A component that does not exist must fail cleanly.
run_checked(${CMAKE_COMMAND} -S "${CMAKE_CURRENT_LIST_DIR}/bogus-component" -B "${WORK_DIR}/bogus"
  -G "${GENERATOR}" "-DCMAKE_PREFIX_PATH=${moved}")
if(NOT last_output MATCHES "kap_FOUND=(FALSE|0)")
  message(FATAL_ERROR "find_package(kap COMPONENTS bogus) should fail: ${last_output}")
endif()

# pkg-config against the moved prefix.
find_program(PKG_CONFIG pkg-config pkgconf REQUIRED)
file(GLOB_RECURSE pcfile "${moved}/*/kap.pc")
get_filename_component(pcdir "${pcfile}" DIRECTORY)
set(ENV{PKG_CONFIG_PATH} "${pcdir}")
run_checked(${PKG_CONFIG} --cflags --libs kap)
if(NOT last_output MATCHES "-I${moved}/")
  message(FATAL_ERROR "pkg-config does not point at the moved prefix: ${last_output}")
endif()
separate_arguments(pc_flags UNIX_COMMAND "${last_output}")
separate_arguments(extra UNIX_COMMAND "${CXX_FLAGS} ${LINKER_FLAGS}")
run_checked(${CXX_COMPILER} -std=c++20 ${extra} "${CMAKE_CURRENT_LIST_DIR}/consumer.cpp" ${pc_flags}
  -o "${WORK_DIR}/pc_consumer")
run_checked("${WORK_DIR}/pc_consumer")
if(NOT last_output MATCHES "consumer ok")
  message(FATAL_ERROR "the pkg-config consumer did not report success: ${last_output}")
endif()
message(STATUS "package test passed: ${moved}")
