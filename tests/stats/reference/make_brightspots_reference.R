#!/usr/bin/env Rscript
# R `survey` reference values for hopeful.stats.brightspots (positive deviance among units).
#   cd tests/stats/reference && Rscript make_brightspots_reference.R
# Writes synthetic_brightspots.csv (set.seed; values rounded so the CSV is exact) and
# brightspots_reference.json. Every number comes from an R call stored as a string next to it
# and evaluated from that string.
#
# Each unit's effect is its coefficient under sum-to-zero coding: svyglm with
# contrasts=list(<unit>="contr.sum") gives the first K-1 units' effects directly, and the last
# unit's effect is minus their sum (svycontrast). Intervals: confint() of the svyglm (which
# uses t quantiles on df.residual in survey 4.x) and, for the last unit, confint() of the
# svycontrast with df=df.residual, at the multiplicity-adjusted confidence level.
suppressPackageStartupMessages(library(survey))
get_script_dir <- function() {
  a <- commandArgs(trailingOnly = FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else "."
}
ref_dir <- get_script_dir()
source(file.path(ref_dir, "json_util.R"))
options(survey.lonely.psu = "adjust", survey.adjust.domain.lonely = FALSE)

# -- synthetic data: 9 sites, one of which ("site_i") has no usable rows ---------------------
set.seed(20261207)
n <- 640
stratum <- rep(1:4, each = n / 4)
psu <- unlist(lapply(1:4, function(s) sample(rep(1:10, length.out = n / 4)))) # 10 PSUs per stratum
sites <- c("site_a", "site_b", "site_c", "site_d", "site_e", "site_f", "site_g", "site_h")
site <- sample(sites, n, replace = TRUE, prob = c(3, 2, 2, 1.5, 1.5, 1, 1, 0.6))
site[sample(n, 12)] <- "site_i"
income <- sample(c("low", "middle", "high"), n, replace = TRUE, prob = c(0.4, 0.35, 0.25))
x <- round(rnorm(n, 10, 3), 3)
x[site == "site_i"] <- NA # the whole site is unusable
x[sample(which(site != "site_i"), 25)] <- NA
w <- round(runif(n, 5, 40) * c(1, 1.5, 0.8, 2)[stratum], 2)
site_eff <- c(site_a = 0.9, site_b = 0, site_c = 0.1, site_d = -0.8, site_e = 0, site_f = 0.5,
              site_g = 0, site_h = -0.2, site_i = 0)
inc_eff <- c(low = -0.5, middle = 0, high = 0.4)
psu_eff <- rnorm(40, 0, 0.3)[(stratum - 1) * 10 + psu]
lin <- 1 + 0.15 * ifelse(is.na(x), 10, x) + inc_eff[income] + site_eff[site] + psu_eff
y <- round(lin + rnorm(n, 0, 1.2), 4)
yb <- rbinom(n, 1, plogis(-2 + lin - 1.6))
synthetic <- data.frame(stratum = stratum, psu = psu, w = w, site = site, income = income,
                        x = x, y = y, yb = yb, stringsAsFactors = FALSE)
write.csv(synthetic, file.path(ref_dir, "synthetic_brightspots.csv"), row.names = FALSE, na = "")
synthetic <- read.csv(file.path(ref_dir, "synthetic_brightspots.csv"), stringsAsFactors = FALSE)

data(api)
# Data preparation, evaluated from these strings: 0/1 outcomes and factor units. A unit with
# no usable rows (site_i: x always missing) is not a level of `site`, as the Python estimator
# leaves it out; `site_all` keeps it, for the model without x.
prep_calls <- c(
  "apistrat$schwide_yes <- as.numeric(apistrat$sch.wide == 'Yes')",
  "apistrat$cname <- factor(apistrat$cname)",
  "apistrat$stype <- factor(apistrat$stype)",
  "apiclus1$stype <- factor(apiclus1$stype)",
  "apiclus1$cname <- factor(apiclus1$cname)",
  "synthetic$site_all <- factor(synthetic$site)",
  "synthetic$site <- factor(synthetic$site, levels = sort(unique(synthetic$site[!is.na(synthetic$x)])))",
  "synthetic$income <- factor(synthetic$income)"
)
for (p in prep_calls) eval(parse(text = p))

design_calls <- list(
  apistrat_fpc = "svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat, fpc=~fpc)",
  apiclus1_fpc = "svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc)",
  synthetic = "svydesign(ids=~psu, strata=~stratum, weights=~w, nest=TRUE, data=synthetic)"
)
designs <- lapply(design_calls, function(cl) eval(parse(text = cl)))

# id, design, outcome, unit, adjust (R formula right-hand side), family, level
cases <- list(
  list(id = "apistrat_gauss_cname", design = "apistrat_fpc", outcome = "api00", unit = "cname",
       adjust = "meals + ell", family = "gaussian", level = 0.95),
  list(id = "apiclus1_gauss_stype", design = "apiclus1_fpc", outcome = "api00", unit = "stype",
       adjust = "meals + ell", family = "gaussian", level = 0.95),
  list(id = "apistrat_logit_stype", design = "apistrat_fpc", outcome = "schwide_yes", unit = "stype",
       adjust = "meals + ell", family = "binomial", level = 0.95),
  list(id = "synthetic_gauss", design = "synthetic", outcome = "y", unit = "site",
       adjust = "x + income", family = "gaussian", level = 0.95),
  list(id = "synthetic_gauss_unadjusted_90", design = "synthetic", outcome = "y", unit = "site_all",
       adjust = "", family = "gaussian", level = 0.90),
  list(id = "synthetic_logit", design = "synthetic", outcome = "yb", unit = "site",
       adjust = "x + income", family = "binomial", level = 0.95)
)

fit_call <- function(cs) {
  rhs <- if (nzchar(cs$adjust)) paste(cs$adjust, "+", cs$unit) else cs$unit
  f <- sprintf("%s ~ %s", cs$outcome, rhs)
  con <- sprintf("contrasts=list(%s='contr.sum')", cs$unit)
  if (cs$family == "gaussian") return(sprintf("svyglm(%s, design=des, %s)", f, con))
  tight <- "control=glm.control(epsilon=1e-13, maxit=200)"
  inner <- sprintf("svyglm(%s, design=des, family=quasibinomial(), %s, %s)", f, con, tight)
  sprintf("svyglm(%s, design=des, family=quasibinomial(), %s, start=coef(%s), %s)", f, con, inner, tight)
}

results <- list()
for (cs in cases) {
  des <- designs[[cs$design]]
  call <- fit_call(cs)
  fit <- eval(parse(text = call))
  lv <- levels(fit$survey.design$variables[[cs$unit]])
  K <- length(lv)
  unit_coefs <- paste0(cs$unit, seq_len(K - 1))
  last_call <- sprintf("svycontrast(fit, list(last = setNames(rep(-1, %d), c(%s))))", K - 1,
                       paste0("'", unit_coefs, "'", collapse = ", "))
  last <- eval(parse(text = last_call))
  effect <- c(unname(coef(fit)[unit_coefs]), unname(coef(last)))
  se <- c(unname(SE(fit)[unit_coefs]), unname(SE(last)))
  df <- fit$df.residual
  p <- 2 * pt(-abs(effect / se), df)
  q <- 1 - cs$level
  p_bonf <- p.adjust(p, "bonferroni"); p_holm <- p.adjust(p, "holm"); p_bh <- p.adjust(p, "BH")
  n_sel <- sum(p_bh < q)
  level_bonf <- 1 - q / K
  level_bh <- 1 - max(n_sel, 1) * q / K
  ci_at <- function(level) {
    a <- confint(fit, parm = unit_coefs, level = level)
    b <- confint(last, level = level, df = df)
    rbind(unname(a), unname(b))
  }
  ci_bonf <- ci_at(level_bonf); ci_bh <- ci_at(level_bh)
  ci_call <- "rbind(confint(fit, parm = unit_coefs, level = L), confint(last, level = L, df = fit$df.residual))"
  obs_call <- sprintf("svyby(~%s, ~%s, fit$survey.design, svymean)", cs$outcome, cs$unit)
  obs <- eval(parse(text = obs_call))
  # expected: each row's linear predictor minus its unit's effect, on the response scale,
  # averaged with the design weights over the unit's rows used by the model
  exp_call <- paste0("sapply(lv, function(l) { u <- fit$survey.design$variables[[cs$unit]] == l; ",
                     "eta <- fit$linear.predictors[u] - effect[match(l, lv)]; ",
                     "weighted.mean(fit$family$linkinv(eta), weights(fit$survey.design)[u]) })")
  expected <- eval(parse(text = exp_call))
  n_call <- "as.numeric(table(fit$survey.design$variables[[cs$unit]]))"
  wt_call <- "as.numeric(tapply(weights(fit$survey.design), fit$survey.design$variables[[cs$unit]], sum))"
  results[[length(results) + 1]] <- list(
    id = cs$id, design = cs$design, design_call = design_calls[[cs$design]],
    outcome = cs$outcome, unit = cs$unit, adjust = cs$adjust, family = cs$family,
    level = cs$level, fit_call = call, last_unit_call = last_call,
    effect_calls = "c(coef(fit)[unit_coefs], coef(last)); se likewise with SE()",
    p_call = "2 * pt(-abs(effect / se), fit$df.residual); p.adjust(p, 'bonferroni'|'holm'|'BH')",
    ci_call = ci_call, observed_call = obs_call, expected_call = exp_call,
    n_call = n_call, weight_call = wt_call,
    units = arr(lv), df = df, coef_names = names(coef(fit)), coef = unname(coef(fit)),
    effect = arr(effect), se = arr(se), p_value = arr(p),
    p_bonferroni = arr(p_bonf), p_holm = arr(p_holm), p_bh = arr(p_bh),
    n_selected_bh = n_sel, level_bonferroni = level_bonf, level_bh = level_bh,
    ci_bonferroni_low = arr(ci_bonf[, 1]), ci_bonferroni_high = arr(ci_bonf[, 2]),
    ci_bh_low = arr(ci_bh[, 1]), ci_bh_high = arr(ci_bh[, 2]),
    observed = arr(unname(coef(obs))), expected = arr(unname(expected)),
    n = arr(eval(parse(text = n_call))), weight = arr(eval(parse(text = wt_call))))
}

doc <- list(
  generated_by = "reference/make_brightspots_reference.R",
  versions = list(R = R.version.string, survey = as.character(packageVersion("survey"))),
  options = list(survey.lonely.psu = "adjust", survey.adjust.domain.lonely = FALSE),
  prep_calls = prep_calls,
  notes = c("Numbers are printed with 17 significant digits (%.17g).",
            "Units are in R's factor level order; compare by label.",
            "confint.svyglm uses t quantiles on df.residual (ddf = NULL -> object$df.residual).",
            "The last unit's interval is confint.svystat(svycontrast(...), df = fit$df.residual).",
            "Logistic fits are the '_tight' kind: refit from an epsilon=1e-13 fit's coefficients."),
  cases = results)
writeLines(to_json(doc), file.path(ref_dir, "brightspots_reference.json"))
cat("wrote", length(results), "cases\n")
