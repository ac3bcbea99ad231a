#include "guidance/report.hpp"
