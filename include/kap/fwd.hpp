#pragma once

/// @file
/// Declarations of kap's public types, for headers that only name them.

namespace kap {

template <class Tag>
class quantity;
template <class Tag>
class basic_id;
struct actor;  ///< defined in <kap/core/actor.hpp>
struct error;  ///< defined in <kap/core/error.hpp>
class logger;  ///< defined in <kap/core/logger.hpp>
enum class errc : int;  ///< defined in <kap/core/error.hpp>
enum class condition : int;  ///< defined in <kap/core/error.hpp>
enum class role;  ///< defined in <kap/core/actor.hpp>
enum class log_level;  ///< defined in <kap/core/logger.hpp>

}  // namespace kap
