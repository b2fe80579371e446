# Checks conanfile.py against what kap's CMake exports, by reading the file (no Conan here):
#  - the components declared in package_info() plus the package's own cmake_target_name are
#    exactly the exported targets (kapTargets.cmake); each component "<c>" is named kap::<c>;
#  - a compiled component's library is kap_<c> and its static define KAP_<C>_STATIC_DEFINE;
#  - every KAP_* cache variable generate() sets is an option kap's CMake declares;
#  - the version comes from include/kap/version.hpp (set_version reads it).
# Then checks that it fails on two planted mistakes (an extra component, a missing one).
#
#   cmake -DKAP_SOURCE_DIR=<kap> -DTARGETS_FILE=<build>/kapTargets.cmake -P conan_components_check.cmake
cmake_minimum_required(VERSION 3.21)
include("${CMAKE_CURRENT_LIST_DIR}/package_facts.cmake")
foreach(v KAP_SOURCE_DIR TARGETS_FILE)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "conan_components_check.cmake: ${v} is not set")
  endif()
endforeach()

kap_exported_components(exported "${TARGETS_FILE}")
kap_known_options(known_options "${KAP_SOURCE_DIR}")

# kap_check_conanfile(<out> <text>) - sets <out> to the first problem found, or "".
function(kap_check_conanfile out text)
  set(${out} "" PARENT_SCOPE)
  # package_info() is the last method: everything from its def to the end of the file.
  string(FIND "${text}" "def package_info(self):" at)
  if(at EQUAL -1)
    set(${out} "conanfile.py has no package_info()" PARENT_SCOPE)
    return()
  endif()
  string(SUBSTRING "${text}" ${at} -1 info)

  if(NOT info MATCHES "self\\.cpp_info\\.set_property\\(\"cmake_file_name\", \"kap\"\\)")
    set(${out} "package_info() does not set cmake_file_name to kap" PARENT_SCOPE)
    return()
  endif()
  if(NOT info MATCHES "self\\.cpp_info\\.set_property\\(\"cmake_target_name\", \"kap::([a-z_]+)\"\\)")
    set(${out} "package_info() does not set the package's cmake_target_name" PARENT_SCOPE)
    return()
  endif()
  set(declared "${CMAKE_MATCH_1}")  # the umbrella

  # Each component: `<var> = self.cpp_info.components["<c>"]` followed by its properties.
  string(REGEX MATCHALL "([a-z_]+) = self\\.cpp_info\\.components\\[\"([a-z_]+)\"\\]" decls "${info}")
  foreach(d IN LISTS decls)
    string(REGEX MATCH "([a-z_]+) = self\\.cpp_info\\.components\\[\"([a-z_]+)\"\\]" _ "${d}")
    set(var "${CMAKE_MATCH_1}")
    set(comp "${CMAKE_MATCH_2}")
    if(comp IN_LIST declared)
      set(${out} "component ${comp} is declared twice" PARENT_SCOPE)
      return()
    endif()
    list(APPEND declared "${comp}")
    if(NOT info MATCHES "${var}\\.set_property\\(\"cmake_target_name\", \"kap::${comp}\"\\)")
      set(${out} "component ${comp} is not given the CMake target name kap::${comp}" PARENT_SCOPE)
      return()
    endif()
    if(info MATCHES "${var}\\.libs = \\[\"([a-z_]+)\"\\]")
      if(NOT CMAKE_MATCH_1 STREQUAL "kap_${comp}")
        set(${out} "component ${comp} links ${CMAKE_MATCH_1}, kap builds kap_${comp}" PARENT_SCOPE)
        return()
      endif()
      string(TOUPPER "${comp}" upper)
      if(NOT info MATCHES "${var}\\.defines = \\[\"KAP_${upper}_STATIC_DEFINE\"\\]")
        set(${out} "compiled component ${comp} lacks KAP_${upper}_STATIC_DEFINE for static builds" PARENT_SCOPE)
        return()
      endif()
    endif()
  endforeach()

  foreach(c IN LISTS declared)
    if(NOT c IN_LIST exported)
      set(${out} "conanfile.py declares kap::${c}, which CMake does not export (exported: ${exported})" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  foreach(c IN LISTS exported)
    if(NOT c IN_LIST declared)
      set(${out} "CMake exports kap::${c}, which conanfile.py does not declare (declared: ${declared})" PARENT_SCOPE)
      return()
    endif()
  endforeach()

  string(REGEX MATCHALL "tc\\.cache_variables\\[\"KAP_[A-Z0-9_]+\"\\]" vars "${text}")
  foreach(v IN LISTS vars)
    string(REGEX MATCH "KAP_[A-Z0-9_]+" name "${v}")
    if(NOT name IN_LIST known_options)
      set(${out} "generate() sets ${name}, which kap's CMake does not declare" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  if(NOT text MATCHES "include\", \"kap\", \"version\\.hpp\"")
    set(${out} "set_version() does not read include/kap/version.hpp" PARENT_SCOPE)
  endif()
endfunction()

file(READ "${KAP_SOURCE_DIR}/conanfile.py" conanfile)
kap_check_conanfile(problem "${conanfile}")
if(problem)
  message(FATAL_ERROR "conanfile.py: ${problem}")
endif()

# Planted mistakes.
string(REPLACE "core = self.cpp_info.components[\"core\"]"
  "bogus = self.cpp_info.components[\"bogus\"]\n        bogus.set_property(\"cmake_target_name\", \"kap::bogus\")\n        core = self.cpp_info.components[\"core\"]"
  extra "${conanfile}")
kap_check_conanfile(problem "${extra}")
if(NOT problem MATCHES "declares kap::bogus, which CMake does not export")
  message(FATAL_ERROR "an extra component was not caught: '${problem}'")
endif()
string(REPLACE "export = self.cpp_info.components[\"export\"]" "export = {}" missing "${conanfile}")
kap_check_conanfile(problem "${missing}")
if(NOT problem MATCHES "exports kap::export, which conanfile.py does not declare")
  message(FATAL_ERROR "a missing component was not caught: '${problem}'")
endif()
list(JOIN exported ", " list)
message(STATUS "conanfile.py components match the exported targets (${list}); 2 planted mistakes caught")
