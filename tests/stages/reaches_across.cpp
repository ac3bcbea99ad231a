// Compiled with load's include root only (engine/CMakeLists.txt, stage_roots/load): load comes before
// simulate in the data flow and does not declare it, so simulate's private headers are not there and
// this include must fail with "No such file or directory" (clang: "file not found"). The test passes
// on that message only, so a compile that fails for another reason fails it.
#include "simulate/ranks.hpp"
