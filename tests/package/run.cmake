# Installs kap into a staging prefix, moves the prefix, and builds the consumer project in this
# folder against the moved install with find_package(kap) and with pkg-config. Fails when an
# installed file still names the build tree or the staging prefix.
cmake_minimum_required(VERSION 3.21)
foreach(v KAP_SOURCE_DIR KAP_BINARY_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run.cmake: ${v} is not set")
  endif()
endforeach()

function(run_checked)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "command failed (${rc}): ${ARGV}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(stage "${WORK_DIR}/stage")
set(moved "${WORK_DIR}/moved")
run_checked(${CMAKE_COMMAND} --install "${KAP_BINARY_DIR}" --prefix "${stage}")
file(RENAME "${stage}" "${moved}")

# No installed file may name the build tree or the staging prefix.
file(GLOB_RECURSE installed "${moved}/*")
foreach(f IN LISTS installed)
  if(f MATCHES "\\.(cmake|pc|hpp|txt)$")
    file(READ "${f}" content)
    foreach(bad "${KAP_BINARY_DIR}" "${stage}" "${KAP_SOURCE_DIR}")
      string(FIND "${content}" "${bad}" pos)
      if(NOT pos EQUAL -1)
        message(FATAL_ERROR "installed file ${f} contains the path ${bad}")
      endif()
    endforeach()
  endif()
endforeach()

# find_package(kap CONFIG) against the moved prefix.
set(build "${WORK_DIR}/consumer")
run_checked(${CMAKE_COMMAND} -S "${CMAKE_CURRENT_LIST_DIR}" -B "${build}" -G "${GENERATOR}"
  "-DCMAKE_PREFIX_PATH=${moved}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}"
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}")
run_checked(${CMAKE_COMMAND} --build "${build}")
run_checked("${build}/kap_consumer")
if(NOT last_output MATCHES "consumer ok")
  message(FATAL_ERROR "the consumer did not report success: ${last_output}")
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
