/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vwctl sla show-tc DEV capacity RATE: the tc commands that give the
 * connectors leaving by DEV their guaranteed rates, as HTB classes
 * (Documentation/sla.rst).  The maximum rates are the module's to keep.
 */
#ifndef VWCTL_SLA_H
#define VWCTL_SLA_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"

/*
 * The device by which @ep's outer packets leave, into @dev; false when
 * there is no route (or it is not a UDP wire).  sla_route_dev() asks the
 * kernel; the unit tests give their own.
 */
typedef bool (*sla_route_fn)(const struct vw_endpoint *ep,
			     char dev[IFNAMSIZ]);
bool sla_route_dev(const struct vw_endpoint *ep, char dev[IFNAMSIZ]);

/*
 * Print to @out the recipe for @dev of @capacity bytes per second, for
 * the connectors of @eps with a guarantee whose route leaves by @dev.
 * On a configuration no recipe can serve, say why on @err and return
 * false, having printed nothing.
 */
bool sla_show_tc(FILE *out, FILE *err, const char *dev, uint64_t capacity,
		 const struct vw_endpoint *eps, size_t n, sla_route_fn route);

#endif /* VWCTL_SLA_H */
