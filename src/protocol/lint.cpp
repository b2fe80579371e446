// kap/protocol/lint.hpp, compiled once into kap::core (see kap/core/config.hpp).
#include <kap/protocol/lint-inl.hpp>
