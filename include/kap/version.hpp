#pragma once

/// @file
/// The library version, defined once: CMake parses the three KAP_VERSION_* lines below.

#define KAP_VERSION_MAJOR 0
#define KAP_VERSION_MINOR 1
#define KAP_VERSION_PATCH 0

#define KAP_DETAIL_STRINGIFY2(x) #x
#define KAP_DETAIL_STRINGIFY(x) KAP_DETAIL_STRINGIFY2(x)

namespace kap {

/// The version as "MAJOR.MINOR.PATCH".
inline constexpr const char* version_string = KAP_DETAIL_STRINGIFY(KAP_VERSION_MAJOR) "." KAP_DETAIL_STRINGIFY(
    KAP_VERSION_MINOR) "." KAP_DETAIL_STRINGIFY(KAP_VERSION_PATCH);

/// The version as one number: MAJOR * 10000 + MINOR * 100 + PATCH.
inline constexpr int version_number = KAP_VERSION_MAJOR * 10000 + KAP_VERSION_MINOR * 100 + KAP_VERSION_PATCH;

}  // namespace kap
