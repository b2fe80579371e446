#pragma once

// Shared by kap's fuzz targets: an invariant check that aborts (libFuzzer then keeps the input
// as a crash artifact), and the input as a string view.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

/// Aborts with a message when an invariant of the code under test does not hold.
#define KAP_FUZZ_CHECK(cond)                                                            \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)

namespace kap::fuzz {

/// The fuzzer's bytes as text (no copy).
inline std::string_view text(const std::uint8_t* data, std::size_t size) noexcept {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace kap::fuzz

/// The entry point every target defines (libFuzzer's, or the corpus replayer's in builds
/// without libFuzzer).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
