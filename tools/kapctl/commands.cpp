#include "command.hpp"

#include <array>

namespace kapctl {

// One declaration per subcommand; each is defined in cmd_<name>.cpp.
int cmd_dose(std::span<const std::string_view> args, io& io);
int cmd_time(std::span<const std::string_view> args, io& io);
int cmd_validate(std::span<const std::string_view> args, io& io);
int cmd_run(std::span<const std::string_view> args, io& io);

extern const std::string_view dose_help;
extern const std::string_view time_help;
extern const std::string_view validate_help;
extern const std::string_view run_help;

std::span<const command> commands() {
  static const std::array table{
      command{"dose", "compute an absolute dose from mg/kg and body weight", dose_help, cmd_dose},
      command{"validate", "check a kap.protocol/1 file and list every problem", validate_help, cmd_validate},
      command{"run", "run events through the session engine under a protocol", run_help, cmd_run},
      command{"time", "check an RFC 3339 timestamp and print it normalised to UTC", time_help, cmd_time},
  };
  return table;
}

}  // namespace kapctl
