#include "guidance/simulate.hpp"
