# Conan 2 recipe for kap. `conan create . -o "kap/*:with_journal=True"` builds, packages and runs
# test_package/. Components mirror the CMake targets exactly (kap::core, kap::log, kap::json,
# kap::journal, kap::export; the package's own target kap::kap is the umbrella), which
# tests/package/conan_components_check.cmake checks against kapTargets.cmake without Conan.
import os
import re

from conan import ConanFile
from conan.errors import ConanInvalidConfiguration
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir

required_conan_version = ">=2.0"


class KapConan(ConanFile):
    name = "kap"
    description = ("Embeddable C++20 library modelling ketamine-assisted psychotherapy: protocols as "
                   "state machines, outcome measures, courses and cohorts, a tamper-evident journal, "
                   "reports. Not medical advice.")
    license = "MIT"
    topics = ("healthcare", "clinical", "state-machine", "outcome-measures")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    # Each option is one CMake option (see generate()).
    options = {
        "shared": [True, False],
        "fPIC": [True, False],
        "with_json": [True, False],     # KAP_WITH_JSON    -> kap::json
        "with_journal": [True, False],  # KAP_WITH_JOURNAL -> kap::journal
        "with_export": [True, False],   # KAP_WITH_EXPORT  -> kap::export
        "tools": [True, False],         # KAP_BUILD_TOOLS  -> bin/kapctl
    }
    default_options = {
        "shared": False,
        "fPIC": True,
        "with_json": True,
        "with_journal": True,
        "with_export": True,
        "tools": False,
    }
    exports_sources = ("CMakeLists.txt", "LICENSE", "cmake/*", "include/*", "src/*", "protocols/*",
                       "tools/*")

    def set_version(self):
        # One version source: include/kap/version.hpp (as CMake reads it).
        text = load(self, os.path.join(self.recipe_folder, "include", "kap", "version.hpp"))
        parts = [re.search(rf"#define KAP_VERSION_{p} (\d+)", text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
        self.version = ".".join(parts)

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")

    def layout(self):
        cmake_layout(self, src_folder=".")

    def requirements(self):
        # kap's public headers include Boost.Describe/Mp11 and (kap::log) spdlog.
        self.requires("boost/[>=1.81 <2]", transitive_headers=True)
        self.requires("spdlog/[>=1.10 <2]", transitive_headers=True)
        if self.options.with_journal:
            self.requires("sqlite3/[>=3.40 <4]")
            self.requires("openssl/[>=3 <4]")

    def validate(self):
        check_min_cppstd(self, 20)
        for needs_json in ("with_journal", "with_export", "tools"):
            if self.options.get_safe(needs_json) and not self.options.with_json:
                raise ConanInvalidConfiguration(f"kap: {needs_json}=True needs with_json=True")
        if self.options.tools and not self.options.with_export:
            raise ConanInvalidConfiguration("kap: tools=True needs with_export=True (kapctl draws reports)")

    def generate(self):
        tc = CMakeToolchain(self)
        tc.cache_variables["KAP_WITH_JSON"] = bool(self.options.with_json)
        tc.cache_variables["KAP_WITH_JOURNAL"] = bool(self.options.with_journal)
        tc.cache_variables["KAP_WITH_EXPORT"] = bool(self.options.with_export)
        tc.cache_variables["KAP_BUILD_TOOLS"] = bool(self.options.tools)
        tc.cache_variables["KAP_BUILD_TESTS"] = False
        tc.cache_variables["KAP_BUILD_EXAMPLES"] = False
        tc.cache_variables["KAP_BUILD_BENCH"] = False
        tc.cache_variables["KAP_BUILD_FUZZERS"] = False
        tc.cache_variables["KAP_INSTALL"] = True
        tc.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSE", src=self.source_folder, dst=os.path.join(self.package_folder, "licenses"))
        cmake = CMake(self)
        cmake.install()
        # Conan generates its own CMake and pkg-config files from package_info().
        rmdir(self, os.path.join(self.package_folder, "lib", "cmake"))
        rmdir(self, os.path.join(self.package_folder, "lib", "pkgconfig"))
        rmdir(self, os.path.join(self.package_folder, "share"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "kap")
        self.cpp_info.set_property("cmake_target_name", "kap::kap")  # the umbrella: every component
        self.cpp_info.set_property("pkg_config_name", "kap")

        core = self.cpp_info.components["core"]
        core.set_property("cmake_target_name", "kap::core")
        core.libs = ["kap_core"]
        core.requires = ["boost::headers"]
        if not self.options.shared:
            core.defines = ["KAP_CORE_STATIC_DEFINE"]

        log = self.cpp_info.components["log"]
        log.set_property("cmake_target_name", "kap::log")
        log.libs = ["kap_log"]
        log.requires = ["core", "spdlog::spdlog"]
        if not self.options.shared:
            log.defines = ["KAP_LOG_STATIC_DEFINE"]

        if self.options.with_json:
            json = self.cpp_info.components["json"]
            json.set_property("cmake_target_name", "kap::json")
            json.libs = ["kap_json"]
            json.requires = ["core", "boost::json"]
            if not self.options.shared:
                json.defines = ["KAP_JSON_STATIC_DEFINE"]

        if self.options.with_journal:
            journal = self.cpp_info.components["journal"]
            journal.set_property("cmake_target_name", "kap::journal")
            journal.libs = ["kap_journal"]
            journal.requires = ["core", "json", "sqlite3::sqlite3", "openssl::crypto"]
            if not self.options.shared:
                journal.defines = ["KAP_JOURNAL_STATIC_DEFINE"]

        if self.options.with_export:
            export = self.cpp_info.components["export"]
            export.set_property("cmake_target_name", "kap::export")
            export.libs = ["kap_export"]
            export.requires = ["core", "json"]
            if not self.options.shared:
                export.defines = ["KAP_EXPORT_STATIC_DEFINE"]

        if self.options.tools:
            self.buildenv_info.prepend_path("PATH", os.path.join(self.package_folder, "bin"))
