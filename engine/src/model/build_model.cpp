#include "guidance/model.hpp"
