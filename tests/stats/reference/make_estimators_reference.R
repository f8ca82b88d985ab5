#!/usr/bin/env Rscript
# R `survey` reference values for hopeful.stats.quantiles / ratios / tables and for svyby with
# several outcomes: svyquantile (survey >= 4.0 semantics), svyratio, svychisq and
# svyby(~a+b, ...) on the api data (apistrat, apiclus1, apiclus2 two-stage with fpc) and on the
# synthetic lonely-PSU file, with options(survey.lonely.psu="adjust").
#   cd tests/stats/reference && Rscript make_estimators_reference.R
# Writes estimators_reference.json. Every result records the exact R call (evaluated from that
# string), the design call and the options in force.
suppressPackageStartupMessages(library(survey))
get_script_dir <- function() {
  a <- commandArgs(trailingOnly = FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else "."
}
ref_dir <- get_script_dir()
source(file.path(ref_dir, "json_util.R"))
options(survey.lonely.psu = "adjust", survey.adjust.domain.lonely = FALSE)

data(api)
synthetic_lonely <- read.csv(file.path(ref_dir, "synthetic_lonely_dev.csv"))

design_calls <- list(
  apistrat_fpc = "svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat, fpc=~fpc)",
  apiclus1_fpc = "svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc)",
  apiclus2_2stage_fpc = "svydesign(id=~dnum+snum, fpc=~fpc1+fpc2, data=apiclus2)",
  synthetic_lonely = "svydesign(ids=~psu, strata=~stratum, weights=~w, nest=TRUE, data=synthetic_lonely)"
)
designs <- lapply(design_calls, function(cl) eval(parse(text = cl)))

num <- function(x) unname(as.numeric(if (is.list(x)) as.matrix(as.data.frame(x)) else x))

extract <- function(obj, des, call) {
  if (inherits(obj, "newsvyquantile")) {
    ci <- confint(obj)
    return(list(kind = "svyquantile", names = names(coef(obj)), coef = num(coef(obj)),
                se = num(SE(obj)), ci_l = num(ci[, 1]), ci_u = num(ci[, 2])))
  }
  if (inherits(obj, "svyratio")) {
    ci <- confint(obj, df = degf(des))
    return(list(kind = "svyratio", coef = num(coef(obj)), se = num(SE(obj)),
                ci_l = num(ci[, 1]), ci_u = num(ci[, 2])))
  }
  if (inherits(obj, "htest")) {
    return(list(kind = "svychisq", statistic = num(obj$statistic),
                statistic_name = names(obj$statistic),
                parameter = num(obj$parameter), parameter_names = names(obj$parameter),
                p_value = num(obj$p.value), method = obj$method))
  }
  if (inherits(obj, "svyby")) {
    info <- attr(obj, "svyby")
    byname <- names(obj)[seq_len(info$margins)]
    r <- list(kind = "svyby", statistic = info$statistic,
              by = lapply(as.list(obj[, seq_len(info$margins), drop = FALSE]),
                          function(v) if (is.factor(v)) as.character(v) else v),
              names = names(coef(obj)), coef = num(coef(obj)), se = num(SE(obj)))
    cil <- grep("^ci_l", names(obj)); ciu <- grep("^ci_u", names(obj))
    if (length(cil)) { r$ci_l <- num(as.matrix(obj[, cil])); r$ci_u <- num(as.matrix(obj[, ciu])) }
    if (info$statistic == "svyratio") {
      ci <- confint(obj, df = degf(des)); r$ci_l <- num(ci[, 1]); r$ci_u <- num(ci[, 2])
    }
    # Each domain's own degrees of freedom (R's degf of the subset design).
    bycol <- byname[1]
    r$domain_degf <- vapply(as.character(obj[[bycol]]), function(l)
      degf(des[as.character(des$variables[[bycol]]) == l, ]), 0)
    return(r)
  }
  stop("unknown class ", paste(class(obj), collapse = "/"))
}

est_calls <- list()
add <- function(id, design, call)
  est_calls[[length(est_calls) + 1]] <<- list(id = id, design = design, call = call)

probs <- "c(0.1, 0.25, 0.5, 0.75, 0.9)"
qrules <- c("math", "school", "shahvaish", "hf1", "hf2", "hf3", "hf4", "hf5", "hf6", "hf7", "hf8", "hf9")
for (d in c("apistrat_fpc", "apiclus1_fpc", "apiclus2_2stage_fpc")) {
  for (it in c("mean", "beta", "xlogit", "asin", "score"))
    add(paste0(d, ":quantile_api00_", it), d,
        sprintf("svyquantile(~api00, des, quantiles=%s, interval.type='%s', ci=TRUE, se=TRUE)", probs, it))
  for (qr in qrules)
    add(paste0(d, ":quantile_ell_", qr), d,
        sprintf("svyquantile(~ell, des, quantiles=%s, qrule='%s', ci=TRUE, se=TRUE)", probs, qr))
  add(paste0(d, ":quantile_two_vars"), d,
      "svyquantile(~api00+meals, des, quantiles=c(0.25, 0.5), ci=TRUE, se=TRUE)")
  add(paste0(d, ":quantile_acs46_narm"), d,
      "svyquantile(~acs.46, des, quantiles=c(0.25, 0.5, 0.75), ci=TRUE, se=TRUE, na.rm=TRUE)")
  for (it in c("mean", "beta"))
    add(paste0(d, ":by_stype_quantile_api00_", it), d,
        sprintf("svyby(~api00, ~stype, des, svyquantile, quantiles=c(0.25, 0.5, 0.75), interval.type='%s', ci=TRUE, vartype=c('se','ci'))", it))
  # In apiclus1 and apiclus2, R's uniroot() stops: the score test has one sign over a domain's range.
  if (d == "apistrat_fpc") add(paste0(d, ":by_stype_quantile_api00_score"), d,
      "svyby(~api00, ~stype, des, svyquantile, quantiles=c(0.25, 0.5, 0.75), interval.type='score', qrule='hf7', ci=TRUE, vartype=c('se','ci'))")
  add(paste0(d, ":by_stype_quantile_ell_school"), d,
      "svyby(~ell, ~stype, des, svyquantile, quantiles=c(0.5, 0.9), qrule='school', ci=TRUE, vartype=c('se','ci'))")
  add(paste0(d, ":ratio_api00_api99"), d, "svyratio(~api00, ~api99, des)")
  add(paste0(d, ":ratio_apistu_enroll"), d, "svyratio(~api.stu, ~enroll, des, na.rm=TRUE)")
  add(paste0(d, ":ratio_acs46_enroll"), d, "svyratio(~acs.46, ~enroll, des, na.rm=TRUE)")
  add(paste0(d, ":by_stype_ratio_api00_api99"), d, "svyby(~api00, ~stype, des, svyratio, denominator=~api99)")
  for (st in c("F", "Chisq", "Wald", "adjWald")) {
    add(paste0(d, ":chisq_schwide_stype_", st), d, sprintf("svychisq(~sch.wide+stype, des, statistic='%s')", st))
    add(paste0(d, ":chisq_yrrnd_awards_", st), d, sprintf("svychisq(~yr.rnd+awards, des, statistic='%s')", st))
  }
  add(paste0(d, ":by_stype_mean_api00_enroll"), d, "svyby(~api00+enroll, ~stype, des, svymean, na.rm=TRUE)")
  add(paste0(d, ":by_stype_total_api00_enroll"), d, "svyby(~api00+enroll, ~stype, des, svytotal, na.rm=TRUE)")
  add(paste0(d, ":by_stype_mean_api00_schwide"), d, "svyby(~api00+sch.wide, ~stype, des, svymean)")
  add(paste0(d, ":by_stype_total_api00_schwide"), d, "svyby(~api00+sch.wide, ~stype, des, svytotal)")
  # In apiclus2 no high school has acs.46, and R's svyby stops on the empty domain.
  if (d != "apiclus2_2stage_fpc")
    add(paste0(d, ":by_stype_mean_acs46_meals"), d, "svyby(~acs.46+meals, ~stype, des, svymean, na.rm=TRUE)")
}
d <- "synthetic_lonely"
for (it in c("mean", "beta", "xlogit", "asin", "score"))
  add(paste0(d, ":quantile_age_", it), d,
      sprintf("svyquantile(~age, des, quantiles=%s, interval.type='%s', ci=TRUE, se=TRUE)", probs, it))
for (qr in c("math", "school", "hf7", "hf4", "shahvaish"))
  add(paste0(d, ":quantile_pce_", qr), d,
      sprintf("svyquantile(~pce, des, quantiles=%s, qrule='%s', ci=TRUE, se=TRUE)", probs, qr))
add(paste0(d, ":by_region_quantile_age_mean"), d,
    "svyby(~age, ~region, des, svyquantile, quantiles=c(0.25, 0.5, 0.75), ci=TRUE, vartype=c('se','ci'))")
add(paste0(d, ":by_region_quantile_age_beta"), d,
    "svyby(~age, ~region, des, svyquantile, quantiles=c(0.25, 0.5, 0.75), interval.type='beta', ci=TRUE, vartype=c('se','ci'))")
add(paste0(d, ":by_region_quantile_age_score"), d,
    "svyby(~age, ~region, des, svyquantile, quantiles=c(0.25, 0.5, 0.75), interval.type='score', ci=TRUE, vartype=c('se','ci'))")
add(paste0(d, ":ratio_pce_age"), d, "svyratio(~pce, ~age, des)")
add(paste0(d, ":ratio_dep_ace"), d, "svyratio(~dep, ~ace, des)")
add(paste0(d, ":by_region_ratio_pce_age"), d, "svyby(~pce, ~region, des, svyratio, denominator=~age)")
for (st in c("F", "Chisq", "Wald", "adjWald")) {
  add(paste0(d, ":chisq_pcecat_race4_", st), d, sprintf("svychisq(~pce_cat+race4, des, statistic='%s')", st))
  add(paste0(d, ":chisq_sex_dep_", st), d, sprintf("svychisq(~sex+dep, des, statistic='%s')", st))
}
add(paste0(d, ":by_region_mean_dep_pce"), d, "svyby(~dep+pce, ~region, des, svymean)")
add(paste0(d, ":by_region_total_dep_pce"), d, "svyby(~dep+pce, ~region, des, svytotal)")
add(paste0(d, ":by_region_mean_dep_race4"), d, "svyby(~dep+factor(race4), ~region, des, svymean)")
add(paste0(d, ":by_region_total_dep_race4"), d, "svyby(~dep+factor(race4), ~region, des, svytotal)")

estimates <- list()
for (e in est_calls) {
  des <- designs[[e$design]]
  obj <- tryCatch(suppressWarnings(eval(parse(text = e$call))), error = function(err) stop(e$id, ": ", conditionMessage(err)))
  estimates[[length(estimates) + 1]] <- list(
    id = e$id, design = e$design, design_call = design_calls[[e$design]], call = e$call,
    options = list(survey.lonely.psu = "adjust", survey.adjust.domain.lonely = FALSE),
    degf = degf(des), nrow = nrow(des), result = extract(obj, des, e$call))
}
doc <- list(
  generated_by = "tests/stats/reference/make_estimators_reference.R",
  versions = list(R = R.version.string, survey = as.character(packageVersion("survey"))),
  notes = c("Numbers are printed with 17 significant digits (%.17g); NaN/NA as null.",
            "svyquantile: coef/SE/confint of the newsvyquantile object (survey >= 4.0); SE is the CI width / (2 qt(0.975, degf)).",
            "svyby over svyquantile: ci_l/ci_u are the Woodruff (or beta) intervals (vartype='ci'), in the order of coef(); domain_degf is degf() of each domain's subset design.",
            "svyratio: confint(x, df=degf(des)); svyby over svyratio: confint(x, df=degf(des)).",
            "svychisq: statistic, parameter (ndf, ddf or df) and p-value as R's htest."),
  designs = lapply(names(design_calls), function(nm) list(id = nm, call = design_calls[[nm]],
                                                          degf = degf(designs[[nm]]))),
  estimates = estimates)
writeLines(to_json(doc), file.path(ref_dir, "estimators_reference.json"))
cat("wrote", length(estimates), "reference estimates\n")
