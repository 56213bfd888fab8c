/* The functions behind the rows of the check table (checks.c). */
#ifndef HC_CHECK_FNS_H
#define HC_CHECK_FNS_H

#include "context.h"
#include "findings.h"

/* check_cloud.c */
void	check_cloud_selection(const struct context *, struct findings *);

#endif
