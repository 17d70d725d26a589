/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A few lines of KTAP: each case collects checks, and the report (with
 * the plan up front, as KTAP wants it) is printed once all cases ran.
 */
#ifndef VWCTL_KTAP_H
#define VWCTL_KTAP_H

#include <stdbool.h>

__attribute__((format(printf, 1, 2)))
void ktap_begin(const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
void ktap_diag(const char *fmt, ...);
bool ktap_check(bool cond, const char *file, int line, const char *expr);
void ktap_skip(const char *reason);
void ktap_end(void);
/* Print the report; the exit code: 0 when no case failed. */
int ktap_finish(void);

#define CHECK(cond) ktap_check(!!(cond), __FILE__, __LINE__, #cond)

/* String equality, showing both sides when they differ. */
#define CHECK_STR(got, want) ktap_check_str((got), (want), __FILE__, __LINE__)
bool ktap_check_str(const char *got, const char *want, const char *file,
		    int line);

void test_parse(void);
void test_print(void);
void test_netlink(void);
void test_batch(void);
void test_monitor(void);
void test_options(void);
void test_exit(void);
void test_cli(const char *vwctl);
void test_util(void);
void test_reconcile(void);
void test_sla(void);
/* The request loop against the kernel's nlctrl family (tests/unit --kernel). */
void test_netlink_kernel(void);

#endif /* VWCTL_KTAP_H */
