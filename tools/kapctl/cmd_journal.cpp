// kapctl journal append|sessions|replay|export|verify - the SQLite session journal (docs/journal.md).
#include "command.hpp"
#include "files.hpp"
#include "summary.hpp"

#include <kap/core/enum_name.hpp>
#include <kap/journal/sqlite_journal.hpp>
#include <kap/session/session.hpp>
#include <kap/json.hpp>

#include <boost/describe/class.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fstream>
#include <istream>
#include <iterator>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace kapctl {

constexpr std::string_view journal_help =
    "Usage: kapctl journal append DB --protocol NAME|FILE [--sync full|normal] [--key-file F] < EVENTS.jsonl\n"
    "       kapctl journal sessions DB\n"
    "       kapctl journal replay DB SESSION [--protocol NAME|FILE] [--at RFC3339]\n"
    "       kapctl journal export DB SESSION\n"
    "       kapctl journal verify DB [--key-file F] [--anchor SEQ:HASH]\n\n"
    "The session journal: an append-only SQLite file of events, each stored with the decision it got\n"
    "and chained by SHA-256 (and HMAC-SHA-256 with a key). See docs/journal.md.\n\n"
    "append    reads events (JSON Lines) from standard input, runs each through its session under\n"
    "          the protocol, stores it with its decision and, once it is durable, prints one line:\n"
    "            {\"ack\":\"e-3\",\"seq\":12,\"session\":\"S-1\",\"decision\":\"accepted\"|\"rejected\",\n"
    "             \"code\":...,\"message\":...,\"unmet\":[...],\"alerts\":[...]}\n"
    "          An event already stored for its session (a retry) writes nothing and is answered with\n"
    "          the stored decision, \"duplicate\":true and the stored row's seq; the same id with other\n"
    "          content is rejected conflicting_duplicate. A line\n"
    "          that does not decode gets {\"line\":N,\"decision\":\"invalid\",...}; an event of a session\n"
    "          stored under another protocol gets {\"line\":N,\"decision\":\"refused\",\"code\":\"protocol_mismatch\"}.\n"
    "          --sync normal skips the fsync per event (survives a crash of kapctl, not a power loss).\n"
    "          --key-file F: F's bytes, exactly, are the HMAC key (at least 16 bytes; never stored).\n"
    "sessions  prints one JSON line per session: id, protocol id, version and sha256, row counts.\n"
    "replay    rebuilds the session from its stored events under the stored protocol (or --protocol,\n"
    "          which must be the same one), prints {\"difference\":{...}} for each decision that comes\n"
    "          out differently, then the summary line kapctl run prints.\n"
    "export    prints the session's events as JSON Lines, byte for byte as append stored them.\n"
    "verify    recomputes the hash chain (and the HMAC chain with --key-file) and prints\n"
    "            {\"intact\":true,\"rows\":N,\"head_seq\":N,\"head\":\"<sha256>\",\"macs\":\"checked\"|\"unchecked\"|\"none\"}\n"
    "          or {\"intact\":false,\"row\":N,\"code\":\"tampered\",\"message\":...} naming the first broken\n"
    "          row. --anchor SEQ:HASH also checks that row SEQ still has a hash exported earlier.\n\n"
    "Exit status: 0 success (append: every event accepted, or a retry of an accepted one; replay: no decision\n"
    "differs; verify: intact), 1 an event rejected, invalid or refused, a decision that differs, a\n"
    "broken chain, an unknown session, a damaged file or another protocol, 2 usage error or an\n"
    "I/O failure.\n";

