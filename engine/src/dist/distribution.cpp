#include "guidance/distribution.hpp"
