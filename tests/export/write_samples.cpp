// Writes the three sample reports (session, 40-session course, two-arm cohort) as HTML and text
// into a directory, for tests/export/chromium_check.sh and for people who want to look at them.
//
//   kap_export_samples OUTDIR

#include <kap/reports/report.hpp>

#include "samples.hpp"

#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace {

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
  std::cout << path.string() << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: kap_export_samples OUTDIR\n";
    return 2;
  }
  try {
    const std::filesystem::path dir(argv[1]);
    std::filesystem::create_directories(dir);
    const auto session = kap::test::samples::session_sample();
    const auto course = kap::test::samples::course_sample(40);
    const auto cohort = kap::test::samples::cohort_sample();
    write(dir / "session.html", kap::reports::render_session_html(session));
    write(dir / "course.html", kap::reports::render_course_html(course));
    write(dir / "cohort.html", kap::reports::render_cohort_html(cohort));
    write(dir / "session.txt", kap::reports::render_session_text(session));
    write(dir / "course.txt", kap::reports::render_course_text(course));
    write(dir / "cohort.txt", kap::reports::render_cohort_text(cohort));
  } catch (const std::exception& e) {
    std::cerr << "kap_export_samples: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
