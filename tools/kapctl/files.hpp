#pragma once

// File helpers shared by kapctl's subcommands.

#include "command.hpp"

#include <kap/json.hpp>
#include <kap/protocol/validate.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <cstddef>
#include <iosfwd>

namespace kapctl {

/// The most kapctl reads from one input unless a command says otherwise (256 MiB).
inline constexpr std::size_t default_max_input_bytes = std::size_t{256} << 20;

/// Reads a whole file ("-" is standard input); nullopt with a message on io.err when unreadable
/// or longer than `max_bytes` (checked from the file size before reading, and while reading, so
/// a huge file or an endless stream is refused without being held in memory).
std::optional<std::string> read_input(std::string_view command, std::string_view path, io& io,
                                      std::size_t max_bytes = default_max_input_bytes);

/// Writes `text` to `path` through a temporary file in the same directory and a rename, so a
/// reader sees the old file or the whole new one, never a partial one; the temporary file is
/// removed on failure. Returns an error message, or "" when written.
std::string write_atomically(const std::filesystem::path& path, const std::string& text);

/// Reads one line (without its newline) into `line`, keeping at most `max_bytes` of it; a longer
/// line is read to its end and dropped, with `too_long` set. False at the end of the input.
bool read_line_capped(std::istream& in, std::string& line, std::size_t max_bytes, bool& too_long);

/// The outcome of loading a protocol file: the validated protocol, or the exit status to return.
struct loaded_protocol {
  std::shared_ptr<const kap::validated_protocol> protocol;
  int status = exit_ok;
};

/// Reads, parses and validates a protocol file. Read errors go to io.err; validation problems
/// go to `problems_out` as "path: message" lines. A `path` that is not an existing file but is
/// the name of a reference protocol (`kapctl protocols`) loads that embedded protocol.
loaded_protocol load_protocol(std::string_view command, std::string_view path, io& io, std::ostream& problems_out);

/// Parses and validates protocol text already read from `path` (which only names it in messages).
loaded_protocol load_protocol_text(std::string_view command, std::string_view path, std::string_view text, io& io,
                                   std::ostream& problems_out);

}  // namespace kapctl
