#!/usr/bin/env Rscript
# Reference values from R 'survey' for calibrated, raked and post-stratified designs on the
# package's own api data (public data about California schools), for hopeful.stats.calibration.
#   cd tests/stats/reference && Rscript make_calibration_reference.R
# Needs R >= 4.2 with survey 4.1-1 and MASS (apt-get install r-cran-survey r-cran-mass): R's
# calibrate() with bounds or a raking/logit calfun calls MASS::ginv.
# Writes calibration_reference.json. Every design and every estimate records the exact R call
# (evaluated from that string). The CSVs used on the Python side (apiclus1.csv, apistrat.csv,
# apiclus2.csv) are exports of the same data by make_r_reference.R.
suppressPackageStartupMessages(library(survey))
get_script_dir <- function() {
  a <- commandArgs(trailingOnly = FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else "."
}
ref_dir <- get_script_dir()
source(file.path(ref_dir, "json_util.R"))
options(survey.lonely.psu = "adjust", survey.adjust.domain.lonely = FALSE)

data(api)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
dclus2 <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
dclus1_unweighted <- suppressWarnings(svydesign(id = ~dnum, data = apiclus1))  # weights 1
# Population margins of the api population (apipop), as in R's ?calibrate and ?rake.
pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
pop.schwide <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))
pop.awards <- data.frame(awards = c("No", "Yes"), Freq = c(2027, 4167))
pop.cells <- data.frame(stype = c("E", "H", "M", "E", "H", "M"),
                        sch.wide = c("No", "No", "No", "Yes", "Yes", "Yes"),
                        Freq = c(472, 334, 266, 3949, 421, 752))
pop.totals <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)

design_calls <- list(
  clus1_cal_stype = "calibrate(dclus1, ~stype, pop.totals[1:3])",
  clus1_cal_linear = "calibrate(dclus1, ~stype+api99, pop.totals)",
  clus1_cal_linear_bounds = "calibrate(dclus1, ~stype+api99, pop.totals, bounds=c(0.6,1.6))",
  clus1_cal_raking = "calibrate(dclus1, ~stype+api99, pop.totals, calfun='raking')",
  clus1_cal_logit = "calibrate(dclus1, ~stype+api99, pop.totals, calfun='logit', bounds=c(0.5,2.5))",
  clus1_rake = "rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide))",
  clus1_rake_tight = "rake(dclus1, list(~stype, ~sch.wide), list(pop.types, pop.schwide), control=list(maxit=100, epsilon=1e-12))",
  clus1_post = "postStratify(dclus1, ~stype, pop.types)",
  clus1_post_cells = "postStratify(dclus1, ~stype+sch.wide, pop.cells)",
  clus1_post_then_cal = "calibrate(postStratify(dclus1, ~stype, pop.types), ~api99, c(`(Intercept)`=6194, api99=3914069))",
  strat_rake = "rake(dstrat, list(~sch.wide, ~awards), list(pop.schwide, pop.awards))",
  strat_cal_raking = "calibrate(dstrat, ~sch.wide+awards, c(`(Intercept)`=6194, sch.wideYes=5122, awardsYes=4167), calfun='raking')",
  clus2_cal_linear = "calibrate(dclus2, ~stype+api99, pop.totals)",
  clus2_post = "postStratify(dclus2, ~stype, pop.types)",
  unweighted_cal_logit = "calibrate(dclus1_unweighted, ~stype+api99, pop.totals, calfun='logit', bounds=c(0.5,2.5))"
)
designs <- lapply(design_calls, function(cl) suppressWarnings(eval(parse(text = cl))))

tight <- "control=glm.control(epsilon=1e-13, maxit=200)"
glm_logit <- "I(awards=='Yes') ~ ell + meals + mobility + stype"
est_calls <- list(
  mean_api00 = "svymean(~api00, des, deff=TRUE)",
  mean_api00_enroll = "svymean(~api00+enroll, des, na.rm=TRUE)",
  total_enroll = "svytotal(~enroll, des, na.rm=TRUE, deff=TRUE)",
  total_api99 = "svytotal(~api99, des)",
  total_stype = "svytotal(~stype, des)",
  mean_schwide = "svymean(~sch.wide, des)",
  by_stype_mean_api00 = "svyby(~api00, ~stype, des, svymean, deff=TRUE)",
  by_schwide_total_enroll = "svyby(~enroll, ~sch.wide, des, svytotal, na.rm=TRUE)",
  by_stype_schwide_mean_api00 = "svyby(~api00, ~stype+sch.wide, des, svymean)",
  ciprop_beta_awards = "svyciprop(~I(awards=='Yes'), des, method='beta')",
  ciprop_logit_awards = "svyciprop(~I(awards=='Yes'), des, method='logit')",
  by_stype_ciprop_beta_awards = "svyby(~I(awards=='Yes'), ~stype, des, svyciprop, method='beta', vartype=c('se','ci'))",
  by_stype_ciprop_logit_awards = "svyby(~I(awards=='Yes'), ~stype, des, svyciprop, method='logit', vartype=c('se','ci'))",
  glm_gaussian_api00 = "svyglm(api00 ~ ell + meals + mobility, design=des)",
  glm_logit_awards_tight = paste0(
    "svyglm(", glm_logit, ", design=des, family=quasibinomial(), start=coef(svyglm(", glm_logit,
    ", design=des, family=quasibinomial(), ", tight, ")), ", tight, ")")
)