namespace {

constexpr std::string_view journal_cmd = "journal";

struct ack_line {
  std::string ack;
  std::uint64_t seq = 0;
  std::string session;
  std::string decision;
  std::optional<bool> duplicate;  // true for a retry: the decision is the stored one (docs/journal.md)
  std::optional<std::string> code;
  std::optional<std::string> message;
  std::vector<kap::unmet> unmet;
  std::vector<kap::alert> alerts;
};
BOOST_DESCRIBE_STRUCT(ack_line, (), (ack, seq, session, decision, duplicate, code, message, unmet, alerts))

struct line_problem {
  std::size_t line = 0;
  std::optional<std::string> event;
  std::string decision;
  std::string code;
  std::string message;
};
BOOST_DESCRIBE_STRUCT(line_problem, (), (line, event, decision, code, message))

struct decision_difference {
  std::uint64_t seq = 0;
  std::string event;
  std::string stored;
  std::optional<std::string> stored_code;
  std::string derived;
  std::optional<std::string> derived_code;
  std::optional<std::string> derived_message;
};
BOOST_DESCRIBE_STRUCT(decision_difference, (), (seq, event, stored, stored_code, derived, derived_code, derived_message))

struct difference_line {
  decision_difference difference;
};
BOOST_DESCRIBE_STRUCT(difference_line, (), (difference))

struct verify_ok {
  bool intact = true;
  std::uint64_t rows = 0;
  std::uint64_t head_seq = 0;
  std::string head;
  std::string macs;
};
BOOST_DESCRIBE_STRUCT(verify_ok, (), (intact, rows, head_seq, head, macs))

struct verify_broken {
  bool intact = false;
  std::optional<std::uint64_t> row;
  std::string code;
  std::string message;
};
BOOST_DESCRIBE_STRUCT(verify_broken, (), (intact, row, code, message))

std::optional<std::string> code_name(const std::optional<kap::errc>& c) {
  if (!c) return std::nullopt;
  return std::string(kap::to_string(*c));
}

/// Exit status for a failed journal call: 2 when the file could not be used at all, else 1.

int report(io& io, std::string_view verb, const kap::error& e) {
  io.err << "kapctl " << journal_cmd << " " << verb << ": " << e.message << "\n";
  return error_status(e);
}

/// The shortest HMAC key the journal takes (sqlite_journal_options::hmac_key: "at least 16 bytes").
constexpr std::size_t min_key_bytes = 16;
/// A key file is a few bytes; one over this is not a key (and /dev/zero is not read forever).
constexpr std::size_t max_key_file_bytes = 64 * 1024;

/// Reads a key file's bytes. Every failure is a usage error (exit 2) naming the option and the
/// file: missing, a folder, unreadable, or a key shorter than min_key_bytes (an empty file
/// included: an empty key would silently mean "no key").
std::optional<std::vector<unsigned char>> read_key(io& io, std::string_view verb, std::string_view path) {
  const std::string where = std::string(verb) + ": --key-file " + std::string(path) + ": ";
  const std::string p(path);
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    usage_error(io, journal_cmd, where + "cannot read it: " + std::strerror(errno));
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    usage_error(io, journal_cmd, where + "is a directory, not a key file");
    return std::nullopt;
  }
  std::vector<unsigned char> key;
  std::array<unsigned char, 4096> buf{};
  int read_error = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) read_error = errno;
    if (n <= 0) break;
    key.insert(key.end(), buf.begin(), buf.begin() + n);
    if (key.size() > max_key_file_bytes) break;
  }
  ::close(fd);
  if (read_error != 0) {
    usage_error(io, journal_cmd, where + "cannot read it: " + std::strerror(read_error));
    return std::nullopt;
  }
  if (key.size() > max_key_file_bytes) {
    usage_error(io, journal_cmd, where + "is over " + std::to_string(max_key_file_bytes) + " bytes, not a key file");
    return std::nullopt;
  }
  if (key.size() < min_key_bytes) {
    usage_error(io, journal_cmd, where + "the key is " + std::to_string(key.size()) + " byte" +
                                     (key.size() == 1 ? "" : "s") + "; a key needs at least " +
                                     std::to_string(min_key_bytes) + " bytes");
    return std::nullopt;
  }
  return key;
}

