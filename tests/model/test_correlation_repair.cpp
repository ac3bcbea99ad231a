// Correlation repair: Higham's nearest correlation matrix, and repair shown, never silent.
#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "guidance/load.hpp"
#include "guidance/report.hpp"
#include "model/correlation.hpp"
#include "model/eigen_view.hpp"

using namespace guidance;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;

namespace {

using BoolMatrix = PinnedEntries;

double smallest_eigenvalue(const Eigen::MatrixXd& matrix) {
  return Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(matrix).eigenvalues()(0);
}

void check_correlation_matrix(const Eigen::MatrixXd& matrix) {
  CHECK(matrix.isApprox(matrix.transpose(), 1e-12));
  for (Eigen::Index i = 0; i < matrix.rows(); ++i) CHECK(matrix(i, i) == 1.0);
  CHECK(smallest_eigenvalue(matrix) > -1e-10);
  CHECK(semidefinite_cholesky(matrix).has_value());
}

/// The flagship's drivers with rank correlations that cannot hold together: gross margin and opex
/// both move with revenue (0.9) but against each other (-0.9).
std::string conflicting(bool repair) {
  return std::string(R"(name: conflicting
simulation: {trials: 1000, seed: 1)") + (repair ? ", repair_correlations: true" : "") + R"(}
drivers:
  revenue: {dist: normal, mean: 1115, sd: 12}
  gross_margin: {dist: normal, mean: "64%", sd: "0.4%"}
  opex: {dist: triangular, min: 535, mode: 546, max: 560}
correlations:
  - [revenue, gross_margin, 0.9]
  - [revenue, opex, 0.9]
  - [gross_margin, opex, -0.9]
metrics:
  operating_income: revenue * gross_margin - opex
guidance:
  operating_income: [160, 175]
)";
}

}  // namespace

TEST_CASE("Higham's 3x3 example has the nearest correlation matrix of the paper") {
  // Higham 2002, "Computing the nearest correlation matrix", section 4: A = [1 1 0; 1 1 1; 0 1 1].
  Eigen::MatrixXd a(3, 3);
  a << 1, 1, 0, 1, 1, 1, 0, 1, 1;
  const Eigen::MatrixXd x = nearest_correlation(a);
  check_correlation_matrix(x);
  Eigen::MatrixXd expected(3, 3);
  expected << 1, 0.7607, 0.1573, 0.7607, 1, 0.7607, 0.1573, 0.7607, 1;
  for (Eigen::Index i = 0; i < 3; ++i)
    for (Eigen::Index j = 0; j < 3; ++j) CHECK_THAT(x(i, j), WithinAbs(expected(i, j), 1e-4));  // 4 decimals printed
  // Closest: no nearby valid correlation matrix is nearer to A.
  for (const double step : {-0.01, 0.01}) {
    Eigen::MatrixXd other = x;
    other(0, 1) = other(1, 0) = x(0, 1) + step;
    if (smallest_eigenvalue(other) >= 0) CHECK((other - a).norm() >= (x - a).norm());
  }
}

TEST_CASE("a valid matrix is its own nearest correlation matrix") {
  Eigen::MatrixXd a(3, 3);
  a << 1, 0.3, 0.3, 0.3, 1, 0.1, 0.3, 0.1, 1;
  CHECK(nearest_correlation(a).isApprox(a, 1e-12));
}

TEST_CASE("pinned entries keep their value and the rest move as little as they can") {
  // a ~ b = a ~ c = 0.9 pinned; b ~ c requested -0.9. With two entries fixed, the determinant
  // 1 - 2 (0.81) + 2 (0.81) x - x^2 >= 0 holds for x in [0.62, 1]: the nearest is x = 0.62.
  Eigen::MatrixXd a(3, 3);
  a << 1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1;
  BoolMatrix pinned = BoolMatrix::Constant(3, 3, false);
  pinned(0, 1) = pinned(1, 0) = pinned(0, 2) = pinned(2, 0) = true;
  const Eigen::MatrixXd x = nearest_correlation(a, &pinned);
  check_correlation_matrix(x);
  CHECK(x(0, 1) == 0.9);
  CHECK(x(0, 2) == 0.9);
  CHECK_THAT(x(1, 2), WithinAbs(0.62, 1e-4));  // the eigenvalue floor (1e-8) moves it by far less
}

TEST_CASE("an invalid correlation matrix is refused without repair") {
  try {
    build_model(parse_scenario(conflicting(false), "conflicting.yaml"));
    FAIL("no error");
  } catch (const InvalidCorrelations& error) {
    CHECK_THAT(error.message(), StartsWith("the correlations do not form a valid correlation matrix: its smallest "
                                           "eigenvalue is "));
    // The engine names the file's setting; the command line adds its flag (cli/args/errors.hpp).
    CHECK(error.hint() ==
          "lower some of these correlations, or set `simulation: {repair_correlations: true}` to use the nearest "
          "valid matrix");
  }
}

