#pragma once

/// @file
/// How kap's compiled core is linked. By default the engine's definitions are compiled into the
/// kap::core library and the headers only declare them. Define `KAP_HEADER_ONLY` (CMake option
/// `KAP_HEADER_ONLY=ON`, which sets it on kap::core) to get them inline from the headers instead,
/// with no library to link: every translation unit that uses the engine then compiles it.

#if defined(KAP_HEADER_ONLY)
/// Marks a class whose members kap::core exports (nothing in a header-only build).
#define KAP_CORE_API
/// Marks a definition in a `*-inl.hpp` file: `inline` in a header-only build, nothing otherwise.
#define KAP_FUNC inline
#else
#include <kap/core_export.hpp>
#define KAP_CORE_API KAP_CORE_EXPORT
#define KAP_FUNC
#endif
