#include <kap/json/reference.hpp>

#include <kap/json/protocol.hpp>

#include <span>
#include <string>
#include <utility>

namespace kap::json {

namespace detail {
// Defined in the file cmake/KapEmbedProtocols.cmake generates: (name, text) of every
// protocols/*.json, in name order.
std::span<const std::pair<std::string_view, std::string_view>> embedded_reference_protocols() noexcept;
}  // namespace detail

std::vector<std::string_view> reference_protocol_names() {
  std::vector<std::string_view> out;
  const auto table = detail::embedded_reference_protocols();
  out.reserve(table.size());
  for (const auto& [name, text] : table) out.push_back(name);
  return out;
}

result<std::string_view> reference_protocol_text(std::string_view name) {
  for (const auto& [n, text] : detail::embedded_reference_protocols()) {
    if (n == name) return text;
  }
  std::string known;
  for (const auto& [n, text] : detail::embedded_reference_protocols()) {
    if (!known.empty()) known += ", ";
    known += n;
  }
  return error{errc::unknown_enum,
               "unknown reference protocol " + detail::quote_for_message(name) + " (known: " + known + ")"};
}

result<protocol> reference_protocol(std::string_view name) {
  auto text = reference_protocol_text(name);
  if (!text) return std::move(text).error();
  return read_protocol(*text);
}

}  // namespace kap::json
