// kap/course/stats.hpp, compiled once into kap::core (see kap/core/config.hpp).
#include <kap/course/stats-inl.hpp>
