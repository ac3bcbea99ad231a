#!/usr/bin/env python3
"""The flagship scenario (scenarios/juniper_q4_2012.yaml) hard-coded in numpy + scipy, for a
whole-process comparison with `guidance run` (bench/compare_numpy.sh). Same model: normal revenue and
gross margin from P10/P90, triangular opex, normal other income, constant tax rate, truncated-normal
share count, Gaussian copula for two rank correlations, exact percentiles of every variable, guidance
probabilities and the joint probability."""
import sys

import numpy as np
from scipy import stats

trials = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10_000_000
rng = np.random.default_rng(20121023)
z90 = stats.norm.ppf(0.9)

# Gaussian copula over revenue, gross_margin, opex: rank rho -> 2 sin(pi rho / 6).
rho = 2 * np.sin(np.pi * 0.3 / 6)
corr = np.array([[1, rho, rho], [rho, 1, 0], [rho, 0, 1]])
z = rng.standard_normal((trials, 3)) @ np.linalg.cholesky(corr).T

revenue = 1115 + 15 / z90 * z[:, 0]
gross_margin = 0.64 + 0.005 / z90 * z[:, 1]
u = stats.norm.cdf(z[:, 2])
lo, mode, hi = 535.0, 546.0, 560.0
c = (mode - lo) / (hi - lo)
opex = np.where(u < c, lo + np.sqrt(u * (hi - lo) * (mode - lo)), hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode)))
other_income = rng.normal(-5.7, 4, trials)
tax_rate = 0.32
diluted_shares = stats.truncnorm.rvs((0 - 536) / 3, np.inf, loc=536, scale=3, size=trials, random_state=rng)

gross_profit = revenue * gross_margin
operating_income = gross_profit - opex
operating_margin = operating_income / revenue
net_income = (operating_income + other_income) * (1 - tax_rate)
eps = net_income / diluted_shares

variables = dict(revenue=revenue, gross_margin=gross_margin, opex=opex, other_income=other_income,
                 diluted_shares=diluted_shares, gross_profit=gross_profit, operating_income=operating_income,
                 operating_margin=operating_margin, net_income=net_income, eps=eps)
levels = [1, 5, 10, 25, 50, 75, 90, 95, 99]
for name, x in variables.items():
    p = np.percentile(x, levels)
    print(f"{name:18s} mean {x.mean():.6g} sd {x.std(ddof=1):.6g} p10 {p[2]:.6g} p50 {p[4]:.6g} p90 {p[6]:.6g}")

guidance = dict(revenue=(1100, 1130), gross_margin=(0.635, 0.645), operating_margin=(0.14, 0.16), eps=(0.19, 0.22))
joint = np.ones(trials, dtype=bool)
for name, (low, high) in guidance.items():
    inside = (variables[name] >= low) & (variables[name] <= high)
    joint &= inside
    print(f"P({name} in guidance) = {inside.mean():.4f}")
print(f"P(all at once) = {joint.mean():.4f}")