int journal_append(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {"--protocol", "--sync", "--key-file"}, {});
  if (!p.error().empty()) return usage_error(io, journal_cmd, p.error());
  if (p.positional().size() != 1) return usage_error(io, journal_cmd, "append: give one journal file");
  const auto protocol_path = p.value("--protocol");
  if (!protocol_path) return usage_error(io, journal_cmd, "append: --protocol NAME|FILE is required");
  kap::journal_options opt;
  if (const auto sync = p.value("--sync")) {
    if (*sync == "full") {
      opt.durability = kap::durability::full;
    } else if (*sync == "normal") {
      opt.durability = kap::durability::normal;
    } else {
      return usage_error(io, journal_cmd, "append: --sync must be full or normal");
    }
  }
  if (const auto key = p.value("--key-file")) {
    auto bytes = read_key(io, "append", *key);
    if (!bytes) return exit_usage;
    opt.hmac_key = std::move(*bytes);
  }
  auto loaded = load_protocol("journal append", *protocol_path, io, io.err);
  if (!loaded.protocol) return loaded.status;
  opt.protocol = loaded.protocol;
  auto j = kap::sqlite_journal::open(std::string(p.positional()[0]), std::move(opt));
  if (!j) {
    report(io, "append", j.error());
    return exit_usage;
  }

  int status = exit_ok;
  std::size_t number = 0;
  std::string text;
  bool too_long = false;
  // A line is held up to the event limit only: a longer one is skipped to its end, not buffered.
  while (read_line_capped(io.in, text, kap::json::event_read_limits.max_bytes, too_long)) {
    ++number;
    if (too_long) {
      io.out << kap::json::to_string(line_problem{number, std::nullopt, "invalid", "too_large",
                                                  "line is over the limit of " +
                                                      std::to_string(kap::json::event_read_limits.max_bytes) +
                                                      " bytes"})
             << std::endl;
      if (!io.out) return exit_usage;  // the dispatcher says why (finish_output)
      status = exit_invalid;
      continue;
    }
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto e = kap::json::read_event(text);
    if (!e) {
      io.out << kap::json::to_string(line_problem{number, std::nullopt, "invalid",
                                                  std::string(kap::to_string(e.error().code)), e.error().message})
             << std::endl;
      if (!io.out) return exit_usage;
      status = exit_invalid;
      continue;
    }
    auto r = j->append(*e);
    if (!r) {
      if (r.error().code == kap::errc::protocol_mismatch) {
        io.out << kap::json::to_string(line_problem{number, e->id.str(), "refused", "protocol_mismatch",
                                                    r.error().message})
               << std::endl;
        if (!io.out) return exit_usage;
        status = exit_invalid;
        continue;
      }
      report(io, "append", r.error());
      return exit_usage;
    }
    ack_line a;
    a.ack = e->id.str();
    a.seq = r->seq;
    a.session = e->session.str();
    a.decision = std::string(kap::enum_name(r->decision.outcome));
    if (r->duplicate) a.duplicate = true;
    a.code = code_name(r->decision.code);
    if (!r->decision.message.empty()) a.message = r->decision.message;
    a.unmet = std::move(r->decision.unmet);
    a.alerts = std::move(r->decision.alerts);
    // The event is durable: acknowledge it now, not at the end of the input.
    io.out << kap::json::to_string(a) << std::endl;
    // A lost acknowledgement stops the stream: the rows stored so far stay stored (a retry of
    // them is idempotent), and nothing more is appended that the caller could not learn of.
    if (!io.out) return exit_usage;
    if (r->decision.outcome == kap::outcome::rejected) status = exit_invalid;
  }
  return status;
}

/// Opens an existing journal for reading; prints the error and sets `status` when it cannot.
std::optional<kap::sqlite_journal> open_existing(io& io, std::string_view verb, std::string_view path, int& status,
                                                 std::vector<unsigned char> key = {}) {
  kap::journal_options opt;
  opt.read_only = true;  // a read command never creates, migrates, keys or changes the file
  opt.hmac_key = std::move(key);
  auto j = kap::sqlite_journal::open(std::string(path), std::move(opt));
  if (!j) {
    status = report(io, verb, j.error());
    return std::nullopt;
  }
  return std::move(*j);
}

int journal_sessions(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {}, {});
  if (!p.error().empty()) return usage_error(io, journal_cmd, p.error());
  if (p.positional().size() != 1) return usage_error(io, journal_cmd, "sessions: give one journal file");
  int status = exit_ok;
  auto j = open_existing(io, "sessions", p.positional()[0], status);
  if (!j) return status;
  auto list = j->sessions();
  if (!list) return report(io, "sessions", list.error());
  for (const auto& s : *list) io.out << kap::json::to_string(s) << "\n";
  return exit_ok;
}

int journal_replay(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {"--protocol", "--at"}, {});
  if (!p.error().empty()) return usage_error(io, journal_cmd, p.error());
  if (p.positional().size() != 2) return usage_error(io, journal_cmd, "replay: give a journal file and a session id");
  auto id = kap::session_id::make(p.positional()[1]);
  if (!id) return usage_error(io, journal_cmd, "replay: " + id.error().message);
  std::optional<kap::timestamp> at;
  if (const auto text = p.value("--at")) {
    auto t = kap::parse_rfc3339(*text);
    if (!t) return usage_error(io, journal_cmd, "replay: --at: " + t.error().message);
    at = *t;
  }
  std::shared_ptr<const kap::validated_protocol> protocol;
  if (const auto path = p.value("--protocol")) {
    auto loaded = load_protocol("journal replay", *path, io, io.err);
    if (!loaded.protocol) return loaded.status;
    protocol = loaded.protocol;
  }
  int status = exit_ok;
  auto j = open_existing(io, "replay", p.positional()[0], status);
  if (!j) return status;
  auto rep = j->replay(*id, protocol);
  if (!rep) return report(io, "replay", rep.error());
  for (const auto& d : rep->differences) {
    decision_difference out;
    out.seq = d.seq;
    out.event = d.event.str();
    out.stored = std::string(kap::enum_name(d.stored.outcome));
    out.stored_code = code_name(d.stored.code);
    out.derived = std::string(kap::enum_name(d.derived.outcome));
    out.derived_code = code_name(d.derived.code);
    if (!d.derived.message.empty()) out.derived_message = d.derived.message;
    io.out << kap::json::to_string(difference_line{std::move(out)}) << "\n";
  }
  io.out << summary_line(*rep->session, rep->accepted, rep->rejected, at) << "\n";
  return rep->consistent() ? exit_ok : exit_invalid;
}

