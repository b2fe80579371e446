#pragma once
// Counts heap allocations in the benchmark binary (global operator new is replaced in
// alloc_counter.cpp), so a benchmark can report allocations per event.
#include <cstddef>

namespace bench {
std::size_t alloc_count() noexcept;
}
