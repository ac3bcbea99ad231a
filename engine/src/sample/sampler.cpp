#include "guidance/sampler.hpp"
