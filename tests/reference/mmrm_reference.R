# R reference outputs for hipback's MMRM (tests/trial/analysis/test_r_agreement.py reads them).
#
# Regenerate (needs Debian r-base-core, r-cran-nlme, r-cran-emmeans, r-cran-jsonlite):
#     apt-get install -y r-base-core r-cran-nlme r-cran-emmeans r-cran-jsonlite
#     .venv/bin/python tests/reference/make_datasets.py   # only if the CSVs must change
#     Rscript tests/reference/mmrm_reference.R            # writes <dataset>.R.json next to each CSV
#
# Model: change ~ visit*arm + visit*base + site + sex on observed rows only (ITT on available data),
# unstructured covariance as corSymm on an INTEGER visit index + varIdent by visit, REML,
# glsControl(natural = FALSE) so emmeans can use its analytic Satterthwaite df (stats.md §4b,
# pitfalls 1-2). LS means: emmeans defaults (base at its mean over the fitted rows, site and sex
# levels weighted equally). Contrasts: every arm minus the reference arm per visit, unadjusted.
suppressPackageStartupMessages({
  library(nlme)
  library(emmeans)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(script)) dirname(normalizePath(script)) else "tests/reference"

datasets <- c("mash_qbpds_2visit", "dropout_2visit", "three_visit", "unbalanced_sites_gait",
              "three_arms")
reference_arm <- "spine"

for (name in datasets) {
  raw <- read.csv(file.path(here, paste0(name, ".csv")), stringsAsFactors = FALSE,
                  colClasses = c(participant_id = "character", site = "character",
                                 sex = "character", visit = "character", arm = "character"))
  d <- raw[!is.na(raw$outcome), ]
  visit_levels <- unique(raw$visit)                       # order of first appearance
  arm_levels <- c(reference_arm, sort(setdiff(unique(raw$arm), reference_arm), method = "radix"))
  d$visit <- factor(d$visit, levels = visit_levels)
  d$vnum <- as.integer(d$visit)
  d$arm <- factor(d$arm, levels = arm_levels)
  d$site <- factor(d$site, levels = sort(unique(raw$site), method = "radix"))
  d$sex <- factor(d$sex, levels = sort(unique(raw$sex), method = "radix"))
  d$id <- factor(d$participant_id)
  d$base <- d$baseline
  d$chg <- d$outcome - d$baseline

  fit <- gls(chg ~ visit * arm + visit * base + site + sex, data = d,
             correlation = corSymm(form = ~ vnum | id),
             weights = varIdent(form = ~ 1 | visit), method = "REML",
             control = glsControl(natural = FALSE))
  counts <- table(d$id)
  completer <- names(counts)[counts == length(visit_levels)][1]
  sigma <- unclass(getVarCov(fit, individual = completer))

  em <- emmeans(fit, ~ arm | visit, mode = "satterthwaite", data = d)
  ems <- as.data.frame(summary(em, infer = TRUE))
  con <- as.data.frame(summary(contrast(em, "trt.vs.ctrl", ref = 1, adjust = "none"),
                               infer = TRUE, adjust = "none"))

  out <- list(
    dataset = name,
    r_version = R.version.string,
    nlme = as.character(packageVersion("nlme")),
    emmeans = as.character(packageVersion("emmeans")),
    visits = visit_levels,
    arms = arm_levels,
    n_observations = nrow(d),
    n_participants = length(unique(d$id)),
    loglik = as.numeric(logLik(fit)),
    coef_names = names(coef(fit)),
    coef = unname(coef(fit)),
    coef_se = unname(sqrt(diag(vcov(fit)))),
    sigma = unname(sigma),
    lsmeans = list(arm = as.character(ems$arm), visit = as.character(ems$visit),
                   estimate = ems$emmean, se = ems$SE, df = ems$df,
                   ci_low = ems$lower.CL, ci_high = ems$upper.CL),
    contrasts = list(contrast = as.character(con$contrast), visit = as.character(con$visit),
                     estimate = con$estimate, se = con$SE, df = con$df, t = con$t.ratio,
                     p = con$p.value, ci_low = con$lower.CL, ci_high = con$upper.CL)
  )
  writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE),
             file.path(here, paste0(name, ".R.json")))
  cat(name, ": logLik", format(out$loglik, digits = 12), "\n")
}
