#include <kap/json/reference.hpp>

#include <kap/json/protocol.hpp>

#include <algorithm>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace kap::json {

namespace detail {
// Defined in the file cmake/KapEmbedProtocols.cmake generates: (name, text) of every
// protocols/*.json, in name order.
std::span<const std::pair<std::string_view, std::string_view>> embedded_reference_protocols() noexcept;
}  // namespace detail

namespace {

// The edit distance between two short names (insertions, deletions, substitutions).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string_view> closest_reference_protocol(std::string_view name) {
  // A name of up to 64 characters is compared; a longer one is no misspelling of a short name.
  if (name.size() > 64) return std::nullopt;
  std::optional<std::string_view> best;
  std::size_t best_distance = 3;  // at most two edits away
  for (const auto& [n, text] : detail::embedded_reference_protocols()) {
    const std::size_t d = edit_distance(name, n);
    if (d < best_distance) {
      best = n;
      best_distance = d;
    }
  }
  return best;
}

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
  std::string message = "unknown reference protocol " + quote_for_message(name) + " (";
  if (const auto closest = closest_reference_protocol(name)) message += "did you mean " + std::string(*closest) + "? ";
  return error{errc::unknown_protocol, message + "known: " + known + ")"};
}

result<protocol> reference_protocol(std::string_view name) {
  auto text = reference_protocol_text(name);
  if (!text) return std::move(text).error();
  return read_protocol(*text);
}

}  // namespace kap::json
