// kap/course/simulate.hpp, compiled once into kap::core (see kap/core/config.hpp).
#include <kap/course/simulate-inl.hpp>
