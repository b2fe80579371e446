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

/// One file kapctl writes (`--out`, `--html`, simulate's files): every writer goes through it.
/// The text goes to a temporary file in the target's folder, every write is checked, the file is
/// fsynced and renamed over the target, and the folder is fsynced, so a reader sees the earlier
/// file or the whole new one, never a partial one, and a full disk is an error, not an empty
/// file. A target that exists and is not a regular file (a FIFO, a device node, a folder) is
/// refused before anything is written. On any failure the temporary file is removed and the
/// earlier file is left as it was. The messages name the target path:
/// "cannot write PATH: <reason>", "PATH is not a regular file".
class output_file {
 public:
  explicit output_file(std::filesystem::path target);
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;
  /// Removes the temporary file unless it was published.
  ~output_file();
  /// Checks the target and creates the temporary file. Returns an error message, or "".
  [[nodiscard]] std::string open();
  /// Appends `text`; a failure is kept and reported by `finish`.
  void write(std::string_view text);
  /// Writes out what is buffered, fsyncs and closes the temporary file. Returns an error message, or "".
  [[nodiscard]] std::string finish();
  /// Renames the finished temporary file over the target and fsyncs the folder. Returns an error
  /// message, or "". Call it only after `finish` succeeded (for several files: finish them all,
  /// then publish them all, so a full disk leaves every earlier file untouched).
  [[nodiscard]] std::string publish();
  [[nodiscard]] const std::filesystem::path& target() const noexcept { return target_; }

 private:
  bool drain();
  [[nodiscard]] std::string failure(int error_number) const;
  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  int error_ = 0;  // errno of the first failed write
  std::string buffer_;
  bool published_ = false;
};

/// Writes `text` to `path` through an `output_file`. Returns an error message, or "" when written.
std::string write_atomically(const std::filesystem::path& path, std::string_view text);

/// Reads one line (without its newline) into `line`, keeping at most `max_bytes` of it; a longer
/// line is read to its end and dropped, with `too_long` set. False at the end of the input.
bool read_line_capped(std::istream& in, std::string& line, std::size_t max_bytes, bool& too_long);

/// The outcome of loading a protocol file: the validated protocol, or the exit status to return.
struct loaded_protocol {
  std::shared_ptr<const kap::validated_protocol> protocol;
  int status = exit_ok;
};

/// The text of the protocol a command was given: the file at `name_or_path` ("-" reads standard
/// input), or, when no file of that name exists and the name is shaped like a reference protocol
/// name (a code: a-z, 0-9, '-', '_'), the embedded reference protocol of that name.
/// Every command that takes a protocol resolves it here, so an unknown name is answered the same
/// way everywhere: "kapctl COMMAND: NAME is not a file, and unknown reference protocol "NAME" (did
/// you mean ...? known: ...)" on io.err, nullopt, exit_usage (docs/errors.md: unknown_protocol).
/// An unreadable or oversized file is reported as by `read_input`.
std::optional<std::string> read_protocol_input(std::string_view command, std::string_view name_or_path, io& io);

/// Reads (`read_protocol_input`), parses and validates a protocol. A protocol that was read but
/// is wrong (not JSON, an unknown field, a validation problem) is exit_invalid: "kapctl COMMAND:
/// PATH: N problem(s)" on io.err and one "path: message" line per problem on `problems_out`.
/// One that could not be read at all is exit_usage.
loaded_protocol load_protocol(std::string_view command, std::string_view path, io& io, std::ostream& problems_out);

/// Parses and validates protocol text already read from `path` (which only names it in messages).
loaded_protocol load_protocol_text(std::string_view command, std::string_view path, std::string_view text, io& io,
                                   std::ostream& problems_out);

}  // namespace kapctl
