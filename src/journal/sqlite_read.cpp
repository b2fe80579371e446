// Reading a session back, the list of sessions, the protocol a session was stored under, and
// replay (see sqlite_journal_impl.hpp).

#include "sqlite_journal_impl.hpp"

#include "codec.hpp"

#include <kap/core/enum_name.hpp>
#include <kap/json.hpp>
#include <kap/protocol/validate.hpp>

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kap {

namespace {

/// The stored form of a plain acceptance (detail::journal::write_decision's output for it).
constexpr std::string_view accepted_plain = R"({"outcome":"accepted"})";

}  // namespace

// --- reading ------------------------------------------------------------------------------------

result<sqlite_journal::impl::session_row> sqlite_journal::impl::find(const session_id& id) {
  reset_on_exit guard(find_session);
  find_session.bind(1, id.str());
  const int rc = find_session.step();
  if (rc == SQLITE_DONE) return problem(errc::unknown_session, "no session " + id.str());
  if (rc != SQLITE_ROW) return fail("looking up session " + id.str(), rc);
  session_row s;
  s.sid = find_session.int64(0);
  if (!to_digest(find_session.blob(1), s.sha)) {
    return problem(errc::corrupt, "session " + id.str() + ": the protocol hash is damaged");
  }
  s.protocol_id = std::string(find_session.text(2));
  s.protocol_version = std::string(find_session.text(3));
  return s;
}

result<std::vector<journal_entry>> sqlite_journal::impl::read(const session_id& id) {
  auto s = find(id);
  if (!s) return std::move(s).error();
  std::vector<journal_entry> out;
  reset_on_exit guard(rows_after);
  rows_after.bind(1, s->sid);
  rows_after.bind(2, std::int64_t{0});
  int rc = 0;
  while ((rc = rows_after.step()) == SQLITE_ROW) {
    journal_entry en;
    en.seq = static_cast<std::uint64_t>(rows_after.int64(0));
    en.canonical = std::string(rows_after.text(1));
    auto e = json::read_event(en.canonical, stored_limits);
    if (!e) {
      return problem(errc::corrupt, "row " + std::to_string(en.seq) + " (session " + id.str() +
                                        "): the stored event does not decode: " + e.error().message);
    }
    auto d = detail::journal::read_decision(rows_after.text(2), e->id);
    if (!d) {
      return problem(errc::corrupt, "row " + std::to_string(en.seq) + " (session " + id.str() +
                                        "): the stored decision does not decode: " + d.error().message);
    }
    en.event = std::move(*e);
    en.decision = std::move(*d);
    out.push_back(std::move(en));
  }
  if (rc != SQLITE_DONE) return fail("reading session " + id.str(), rc);
  return out;
}

result<std::vector<session_info>> sqlite_journal::impl::sessions() {
  std::vector<session_info> out;
  reset_on_exit guard(list_sessions);
  int rc = 0;
  while ((rc = list_sessions.step()) == SQLITE_ROW) {
    session_info s;
    const std::string_view name = list_sessions.text(0);
    if (!session_id::check(name).empty()) {
      return problem(errc::corrupt, "a stored session id is not a valid id");
    }
    s.id = session_id{std::string(name)};
    s.protocol = protocol_id{std::string(list_sessions.text(1))};
    s.protocol_version = std::string(list_sessions.text(2));
    digest d{};
    if (!to_digest(list_sessions.blob(3), d)) {
      return problem(errc::corrupt, "session " + s.id.str() + ": the protocol hash is damaged");
    }
    s.protocol_sha256 = detail::journal::to_hex(d);
    s.events = static_cast<std::uint64_t>(list_sessions.int64(4));
    s.accepted = static_cast<std::uint64_t>(list_sessions.int64(5));
    s.rejected = static_cast<std::uint64_t>(list_sessions.int64(6));
    s.first_seq = static_cast<std::uint64_t>(list_sessions.int64(7));
    s.last_seq = static_cast<std::uint64_t>(list_sessions.int64(8));
    out.push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return fail("listing sessions", rc);
  return out;
}

/// The protocol stored under `sha`, checked against its hash and validated.
result<std::shared_ptr<const validated_protocol>> sqlite_journal::impl::stored_protocol(const digest& stored_sha,
                                                                                        const std::string& session) {
  std::string body;
  {
    reset_on_exit guard(protocol_row);
    protocol_row.bind_blob(1, stored_sha.data(), stored_sha.size());
    const int rc = protocol_row.step();
    if (rc == SQLITE_DONE) {
      return problem(errc::tampered, "session " + session + " names protocol sha256 " + short_hex(stored_sha) +
                                         "..., which is not stored in the file");
    }
    if (rc != SQLITE_ROW) return fail("reading the protocol of session " + session, rc);
    body = std::string(protocol_row.text(2));
  }
  if (!detail::journal::equal(stored_sha, sha.of(body))) {
    return problem(errc::tampered, "the stored protocol of session " + session +
                                       " does not match its SHA-256 (its text was changed)");
  }
  auto p = json::read_protocol(body, stored_limits);
  if (!p) {
    return problem(errc::corrupt, "the stored protocol of session " + session +
                                      " does not decode: " + p.error().message);
  }
  auto v = validate(std::move(*p));
  if (!v) {
    return problem(errc::corrupt, "the stored protocol of session " + session +
                                      " does not validate: " + v.error().message);
  }
  return std::make_shared<const validated_protocol>(std::move(*v));
}

/// The content hash of a protocol, remembered for the last one asked about.
result<digest> sqlite_journal::impl::digest_of(const std::shared_ptr<const validated_protocol>& p) {
  if (p == opt.protocol) return protocol_digest;
  if (auto last = digested.lock(); last && last == p) return last_digest;
  auto body = json::write_protocol(p->definition());
  if (!body) return std::move(body).error();
  last_digest = sha.of(*body);
  digested = p;
  return last_digest;
}

result<replay_report> sqlite_journal::impl::replay(const session_id& id,
                                                   std::shared_ptr<const validated_protocol> protocol) {
  auto s = find(id);
  if (!s) return std::move(s).error();
  if (protocol) {
    auto offered_digest = digest_of(protocol);
    if (!offered_digest) {
      return problem(errc::protocol_mismatch, "session " + id.str() + " cannot be replayed under a protocol " +
                                                  "without a JSON form (" + offered_digest.error().message + ")");
    }
    const digest offered = *offered_digest;
    if (!detail::journal::equal(offered, s->sha)) {
      const auto& def = protocol->definition();
      return problem(errc::protocol_mismatch,
                     "session " + id.str() + " was recorded under protocol " + s->protocol_id + " version " +
                         s->protocol_version + " (sha256 " + short_hex(s->sha) + "...); refusing to replay it under " +
                         def.id.str() + " version " + def.version + " (sha256 " + short_hex(offered) + "...)");
    }
  } else {
    auto p = stored_protocol(s->sha, id.str());
    if (!p) return std::move(p).error();
    protocol = std::move(*p);
  }

  replay_report rep{std::make_shared<kap::session>(protocol, id, log()), {}, 0, 0};
  {
    reset_on_exit count_guard(count_rows);
    count_rows.bind(1, s->sid);
    if (count_rows.step() == SQLITE_ROW) rep.session->reserve(static_cast<std::size_t>(count_rows.int64(0)));
  }
  // Rows are decoded a block at a time and then applied: decoding and the engine each stay
  // in the instruction cache for a whole block instead of evicting each other at every row.
  struct pending {
    std::uint64_t seq = 0;
    kap::event event;
    bool plain = false;  // stored as a plain acceptance
    std::string stored;  // the stored decision otherwise
  };
  constexpr std::size_t block = 64;
  std::vector<pending> rows(block);
  std::size_t filled = 0;
  std::string derived_text;
  auto apply_block = [&]() -> result<void> {
    for (std::size_t i = 0; i < filled; ++i) {
      pending& row = rows[i];
      decision d = rep.session->apply(row.event);
      if (d.accepted()) {
        ++rep.accepted;
      } else {
        ++rep.rejected;
      }
      bool same = false;
      if (d.accepted() && d.alerts.empty()) {
        same = row.plain;  // the common case, without writing the decision
      } else {
        derived_text.clear();
        detail::journal::write_decision(derived_text, d);
        same = !row.plain && derived_text == row.stored;
      }
      if (same) continue;
      auto stored = detail::journal::read_decision(row.plain ? accepted_plain : row.stored, row.event.id);
      if (!stored) {
        return problem(errc::corrupt, "row " + std::to_string(row.seq) + " (session " + id.str() +
                                          "): the stored decision does not decode: " + stored.error().message);
      }
      note(log_level::warn, "replay of session " + id.str() + ": row " + std::to_string(row.seq) + " (event " +
                                row.event.id.str() + ") was " + std::string(enum_name(stored->outcome)) +
                                ", now " + std::string(enum_name(d.outcome)));
      rep.differences.push_back(replay_difference{row.seq, row.event.id, std::move(*stored), std::move(d)});
    }
    filled = 0;
    return {};
  };
  reset_on_exit guard(rows_after);
  rows_after.bind(1, s->sid);
  rows_after.bind(2, std::int64_t{0});
  int rc = 0;
  while ((rc = rows_after.step()) == SQLITE_ROW) {
    pending& row = rows[filled];
    row.seq = static_cast<std::uint64_t>(rows_after.int64(0));
    auto e = json::read_event(rows_after.text(1), stored_limits);
    if (!e) {
      return problem(errc::corrupt, "row " + std::to_string(row.seq) + " (session " + id.str() +
                                        "): the stored event does not decode: " + e.error().message);
    }
    row.event = std::move(*e);
    const std::string_view stored_text = rows_after.text(2);
    row.plain = stored_text == accepted_plain;
    if (!row.plain) row.stored.assign(stored_text);
    if (++filled == block) {
      if (auto r = apply_block(); !r) return std::move(r).error();
    }
  }
  if (rc != SQLITE_DONE) return fail("reading session " + id.str(), rc);
  if (auto r = apply_block(); !r) return std::move(r).error();
  return rep;
}

}  // namespace kap