int journal_export(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {}, {});
  if (!p.error().empty()) return usage_error(io, journal_cmd, p.error());
  if (p.positional().size() != 2) return usage_error(io, journal_cmd, "export: give a journal file and a session id");
  auto id = kap::session_id::make(p.positional()[1]);
  if (!id) return usage_error(io, journal_cmd, "export: " + id.error().message);
  int status = exit_ok;
  auto j = open_existing(io, "export", p.positional()[0], status);
  if (!j) return status;
  auto rows = j->read(*id);
  if (!rows) return report(io, "export", rows.error());
  for (const auto& r : *rows) io.out << r.canonical << "\n";
  return exit_ok;
}

int journal_verify(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {"--key-file", "--anchor"}, {});
  if (!p.error().empty()) return usage_error(io, journal_cmd, p.error());
  if (p.positional().size() != 1) return usage_error(io, journal_cmd, "verify: give one journal file");
  kap::verify_options options;
  if (const auto anchor = p.value("--anchor")) {
    const auto colon = anchor->find(':');
    auto seq = colon == std::string_view::npos ? kap::result<int>(kap::error{kap::errc::parse_error, ""})
                                               : parse_int(anchor->substr(0, colon));
    // The hash as verify prints it: 64 hexadecimal digits (upper case is taken as lower case).
    std::string hash = colon == std::string_view::npos ? std::string() : std::string(anchor->substr(colon + 1));
    bool hex = hash.size() == 64;
    for (char& c : hash) {
      if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
      hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
    if (!seq || *seq < 1 || !hex) {
      return usage_error(io, journal_cmd,
                         "verify: --anchor takes SEQ:HASH (a row number from 1 and its hash of 64 hexadecimal digits)");
    }
    options.anchor = kap::chain_anchor{static_cast<std::uint64_t>(*seq), std::move(hash)};
  }
  std::vector<unsigned char> key;
  if (const auto path = p.value("--key-file")) {
    auto bytes = read_key(io, "verify", *path);
    if (!bytes) return exit_usage;
    key = std::move(*bytes);
  }
  const bool keyed = !key.empty();
  auto print_broken = [&](std::optional<std::uint64_t> row, const kap::error& e) {
    io.out << kap::json::to_string(verify_broken{false, row, std::string(kap::to_string(e.code)), e.message}) << "\n";
    io.err << "kapctl " << journal_cmd << " verify: " << e.message << "\n";
    return exit_invalid;
  };
  kap::journal_options opt;
  opt.read_only = true;  // never records a key check or changes the journal mode
  opt.hmac_key = std::move(key);
  auto j = kap::sqlite_journal::open(std::string(p.positional()[0]), std::move(opt));
  if (!j) {
    if (j.error().code == kap::errc::io_error) return report(io, "verify", j.error());
    return print_broken(std::nullopt, j.error());
  }
  auto rep = j->verify(options);
  if (!rep) {
    if (rep.error().code == kap::errc::io_error) return report(io, "verify", rep.error());
    return print_broken(std::nullopt, rep.error());
  }
  if (!rep->intact) return print_broken(rep->broken_seq, *rep->failure);
  const std::string macs = keyed ? "checked" : (rep->rows_with_mac > 0 ? "unchecked" : "none");
  io.out << kap::json::to_string(verify_ok{true, rep->rows, rep->head_seq, rep->head_hash, macs}) << "\n";
  return exit_ok;
}

int cmd_journal(std::span<const std::string_view> args, io& io) {
  if (args.empty()) return usage_error(io, journal_cmd, "give a verb: append, sessions, replay, export or verify");
  const std::string_view verb = args[0];
  const auto rest = args.subspan(1);
  if (verb == "append") return journal_append(rest, io);
  if (verb == "sessions") return journal_sessions(rest, io);
  if (verb == "replay") return journal_replay(rest, io);
  if (verb == "export") return journal_export(rest, io);
  if (verb == "verify") return journal_verify(rest, io);
  return usage_error(io, journal_cmd, "unknown verb '" + std::string(verb) + "' (append, sessions, replay, export, verify)");
}

}  // namespace

const command journal_command{"journal", "append, list, replay, export and verify a durable session journal",
                              journal_help, cmd_journal};

}  // namespace kapctl
