// The smallest end-to-end use of kap: read an actor and a dose order from JSON, compute the
// dose from weight, check it against a limit, and write the result back as JSON.
// kap models protocols for software; nothing here is medical advice.
#include <kap/json.hpp>
#include <kap/kap.hpp>

#include <iostream>

struct dose_order {
  kap::actor prescriber;
  kap::timestamp at;
  kap::mg_per_kg dose;
  kap::kilograms weight;
  kap::milligrams limit;
};
BOOST_DESCRIBE_STRUCT(dose_order, (), (prescriber, at, dose, weight, limit))

int main() {
  const char* text = R"({"prescriber":{"id":"D-1","role":"prescriber","licensed":true},
    "at":"2026-11-26T11:15:00+01:00","dose":0.5,"weight":72.5,"limit":40})";
  auto order = kap::json::from_string<dose_order>(text);
  if (!order) {
    std::cerr << "rejected: " << order.error().message << "\n";
    return 1;
  }
  const kap::milligrams mg = order->dose * order->weight;  // mg/kg x kg -> mg
  std::cout << "order at " << kap::format_rfc3339(order->at) << ": " << mg.count() << " mg, "
            << (mg <= order->limit ? "within" : "above") << " the " << order->limit.count() << " mg limit\n";
  std::cout << kap::json::to_string(*order) << "\n";

  auto bad = kap::json::from_string<dose_order>(R"({"prescriber":{"id":"D-1","role":"doctor","licensed":true}})");
  std::cout << "bad input is a value, not a crash: " << bad.error().message << "\n";
  return 0;
}
