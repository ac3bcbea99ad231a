#include "guidance/formula.hpp"
