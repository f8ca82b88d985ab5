"""A numeric covariate with missing values: the rows are left out of the fit and still count in
the design (as R's svyglm does), and the standard errors are those of R, not NaN.

The R calls (survey 4.1.1; numbers printed with ``sprintf("%.17g", ...)``)::

    data(api)
    apistrat$ell2 <- apistrat$ell
    apistrat$ell2[c(1, 5, 9, 50, 120)] <- NA
    d <- svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat, fpc=~fpc)
    m <- svyglm(api00 ~ ell2 + stype, d)
    coef(m); SE(m)

Before the fix the fast formula path kept the rows' NaN in the model matrix, so every
standard error came out NaN, and grouped a row with a missing value into the pattern of the
row with the lowest value.
"""

from __future__ import annotations

import numpy as np

from hopeful.stats import Design
from tests.stats.r_reference import dataset

R_COEF = [771.2020289306322, -3.9968456148238665, -90.22555944605962, -53.855150863030609]
R_SE = [11.895851876080032, 0.31547992788059553, 13.805075210791975, 15.990205298095276]


def test_missing_numeric_covariate_matches_r() -> None:
    frame = dataset("apistrat").copy()
    ell = frame["ell"].to_numpy(dtype=np.float64).copy()
    ell[[0, 4, 8, 49, 119]] = np.nan  # R's rows 1, 5, 9, 50, 120
    frame["ell2"] = ell
    d = Design(frame, strata="stype", weights="pw", fpc="fpc")
    fit = d.linear("api00 ~ ell2 + C(stype)")
    assert fit.n == len(frame) - 5
    np.testing.assert_allclose(fit.coef, R_COEF, rtol=1e-8)
    np.testing.assert_allclose(fit.se, R_SE, rtol=1e-8)


def test_a_missing_value_is_never_grouped_with_a_present_one() -> None:
    """Rows with repeated covariate patterns are compressed; a missing value is its own code.

    R: ``apistrat$x <- ifelse(apistrat$ell > 20, 1, 0); apistrat$x[1:4] <- NA``, then
    ``svyglm(api00 ~ x + stype, d)`` on the same design."""
    frame = dataset("apistrat").copy()
    x = np.where(frame["ell"].to_numpy() > 20, 1.0, 0.0)
    x[:4] = np.nan
    frame["x"] = x
    d = Design(frame, strata="stype", weights="pw", fpc="fpc")
    fit = d.linear("api00 ~ x + C(stype)")
    assert fit.n == len(frame) - 4
    r_coef = [749.85860972021032, -157.53242120772506, -79.929531782044862, -53.396289661272185]
    r_se = [11.69466989779543, 14.562504056306704, 14.577815796234535, 16.543632586583815]
    np.testing.assert_allclose(fit.coef, r_coef, rtol=1e-8)
    np.testing.assert_allclose(fit.se, r_se, rtol=1e-8)
