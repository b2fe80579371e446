// kap/stats/stats.hpp, compiled once into kap::core (see kap/core/config.hpp).
#include <kap/stats/stats-inl.hpp>
