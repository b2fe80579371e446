// The session engine's list of open alerts (kap/session/detail/open_alerts.hpp), on its own.

#include <kap/session/detail/open_alerts.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace {

using kap::alert_kind;
using kap::detail::alert_key;
using kap::detail::open_alerts;

TEST(OpenAlerts, AKeyIsOpenFromItsAddUntilItIsRemoved) {
  open_alerts open;
  EXPECT_TRUE(open.empty());
  const alert_key bp{alert_kind::vitals_hold, 0};
  EXPECT_FALSE(open.contains(bp));
  open.add(3, bp);
  EXPECT_TRUE(open.contains(bp));
  // The kind and the subject both make the key.
  EXPECT_FALSE(open.contains({alert_kind::vitals_critical, 0}));
  EXPECT_FALSE(open.contains({alert_kind::vitals_hold, 1}));
  open.remove_if([](const open_alerts::entry& e) { return e.position == 3; });
  EXPECT_FALSE(open.contains(bp));
  EXPECT_TRUE(open.empty());
}

TEST(OpenAlerts, RemovingKeepsTheOthersInTheOrderTheyWereRaised) {
  open_alerts open;
  for (std::uint32_t i = 0; i < 6; ++i) open.add(i, {alert_kind::check_overdue, i * 10});
  open.remove_if([](const open_alerts::entry& e) { return e.position % 2 == 1; });
  std::vector<std::uint32_t> left;
  for (const auto& e : open.entries()) left.push_back(e.key.subject);
  EXPECT_EQ(left, (std::vector<std::uint32_t>{0, 20, 40}));
}

}  // namespace
