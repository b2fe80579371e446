// The session engine, compiled once into kap::core (see kap/core/config.hpp).
#include <kap/session/session-inl.hpp>
