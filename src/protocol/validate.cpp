// check_protocol and validate, compiled once into kap::core (see kap/core/config.hpp).
#include <kap/protocol/validate-inl.hpp>
