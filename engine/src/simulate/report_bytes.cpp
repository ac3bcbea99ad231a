// A RunReport as bytes and back, every double by its bits: for handing the reports of a sweep's points
// between the processes that ran them (run_reports, stream.cpp). Each field in declaration order; a
// vector or string as its length, then its elements. One list of fields per struct (fields()) serves
// both directions, so that the two cannot disagree.
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "guidance/simulate.hpp"

namespace guidance {

namespace {

template <class T>
concept Plain = std::is_trivially_copyable_v<std::remove_const_t<T>>;
/// T is U or const U.
template <class T, class U>
concept Is = std::is_same_v<std::remove_const_t<T>, U>;

/// Each struct's fields, for an Archive whose operator() takes any of them (const for the Writer).
template <class Archive, Is<Histogram> H>
void fields(Archive& a, H& h) {
  a(h.bins), a(h.counts), a(h.below), a(h.above), a(h.finite), a(h.nonfinite);
}
template <class Archive, Is<GuidanceProbability> G>
void fields(Archive& a, G& g) {
  a(g.name), a(g.variable), a(g.low), a(g.high), a(g.inside), a(g.below), a(g.above), a(g.nonfinite);
  a(g.p_in), a(g.p_below), a(g.p_above), a(g.p_in_ci), a(g.p_below_ci), a(g.p_above_ci), a(g.histogram), a(g.cdf);
}
template <class Archive, Is<ActualRank> A>
void fields(Archive& a, A& actual) {
  a(actual.name), a(actual.value), a(actual.percentile_rank), a(actual.sd_from_mean);
}
template <class Archive, Is<PrecisionStop> P>
void fields(Archive& a, P& stop) {
  a(stop.half_width), a(stop.max_trials), a(stop.reached), a(stop.rounds), a(stop.largest), a(stop.largest_at);
}
template <class Archive, Is<RunReport> R>
void fields(Archive& a, R& r) {
  a(r.trials), a(r.seed), a(r.sampling), a(r.variables), a(r.guidance), a(r.indicators), a(r.joint_inside);
  a(r.joint_p_in), a(r.joint_p_in_ci), a(r.actuals), a(r.nonfinite_trials), a(r.discrete_correlations), a(r.precision);
}

class Writer {
 public:
  template <Plain T>
  void operator()(const T& value) {
    const auto* first = reinterpret_cast<const std::byte*>(&value);
    bytes_.insert(bytes_.end(), first, first + sizeof(T));
  }
  void operator()(const std::string& text) {
    (*this)(std::uint64_t{text.size()});
    const auto* first = reinterpret_cast<const std::byte*>(text.data());
    bytes_.insert(bytes_.end(), first, first + text.size());
  }
  template <class T>
  void operator()(const std::vector<T>& values) {
    (*this)(std::uint64_t{values.size()});
    for (const T& value : values) (*this)(value);
  }
  template <class T>
  void operator()(const std::optional<T>& value) {
    (*this)(value.has_value());
    if (value) (*this)(*value);
  }
  template <class T>
    requires(!Plain<T>)
  void operator()(const T& value) {
    fields(*this, value);
  }

  std::vector<std::byte> take() && { return std::move(bytes_); }

 private:
  std::vector<std::byte> bytes_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::byte> bytes) : bytes_(bytes) {}

  template <Plain T>
  void operator()(T& value) {
    std::memcpy(&value, take(sizeof(T)).data(), sizeof(T));
  }
  void operator()(std::string& text) {
    const std::span<const std::byte> part = take(length());
    text.assign(reinterpret_cast<const char*>(part.data()), part.size());
  }
  template <class T>
  void operator()(std::vector<T>& values) {
    values.resize(length());
    for (T& value : values) (*this)(value);
  }
  template <class T>
  void operator()(std::optional<T>& value) {
    bool present = false;
    (*this)(present);
    if (present) (*this)(value.emplace());
  }
  template <class T>
    requires(!Plain<T>)
  void operator()(T& value) {
    fields(*this, value);
  }

  bool done() const { return at_ == bytes_.size(); }

 private:
  /// A length the rest of the bytes can hold at a byte or more an element, so that a corrupt length
  /// fails here rather than in an allocation.
  std::size_t length() {
    std::uint64_t count = 0;
    (*this)(count);
    if (count > bytes_.size() - at_) throw std::invalid_argument("report_from_bytes: a length beyond the bytes");
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
  out(report);
  return std::move(out).take();
}

RunReport report_from_bytes(std::span<const std::byte> bytes) {
  Reader in(bytes);
  RunReport report;
  in(report);
  if (!in.done()) throw std::invalid_argument("report_from_bytes: bytes left over");
  return report;
}

}  // namespace guidance
