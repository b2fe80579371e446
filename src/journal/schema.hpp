#pragma once

// The journal's schema, one migration step per version (docs/journal.md, "Schema"). A step is
// a list of statements run in the transaction that also sets `PRAGMA user_version` to its
// version. Version 0 is a new, empty file. Add a step; never edit a released one.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace kap::detail::journal {

struct migration {
  std::uint32_t to;                            ///< the version this step produces
  std::span<const std::string_view> statements;
};

inline constexpr std::string_view schema_v1[] = {
    "CREATE TABLE meta(\n"
    "  name TEXT PRIMARY KEY,\n"
    "  value BLOB NOT NULL\n"
    ") WITHOUT ROWID",
    "CREATE TABLE protocols(\n"
    "  sha256 BLOB PRIMARY KEY CHECK (length(sha256) = 32),\n"
    "  id TEXT NOT NULL,\n"
    "  version TEXT NOT NULL,\n"
    "  body TEXT NOT NULL\n"
    ") WITHOUT ROWID",
    "CREATE TABLE sessions(\n"
    "  sid INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  protocol_sha256 BLOB NOT NULL REFERENCES protocols(sha256),\n"
    "  protocol_id TEXT NOT NULL,\n"
    "  protocol_version TEXT NOT NULL\n"
    ")",
    "CREATE TABLE events(\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  session INTEGER NOT NULL REFERENCES sessions(sid),\n"
    "  event_id TEXT NOT NULL,\n"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),\n"
    "  code TEXT,\n"
    "  decision TEXT NOT NULL,\n"
    "  event TEXT NOT NULL,\n"
    "  hash BLOB NOT NULL CHECK (length(hash) = 32),\n"
    "  mac BLOB CHECK (mac IS NULL OR length(mac) = 32)\n"
    ")",
    "CREATE INDEX events_by_session ON events(session, seq)",
    "CREATE UNIQUE INDEX events_unique_id ON events(session, event_id)",
    "INSERT INTO meta(name, value) VALUES ('format', 'kap.journal/1')",
    "PRAGMA application_id = 1801547882",  // 0x6B61706A, "kapj"
};

inline constexpr std::array<migration, 1> migrations{{
    {1, schema_v1},
}};

}  // namespace kap::detail::journal
