// Compiled with analysis's include root only (engine/CMakeLists.txt, stage_roots/analysis), and must
// compile: analysis sees its own folder and those of the stages it declares (stats among them), and
// not report's, which it does not declare (report and analysis are siblings).
#if !__has_include("analysis/sensitivity/common.hpp")
#error "analysis does not see its own folder"
#endif
#if !__has_include("stats/order_statistics.hpp")
#error "analysis does not see stats/, which it declares in DEPENDS"
#endif
#if __has_include("report/format.hpp")
#error "analysis sees report/, which it does not declare"
#endif
#if __has_include("load/driver.hpp")
#error "analysis sees load/, which it does not declare (it reads the model, not the text)"
#endif
