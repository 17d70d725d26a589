// SPDX-License-Identifier: GPL-2.0
/*
 * tc's rates and sizes (see units.h).  A number is parsed as a long
 * double: 2^64 bits fit its 64-bit mantissa exactly, so "8796gbit" and a
 * byte count up to 2^32 lose nothing on the way.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "units.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct unit {
	const char *name;
	long double bits;	/* what one of it is, in bits */
};

#define K 1000.0L
#define KI 1024.0L

static const struct unit rate_units[] = {
	{ "", 1 },
	{ "bit", 1 },
	{ "kbit", K },
	{ "mbit", K * K },
	{ "gbit", K * K * K },
	{ "tbit", K * K * K * K },
	{ "kibit", KI },
	{ "mibit", KI * KI },
	{ "gibit", KI * KI * KI },
	{ "tibit", KI * KI * KI * KI },
	{ "bps", 8 },
	{ "kbps", 8 * K },
	{ "mbps", 8 * K * K },
	{ "gbps", 8 * K * K * K },
	{ "tbps", 8 * K * K * K * K },
	{ "kibps", 8 * KI },
	{ "mibps", 8 * KI * KI },
	{ "gibps", 8 * KI * KI * KI },
	{ "tibps", 8 * KI * KI * KI * KI },
};

static const struct unit size_units[] = {
	{ "", 8 },
	{ "b", 8 },
	{ "k", 8 * KI },
	{ "kb", 8 * KI },
	{ "m", 8 * KI * KI },
	{ "mb", 8 * KI * KI },
	{ "g", 8 * KI * KI * KI },
	{ "gb", 8 * KI * KI * KI },
	{ "kbit", KI },
	{ "mbit", KI * KI },
	{ "gbit", KI * KI * KI },
};

/* s in bits, by the units of table; *bytes rounded down, at most max. */
static int units_parse(const char *s, const struct unit *table, size_t n,
		       uint64_t max, uint64_t *bytes)
{
	long double v, bits;
	char *end;
	size_t i;

	/* No sign, no hex, no "inf": digits first, as tc's users write. */
	if (!isdigit((unsigned char)s[0]) && s[0] != '.')
		return UNITS_BAD;
	errno = 0;
	v = strtold(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return UNITS_BAD;
	/* "1e3kbit" is a number tc takes too, but nobody writes it. */
	if (strpbrk(s, "eEpPxX") && strpbrk(s, "eEpPxX") < end)
		return UNITS_BAD;
	for (i = 0; i < n; i++)
		if (!strcasecmp(end, table[i].name))
			break;
	if (i == n)
		return UNITS_BAD;
	bits = v * table[i].bits;
	if (bits / 8 > (long double)max)
		return UNITS_TOO_BIG;
	*bytes = (uint64_t)(bits / 8);
	if (bits > 0 && !*bytes)
		return UNITS_TOO_SMALL;
	return UNITS_OK;
}

int units_parse_rate(const char *s, uint64_t max, uint64_t *bytes_per_sec)
{
	return units_parse(s, rate_units, ARRAY_SIZE(rate_units), max,
			   bytes_per_sec);
}

int units_parse_size(const char *s, uint64_t max, uint64_t *bytes)
{
	return units_parse(s, size_units, ARRAY_SIZE(size_units), max, bytes);
}

const char *units_rate_str(uint64_t bytes_per_sec, char *buf, size_t len)
{
	static const char *const names[] = { "bit", "kbit", "mbit", "gbit",
					     "tbit" };
	unsigned __int128 bits = (unsigned __int128)bytes_per_sec * 8;
	size_t i = 0;

	if (!bits) {
		snprintf(buf, len, "0");
		return buf;
	}
	while (i + 1 < ARRAY_SIZE(names) && bits % 1000 == 0) {
		bits /= 1000;
		i++;
	}
	snprintf(buf, len, "%llu%s", (unsigned long long)bits, names[i]);
	return buf;
}

const char *units_size_str(uint64_t bytes, char *buf, size_t len)
{
	static const char *const names[] = { "", "k", "m", "g" };
	size_t i = 0;

	while (bytes && i + 1 < ARRAY_SIZE(names) && bytes % 1024 == 0) {
		bytes /= 1024;
		i++;
	}
	snprintf(buf, len, "%llu%s", (unsigned long long)bytes, names[i]);
	return buf;
}
