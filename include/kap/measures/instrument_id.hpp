#pragma once

/// @file
/// `kap::measures::instrument_id`: which outcome instrument a score belongs to.
///
/// The catalogue's public ids contain hyphens (`qids-sr16`, `cssrs-screen`), which C++
/// enumerators cannot, so the enum is the typed handle used by the scoring fast path and
/// `to_string` / `parse_instrument_id` convert to and from the catalogue id that kapctl and JSON
/// use. The enum is deliberately not described: it travels as the catalogue id string.

#include <kap/core/result.hpp>
#include <kap/core/detail/code_text.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace kap::measures {

/// The instruments in the catalogue. Never renumber; only add.
enum class instrument_id : std::uint8_t {
  phq9,          ///< Patient Health Questionnaire-9
  gad7,          ///< Generalized Anxiety Disorder-7
  qids_sr16,     ///< Quick Inventory of Depressive Symptomatology, self-report, 16 items
  pcl5,          ///< PTSD Checklist for DSM-5
  madrs,         ///< Montgomery-Asberg Depression Rating Scale
  hamd17,        ///< Hamilton Depression Rating Scale, 17 items
  bdi2,          ///< Beck Depression Inventory-II
  cadss,         ///< Clinician-Administered Dissociative States Scale, 23 subjective items
  cssrs_screen,  ///< Columbia Suicide Severity Rating Scale, screener
  ebi,           ///< Emotional Breakthrough Inventory
  meq30,         ///< Mystical Experience Questionnaire, 30 items
};

/// Every instrument, in catalogue order.
inline constexpr std::array<instrument_id, 11> all_instruments{
    instrument_id::phq9,  instrument_id::gad7,   instrument_id::qids_sr16,    instrument_id::pcl5,
    instrument_id::madrs, instrument_id::hamd17, instrument_id::bdi2,         instrument_id::cadss,
    instrument_id::cssrs_screen, instrument_id::ebi, instrument_id::meq30,
};

/// The catalogue id of an instrument, e.g. "qids-sr16".
/// @param id the instrument
/// @return the id used by kapctl and in JSON; never empty
[[nodiscard]] constexpr std::string_view to_string(instrument_id id) noexcept {
  switch (id) {
    case instrument_id::phq9: return "phq9";
    case instrument_id::gad7: return "gad7";
    case instrument_id::qids_sr16: return "qids-sr16";
    case instrument_id::pcl5: return "pcl5";
    case instrument_id::madrs: return "madrs";
    case instrument_id::hamd17: return "hamd17";
    case instrument_id::bdi2: return "bdi2";
    case instrument_id::cadss: return "cadss";
    case instrument_id::cssrs_screen: return "cssrs-screen";
    case instrument_id::ebi: return "ebi";
    case instrument_id::meq30: return "meq30";
  }
  return "unknown";
}

namespace detail {

/// The catalogue ids, comma-separated, for error messages: "phq9, gad7, ..., meq30".
[[nodiscard]] inline std::string known_instrument_ids() {
  std::string known;
  for (const instrument_id id : all_instruments) {
    if (!known.empty()) known += ", ";
    known += to_string(id);
  }
  return known;
}

}  // namespace detail

/// Looks up an instrument by its catalogue id (exact, case-sensitive).
/// @param text the id, e.g. "phq9"
/// @return the instrument, or `errc::unknown_instrument` with a message that lists the known ids
///         and quotes the text only when it is shaped like a code (kap/core/detail/code_text.hpp: free
///         text typed into an event's `instrument` is never echoed)
[[nodiscard]] inline result<instrument_id> parse_instrument_id(std::string_view text) {
  for (const instrument_id id : all_instruments) {
    if (to_string(id) == text) return id;
  }
  if (!kap::detail::is_code(text)) {
    return error{errc::unknown_instrument,
                 "unknown instrument (not an instrument id; known: " + detail::known_instrument_ids() + ")"};
  }
  return error{errc::unknown_instrument,
               "unknown instrument " + kap::detail::quoted_if_code(text) + " (known: " + detail::known_instrument_ids() + ")"};
}

}  // namespace kap::measures
