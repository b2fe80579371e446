#include <kap/journal/journal.hpp>

#include "crypto.hpp"

#include <kap/json/protocol.hpp>

namespace kap {

journal::~journal() = default;

result<std::string> protocol_sha256(const protocol& p) {
  auto body = json::write_protocol(p);
  if (!body) return std::move(body).error();
  detail::journal::sha256 h;
  if (!h.ok()) return error{errc::io_error, "OpenSSL cannot provide SHA-256"};
  return detail::journal::to_hex(h.of(*body));
}

}  // namespace kap
