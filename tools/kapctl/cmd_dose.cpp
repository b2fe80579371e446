// kapctl dose --mg-per-kg X --weight-kg W [--max-mg M]
#include "command.hpp"

#include <kap/core/quantities.hpp>
#include <kap/json.hpp>

#include <ostream>

namespace kapctl {

constexpr std::string_view dose_help =
    "Usage: kapctl dose --mg-per-kg X --weight-kg W [--max-mg M]\n\n"
    "Computes an absolute dose in mg from a weight-based dose and a body weight, and, with\n"
    "--max-mg, whether it is within an absolute limit. Prints one JSON object:\n"
    "  {\"mg_per_kg\":0.5,\"weight_kg\":70,\"mg\":35,\"within_limit\":true}\n"
    "Exit status: 0 computed, 1 a negative or non-finite value (including a dose in mg too\n"
    "large to compute), 2 usage error.\n"
    "An arithmetic aid for software tests, not a prescription.\n";

namespace {
struct dose_report {
  double mg_per_kg = 0;
  double weight_kg = 0;
  double mg = 0;
  std::optional<double> max_mg;
  std::optional<bool> within_limit;
};
BOOST_DESCRIBE_STRUCT(dose_report, (), (mg_per_kg, weight_kg, mg, max_mg, within_limit))
int cmd_dose(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {"--mg-per-kg", "--weight-kg", "--max-mg"}, {});
  if (!p.error().empty()) return usage_error(io, "dose", p.error());
  if (!p.positional().empty()) return usage_error(io, "dose", "unexpected argument " + std::string(p.positional()[0]));
  const auto per_kg_text = p.value("--mg-per-kg");
  const auto weight_text = p.value("--weight-kg");
  if (!per_kg_text || !weight_text) return usage_error(io, "dose", "--mg-per-kg and --weight-kg are required");

  auto number = [&](std::string_view name, std::string_view text) -> std::optional<double> {
    auto v = parse_number(text);
    if (!v) io.err << "kapctl dose: " << name << ": \"" << text << "\" is not a finite number\n";
    return v;
  };
  const auto per_kg_v = number("--mg-per-kg", *per_kg_text);
  const auto weight_v = number("--weight-kg", *weight_text);
  if (!per_kg_v || !weight_v) return exit_invalid;

  auto per_kg = kap::make<kap::mg_per_kg>(*per_kg_v, "--mg-per-kg");
  auto weight = kap::make<kap::kilograms>(*weight_v, "--weight-kg");
  if (!per_kg || !weight) {
    io.err << "kapctl dose: " << (per_kg ? weight.error() : per_kg.error()).message << "\n";
    return exit_invalid;
  }
  // Two finite inputs can still multiply to infinity (1e200 x 1e200): refuse it with
  // errc::invalid_quantity rather than print "mg":null.
  auto product = kap::make<kap::milligrams>((*per_kg * *weight).count(), "--mg-per-kg x --weight-kg");
  if (!product) {
    io.err << "kapctl dose: " << product.error().message << " (" << *per_kg_text << " x " << *weight_text
           << " is too large)\n";
    return error_status(product.error());
  }
  const kap::milligrams mg = *product;
  dose_report r{per_kg->count(), weight->count(), mg.count(), std::nullopt, std::nullopt};
  if (const auto max_text = p.value("--max-mg")) {
    const auto max_v = number("--max-mg", *max_text);
    if (!max_v) return exit_invalid;
    auto max = kap::make<kap::milligrams>(*max_v, "--max-mg");
    if (!max) {
      io.err << "kapctl dose: " << max.error().message << "\n";
      return exit_invalid;
    }
    r.max_mg = max->count();
    r.within_limit = mg <= *max;
  }
  io.out << kap::json::to_string(r) << "\n";
  return exit_ok;
}

}  // namespace

const command dose_command{"dose", "compute an absolute dose from mg/kg and body weight", dose_help, cmd_dose};

}  // namespace kapctl
