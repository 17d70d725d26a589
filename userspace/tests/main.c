// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of vwctl.  Usage: tests/unit PATH_TO_VWCTL
 *
 * They never talk to the kernel: vwctl runs with VWCTL_TEST_ROOT set
 * (see vw_nl_open()), and scripts/tests/unit-netlink.sh checks that no
 * generic netlink socket is opened.  tests/unit --kernel runs the tests
 * that do, against the kernel's nlctrl family: selftests/nl_request.sh,
 * in the test VM.
 */
#include <stdio.h>
#include <string.h>

#include "ktap.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH_TO_VWCTL | --kernel\n",
			argv[0]);
		return 2;
	}
	if (!strcmp(argv[1], "--kernel")) {
		test_netlink_kernel();
		return ktap_finish();
	}
	test_parse();
	test_print();
	test_netlink();
	test_batch();
	test_monitor();
	test_options();
	test_exit();
	test_cli(argv[1]);
	test_util();
	test_reconcile();
	test_sla();
	return ktap_finish();
}
