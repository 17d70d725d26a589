/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rates and sizes in the words tc takes (tc(8), "PARAMETERS"): a number,
 * possibly with a fraction, and a unit.  Rates: bit (or a bare number),
 * kbit, mbit, gbit, tbit in bits per second, bps, kbps, mbps, gbps, tbps
 * in bytes per second, all SI (1000), and the IEC variants kibit .. tibit
 * and kibps .. tibps (1024).  Sizes: b (or a bare number), k or kb, m or
 * mb, g or gb in bytes and kbit, mbit, gbit in bits, all 1024, as tc.
 * Nothing here prints: the callers say what was wrong in their words.
 */
#ifndef VWCTL_UNITS_H
#define VWCTL_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a parse came to. */
enum {
	UNITS_OK,
	UNITS_BAD,		/* not a number with a known unit */
	UNITS_TOO_BIG,		/* above the max the caller gave */
	UNITS_TOO_SMALL,	/* not zero, but less than one byte */
};

/*
 * s as a rate, into *bytes_per_sec, rounded down to whole bytes per
 * second (tc does the same); at most max.
 */
int units_parse_rate(const char *s, uint64_t max, uint64_t *bytes_per_sec);
/* s as a size, into *bytes, rounded down; at most max. */
int units_parse_size(const char *s, uint64_t max, uint64_t *bytes);

/*
 * The words of a rate, exact and in the largest SI unit of bits that
 * gives a whole number: "100mbit", "10gbit", "8bit", "0".
 */
const char *units_rate_str(uint64_t bytes_per_sec, char *buf, size_t len);
/* The words of a size, exact: "64k", "1m", "1500". */
const char *units_size_str(uint64_t bytes, char *buf, size_t len);

#endif /* VWCTL_UNITS_H */
