// kap/course/cohort.hpp, compiled once into kap::core (see kap/core/config.hpp).
#include <kap/course/cohort-inl.hpp>
