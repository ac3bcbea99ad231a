#include "guidance/load.hpp"
