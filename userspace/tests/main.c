// SPDX-License-Identifier: GPL-2.0
/* Host unit tests of vwctl.  Usage: tests/unit PATH_TO_VWCTL */
#include <stdio.h>

#include "ktap.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH_TO_VWCTL\n", argv[0]);
		return 2;
	}
	test_parse();
	test_print();
	test_netlink();
	test_batch();
	test_monitor();
	test_exit();
	test_cli(argv[1]);
	return ktap_finish();
}
