/*
 * faults.h - fault injection, for the test build only.
 *
 * The Makefile defines EW_FAULTS as 0 for the real binary and 1 for the
 * test build (make build/earlywall-faults). Code asks
 * `if (EW_FAULTS && ew_fault("point"))`, so the production binary holds
 * neither the check nor ew_fault() itself, and reads no environment.
 */
#ifndef EW_FAULTS_H
#define EW_FAULTS_H

/* Whether EW_FAULT (a comma-separated list in the environment) names point. */
int ew_fault(const char *point);

#endif
