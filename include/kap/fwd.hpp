#pragma once

/// @file
/// Declarations of kap's public types, for headers that only name them.

namespace kap {

template <class Tag>
class quantity;
template <class Tag>
class basic_id;
struct actor;
struct error;
class logger;
enum class errc : int;
enum class condition : int;
enum class role;
enum class log_level;

}  // namespace kap
