#pragma once

// Thin RAII over the SQLite C API for kap::journal: a prepared statement that resets itself, and
// the mapping of SQLite result codes to kap errors that name the file. Internal.

#include <kap/core/error.hpp>

#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace kap::detail::journal {

/// The kap code for a SQLite result code: damaged files are `corrupt`, everything else `io_error`.
[[nodiscard]] inline errc code_for(int rc) noexcept {
  switch (rc & 0xFF) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      return errc::corrupt;
    default:
      return errc::io_error;
  }
}

/// A sentence for a SQLite failure, in words an operator can act on.
[[nodiscard]] inline std::string describe(int rc, sqlite3* db) {
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xFF) {
    case SQLITE_NOTADB:
      return "not a SQLite database, or its header is damaged (" + detail + ")";
    case SQLITE_CORRUPT:
      return "the file is damaged or truncated (" + detail + ")";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "another writer holds the lock for longer than the busy timeout (" + detail + ")";
    case SQLITE_FULL:
      return "the disk is full (" + detail + ")";
    case SQLITE_READONLY:
      return "the file is read-only (" + detail + ")";
    case SQLITE_CANTOPEN:
      return "cannot open the file (" + detail + ")";
    default:
      return detail;
  }
}

/// An error naming the file, the step that failed and SQLite's reason.
[[nodiscard]] inline error sql_error(const std::string& path, std::string_view what, int rc, sqlite3* db) {
  return error{code_for(rc), path + ": " + std::string(what) + ": " + describe(rc, db)};
}

/// A prepared statement, kept for the life of the connection. Not copyable.
class statement {
 public:
  statement() = default;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  statement(statement&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  statement& operator=(statement&& o) noexcept {
    if (this != &o) {
      sqlite3_finalize(s_);
      s_ = std::exchange(o.s_, nullptr);
    }
    return *this;
  }
  ~statement() { sqlite3_finalize(s_); }

  /// Prepares `sql`; returns the SQLite result code.
  int prepare(sqlite3* db, std::string_view sql) {
    sqlite3_finalize(s_);
    s_ = nullptr;
    return sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s_, nullptr);
  }
  [[nodiscard]] sqlite3_stmt* get() const noexcept { return s_; }

  int step() { return sqlite3_step(s_); }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

  // Binding (1-based). Text and blobs are SQLITE_STATIC: they must outlive the step.
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void bind(int i, std::string_view v) { sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC); }
  void bind_blob(int i, const void* p, std::size_t n) { sqlite3_bind_blob(s_, i, p, static_cast<int>(n), SQLITE_STATIC); }
  void bind_null(int i) { sqlite3_bind_null(s_, i); }

  // Columns (0-based).
  [[nodiscard]] std::int64_t int64(int i) const { return sqlite3_column_int64(s_, i); }
  [[nodiscard]] bool is_null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }
  [[nodiscard]] std::string_view text(int i) const {
    const auto* p = sqlite3_column_text(s_, i);
    const int n = sqlite3_column_bytes(s_, i);
    return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string_view{};
  }
  [[nodiscard]] std::span<const unsigned char> blob(int i) const {
    const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(s_, i));
    const int n = sqlite3_column_bytes(s_, i);
    return p ? std::span<const unsigned char>(p, static_cast<std::size_t>(n)) : std::span<const unsigned char>{};
  }

 private:
  sqlite3_stmt* s_ = nullptr;
};

/// Resets a statement when the scope ends (so it holds no read lock).
class reset_on_exit {
 public:
  explicit reset_on_exit(statement& s) noexcept : s_(s) {}
  reset_on_exit(const reset_on_exit&) = delete;
  reset_on_exit& operator=(const reset_on_exit&) = delete;
  ~reset_on_exit() { s_.reset(); }

 private:
  statement& s_;
};

}  // namespace kap::detail::journal
