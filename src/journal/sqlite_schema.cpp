// Opening the file, and its schema: the migrations, the read-only open, and the checks that
// the file is a kap journal (see sqlite_journal_impl.hpp).

#include "sqlite_journal_impl.hpp"

#include "schema.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/fs.h>
#include <sys/ioctl.h>
#endif

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

namespace kap {

namespace {

/// A SQLite URI for `path` (https://sqlite.org/uri.html) with the given query.
std::string file_uri(const std::string& path, std::string_view query) {
  std::string out = "file:";
  std::size_t i = 0;
  if (path.size() > 1 && path[0] == '/' && path[1] == '/') {  // "file://" would name an authority
    while (i + 1 < path.size() && path[i + 1] == '/') ++i;
  }
  for (; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '?' || c == '#' || c == '%') {
      constexpr std::string_view hex = "0123456789ABCDEF";
      const auto u = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('?');
  out += query;
  return out;
}

/// True when nothing can write `path`: its file system is mounted read-only, or (Linux) the file
/// or its folder is marked immutable. Only then is SQLite's `immutable=1` safe.
bool on_read_only_media(const std::string& path) {
  struct statvfs fs {};
  if (::statvfs(path.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0) return true;
#if defined(__linux__)
  auto immutable = [](const std::string& p) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return false;
    int flags = 0;
    const bool set = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_IMMUTABLE_FL) != 0;
    ::close(fd);
    return set;
  };
  std::error_code ec;
  auto dir = std::filesystem::absolute(path, ec).parent_path();
  if (immutable(path) || (!ec && immutable(dir.string()))) return true;
#endif
  return false;
}

}  // namespace

// --- schema -----------------------------------------------------------------------------------

result<void> sqlite_journal::impl::migrate() {
  auto version = scalar("PRAGMA user_version", "reading the schema version");
  if (!version) return std::move(version).error();
  if (*version == sqlite_journal::schema_version) return check_identity();
  if (auto r = exec("BEGIN IMMEDIATE", "locking the file to upgrade its schema"); !r) return r;
  auto done = migrate_locked();
  if (!done) {
    (void)exec("ROLLBACK", "rolling back");
    return done;
  }
  if (auto r = exec("COMMIT", "committing the schema upgrade"); !r) {
    (void)exec("ROLLBACK", "rolling back");
    return r;
  }
  return check_identity();
}

result<void> sqlite_journal::impl::migrate_locked() {
  auto version = scalar("PRAGMA user_version", "reading the schema version");
  if (!version) return std::move(version).error();
  if (*version < 0 || *version > static_cast<std::int64_t>(sqlite_journal::schema_version)) {
    return problem(errc::unsupported_schema, "journal schema version " + std::to_string(*version) +
                                                 " is newer than this kap understands (up to " +
                                                 std::to_string(sqlite_journal::schema_version) + ")");
  }
  if (*version == 0) {
    if (auto empty = refuse_foreign_tables(); !empty) return empty;
  } else if (auto id = check_identity(); !id) {
    return id;
  }
  for (const auto& step : detail::journal::migrations) {
    if (step.to <= static_cast<std::uint32_t>(*version)) continue;
    for (const auto sql : step.statements) {
      if (auto r = exec(sql, "upgrading the schema to version " + std::to_string(step.to)); !r) return r;
    }
    if (auto r = exec("PRAGMA user_version = " + std::to_string(step.to), "setting the schema version"); !r) {
      return r;
    }
    note(log_level::info, "schema upgraded to version " + std::to_string(step.to));
  }
  return {};
}

/// Opens an existing journal with SQLITE_OPEN_READONLY and checks, without writing, that it
/// is a kap journal of this schema version (journal_options::read_only).
result<void> sqlite_journal::impl::open_read_only() {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(st)) return problem(errc::io_error, "no such file");
  const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  auto attempt = [&](std::string_view query) -> result<std::int64_t> {
    if (db) {
      sqlite3_close_v2(db);
      db = nullptr;
    }
    if (const int rc = sqlite3_open_v2(file_uri(path, query).c_str(), &db, flags, nullptr); rc != SQLITE_OK) {
      return fail("opening", rc);
    }
    sqlite3_busy_timeout(db, static_cast<int>(std::clamp<std::int64_t>(opt.busy_timeout.count(), 0, 1 << 30)));
    // The header: SQLite reads it here (and, for a WAL file, opens the WAL index).
    return scalar("PRAGMA user_version", "reading the file header");
  };
  auto version = attempt("mode=ro");
  if (!version && version.error().code != errc::corrupt && on_read_only_media(path)) {
    // A WAL file on read-only media has no -shm and cannot get one. Nothing can write the
    // file there, so SQLite may treat it as immutable - unless a -wal beside it holds rows.
    const auto wal_size = std::filesystem::file_size(path + "-wal", ec);
    if (ec || wal_size == 0) {
      version = attempt("mode=ro&immutable=1");
      if (version) note(log_level::debug, "on read-only media: opened as immutable");
    }
  }
  if (!version) return std::move(version).error();
  if (*version == 0) {
    if (auto empty = refuse_foreign_tables(); !empty) return empty;
    const auto size = std::filesystem::file_size(path, ec);
    return problem(errc::corrupt, !ec && size == 0
                                      ? "not a kap journal: the file is empty (0 bytes)"
                                      : "not a kap journal: an empty SQLite database without kap's schema");
  }
  if (*version != static_cast<std::int64_t>(sqlite_journal::schema_version)) {
    return problem(errc::unsupported_schema,
                   *version > static_cast<std::int64_t>(sqlite_journal::schema_version) || *version < 0
                       ? "journal schema version " + std::to_string(*version) +
                             " is newer than this kap understands (up to " +
                             std::to_string(sqlite_journal::schema_version) + ")"
                       : "journal schema version " + std::to_string(*version) +
                             " is older than this kap's; open it for appending once to upgrade it");
  }
  return check_identity();
}

