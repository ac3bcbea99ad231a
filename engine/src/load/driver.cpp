#include "load/driver.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <span>
#include <string_view>

#include <fmt/format.h>

#include "load/driver_range.hpp"
#include "load/values.hpp"

namespace guidance::load_detail {

namespace {

// The numbers of one parameterisation, as written.
struct Parameters {
  const YamlNode* map = nullptr;
  std::vector<std::pair<double, double>> percentiles;  // (probability, value), in file order
  const DriverRange* range = nullptr;                  // `range:` given as its ends: `min` and `max`

  double operator[](std::string_view key) const {
    if (range && range->ends && (key == "min" || key == "max")) return key == "min" ? range->low : range->high;
    return read_number(*map->find(key)).value;
  }
  std::vector<double> list(std::string_view key) const {
    std::vector<double> values;
    for (const YamlNode& item : map->find(key)->children) values.push_back(read_number(item).value);
    return values;
  }
  std::pair<double, double> percentile(std::size_t i) const { return percentiles.at(i); }
};

// One way to give a distribution: these keys, and this many percentiles (pNN keys).
struct Form {
  std::vector<std::string> keys;
  std::size_t percentiles = 0;
  Distribution (*build)(const Parameters&);
};

struct Kind {
  std::string name;
  std::vector<Form> forms;
  std::vector<std::string> optional;  // allowed with every form
  std::string usage;                  // the hint for a wrong or missing parameter
};

const std::vector<Kind>& kinds() {
  using P = const Parameters&;
  static const std::vector<Kind> table = {
      {"normal",
       {{{"mean", "sd"}, 0, [](P p) { return make_normal(p["mean"], p["sd"]); }},
        {{}, 2, [](P p) {
           return normal_from_percentiles(p.percentile(0).first, p.percentile(0).second, p.percentile(1).first,
                                          p.percentile(1).second);
         }}},
       {},
       "normal takes `mean` and `sd`, or two percentiles such as `p10` and `p90`"},
      {"lognormal",
       {{{"mean", "sd"}, 0, [](P p) { return make_lognormal(p["mean"], p["sd"]); }},
        {{"median"}, 1, [](P p) {
           return lognormal_from_median(p["median"], p.percentile(0).first, p.percentile(0).second);
         }},
        {{}, 2, [](P p) {
           return lognormal_from_percentiles(p.percentile(0).first, p.percentile(0).second, p.percentile(1).first,
                                             p.percentile(1).second);
         }}},
       {},
       "lognormal takes `mean` and `sd` (of the value itself), or `median` and one percentile, or two "
       "percentiles such as `p10` and `p90`"},
      {"uniform",
       {{{"min", "max"}, 0, [](P p) { return make_uniform(p["min"], p["max"]); }},
        {{}, 2, [](P p) {
           return uniform_from_percentiles(p.percentile(0).first, p.percentile(0).second, p.percentile(1).first,
                                           p.percentile(1).second);
         }}},
       {},
       "uniform takes `min` and `max`, or two percentiles such as `p5` and `p95`"},
      {"triangular",
       {{{"min", "mode", "max"}, 0, [](P p) { return make_triangular(p["min"], p["mode"], p["max"]); }}},
       {},
       "triangular takes `min`, `mode` and `max`"},
      {"pert",
       {{{"min", "mode", "max"}, 0, [](P p) {
          return make_pert(p["min"], p["mode"], p["max"], p.map->find("lambda") ? p["lambda"] : 4.0);
        }}},
       {"lambda"},
       "pert takes `min`, `mode` and `max`, and optionally `lambda` (default 4)"},
      {"discrete",
       {{{"values", "probabilities"}, 0, [](P p) { return make_discrete(p.list("values"), p.list("probabilities")); }}},
       {},
       "discrete takes `values` and `probabilities`, two lists of the same length"},
  };
  return table;
}

// "p10" -> 0.10 for the keys p1 .. p99 (no leading zero).
std::optional<double> percentile_key(std::string_view key) {
  if (key.size() < 2 || key.size() > 3 || key[0] != 'p' || key[1] == '0') return std::nullopt;
  int percent = 0;
  for (char c : key.substr(1)) {
    if (c < '0' || c > '9') return std::nullopt;
    percent = percent * 10 + (c - '0');
  }
  return percent / 100.0;
}

bool looks_like_percentile(std::string_view key) {
  return key.size() > 1 && key[0] == 'p' &&
         key.substr(1).find_first_not_of("0123456789.") == std::string_view::npos;
}

bool contains(std::span<const std::string> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Does `form` accept `key` (a percentile or a named parameter), given the percentiles already taken?
bool accepts(const Kind& kind, const Form& form, std::string_view key, bool percentile, std::size_t percentiles_taken) {
  if (percentile) return percentiles_taken < form.percentiles;
  return contains(form.keys, key) || contains(kind.optional, key);
}

// Keys every kind takes besides its parameters: `range` stands for parameters (driver_range.hpp);
// `shift` and `scale` move the distribution after its truncation.
bool common_key(std::string_view key) {
  return key == "dist" || key == "truncate" || key == "reads_as" || key == "shift" || key == "scale";
}

// Written in the map, or given by its `range:` read as the distribution's ends.
bool given(const YamlNode& map, std::string_view key, const std::optional<DriverRange>& range) {
  return map.find(key) || (range && range->ends && (key == "min" || key == "max"));
}

// "missing `sd`", "missing `median` or a second percentile" for the compatible forms.
std::string missing_parameters(const std::vector<const Form*>& forms, const YamlNode& map, std::size_t percentiles,
                               const std::optional<DriverRange>& range) {
  static const std::vector<std::string> counts = {"", "a percentile", "two percentiles"};
  std::vector<std::string> alternatives;
  for (const Form* form : forms) {
    std::vector<std::string> missing;
    for (const std::string& key : form->keys)
      if (!given(map, key, range)) missing.push_back(fmt::format("`{}`", key));
    if (form->percentiles > percentiles)
      missing.push_back(percentiles == 0 ? counts[form->percentiles] : "a second percentile");
    std::string joined;
    for (std::size_t i = 0; i < missing.size(); ++i) joined += (i == 0 ? "" : " and ") + missing[i];
    alternatives.push_back(joined);
  }
  std::string out;
  for (std::size_t i = 0; i < alternatives.size(); ++i) out += (i == 0 ? "" : ", or ") + alternatives[i];
  return out;
}

const Kind& read_kind(const YamlNode& map, const std::string& driver) {
  const YamlNode* dist = map.find("dist");
  if (!dist) {
    throw InputError(map.where, fmt::format("missing `dist` for driver `{}`", driver),
                     "write the kind of distribution, e.g. {dist: normal, mean: 100, sd: 5}; kinds: " +
                         quoted_list(distribution_kinds(), "and"));
  }
  const std::string name = read_text(*dist);
  for (const Kind& kind : kinds())
    if (kind.name == name) return kind;
  unknown_name(fmt::format("unknown distribution `{}`", name), name, dist->where, distribution_kinds(),
               "the distributions are " + quoted_list(distribution_kinds(), "and"));
}

// Check every key against the kind's parameterisations, in file order, and return the one given.
const Form& read_form(const Kind& kind, const YamlNode& map, const std::string& driver,
                      const std::optional<DriverRange>& range, std::size_t& percentiles) {
  std::vector<std::string> allowed = {"dist", "truncate", "range", "reads_as", "shift", "scale"};
  std::vector<const Form*> compatible;
  for (const Form& form : kind.forms) {
    compatible.push_back(&form);
    for (const std::string& key : form.keys)
      if (!contains(allowed, key)) allowed.push_back(key);
  }
  allowed.insert(allowed.end(), kind.optional.begin(), kind.optional.end());
  const bool takes_percentiles = std::any_of(kind.forms.begin(), kind.forms.end(), [](const Form& f) { return f.percentiles > 0; });

  std::vector<std::string> seen;
  for (const YamlNode& entry : map.children) {
    if (common_key(entry.key)) continue;
    // `range` takes the place of the two keys it stands for (percentiles, or `min` and `max`).
    const std::size_t count = entry.key == "range" ? 2 : 1;
    const bool percentile = entry.key == "range" ? !range->ends
                                                 : takes_percentiles && percentile_key(entry.key).has_value();
    if (!percentile && !contains(allowed, entry.key)) {
      const std::string message = fmt::format("unknown parameter `{}` for a {} distribution", entry.key, kind.name);
      // In a flow mapping `mean: 1,000` is `mean: 1` and a key `000`.
      if (!entry.key.empty() && std::ranges::all_of(entry.key, [](char c) { return c >= '0' && c <= '9'; }))
        throw InputError(entry.key_where, message,
                         "a comma ends a value inside { }: write numbers without thousands separators (1000, not 1,000)");
      // A variant or an override that changes the kind keeps the file's other parameters: the change is
      // what to fix, so the error points at it.
      const YamlNode* dist = map.find("dist");
      if (dist->changed && !entry.changed) {
        throw InputError(dist->where,
                         fmt::format("`dist: {}` keeps `{}` from line {}, which a {} distribution does not take",
                                     kind.name, entry.key, entry.key_where.line, kind.name),
                         fmt::format("a change of `dist` keeps the driver's other parameters: replace the whole driver "
                                     "instead, e.g. `{}: {{dist: {}, ...}}`",
                                     driver, kind.name));
      }
      if (takes_percentiles && looks_like_percentile(entry.key))
        throw InputError(entry.key_where, message, "percentiles are written p1 to p99, e.g. p10 and p90");
      unknown_name(message, entry.key, entry.key_where, allowed, kind.usage);
    }
    for (std::size_t i = 0; i < count; ++i) {
      // Both arms are views: with a std::string arm the view would hold a temporary copy.
      const std::string_view key =
          entry.key == "range" && range->ends ? std::string_view(i == 0 ? "min" : "max") : std::string_view(entry.key);
      std::vector<const Form*> still;
      for (const Form* form : compatible)
        if (accepts(kind, *form, key, percentile, percentiles)) still.push_back(form);
      if (still.empty()) {
        throw InputError(entry.key_where, fmt::format("`{}` cannot be combined with {}", entry.key, quoted_list(seen)),
                         kind.usage);
      }
      compatible = std::move(still);
      if (percentile) ++percentiles;
    }
    seen.push_back(entry.key);
  }
  for (const Form* form : compatible) {
    const bool complete = form->percentiles == percentiles && std::all_of(form->keys.begin(), form->keys.end(), [&](const std::string& k) {
                            return given(map, k, range);
                          });
    if (complete) return *form;
  }
  throw InputError(map.where,
                   fmt::format("missing {} for the {} distribution of `{}`",
                               missing_parameters(compatible, map, percentiles, range), kind.name, driver),
                   kind.usage);
}

/// A number, or a list holding one, written as a percent (the value was read already: the sign is enough).
bool written_as_percent(const YamlNode& node) {
  if (node.is_list()) return std::ranges::any_of(node.children, written_as_percent);
  if (node.typed) return node.typed->percent;
  return node.is_scalar() && node.text.ends_with('%');
}

// A construction function's ParameterError, at the value of the key it names (or of another key it
// involves, when only that one was changed by a variant or an override), with the numbers in the form
// that key was written in ("found -0.4%" for `sd: "-0.4%"`).
[[noreturn]] void rethrow_at(const ParameterError& error, const YamlNode& map, const std::optional<DriverRange>& range) {
  const YamlNode* entry = map.find(error.parameter());
  for (const std::string& other : error.others()) {
    const YamlNode* changed = map.find(other);
    if (changed && changed->changed && !(entry && entry->changed)) entry = changed;
  }
  // A parameter given by the driver's `range:` is reported there.
  if (!entry && range) {
    throw InputError(range->node->where, error.message(range->percent), error.hint());
  }
  throw InputError(entry ? entry->where : map.where, error.message(entry && written_as_percent(*entry)), error.hint());
}

/// Parameters near the largest double pass every check of their own yet give infinite or NaN draws
/// (a uniform over [-1e308, 1e308], a normal with sd 1e308): the quantiles at the smallest and largest
/// probabilities the sampler draws (2^-53 from either end), and the median, must be finite.
void require_finite_draws(const Distribution& distribution, const YamlNode& map, const std::string& driver) {
  for (const double u : {0x1p-53, 0.5, 1.0 - 0x1p-53}) {
    const double x = quantile(distribution, u);
    if (std::isfinite(x)) continue;
    throw InputError(map.where,
                     fmt::format("the {} distribution of `{}` gives {} draws: its quantile at {:.2g} is {}",
                                 kind_name(distribution), driver, std::isnan(x) ? "undefined" : "infinite", u,
                                 std::isnan(x) ? "not a number" : x < 0 ? "-inf" : "inf"),
                     "its parameters are too large to compute with (doubles end near 1.8e308): check the exponents");
  }
}

// The distribution truncated to the driver's `truncate: [low, high]`, if it has one.
Distribution read_truncation(Distribution distribution, const YamlNode& map, bool& percent) {
  const YamlNode* bounds = map.find("truncate");
  if (!bounds) return distribution;
  if (!bounds->is_list() || bounds->children.size() != 2) {
    throw InputError(bounds->where, fmt::format("expected [low, high] for `truncate`, found {}", bounds->describe()),
                     "write null for an open end, e.g. truncate: [0, null]");
  }
  const std::optional<Number> low = read_number_or_null(bounds->children[0]);
  const std::optional<Number> high = read_number_or_null(bounds->children[1]);
  percent = percent || (low && low->percent) || (high && high->percent);
  if (!low && !high) return distribution;
  constexpr double infinity = std::numeric_limits<double>::infinity();
  return truncate(std::move(distribution), low ? low->value : -infinity, high ? high->value : infinity);
}

Distribution read_distribution(const YamlNode& map, const std::string& driver, const RangeContext& context,
                               bool& percent) {
  const Kind& kind = read_kind(map, driver);
  const std::optional<DriverRange> range = read_driver_range(map, kind.name, context);
  std::size_t percentile_count = 0;
  const Form& form = read_form(kind, map, driver, range, percentile_count);

  Parameters parameters{&map, {}, range ? &*range : nullptr};
  for (const YamlNode& entry : map.children) {
    if (common_key(entry.key)) continue;
    if (entry.key == "range") {
      percent = percent || range->percent;
      if (!range->ends) {
        parameters.percentiles.emplace_back(range->low_probability, range->low);
        parameters.percentiles.emplace_back(range->high_probability, range->high);
      }
      continue;
    }
    if (entry.key == "values" || entry.key == "probabilities") {
      require_list(entry, fmt::format("`{}`", entry.key));
      for (const YamlNode& item : entry.children) {
        const bool item_percent = read_number(item).percent;
        if (entry.key == "values") percent = percent || item_percent;
      }
      continue;
    }
    const Number number = read_number(entry);
    if (entry.key != "lambda") percent = percent || number.percent;
    if (const std::optional<double> p = percentile_key(entry.key)) parameters.percentiles.emplace_back(*p, number.value);
  }

  Distribution distribution;
  try {
    distribution = form.build(parameters);
  } catch (const ParameterError& error) {
    rethrow_at(error, map, range);
  }

  try {
    distribution = read_truncation(std::move(distribution), map, percent);
    const YamlNode* shift = map.find("shift");
    const YamlNode* scale = map.find("scale");
    if (!shift && !scale) return distribution;
    const Number by = shift ? read_number(*shift) : Number{0.0, false};
    percent = percent || by.percent;
    return shift_and_scale(std::move(distribution), by.value, scale ? read_number(*scale).value : 1.0);
  } catch (const ParameterError& error) {
    rethrow_at(error, map, range);
  }
}

}  // namespace

const std::vector<std::string>& distribution_kinds() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Kind& kind : kinds()) out.push_back(kind.name);
    return out;
  }();
  return names;
}

Driver read_driver(const YamlNode& entry, const RangeContext& context) {
  Driver driver;
  driver.name = entry.key;
  driver.where = entry.key_where;
  driver.written = std::make_shared<const WrittenDriver>(WrittenDriver{entry, context});
  if (entry.is_null()) {
    throw InputError(entry.where, fmt::format("driver `{}` has no value", entry.key),
                     "give a number (a constant) or a distribution, e.g. {dist: normal, mean: 100, sd: 5}");
  }
  if (entry.is_list()) {
    throw InputError(entry.where, fmt::format("expected a number or a distribution for driver `{}`, found a list", entry.key),
                     "write a distribution as a mapping, e.g. {dist: normal, mean: 100, sd: 5}");
  }
  if (entry.is_scalar()) {
    const Number constant = read_number(entry);
    driver.constant = constant.value;
    driver.percent = constant.percent;
    return driver;
  }
  driver.distribution = read_distribution(entry, entry.key, context, driver.percent);
  require_finite_draws(*driver.distribution, entry, entry.key);
  return driver;
}

}  // namespace guidance::load_detail