TEST_CASE("with repair the nearest valid matrix is used and shown beside the request") {
  const Scenario scenario = parse_scenario(conflicting(true), "conflicting.yaml");
  const Model model = build_model(scenario);
  const Eigen::MatrixXd gaussian = eigen_view(model.copula.gaussian);
  check_correlation_matrix(gaussian);
  CHECK(gaussian.isApprox(nearest_correlation(gaussian_from_spearman(eigen_view(model.copula.spearman))), 1e-12));

  const std::vector<CorrelationPair> pairs = model.copula.repairs;
  REQUIRE(pairs.size() == 3);
  const Eigen::MatrixXd used = spearman_from_gaussian(gaussian);
  CHECK(pairs[0].a == "revenue");
  CHECK(pairs[0].b == "gross_margin");
  CHECK(pairs[0].requested == 0.9);
  CHECK(pairs[0].used == used(0, 1));
  CHECK(pairs[2].a == "gross_margin");
  CHECK(pairs[2].b == "opex");
  CHECK(pairs[2].requested == -0.9);
  CHECK(pairs[2].used > -0.9);  // the conflict is resolved by weakening every pair
  CHECK(pairs[0].used < 0.9);

  const RunReport report = analyze(model, simulate(model, {.trials = 2000, .seed = 1}));
  const nlohmann::ordered_json json = run_json(model, report);
  REQUIRE(json.contains("correlations"));
  CHECK(json["correlations"].size() == 3);
  CHECK(json["correlations"][0]["a"] == "revenue");
  CHECK(json["correlations"][0]["requested"] == 0.9);
  CHECK(json["correlations"][0]["used"] == pairs[0].used);

  const std::string table = render_table(model, report);
  CHECK_THAT(table, Contains("correlations repaired (nearest valid matrix, Higham 2002): rank correlation"));
  CHECK_THAT(table, Contains(fmt::format("  {:<36}{:>10.3f}{:>10.3f}", "revenue ~ gross_margin", 0.9, pairs[0].used)));
  CHECK_THAT(render_summary(scenario, model),
             Contains(fmt::format("  gross_margin ~ opex: -0.900 -> {:.3f}", pairs[2].used)));
}

TEST_CASE("a valid matrix is used as requested even when repair is allowed") {
  std::string yaml = conflicting(true);
  yaml.replace(yaml.find("-0.9"), 4, "0.85");
  const Model model = build_model(parse_scenario(yaml, "valid.yaml"));
  CHECK(eigen_view(model.copula.gaussian) == gaussian_from_spearman(eigen_view(model.copula.spearman)));
  CHECK(model.copula.repairs.empty());
  const RunReport report = analyze(model, simulate(model, {.trials = 1000, .seed = 1}));
  CHECK_FALSE(run_json(model, report).contains("correlations"));
  CHECK_THAT(render_table(model, report), !Contains("correlations repaired"));
}

TEST_CASE("a pinned correlation keeps its requested value when the matrix is repaired") {
  std::string yaml = conflicting(true);
  yaml.replace(yaml.find("[revenue, gross_margin, 0.9]"), 28, "[revenue, gross_margin, 0.9, pin]");
  const Scenario scenario = parse_scenario(yaml, "pinned.yaml");
  REQUIRE(scenario.correlations[0].pinned);
  CHECK_FALSE(scenario.correlations[1].pinned);
  const Model model = build_model(scenario);
  check_correlation_matrix(eigen_view(model.copula.gaussian));
  const std::vector<CorrelationPair> pairs = model.copula.repairs;
  REQUIRE(pairs.size() == 3);
  CHECK_THAT(pairs[0].used, WithinAbs(0.9, 1e-9));  // pinned: the others give way
  CHECK(pairs[1].used < 0.9);
  CHECK(pairs[2].used > -0.9);
  // Unpinned, the same request weakens revenue ~ gross_margin as well.
  const std::vector<CorrelationPair> free = build_model(parse_scenario(conflicting(true), "c.yaml")).copula.repairs;
  CHECK(free[0].used < 0.9 - 1e-3);
}

TEST_CASE("pins that cannot all hold stop the run instead of being moved") {
  std::string yaml = conflicting(true);
  for (const std::string pair : {"[revenue, gross_margin, 0.9]", "[revenue, opex, 0.9]", "[gross_margin, opex, -0.9]"})
    yaml.replace(yaml.find(pair), pair.size(), pair.substr(0, pair.size() - 1) + ", pin]");
  const Scenario scenario = parse_scenario(yaml, "pins.yaml");
  try {
    (void)build_model(scenario);
    FAIL("no error");
  } catch (const InputError& error) {
    CHECK(error.message() == "the pinned correlations cannot all hold in a valid correlation matrix (pinned: "
                             "revenue ~ gross_margin, revenue ~ opex, gross_margin ~ opex)");
    CHECK(error.where().line == 8);  // the first pin the repair would have moved
  }
}

TEST_CASE("only `pin` may follow a correlation") {
  std::string yaml = conflicting(true);
  yaml.replace(yaml.find("[revenue, opex, 0.9]"), 20, "[revenue, opex, 0.9, fixed]");
  try {
    (void)parse_scenario(yaml, "bad.yaml");
    FAIL("no error");
  } catch (const InputError& error) {
    CHECK(error.message() == "expected `pin` after the correlation, found `fixed`");
    CHECK(error.where().line == 9);
    CHECK(error.where().column == 26);  // the `fixed`
  }
}
