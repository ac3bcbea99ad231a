#include "guidance/stats.hpp"
