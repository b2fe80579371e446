#pragma once

/// @file
/// `kap::sqlite_journal`: the journal in one SQLite file (docs/journal.md).
///
/// The file runs in WAL mode with a busy timeout, so several processes can append to different
/// sessions of one file: SQLite's write lock serialises the transactions, and each append
/// re-reads the file's head inside its own write transaction, so a session is never decided
/// against a stale state even when two writers share it. `append` commits before it returns;
/// with `durability::full` (the default) the commit is fsync'ed, with `durability::normal` it
/// survives the process being killed but not the machine losing power (see docs/journal.md).
///
/// The schema is versioned with `PRAGMA user_version` and brought up to date on open, one
/// migration step per version, in one transaction; a file from a newer kap is refused. Every
/// statement is a prepared statement. The SQLite and OpenSSL headers stay in the .cpp files.

#include <kap/core/logger.hpp>
#include <kap/core/result.hpp>
#include <kap/journal/journal.hpp>
#include <kap/journal_export.hpp>

#include <boost/describe/enum.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kap {

/// How hard a commit works to reach the disk.
enum class durability {
  /// `PRAGMA synchronous=FULL`: the WAL is fsync'ed at every commit. An acknowledged event
  /// survives a process kill, an OS crash and a power loss. Costs one fsync per transaction.
  full,
  /// `PRAGMA synchronous=NORMAL`: the WAL is fsync'ed only at checkpoints. An acknowledged event
  /// survives a process kill; an OS crash or power loss can lose the transactions committed
  /// since the last checkpoint (never corrupt the file). Usually an order of magnitude faster
  /// per append than `full` on a disk, where the fsync dominates.
  normal,
};
BOOST_DESCRIBE_ENUM(durability, full, normal)

/// How to open a SQLite journal.
struct journal_options {
  /// The protocol appends run under: new sessions open under it, and an append to a session
  /// stored under another protocol is refused (`errc::protocol_mismatch`). Needed only to
  /// append; reading, replaying and verifying do without it.
  std::shared_ptr<const validated_protocol> protocol;
  /// fsync at every commit (full) or only at checkpoints (normal).
  kap::durability durability = kap::durability::full;
  /// How long to wait for another writer's lock before failing with `errc::io_error`.
  std::chrono::milliseconds busy_timeout{5000};
  /// The HMAC-SHA-256 key (at least 16 bytes), or empty. Never stored in the file: the file
  /// keeps only a check value, so the wrong key is refused early. A journal started with a key
  /// needs it to append; one started without a key cannot gain one later.
  std::vector<unsigned char> hmac_key;
  /// How many sessions' engines an appending journal keeps in memory. A session not among the
  /// most recently appended ones is rebuilt from the file (one indexed scan) when next appended to.
  std::size_t cache_sessions = 64;
  /// Create the file when it does not exist. Ignored (never created) with `read_only`.
  bool create = true;
  /// Open for reading only: `read`, `sessions`, `replay` and `verify` work; nothing is ever
  /// written to the file. The database is opened with `SQLITE_OPEN_READONLY` (URI `mode=ro`) and
  /// is never created, migrated, keyed or switched to another journal mode: a file that is not
  /// already a kap journal of this schema version is refused (`errc::corrupt` for an empty or
  /// 0-byte file, `errc::unsupported_schema` for another SQLite database or another version), a
  /// key for a journal started without one is refused (`errc::unauthorized`) instead of being
  /// recorded, and `append` fails with `errc::io_error`. kapctl's read commands open this way.
  ///
  /// A WAL-mode file is read through SQLite's shared-memory index, as every WAL reader is: where
  /// the folder is writable SQLite creates the `-shm` file (and an empty `-wal`) beside it when
  /// they do not exist, never touching the database file. On read-only media (a read-only mount,
  /// or a file or folder marked immutable), where nothing can write the file and no `-shm` can be
  /// created, the file is opened with SQLite's `immutable=1` instead, provided no `-wal` with
  /// content lies beside it (that would hold rows the database file does not).
  bool read_only = false;
  /// Diagnostics: event ids, kinds, sequence numbers and codes only, never payloads or notes.
  /// nullptr is silent. The logger must outlive the journal.
  logger* log = nullptr;
};

/// A journal in one SQLite file (see the file comment). Move-only.
class KAP_JOURNAL_EXPORT sqlite_journal final : public journal {
 public:
  /// The schema version this kap writes (`PRAGMA user_version`).
  static constexpr std::uint32_t schema_version = 1;
  /// `PRAGMA application_id` of a kap journal ("kapj").
  static constexpr std::int32_t application_id = 0x6B61706A;

  /// Opens (and creates, when allowed) a journal file and brings its schema up to date; with
  /// `journal_options::read_only`, opens an existing journal without writing anything.
  /// @param path the file
  /// @param options see `journal_options`
  /// @return the journal, or an error whose message names the file and what failed:
  ///         `errc::io_error` (cannot open or lock, missing file with `create == false` or
  ///         `read_only`), `errc::corrupt` (not a SQLite file, damaged header, truncated or damaged
  ///         pages; with `read_only` also an empty file or a database without kap's schema),
  ///         `errc::unsupported_schema` (a newer schema version, or a SQLite file that is not a
  ///         kap journal), `errc::unauthorized` (a key that is not the journal's, or a key for a
  ///         journal started without one), `errc::out_of_range` (a key under 16 bytes)
  [[nodiscard]] static result<sqlite_journal> open(const std::string& path, journal_options options = {});

  /// Takes over another journal's file; `other` is left empty.
  sqlite_journal(sqlite_journal&& other) noexcept;
  /// Closes this journal's file and takes over another's.
  sqlite_journal& operator=(sqlite_journal&& other) noexcept;
  /// Closes the file.
  ~sqlite_journal() override;

  /// The file's path, as given to `open`.
  [[nodiscard]] const std::string& path() const noexcept;
  /// True when the file keeps an HMAC key check (it was started with a key).
  [[nodiscard]] bool keyed() const noexcept;

 private:
  struct impl;
  explicit sqlite_journal(std::unique_ptr<impl> p) noexcept;
  result<std::vector<append_result>> do_append(std::span<const event> events) override;
  result<std::vector<journal_entry>> do_read(const session_id& id) override;
  result<std::vector<session_info>> do_sessions() override;
  result<replay_report> do_replay(const session_id& id, std::shared_ptr<const validated_protocol> protocol) override;
  result<verify_report> do_verify(const verify_options& options) override;
  std::unique_ptr<impl> impl_;
};

}  // namespace kap
