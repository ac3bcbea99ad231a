// The loader's entry points: read the file (bounded), parse it to a located tree, check the file and
// every variant, then apply the selected variant and the command line's overrides and check the result.
#include "guidance/load.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "load/read_scenario.hpp"
#include "load/variants.hpp"
#include "load/yaml_tree.hpp"

namespace guidance {

namespace {

using load_detail::YamlNode;

[[noreturn]] void file_error(const std::string& path, std::string message, std::string hint = {}) {
  throw InputError(SourceLocation{std::make_shared<const SourceText>(SourceText{path, {}})}, std::move(message),
                   std::move(hint));
}

// `bytes` is 0 when the size is unknown (a pipe or a device read up to the limit).
[[noreturn]] void too_large(const std::string& path, std::size_t bytes) {
  file_error(path,
             bytes > 0 ? fmt::format("the file is {} bytes, more than the limit of {} bytes", bytes, max_scenario_bytes)
                       : fmt::format("the file is larger than the limit of {} bytes", max_scenario_bytes),
             "a scenario file is a few kilobytes; is this the right file?");
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// At most max_scenario_bytes + 1 bytes, so that a huge file (or an endless device) is refused
// without reading it all.
std::string read_bounded(const std::string& path) {
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) file_error(path, fmt::format("cannot read the file: {}", std::strerror(errno)));
  struct stat status {};
  if (::fstat(file.get(), &status) == 0 && S_ISREG(status.st_mode) &&
      static_cast<std::size_t>(status.st_size) > max_scenario_bytes) {
    too_large(path, static_cast<std::size_t>(status.st_size));
  }
  std::string text;
  char buffer[65536];
  while (text.size() <= max_scenario_bytes) {
    const ssize_t count = ::read(file.get(), buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) file_error(path, fmt::format("cannot read the file: {}", std::strerror(errno)));
    if (count == 0) break;
    text.append(buffer, static_cast<std::size_t>(count));
  }
  if (text.size() > max_scenario_bytes) too_large(path, 0);
  return text;
}

}  // namespace

Scenario load_scenario(const std::string& path, const LoadOptions& options) {
  return parse_scenario(read_bounded(path), path, options);
}

Scenario parse_scenario(std::string text, const std::string& path, const LoadOptions& options) {
  return std::move(parse_variants(std::move(text), path, options, {&options.variant, 1}).front());
}

std::vector<Scenario> load_variants(const std::string& path, const LoadOptions& options,
                                    std::span<const std::string> variants) {
  return parse_variants(read_bounded(path), path, options, variants);
}

std::vector<Scenario> parse_variants(std::string text, const std::string& path, const LoadOptions& options,
                                     std::span<const std::string> variants) {
  if (text.size() > max_scenario_bytes) too_large(path, text.size());
  // yaml-cpp skips a byte-order mark but counts columns without it; drop it so the text matches.
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  const auto source = std::make_shared<const SourceText>(SourceText{path, std::move(text)});
  const YamlNode root = load_detail::parse_yaml(source);

  // The file is checked first, then every variant (whichever is selected), formulas included, so that
  // a broken variant is found the first time the file is used.
  const Scenario file = load_detail::read_scenario(root, source);
  const auto shared_names = std::make_shared<const std::vector<std::string>>(load_detail::variant_names(root));
  const std::vector<std::string>& names = *shared_names;
  std::vector<std::string> every_variant = {"base"};
  if (variants.empty()) {
    every_variant.insert(every_variant.end(), names.begin(), names.end());
    variants = every_variant;
  }
  // Where in `variants` each variant of the file is asked for.
  std::unordered_map<std::string_view, std::size_t> position;
  for (std::size_t i = 0; i < names.size(); ++i) position.emplace(names[i], i);
  std::vector<std::vector<std::size_t>> asked(names.size());
  std::vector<bool> wanted(names.size(), options.check_variants);
  for (std::size_t i = 0; i < variants.size(); ++i) {
    if (variants[i] == "base") continue;
    if (!position.contains(variants[i])) load_detail::unknown_variant(names, variants[i], source);
    asked[position.at(variants[i])].push_back(i);
    wanted[position.at(variants[i])] = true;
  }

  // The overrides and actuals apply to each variant asked for, and are checked with it.
  std::vector<Scenario> out(variants.size());
  const auto finish = [&](const YamlNode& tree, std::span<const std::size_t> at, Scenario scenario) {
    if (!options.overrides.empty() || !options.actuals.empty() || !options.given.empty()) {
      YamlNode changed = tree;
      const ArgumentLabels& labels = options.labels;
      for (const std::string& argument : options.overrides) load_detail::apply_set(changed, argument, labels.overrides);
      for (const std::string& argument : options.actuals)
        load_detail::apply_entry(changed, "actuals", argument, labels.actuals);
      for (const std::string& argument : options.given) load_detail::apply_entry(changed, "given", argument, labels.given);
      scenario = load_detail::read_scenario(changed, source);
    }
    scenario.variant_names = shared_names;
    for (const std::size_t i : at) {
      out[i] = scenario;
      out[i].variant = variants[i];
    }
  };
  load_detail::walk_variants(root, wanted, [&](std::size_t at, const YamlNode& tree) {
    Scenario scenario = load_detail::read_scenario(tree, source);
    compile_metrics(scenario);
    if (!asked[at].empty()) finish(tree, asked[at], std::move(scenario));
  });
  std::vector<std::size_t> base;
  for (std::size_t i = 0; i < variants.size(); ++i)
    if (variants[i] == "base") base.push_back(i);
  if (!base.empty()) finish(root, base, file);
  return out;
}

formula::Program compile_metrics(const Scenario& scenario) {
  std::vector<formula::Input> inputs;
  for (const Driver& driver : scenario.drivers)
    inputs.push_back({driver.name, driver.distribution && !driver.given
                                       ? std::nullopt
                                       : std::optional(driver.given.value_or(driver.constant))});
  std::vector<formula::Definition> definitions;
  for (const Metric& metric : scenario.metrics)
    definitions.push_back({metric.name, metric.formula, metric.formula_where, metric.where});
  formula::Program program = formula::compile(inputs, definitions, scenario.dimensions, scenario.arrays);
  load_detail::check_element_names(scenario, program);
  return program;
}

}  // namespace guidance
