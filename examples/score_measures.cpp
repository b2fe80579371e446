// Scoring outcome measures and computing change: what a clinic shows after an integration
// visit. kap scores instruments as published (docs/instruments.md); scores are prompts for a
// clinician, not diagnoses.
#include <kap/json.hpp>
#include <kap/measures.hpp>

#include <array>
#include <iostream>
#include <string_view>

int main() {
  // PHQ-9 from a form: nine answers 0-3. Item 9 raises the suicidal-ideation flag whatever the total.
  const std::array<std::string_view, 9> baseline_items{"3", "2", "2", "3", "2", "2", "2", "1", "1"};
  const std::array<std::string_view, 9> week3_items{"1", "1", "1", "1", "0", "1", "0", "0", "0"};
  auto before = kap::measures::score_tokens("phq9", baseline_items);
  auto after = kap::measures::score_tokens("phq9", week3_items);
  if (!before || !after) {
    std::cerr << (before ? after.error() : before.error()).message << "\n";
    return 1;
  }
  std::cout << "baseline: " << kap::json::to_string(*before) << "\n";
  std::cout << "week 3:   " << kap::json::to_string(*after) << "\n";

  // Change, response (>= 50%), remission (< 5), reliable change (Jacobson-Truax) and category.
  auto change = kap::measures::compute_change("phq9", *before->total, *after->total);
  if (!change) {
    std::cerr << change.error().message << "\n";
    return 1;
  }
  std::cout << "change:   " << kap::json::to_string(*change) << "\n";

  // The fast path for bulk scoring: the item count is checked at compile time.
  const std::array<int, 9> items{1, 1, 1, 1, 1, 1, 1, 1, 0};
  auto fast = kap::measures::score<kap::measures::instrument_id::phq9>(items);
  std::cout << "fast PHQ-9 total: " << (fast ? fast->total : -1) << "\n";

  // Bad input is a value naming the item, never a crash.
  const std::array<std::string_view, 9> bad{"1", "1", "1", "7", "1", "1", "1", "1", "0"};
  auto refused = kap::measures::score_tokens("phq9", bad);
  std::cout << "refused: " << refused.error().message << "\n";  // item 4: 7 is outside 0-3

  // PCL-5 reports the DSM-5 symptom rule and the cut point separately; they can disagree.
  const std::array<std::string_view, 20> pcl5{"2", "2", "0", "0", "0", "2", "0", "2", "2", "0",
                                              "0", "0", "0", "0", "2", "2", "0", "0", "0", "0"};
  std::cout << "PCL-5:    " << kap::json::to_string(*kap::measures::score_tokens("pcl5", pcl5)) << "\n";
  return 0;
}
