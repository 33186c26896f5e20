/*
 * init.h - earlywall as PID 1.
 */
#ifndef EW_INIT_H
#define EW_INIT_H

/* Lock down, then exec the real init. Never returns. */
void ew_init(int argc, char **argv) __attribute__((noreturn));

#endif
