// A RunReport as bytes and back, every double by its bits: for handing the reports of a sweep's points
// between the processes that ran them (analysis/tuning/sweep.cpp). Each field in declaration order;
// a vector or string as its length, then its elements.
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "guidance/simulate.hpp"

namespace guidance {

namespace {

class Writer {
 public:
  template <class T>
    requires std::is_trivially_copyable_v<T>
  void put(const T& value) {
    const auto* first = reinterpret_cast<const std::byte*>(&value);
    bytes_.insert(bytes_.end(), first, first + sizeof(T));
  }
  void put(const std::string& text) {
    put(std::uint64_t{text.size()});
    const auto* first = reinterpret_cast<const std::byte*>(text.data());
    bytes_.insert(bytes_.end(), first, first + text.size());
  }
  template <class T>
  void put(const std::vector<T>& values) {
    put(std::uint64_t{values.size()});
    for (const T& value : values) put(value);
  }
  void put(const Histogram& histogram) {
    put(histogram.bins);
    put(histogram.counts);
    put(histogram.below), put(histogram.above), put(histogram.finite), put(histogram.nonfinite);
  }
  void put(const GuidanceProbability& line) {
    put(line.name);
    put(line.variable), put(line.low), put(line.high);
    put(line.inside), put(line.below), put(line.above), put(line.nonfinite);
    put(line.p_in), put(line.p_below), put(line.p_above);
    put(line.p_in_ci), put(line.p_below_ci), put(line.p_above_ci);
    put(line.histogram);
    put(line.cdf);
  }
  void put(const ActualRank& actual) {
    put(actual.name);
    put(actual.value), put(actual.percentile_rank), put(actual.sd_from_mean);
  }
  void put(const PrecisionStop& stop) {
    put(stop.half_width), put(stop.max_trials), put(stop.reached), put(stop.rounds), put(stop.largest);
    put(stop.largest_at);
  }

  std::vector<std::byte> take() && { return std::move(bytes_); }

 private:
  std::vector<std::byte> bytes_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::byte> bytes) : bytes_(bytes) {}

  template <class T>
    requires std::is_trivially_copyable_v<T>
  void get(T& value) {
    std::memcpy(&value, take(sizeof(T)).data(), sizeof(T));
  }
  void get(std::string& text) {
    const std::span<const std::byte> part = take(length(1));
    text.assign(reinterpret_cast<const char*>(part.data()), part.size());
  }
  template <class T>
  void get(std::vector<T>& values) {
    values.resize(length(1));  // at least a byte an element: a corrupt length fails here, not in resize
    for (T& value : values) get(value);
  }
  void get(Histogram& histogram) {
    get(histogram.bins);
    get(histogram.counts);
    get(histogram.below), get(histogram.above), get(histogram.finite), get(histogram.nonfinite);
  }
  void get(GuidanceProbability& line) {
    get(line.name);
    get(line.variable), get(line.low), get(line.high);
    get(line.inside), get(line.below), get(line.above), get(line.nonfinite);
    get(line.p_in), get(line.p_below), get(line.p_above);
    get(line.p_in_ci), get(line.p_below_ci), get(line.p_above_ci);
    get(line.histogram);
    get(line.cdf);
  }
  void get(ActualRank& actual) {
    get(actual.name);
    get(actual.value), get(actual.percentile_rank), get(actual.sd_from_mean);
  }
  void get(PrecisionStop& stop) {
    get(stop.half_width), get(stop.max_trials), get(stop.reached), get(stop.rounds), get(stop.largest);
    get(stop.largest_at);
  }

  bool done() const { return at_ == bytes_.size(); }

 private:
  /// A length that the rest of the bytes can hold at `each` bytes an element.
  std::size_t length(std::size_t each) {
    std::uint64_t count = 0;
    get(count);
    if (count > (bytes_.size() - at_) / each) throw std::invalid_argument("report_from_bytes: a length beyond the bytes");
    return static_cast<std::size_t>(count);
  }
  std::span<const std::byte> take(std::size_t n) {
    if (n > bytes_.size() - at_) throw std::invalid_argument("report_from_bytes: the bytes end early");
    const std::span<const std::byte> part = bytes_.subspan(at_, n);
    at_ += n;
    return part;
  }

  std::span<const std::byte> bytes_;
  std::size_t at_ = 0;
};

}  // namespace

std::vector<std::byte> report_to_bytes(const RunReport& report) {
  Writer out;
  out.put(report.trials), out.put(report.seed), out.put(report.sampling);
  out.put(report.variables);
  out.put(report.guidance);
  out.put(report.indicators);
  out.put(report.joint_inside), out.put(report.joint_p_in), out.put(report.joint_p_in_ci);
  out.put(report.actuals);
  out.put(report.nonfinite_trials);
  out.put(report.discrete_correlations);
  out.put(report.precision.has_value());
  if (report.precision) out.put(*report.precision);
  return std::move(out).take();
}

RunReport report_from_bytes(std::span<const std::byte> bytes) {
  Reader in(bytes);
  RunReport report;
  in.get(report.trials), in.get(report.seed), in.get(report.sampling);
  in.get(report.variables);
  in.get(report.guidance);
  in.get(report.indicators);
  in.get(report.joint_inside), in.get(report.joint_p_in), in.get(report.joint_p_in_ci);
  in.get(report.actuals);
  in.get(report.nonfinite_trials);
  in.get(report.discrete_correlations);
  bool precise = false;
  in.get(precise);
  if (precise) in.get(report.precision.emplace());
  if (!in.done()) throw std::invalid_argument("report_from_bytes: bytes left over");
  return report;
}

}  // namespace guidance
