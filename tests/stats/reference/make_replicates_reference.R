#!/usr/bin/env Rscript
# Reference values for replicate-weight designs (hopeful.stats.replicates) from R 'survey'.
#   cd tests/stats/reference && Rscript make_replicates_reference.R
# Writes replicates_reference.json, synthetic_brr.csv (synthetic 2-PSUs-per-stratum data made
# here with set.seed) and synthetic_brr_lonely.csv (the same with one single-PSU stratum), apistrat_boot.csv (R's own bootstrap multipliers) and
# apiclus1_jk1_cols.csv (apiclus1 with R's JK1 replicate weights as columns).
# Every design and estimate records the exact R call, evaluated from that string.
suppressPackageStartupMessages(library(survey))
get_script_dir <- function() {
  a <- commandArgs(trailingOnly = FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else "."
}
ref_dir <- get_script_dir()
source(file.path(ref_dir, "json_util.R"))
options(survey.replicates.mse = FALSE)
ev <- function(text) eval(parse(text = text), envir = globalenv())
write_csv17 <- function(df, path) {
  out <- df
  for (nm in names(out)) if (is.double(out[[nm]])) out[[nm]] <- sprintf("%.17g", out[[nm]])
  write.csv(out, path, row.names = FALSE, quote = FALSE)
}

data(api)
# Synthetic data: 10 strata (labels 1..10, so R's character sort "1","10","2",... matters),
# exactly 2 PSUs per stratum, 3 to 6 rows per PSU.
set.seed(20261207)
rows <- do.call(rbind, lapply(1:10, function(h) do.call(rbind, lapply(1:2, function(j) {
  m <- sample(3:6, 1)
  data.frame(stratum = h, psu = j, w = round(runif(m, 5, 25), 3))
}))))
rows$x <- round(rnorm(nrow(rows), 10, 3), 4)
rows$y <- round(2 + 0.5 * rows$x + rnorm(nrow(rows)), 4)
rows$cat <- sample(c("a", "b", "c"), nrow(rows), replace = TRUE)
rows$grp <- sample(c("p", "q"), nrow(rows), replace = TRUE)
rows$yes <- ifelse(runif(nrow(rows)) < plogis(-3 + 0.3 * rows$x), "Yes", "No")
brrdat <- rows
write_csv17(brrdat, file.path(ref_dir, "synthetic_brr.csv"))

base <- list(
  strat = "svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat)",
  clus1 = "svydesign(id=~dnum, weights=~pw, data=apiclus1)",
  clus2 = "svydesign(id=~dnum+snum, weights=~pw, data=apiclus2)",
  syn = "svydesign(id=~psu, strata=~stratum, weights=~w, nest=TRUE, data=brrdat)"
)

# R's bootstrap multipliers (random), exported so Python can use the same replicates.
set.seed(20261207)
boot_call <- sprintf("as.svrepdesign(%s, type='bootstrap', replicates=50)", base$strat)
bootdes <- ev(boot_call)
bw <- bootdes$repweights$weights[bootdes$repweights$index, ]
colnames(bw) <- paste0("bw", 1:50)
write_csv17(data.frame(pw = apistrat$pw, bw), file.path(ref_dir, "apistrat_boot.csv"))
bootdat <- cbind(apistrat, as.data.frame(bw))

jkdes <- ev(sprintf("as.svrepdesign(%s, type='JK1')", base$clus1))
jw <- weights(jkdes, "analysis")
colnames(jw) <- paste0("jk", seq_len(ncol(jw)))
write_csv17(data.frame(pw = apiclus1$pw, jw), file.path(ref_dir, "apiclus1_jk1_cols.csv"))
jkdat <- cbind(apiclus1, as.data.frame(jw))

jkn_src <- ev(sprintf("as.svrepdesign(%s, type='JKn')", base$strat))
jknw <- weights(jkn_src, "analysis")
colnames(jknw) <- paste0("jkn", seq_len(ncol(jknw)))
jkndat <- cbind(apistrat, as.data.frame(jknw))
jkn_rscales <- jkn_src$rscales

# A stratum with a single PSU (stratum 1 keeps only PSU 1) for the JKn lonely-PSU rules.
brrlonely <- subset(brrdat, !(stratum == 1 & psu == 2))
write_csv17(brrlonely, file.path(ref_dir, "synthetic_brr_lonely.csv"))

designs <- list(
  strat_jkn = list(call = sprintf("as.svrepdesign(%s, type='JKn')", base$strat), data = "apistrat"),
  clus1_jk1 = list(call = sprintf("as.svrepdesign(%s, type='JK1')", base$clus1), data = "apiclus1"),
  clus1_jk1_mse = list(call = sprintf("as.svrepdesign(%s, type='JK1', mse=TRUE)", base$clus1), data = "apiclus1"),
  clus2_jk1 = list(call = sprintf("as.svrepdesign(%s, type='JK1')", base$clus2), data = "apiclus2"),
  syn_brr = list(call = sprintf("as.svrepdesign(%s, type='BRR')", base$syn), data = "synthetic_brr"),
  syn_fay = list(call = sprintf("as.svrepdesign(%s, type='Fay', fay.rho=0.3)", base$syn), data = "synthetic_brr"),
  strat_boot = list(call = boot_call, data = "apistrat", seed = 20261207),
  strat_boot_cols = list(call = "svrepdesign(data=bootdat, weights=~pw, repweights='bw[0-9]+', type='bootstrap', combined.weights=FALSE)", data = "apistrat"),
  clus1_jk1_cols = list(call = "svrepdesign(data=jkdat, weights=~pw, repweights='jk[0-9]+', type='JK1', combined.weights=TRUE)", data = "apiclus1"),
  syn_lonely_adjust = list(call = "as.svrepdesign(svydesign(id=~psu, strata=~stratum, weights=~w, nest=TRUE, data=brrlonely), type='JKn')",
                           data = "synthetic_brr_lonely", lonely = "adjust"),
  syn_lonely_average = list(call = "as.svrepdesign(svydesign(id=~psu, strata=~stratum, weights=~w, nest=TRUE, data=brrlonely), type='JKn')",
                            data = "synthetic_brr_lonely", lonely = "average"),
  clus1_sdr_cols = list(call = "svrepdesign(data=jkdat, weights=~pw, repweights='jk[0-9]+', type='successive-difference')", data = "apiclus1"),
  clus1_other_cols = list(call = "svrepdesign(data=jkdat, weights=~pw, repweights='jk[0-9]+', type='other', scale=0.5, rscales=0.9)", data = "apiclus1"),
  strat_jkn_cols = list(call = "svrepdesign(data=jkndat, weights=~pw, repweights='jkn[0-9]+', type='JKn', combined.weights=TRUE, rscales=jkn_rscales, mse=TRUE)", data = "apistrat")
)

vars <- list(
  api = list(num1 = "api00", num2 = "api99", tot = "enroll", fac = "stype", bin = "sch.wide",
             by = "awards", by2 = "stype", x = "ell + meals + mobility", small = "cname"),
  syn = list(num1 = "y", num2 = "x", tot = "x", fac = "cat", bin = "yes", by = "grp", by2 = "cat",
             x = "x", small = "stratum")
)

# An R call that fails is skipped and reported (svyby over counties on clus1_other_cols: with a
# scalar rscales R's svrVar drops NA replicates by indexing rscales and finds none left).
# Each estimate: the R call (with DES for the design) and what Python computes. by_mean_small
# has domains (counties, strata) inside one or two PSUs, so some replicates give no estimate
# and R's svrVar drops them. (The synthetic data avoid a column named `g`: svyciprop's
# internal svyglm evaluates a call object named g inside the data and would find the column.)
templates <- function(v) list(
  mean_num = list(r = sprintf("svymean(~%s, DES)", v$num1), py = list(fn = "mean", variable = v$num1)),
  mean_num_deff = list(r = sprintf("svymean(~%s, DES, deff=TRUE)", v$num1), py = list(fn = "mean", variable = v$num1, deff = TRUE)),
  total_num = list(r = sprintf("svytotal(~%s, DES, na.rm=TRUE)", v$tot), py = list(fn = "total", variable = v$tot)),
  total_num_deff = list(r = sprintf("svytotal(~%s, DES, na.rm=TRUE, deff=TRUE)", v$tot), py = list(fn = "total", variable = v$tot, deff = TRUE)),
  mean_fac = list(r = sprintf("svymean(~%s, DES)", v$fac), py = list(fn = "mean", variable = v$fac)),
  total_fac = list(r = sprintf("svytotal(~%s, DES)", v$fac), py = list(fn = "total", variable = v$fac)),
  mean_two = list(r = sprintf("svymean(~%s+%s, DES)", v$num1, v$num2), py = list(fn = "mean", variable = c(v$num1, v$num2))),
  mean_num_fac = list(r = sprintf("svymean(~%s+%s, DES)", v$num1, v$fac), py = list(fn = "mean", variable = c(v$num1, v$fac))),
  by_mean = list(r = sprintf("svyby(~%s, ~%s, DES, svymean)", v$num1, v$by), py = list(fn = "mean", variable = v$num1, by = v$by)),
  by_mean_two = list(r = sprintf("svyby(~%s, ~%s+%s, DES, svymean)", v$num1, v$by2, v$by), py = list(fn = "mean", variable = v$num1, by = c(v$by2, v$by))),
  by_mean_small = list(r = sprintf("svyby(~%s, ~%s, DES, svymean)", v$num1, v$small), py = list(fn = "mean", variable = v$num1, by = v$small)),
  by_total = list(r = sprintf("svyby(~%s, ~%s, DES, svytotal, na.rm=TRUE)", v$tot, v$by), py = list(fn = "total", variable = v$tot, by = v$by)),
  ciprop_beta = list(r = sprintf("svyciprop(~I(%s=='Yes'), DES, method='beta')", v$bin), py = list(fn = "proportion", variable = v$bin, ci = "beta", level_value = "Yes")),
  ciprop_logit = list(r = sprintf("svyciprop(~I(%s=='Yes'), DES, method='logit')", v$bin), py = list(fn = "proportion", variable = v$bin, ci = "logit", level_value = "Yes")),
  by_ciprop_beta = list(r = sprintf("svyby(~I(%s=='Yes'), ~%s, DES, svyciprop, method='beta', vartype=c('se','ci'))", v$bin, v$by), py = list(fn = "proportion", variable = v$bin, ci = "beta", by = v$by, level_value = "Yes")),
  by_ciprop_logit = list(r = sprintf("svyby(~I(%s=='Yes'), ~%s, DES, svyciprop, method='logit', vartype=c('se','ci'))", v$bin, v$by), py = list(fn = "proportion", variable = v$bin, ci = "logit", by = v$by, level_value = "Yes")),
  glm_gauss = list(r = sprintf("svyglm(%s ~ %s, DES)", v$num1, v$x), py = list(fn = "linear", formula = sprintf("%s ~ %s", v$num1, v$x))),
  glm_logit = list(r = sprintf("svyglm(I(%s=='Yes') ~ %s, DES, family=quasibinomial(), control=glm.control(epsilon=1e-13, maxit=100))", v$bin, v$x),
                   py = list(fn = "logistic", formula = sprintf("bin01 ~ %s", v$x), bin = v$bin))
)

extract <- function(obj) {
  if (inherits(obj, "svyglm")) {
    return(list(kind = "svyglm", names = names(coef(obj)), coef = unname(coef(obj)), se = unname(SE(obj)),
                vcov = unname(as.numeric(vcov(obj))), df_residual = obj$df.residual,
                confint = unname(as.numeric(confint(obj)))))
  }
  if (inherits(obj, "svyciprop")) {
    return(list(kind = "svyciprop", coef = unname(coef(obj)[1]), se = sqrt(as.numeric(attr(obj, "var"))),
                ci = unname(as.numeric(attr(obj, "ci")))))
  }
  if (inherits(obj, "svyby")) {
    nb <- length(attr(obj, "svyby")$margins)
    r <- list(kind = "svyby", by = lapply(as.list(obj[, seq_len(nb), drop = FALSE]), as.character),
              coef = unname(as.numeric(coef(obj))), se = unname(as.numeric(SE(obj))))
    if (!is.null(obj$ci_l)) { r$ci_l <- unname(as.numeric(obj$ci_l)); r$ci_u <- unname(as.numeric(obj$ci_u)) }
    return(r)
  }
  r <- list(kind = "svrepstat", names = names(coef(obj)), coef = unname(as.numeric(coef(obj))),
            se = unname(as.numeric(SE(obj))), vcov = unname(as.numeric(vcov(obj))))
  if (!is.null(attr(obj, "deff"))) r$deff <- unname(as.numeric(diag(as.matrix(attr(obj, "deff")))))
  r
}

design_out <- list()
estimates <- list()
for (id in names(designs)) {
  spec <- designs[[id]]
  if (!is.null(spec$seed)) set.seed(spec$seed)
  options(survey.lonely.psu = if (is.null(spec$lonely)) "fail" else spec$lonely)
  des <- suppressWarnings(ev(spec$call))
  assign(id, des, envir = globalenv())
  w <- weights(des, "analysis")
  design_out[[id]] <- list(call = spec$call, data = spec$data, type = des$type,
                           options = list(survey.lonely.psu = getOption("survey.lonely.psu")), scale = des$scale,
                           rscales = arr(des$rscales), mse = isTRUE(des$mse), degf = degf(des),
                           n_replicates = ncol(w), pweights_sum = sum(des$pweights),
                           colsums = arr(colSums(w)), index_sums = arr(colSums(w * seq_len(nrow(w)))),
                           sq_sums = arr(colSums(w^2)),
                           weights = if (startsWith(spec$data, "synthetic")) arr(as.numeric(w)) else NULL)
  v <- if (startsWith(spec$data, "synthetic")) vars$syn else vars$api
  for (name in names(templates(v))) {
    t <- templates(v)[[name]]
    call <- gsub("DES", id, t$r, fixed = TRUE)
    res <- tryCatch(suppressWarnings(ev(call)), error = function(e) { cat("R error (skipped):", call, conditionMessage(e), "\n"); NULL })
    if (is.null(res)) next
    estimates[[length(estimates) + 1]] <- list(id = paste0(id, ":", name), design = id, call = call,
                                               py = t$py, result = extract(res))
  }
}

# R's Hadamard matrices (survey:::hadamard) for 1..80 strata, as rows of 0/1 strings.
had <- lapply(1:80, function(n) apply(survey:::hadamard(n), 1, paste, collapse = ""))

out <- list(generated_by = "make_replicates_reference.R",
            r_version = R.version.string, survey_version = as.character(packageVersion("survey")),
            datasets = list(apistrat = "apistrat.csv", apiclus1 = "apiclus1.csv", apiclus2 = "apiclus2.csv",
                            synthetic_brr = "synthetic_brr.csv",
                            synthetic_brr_lonely = "synthetic_brr_lonely.csv"),
            bootstrap_csv = "apistrat_boot.csv", jk1_cols_csv = "apiclus1_jk1_cols.csv",
            jkn_rscales = arr(jkn_rscales),
            designs = design_out, estimates = estimates, hadamard = had)
writeLines(to_json(out), file.path(ref_dir, "replicates_reference.json"))
cat("wrote", length(estimates), "estimates\n")