extract <- function(obj, des) {
  if (inherits(obj, "svyglm")) {
    return(list(kind = "svyglm", names = names(coef(obj)), coef = unname(coef(obj)),
                se = unname(SE(obj)), vcov = unname(unclass(vcov(obj))),
                df_residual = obj$df.residual, converged = obj$converged,
                confint_t = unname(confint(obj))))
  }
  if (inherits(obj, "svyciprop")) {
    return(list(kind = "svyciprop", est = unname(coef(obj)[1]),
                se = sqrt(as.numeric(attr(obj, "var"))), ci = unname(as.numeric(confint(obj)))))
  }
  if (inherits(obj, "svyby")) {
    nby <- length(attr(obj, "svyby")$margins)
    r <- list(kind = "svyby",
              by = lapply(as.list(obj[, seq_len(nby), drop = FALSE]),
                          function(v) if (is.factor(v)) as.character(v) else v),
              coef = unname(as.numeric(coef(obj))), se = unname(as.numeric(SE(obj))))
    if (!is.null(obj$ci_l)) { r$ci_l <- as.numeric(obj$ci_l); r$ci_u <- as.numeric(obj$ci_u) }
    if (any(grepl("^DEff", names(obj)))) r$deff <- unname(as.numeric(as.matrix(obj[, grep("^DEff", names(obj))])))
    return(r)
  }
  if (inherits(obj, "svystat")) {
    r <- list(kind = "svystat", names = names(coef(obj)), coef = unname(as.numeric(coef(obj))),
              se = unname(as.numeric(SE(obj))), vcov = unname(unclass(as.matrix(vcov(obj)))),
              ci_t_degf = unname(confint(obj, df = degf(des))))
    if (!is.null(attr(obj, "deff"))) r$deff <- unname(as.numeric(diag(as.matrix(attr(obj, "deff")))))
    return(r)
  }
  stop("unknown class ", paste(class(obj), collapse = "/"))
}

estimates <- list()
for (d in names(designs)) {
  des <- designs[[d]]
  for (e in names(est_calls)) {
    obj <- suppressWarnings(eval(parse(text = est_calls[[e]])))
    estimates[[length(estimates) + 1]] <- list(
      id = paste0(d, ":", e), design = d, design_call = design_calls[[d]],
      call = est_calls[[e]], degf = degf(des), result = extract(obj, des))
  }
}
doc <- list(
  generated_by = "tests/stats/reference/make_calibration_reference.R",
  versions = list(R = R.version.string, survey = as.character(packageVersion("survey"))),
  options = list(survey.lonely.psu = "adjust", survey.adjust.domain.lonely = FALSE),
  base_designs = list(
    dclus1 = "svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc)",
    dstrat = "svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat, fpc=~fpc)",
    dclus2 = "svydesign(id=~dnum+snum, fpc=~fpc1+fpc2, data=apiclus2)",
    dclus1_unweighted = "svydesign(id=~dnum, data=apiclus1)"),
  populations = list(
    pop.types = "data.frame(stype=c('E','H','M'), Freq=c(4421,755,1018))",
    pop.schwide = "data.frame(sch.wide=c('No','Yes'), Freq=c(1072,5122))",
    pop.awards = "data.frame(awards=c('No','Yes'), Freq=c(2027,4167))",
    pop.cells = "stype x sch.wide: E/No 472, H/No 334, M/No 266, E/Yes 3949, H/Yes 421, M/Yes 752",
    pop.totals = "c(`(Intercept)`=6194, stypeH=755, stypeM=1018, api99=3914069)"),
  notes = c("Numbers are printed with 17 significant digits (%.17g).",
            "ci_t_degf = confint(x, df=degf(design)).",
            "weights = weights(design) after calibration, in data order.",
            "unweighted_cal_logit: every total is 20+ times its sample total, so R's grake rescales the weights (by the mean ratio) and the bounds apply after rescaling.",
            "svyglm '_tight' fits restart from an epsilon=1e-13 fit, so they are converged."),
  designs = lapply(names(design_calls), function(nm) list(
    id = nm, call = design_calls[[nm]], degf = degf(designs[[nm]]),
    weights = unname(weights(designs[[nm]])))),
  estimates = estimates)
writeLines(to_json(doc), file.path(ref_dir, "calibration_reference.json"))
cat("wrote", length(estimates), "reference estimates for", length(designs), "designs\n")
