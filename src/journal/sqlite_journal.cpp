// The public class: sqlite_journal::open and the members that forward to the connection,
// sqlite_journal::impl, which sqlite_journal_impl.hpp declares and the sqlite_*.cpp files define.

#include <kap/journal/sqlite_journal.hpp>

#include "sqlite_journal_impl.hpp"

#include <kap/json.hpp>

#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace kap {

// --- sqlite_journal -------------------------------------------------------------------------------

result<sqlite_journal> sqlite_journal::open(const std::string& path, journal_options options) {
  auto p = std::make_unique<impl>();
  p->path = path;
  p->opt = std::move(options);
  if (!p->sha.ok()) return p->problem(errc::io_error, "OpenSSL cannot provide SHA-256");

  if (p->opt.read_only) {
    if (auto r = p->open_read_only(); !r) return std::move(r).error();
  } else if (auto r = p->open_for_writing(); !r) {
    return std::move(r).error();
  }
  if (auto r = p->setup_key(); !r) return std::move(r).error();
  if (auto r = p->prepare_all(); !r) return std::move(r).error();

  if (p->opt.protocol) {
    auto body = json::write_protocol(p->opt.protocol->definition());
    if (!body) {
      return p->problem(errc::unsupported_schema, "a journal needs a protocol it can store as JSON: " +
                                                      body.error().message);
    }
    p->protocol_body = std::move(*body);
    p->protocol_digest = p->sha.of(p->protocol_body);
  }
  p->note(log_level::debug, std::string("opened (") +
                                (p->opt.read_only ? std::string("read-only")
                                                  : std::string(p->opt.durability == durability::full ? "full" : "normal") +
                                                        " durability") +
                                (p->keyed_file ? ", keyed" : "") + ")");
  return sqlite_journal(std::move(p));
}

sqlite_journal::sqlite_journal(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
sqlite_journal::sqlite_journal(sqlite_journal&& other) noexcept = default;
sqlite_journal& sqlite_journal::operator=(sqlite_journal&& other) noexcept = default;
sqlite_journal::~sqlite_journal() = default;

const std::string& sqlite_journal::path() const noexcept { return impl_->path; }
bool sqlite_journal::keyed() const noexcept { return impl_->keyed_file; }

result<std::vector<append_result>> sqlite_journal::do_append(std::span<const event> events) {
  return impl_->append(events);
}
result<std::vector<journal_entry>> sqlite_journal::do_read(const session_id& id) { return impl_->read(id); }
result<std::vector<session_info>> sqlite_journal::do_sessions() { return impl_->sessions(); }
result<replay_report> sqlite_journal::do_replay(const session_id& id, std::shared_ptr<const validated_protocol> protocol) {
  return impl_->replay(id, std::move(protocol));
}
result<verify_report> sqlite_journal::do_verify(const verify_options& options) { return impl_->verify(options); }

}  // namespace kap
