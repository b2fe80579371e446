// Fuzz target: opening a journal file made of arbitrary bytes (kap::sqlite_journal).
//
// The bytes are written to a temporary file, which is opened, listed, read, replayed and
// verified, then appended to under the test protocol. Any of these may fail with an error (a
// damaged or foreign file); none may crash, leak or throw. Invariants: a failed open, read or
// verify names the file; a verify that fails says why.

#include "fuzz_check.hpp"

#include <kap/journal/sqlite_journal.hpp>
#include <kap/json.hpp>
#include <kap/protocol/validate.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

namespace {

const std::string& journal_path() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/kap-fuzz-journal-" +
           std::to_string(::getpid()) + ".db";
  }();
  return path;
}

void remove_journal() {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((journal_path() + suffix).c_str());
}

std::shared_ptr<const kap::validated_protocol> protocol() {
  static const auto p = [] {
    auto r = kap::json::reference_protocol("im-kap");
    KAP_FUZZ_CHECK(r.has_value());
    auto v = kap::validate(std::move(*r));
    KAP_FUZZ_CHECK(v.has_value());
    return std::make_shared<const kap::validated_protocol>(std::move(*v));
  }();
  return p;
}

const kap::event& probe_event() {
  static const kap::event e = [] {
    auto r = kap::json::read_event(
        R"({"id":"fuzz-1","session":"S-FUZZ","at":"2026-11-26T09:00:00Z",)"
        R"("actor":{"id":"P-1","role":"prescriber","licensed":true},"type":"consent","scope":"kap-session"})");
    KAP_FUZZ_CHECK(r.has_value());
    return *r;
  }();
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  remove_journal();
  {
    std::ofstream f(journal_path(), std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  kap::journal_options options;
  options.protocol = protocol();
  options.durability = kap::durability::normal;  // no fsync per input: the file is thrown away
  options.busy_timeout = std::chrono::milliseconds{0};
  {
    auto j = kap::sqlite_journal::open(journal_path(), options);
    if (!j) {
      KAP_FUZZ_CHECK(j.error().message.find(journal_path()) != std::string::npos);
    } else {
      if (auto sessions = j->sessions()) {
        for (const auto& s : *sessions) {
          (void)j->read(s.id);
          (void)j->replay(s.id);
        }
      }
      if (auto v = j->verify({})) {
        KAP_FUZZ_CHECK(v->intact != v->failure.has_value());
      }
      (void)j->append(probe_event());
      (void)j->verify({});
    }
  }
  remove_journal();
  return 0;
}
