# Facts about kap's build that the packaging checks compare recipes against. include()d by
# vcpkg_portfile_check.cmake and conan_components_check.cmake (script mode, no project).

# kap_exported_components(<out> <kapTargets.cmake>) - the names after kap:: of every target the
# export file defines, e.g. "core;json;log;export;kap;journal".
function(kap_exported_components out targets_file)
  if(NOT EXISTS "${targets_file}")
    message(FATAL_ERROR "no export file ${targets_file} (configure kap with KAP_INSTALL=ON)")
  endif()
  file(STRINGS "${targets_file}" lines REGEX "^add_library\\(kap::[a-z_]+ ")
  set(names "")
  foreach(line IN LISTS lines)
    string(REGEX MATCH "^add_library\\(kap::([a-z_]+) " _ "${line}")
    list(APPEND names "${CMAKE_MATCH_1}")
  endforeach()
  if(NOT names)
    message(FATAL_ERROR "${targets_file} defines no kap:: target")
  endif()
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

# kap_known_options(<out> <source dir>) - every cache option kap declares: option(NAME ...) and
# set(NAME ... CACHE ...) in any CMakeLists.txt outside build trees and tests.
function(kap_known_options out source_dir)
  file(GLOB_RECURSE lists "${source_dir}/CMakeLists.txt" "${source_dir}/cmake/*.cmake")
  set(names "")
  foreach(f IN LISTS lists)
    file(RELATIVE_PATH rel "${source_dir}" "${f}")
    if(rel MATCHES "^(build|tests)/")
      continue()
    endif()
    file(READ "${f}" text)
    string(REGEX MATCHALL "option\\(KAP_[A-Z0-9_]+" found "${text}")
    string(REGEX MATCHALL "set\\(KAP_[A-Z0-9_]+ [^)]*CACHE" found_cache "${text}")
    foreach(m IN LISTS found found_cache)
      string(REGEX MATCH "KAP_[A-Z0-9_]+" name "${m}")
      list(APPEND names "${name}")
    endforeach()
  endforeach()
  list(REMOVE_DUPLICATES names)
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

# kap_project_version(<out> <source dir>) - MAJOR.MINOR.PATCH from include/kap/version.hpp.
function(kap_project_version out source_dir)
  file(STRINGS "${source_dir}/include/kap/version.hpp" lines REGEX "^#define KAP_VERSION_(MAJOR|MINOR|PATCH) ")
  set(v "")
  foreach(part MAJOR MINOR PATCH)
    string(REGEX MATCH "KAP_VERSION_${part} ([0-9]+)" _ "${lines}")
    list(APPEND v "${CMAKE_MATCH_1}")
  endforeach()
  list(JOIN v "." v)
  set(${out} "${v}" PARENT_SCOPE)
endfunction()

# kap_option_needs_json(<out> <source dir>) - the options CMakeLists.txt refuses without
# KAP_WITH_JSON (its foreach(_kap_needs_json ...) line).
function(kap_option_needs_json out source_dir)
  file(READ "${source_dir}/CMakeLists.txt" text)
  if(NOT text MATCHES "foreach\\(_kap_needs_json ([A-Z_ ]+)\\)")
    message(FATAL_ERROR "CMakeLists.txt: no foreach(_kap_needs_json ...) line")
  endif()
  string(REPLACE " " ";" names "${CMAKE_MATCH_1}")
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

# kap_check_packaging_rules(<out> <source dir>) - what vcpkg and Conan forbid in the CMake files
# that build and install kap (tests and benchmarks aside): downloads during the build
# (FetchContent, ExternalProject, file(DOWNLOAD)) and global flags or standards.
function(kap_check_packaging_rules out source_dir)
  file(GLOB_RECURSE lists "${source_dir}/CMakeLists.txt" "${source_dir}/cmake/*.cmake" "${source_dir}/cmake/*.in")
  set(problems "")
  foreach(f IN LISTS lists)
    file(RELATIVE_PATH rel "${source_dir}" "${f}")
    if(rel MATCHES "^(build|tests|bench|test_package)/")
      continue()
    endif()
    file(READ "${f}" text)
    string(REGEX REPLACE "#[^\n]*" "" code "${text}")  # comments may name them
    foreach(bad "FetchContent" "ExternalProject" "file\\(DOWNLOAD" "set\\(CMAKE_CXX_FLAGS" "set\\(CMAKE_CXX_STANDARD"
                "set\\(CMAKE_BUILD_TYPE" "add_compile_options\\(")
      if(code MATCHES "${bad}")
        string(APPEND problems "\n  ${f}: ${bad}")
      endif()
    endforeach()
  endforeach()
  set(${out} "${problems}" PARENT_SCOPE)
endfunction()
