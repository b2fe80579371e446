# vcpkg overlay port for kap: `vcpkg install kap[journal,export,tools] --overlay-ports=<kap>/ports`.
#
# The overlay builds the kap checkout it lives in. For a registry port, replace the two lines
# below with vcpkg_from_github(OUT_SOURCE_PATH SOURCE_PATH REPO <owner>/kap REF "v${VERSION}"
# SHA512 <hash of the release archive> HEAD_REF main).
# tests/package/vcpkg_portfile_check.cmake runs this file against stand-ins for the helpers.
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

# Feature -> CMake option. "tools" builds kapctl.
vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
  FEATURES
    json    KAP_WITH_JSON
    journal KAP_WITH_JOURNAL
    export  KAP_WITH_EXPORT
    tools   KAP_BUILD_TOOLS
)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    ${FEATURE_OPTIONS}
    -DKAP_BUILD_TESTS=OFF
    -DKAP_BUILD_EXAMPLES=OFF
    -DKAP_BUILD_BENCH=OFF
    -DKAP_BUILD_FUZZERS=OFF
    -DKAP_INSTALL=ON
    -DKAP_INSTALL_CMAKEDIR=share/kap
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME kap CONFIG_PATH share/kap)
vcpkg_fixup_pkgconfig()

if("tools" IN_LIST FEATURES)
  vcpkg_copy_tools(TOOL_NAMES kapctl AUTO_CLEAN)
endif()

file(REMOVE_RECURSE
  "${CURRENT_PACKAGES_DIR}/debug/include"
  "${CURRENT_PACKAGES_DIR}/debug/share"
  "${CURRENT_PACKAGES_DIR}/share/doc"   # kap installs its LICENSE there; vcpkg wants it as copyright
)

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
