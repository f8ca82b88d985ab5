#!/usr/bin/env Rscript
# Peer for bench/stats_more_bench.py: R 'survey' on a BRFSS-like CSV, tasks Q1 R1 C1 K1 P1 J1.
#   Rscript bench/peers_more/r_more.R --data bench/data/brfss_like_400000.csv --out r.json
#         [--tasks Q1,R1,C1,K1,P1,J1] [--lonely adjust]
# Design: svydesign(ids=~psu, strata=~stratum, weights=~w, nest=TRUE); lonely PSUs "adjust".
# The population counts of K1/P1 and the replicate groups of J1 are defined here exactly as in
# stats_more_bench.py's hopeful worker (see there).
suppressPackageStartupMessages({ library(survey); library(data.table) })
src <- sub("^--file=", "", grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE))
source(file.path(dirname(dirname(normalizePath(src))), "..", "tests", "stats", "reference",
                 "json_util.R"))

args <- commandArgs(trailingOnly = TRUE)
opt <- list(data = NULL, tasks = "Q1,R1,C1,K1,P1,J1", lonely = "adjust", out = "")
i <- 1
while (i <= length(args)) { k <- sub("^--", "", args[i]); opt[[k]] <- args[i + 1]; i <- i + 2 }
tasks <- strsplit(opt$tasks, ",")[[1]]
options(survey.lonely.psu = opt$lonely)
now <- function() proc.time()[["elapsed"]]
timings <- list(); res <- list()
PROBS <- c(0.25, 0.5, 0.75); FACTOR <- 1.05; N_REP <- 80

t0 <- now()
df <- as.data.frame(fread(opt$data, showProgress = FALSE))
timings$load <- now() - t0
t0 <- now()
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, nest = TRUE, data = df)
timings$T0_design <- now() - t0

# Population counts: each level's share of the rows times the weights' sum times FACTOR.
pop <- function(v) {
  tab <- table(df[[v]])
  out <- data.frame(as.integer(names(tab)), as.numeric(tab) / nrow(df) * sum(df$w) * FACTOR)
  names(out) <- c(v, "Freq")
  out
}
by_est <- function(b, cols) as.numeric(t(as.matrix(b[, cols, drop = FALSE])))

if ("Q1" %in% tasks) {
  t0 <- now()
  q <- svyquantile(~age, des, PROBS, ci = TRUE, se = TRUE)
  qb <- svyby(~age, ~state, des, svyquantile, quantiles = PROBS, ci = TRUE,
              vartype = c("se", "ci"))
  timings$Q1 <- now() - t0
  qn <- paste0("age.", PROBS)
  res$Q1 <- list(est = c(unname(coef(q)), by_est(qb, qn)),
                 se = c(unname(SE(q)), by_est(qb, paste0("se.", qn))),
                 ci_l = c(unname(confint(q)[, 1]), by_est(qb, paste0("ci_l.", qn))),
                 ci_u = c(unname(confint(q)[, 2]), by_est(qb, paste0("ci_u.", qn))),
                 domain = qb$state)
}
if ("R1" %in% tasks) {
  t0 <- now()
  rb <- svyby(~ace, ~state, des, svyratio, denominator = ~pce)
  timings$R1 <- now() - t0
  res$R1 <- list(domain = rb$state, est = unname(as.numeric(coef(rb))),
                 se = unname(as.numeric(SE(rb))))
}
if ("C1" %in% tasks) {
  t0 <- now()
  ct <- svychisq(~pce_cat + income4, des, statistic = "F")
  timings$C1 <- now() - t0
  res$C1 <- list(est = unname(c(ct$statistic, ct$parameter, ct$p.value)),
                 names = c("F", "ndf", "ddf", "p"))
}
if ("K1" %in% tasks) {
  t0 <- now()
  rk <- rake(des, list(~sex, ~race4), list(pop("sex"), pop("race4")))
  timings$K1_rake <- now() - t0
  kb <- svyby(~dep, ~state, rk, svymean)
  timings$K1 <- now() - t0
  res$K1 <- list(domain = kb$state, est = unname(as.numeric(coef(kb))),
                 se = unname(as.numeric(SE(kb))))
}
if ("P1" %in% tasks) {
  t0 <- now()
  ps <- postStratify(des, ~income4, pop("income4"))
  pm <- svymean(~pce, ps)
  timings$P1 <- now() - t0
  res$P1 <- list(est = unname(coef(pm)), se = unname(SE(pm)))
}
if ("J1" %in% tasks) {
  # 80 random-group jackknife replicates: PSUs (stratum, psu) in sorted order are dealt into
  # groups 1..80; replicate r drops group r and multiplies the other weights by 80/79.
  id <- df$stratum * 1000 + df$psu
  g <- (match(id, sort(unique(id))) - 1) %% N_REP + 1
  repw <- outer(g, seq_len(N_REP), "!=") * (df$w * N_REP / (N_REP - 1))
  t0 <- now()
  rd <- svrepdesign(data = df, repweights = repw, weights = ~w, type = "JK1",
                    combined.weights = TRUE)
  jb <- svyby(~pce, ~state, rd, svymean)
  timings$J1 <- now() - t0
  res$J1 <- list(domain = jb$state, est = unname(as.numeric(coef(jb))),
                 se = unname(as.numeric(SE(jb))))
}
out <- list(peer = "r-survey", versions = list(R = R.version.string,
              survey = as.character(packageVersion("survey"))),
            data = basename(opt$data), timings = timings, results = res)
js <- to_json(out)
if (nzchar(opt$out)) writeLines(js, opt$out) else cat(js, "\n")
