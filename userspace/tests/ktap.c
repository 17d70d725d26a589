// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktap.h"

static FILE *body;
static char *body_buf;
static size_t body_len;
static int ncases, nfailed, nskipped;
static bool in_case, case_failed;
static char case_name[256];
static const char *skip_reason;

void ktap_begin(const char *fmt, ...)
{
	va_list ap;

	if (!body)
		body = open_memstream(&body_buf, &body_len);
	va_start(ap, fmt);
	vsnprintf(case_name, sizeof(case_name), fmt, ap);
	va_end(ap);
	in_case = true;
	case_failed = false;
	skip_reason = NULL;
}

/* Diagnostics go before the result line, each line behind "# ". */
void ktap_diag(const char *fmt, ...)
{
	char buf[4096], *line, *save = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		fprintf(body, "# %s\n", line);
}

bool ktap_check(bool cond, const char *file, int line, const char *expr)
{
	if (!cond) {
		ktap_diag("%s:%d: check failed: %s", file, line, expr);
		case_failed = true;
	}
	return cond;
}

bool ktap_check_str(const char *got, const char *want, const char *file,
		    int line)
{
	if (got && want && !strcmp(got, want))
		return true;
	ktap_diag("%s:%d: got  '%s'", file, line, got ? got : "(null)");
	ktap_diag("%s:%d: want '%s'", file, line, want ? want : "(null)");
	case_failed = true;
	return false;
}

void ktap_skip(const char *reason)
{
	skip_reason = reason;
}

void ktap_end(void)
{
	if (!in_case)
		return;
	ncases++;
	if (case_failed)
		nfailed++;
	fprintf(body, "%sok %d - %s", case_failed ? "not " : "", ncases,
		case_name);
	if (skip_reason && !case_failed) {
		fprintf(body, " # SKIP %s", skip_reason);
		nskipped++;
	}
	fputc('\n', body);
	in_case = false;
}

int ktap_finish(void)
{
	if (!body)
		body = open_memstream(&body_buf, &body_len);
	fclose(body);
	printf("TAP version 13\n1..%d\n%s", ncases, body_buf);
	/* The kselftest summary line, for whoever adds up the results. */
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
	       ncases - nfailed - nskipped, nfailed, nskipped);
	free(body_buf);
	fflush(stdout);
	return nfailed ? 1 : 0;
}