// A database without kap's schema version: refused when it holds tables of its own (someone
// else's database), fine when it holds none.
result<void> sqlite_journal::impl::refuse_foreign_tables() {
  auto objects = scalar("SELECT count(*) FROM sqlite_schema", "reading the schema");
  if (!objects) return std::move(objects).error();
  if (*objects != 0) {
    return problem(errc::unsupported_schema,
                   "not a kap journal: a SQLite database with other tables and no kap schema version");
  }
  return {};
}

result<void> sqlite_journal::impl::check_identity() {
  auto app = scalar("PRAGMA application_id", "reading the application id");
  if (!app) return std::move(app).error();
  if (*app != sqlite_journal::application_id) {
    return problem(errc::unsupported_schema, "not a kap journal (SQLite application_id " + std::to_string(*app) +
                                                 ", a kap journal has " +
                                                 std::to_string(sqlite_journal::application_id) + ")");
  }
  return {};
}

/// Opens (creating when allowed) for appending: WAL mode, the durability, the schema brought up to date.
result<void> sqlite_journal::impl::open_for_writing() {
  impl* const p = this;
  if (!p->opt.create) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return p->problem(errc::io_error, "no such file");
  }
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (p->opt.create) flags |= SQLITE_OPEN_CREATE;
  if (const int rc = sqlite3_open_v2(path.c_str(), &p->db, flags, nullptr); rc != SQLITE_OK) {
    return p->fail("opening", rc);
  }
  sqlite3_busy_timeout(p->db, static_cast<int>(std::clamp<std::int64_t>(p->opt.busy_timeout.count(), 0, 1 << 30)));

  // The header: SQLite reads it here, so a damaged or truncated file fails now, with the file named.
  if (auto v = p->scalar("PRAGMA user_version", "reading the file header"); !v) return std::move(v).error();

  // WAL mode: readers never block the writer, and a commit is one append to the -wal file.
  {
    statement s;
    if (const int rc = s.prepare(p->db, "PRAGMA journal_mode = WAL"); rc != SQLITE_OK) {
      return p->fail("switching to WAL mode", rc);
    }
    const int rc = s.step();
    if (rc != SQLITE_ROW) return p->fail("switching to WAL mode", rc);
    if (s.text(0) != "wal") {
      return p->problem(errc::io_error, "cannot switch to WAL mode (the journal mode stays " +
                                            std::string(s.text(0)) + ")");
    }
  }
  const char* sync = p->opt.durability == durability::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
  if (auto r = p->exec(sync, "setting the durability"); !r) return std::move(r).error();

  return p->migrate();
}

}  // namespace kap
