// Writes the FHIR R4 bundles of every scenario (tests/data/scenarios/<protocol>/*.jsonl) for the
// independent validator (tests/fhir/validate.mjs): each scenario's events run through the session
// engine under their protocol, as a journal would store them, then every session is exported as a
// collection and as a transaction, and all sessions of a file together as a subject bundle.
// Usage: kap_fhir_bundles OUT_DIR   (prints the number of bundles written)
#include <kap/fhir/fhir.hpp>
#include <kap/json.hpp>
#include <kap/session/session.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int fail(const std::string& what) {
  std::cerr << "kap_fhir_bundles: " << what << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return fail("usage: kap_fhir_bundles OUT_DIR");
  const fs::path out = argv[1];
  fs::create_directories(out);
  const fs::path data = KAP_TEST_DATA_DIR;
  int written = 0;
  std::vector<fs::path> dirs;
  for (const auto& d : fs::directory_iterator(data / "scenarios")) dirs.push_back(d.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    const std::string name = dir.filename().string();
    // Reference protocols are built in; test-only ones live in tests/data/protocols.
    kap::result<kap::protocol> p = kap::json::reference_protocol(name);
    if (!p) p = kap::json::read_protocol(slurp(data / "protocols" / (name + ".json")));
    if (!p) return fail(name + ": " + p.error().message);
    auto v = kap::validate(*p);
    if (!v) return fail(name + ": " + v.error().message);
    auto vp = std::make_shared<const kap::validated_protocol>(std::move(*v));
    std::vector<fs::path> files;
    for (const auto& f : fs::directory_iterator(dir)) {
      if (f.path().extension() == ".jsonl") files.push_back(f.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      std::map<std::string, kap::session> engines;
      std::map<std::string, kap::fhir::session_input> inputs;
      std::vector<std::string> order;
      for (auto& line : kap::json::read_events_jsonl(slurp(f))) {
        if (!line.event) return fail(f.string() + ": " + line.event.error().message);
        const kap::event& e = *line.event;
        const std::string sid = e.session.str();
        if (!engines.count(sid)) {
          engines.emplace(sid, kap::session(vp, e.session));
          auto& in = inputs[sid];
          in.session = e.session;
          in.protocol = kap::reports::summarize_protocol(vp->definition());
          in.protocol_version = vp->definition().version;
          order.push_back(sid);
        }
        inputs[sid].decisions.push_back(engines.at(sid).apply(e));
        inputs[sid].events.push_back(e);
      }
      const kap::subject_id subject{"SYN-" + name};
      const std::string stem = name + "." + f.stem().string();
      auto write = [&](const std::string& file, const kap::result<std::string>& bundle) {
        if (!bundle) return false;
        std::ofstream o(out / file, std::ios::binary | std::ios::trunc);
        o << *bundle;
        ++written;
        return static_cast<bool>(o);
      };
      std::vector<kap::fhir::session_input> all;
      for (const auto& sid : order) {
        const auto& in = inputs.at(sid);
        bool any_accepted = false;
        for (const auto& d : in.decisions) any_accepted = any_accepted || d.accepted();
        if (!any_accepted) continue;  // nothing to export (every event rejected)
        all.push_back(in);
        kap::fhir::export_options o;
        if (!write(stem + "." + sid + ".collection.json", kap::fhir::session_bundle(subject, in, o))) {
          return fail(stem + " " + sid + ": " + kap::fhir::session_bundle(subject, in, o).error().message);
        }
        o.type = kap::fhir::bundle_type::transaction;
        if (!write(stem + "." + sid + ".transaction.json", kap::fhir::session_bundle(subject, in, o))) {
          return fail(stem + " " + sid + ": cannot write the transaction bundle");
        }
      }
      if (!all.empty() && !write(stem + ".subject.json", kap::fhir::subject_bundle(subject, all))) {
        return fail(stem + ": cannot write the subject bundle");
      }
    }
  }
  std::cout << written << " bundles written to " << out.string() << "\n";
  return written > 0 ? 0 : 1;
}
