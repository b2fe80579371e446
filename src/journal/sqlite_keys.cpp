// The HMAC key: checking it against the file's key check, or recording one in a new journal
// (see sqlite_journal_impl.hpp).

#include "sqlite_journal_impl.hpp"

#include <sqlite3.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace kap {

namespace {

constexpr std::size_t min_key_bytes = 16;

}  // namespace

// --- keys -------------------------------------------------------------------------------------

result<void> sqlite_journal::impl::setup_key() {
  statement s;
  if (auto r = prepare(s, "SELECT value FROM meta WHERE name = 'hmac_check'"); !r) return r;
  std::optional<digest> stored;
  {
    reset_on_exit guard(s);
    const int rc = s.step();
    if (rc == SQLITE_ROW) {
      digest d{};
      if (!to_digest(s.blob(0), d)) return problem(errc::corrupt, "the HMAC key check value is damaged");
      stored = d;
    } else if (rc != SQLITE_DONE) {
      return fail("reading the key check value", rc);
    }
  }
  keyed_file = stored.has_value();
  if (opt.hmac_key.empty()) return {};
  if (opt.hmac_key.size() < min_key_bytes) {
    return problem(errc::out_of_range, "an HMAC key must be at least " + std::to_string(min_key_bytes) +
                                           " bytes; this one has " + std::to_string(opt.hmac_key.size()));
  }
  mac = std::make_unique<detail::journal::hmac_sha256>(opt.hmac_key);
  detail::journal::cleanse(opt.hmac_key.data(), opt.hmac_key.size());  // the context keeps its own copy
  opt.hmac_key.clear();
  if (!mac->ok()) return problem(errc::io_error, "OpenSSL cannot provide HMAC-SHA-256");
  const digest check = detail::journal::key_check(*mac);
  if (stored) {
    if (!detail::journal::equal(*stored, check)) {
      return problem(errc::unauthorized,
                     "the key is not this journal's key (its key check value differs: a wrong key, or the "
                     "keyed chain was replaced)");
    }
    return {};
  }
  if (opt.read_only) {
    return problem(errc::unauthorized,
                   "this journal was started without a key (or its key check was removed): there is no key "
                   "check to test the key against; opened read-only, nothing was recorded");
  }
  // No key check yet: a key may be given only while the journal holds no rows.
  if (auto r = exec("BEGIN IMMEDIATE", "locking the file to record the key check"); !r) return r;
  auto done = [&]() -> result<void> {
    auto rows = scalar("SELECT count(*) FROM events", "counting rows");
    if (!rows) return std::move(rows).error();
    if (*rows != 0) {
      return problem(errc::unauthorized,
                     "this journal was started without a key (or its key check was removed); a key cannot be "
                     "added to a journal that holds rows");
    }
    statement ins;
    if (auto r = prepare(ins, "INSERT INTO meta(name, value) VALUES ('hmac_check', ?1) ON CONFLICT(name) DO NOTHING");
        !r) {
      return r;
    }
    ins.bind_blob(1, check.data(), check.size());
    if (auto r = run(ins, "recording the key check"); !r) return r;
    statement again;
    if (auto r = prepare(again, "SELECT value FROM meta WHERE name = 'hmac_check'"); !r) return r;
    reset_on_exit guard(again);
    digest d{};
    if (again.step() != SQLITE_ROW || !to_digest(again.blob(0), d) || !detail::journal::equal(d, check)) {
      return problem(errc::unauthorized, "another process started this journal with a different key");
    }
    return {};
  }();
  if (!done) {
    (void)exec("ROLLBACK", "rolling back");
    return done;
  }
  if (auto r = exec("COMMIT", "committing the key check"); !r) {
    (void)exec("ROLLBACK", "rolling back");
    return r;
  }
  keyed_file = true;
  return {};
}

}  // namespace kap
