/*
 * The trust drawn in the HTML report: every check of the catalogue judges
 * one edge of the drawing or is listed as not drawn; every edge joins two
 * nodes and names real checks; an edge's state is what its checks said.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "checks.h"
#include "report_trust.h"

static int
node_exists(const char *id)
{
	for (const struct trust_node *n = trust_nodes; n->id; n++)
		if (strcmp(n->id, id) == 0)
			return 1;
	return 0;
}

static void
test_every_check_drawn_once(void **state)
{
	(void)state;
	for (const struct check *c = checks; c->id; c++) {
		size_t on = 0;

		for (const struct trust_edge *e = trust_edges; e->id; e++)
			for (size_t k = 0; k < TRUST_EDGE_CHECKS && e->checks[k]; k++)
				on += strcmp(e->checks[k], c->id) == 0;
		for (size_t k = 0; trust_undrawn[k]; k++)
			on += strcmp(trust_undrawn[k], c->id) == 0;
		if (on != 1)
			fail_msg("check '%s' is on %zu edges of the drawing (or the "
			    "undrawn list); it must be on one", c->id, on);
	}
	for (const struct trust_edge *e = trust_edges; e->id; e++) {
		assert_true(node_exists(e->from));
		assert_true(node_exists(e->to));
		assert_non_null(e->checks[0]);
		for (size_t k = 0; k < TRUST_EDGE_CHECKS && e->checks[k]; k++)
			if (checks_find(e->checks[k]) == NULL)
				fail_msg("edge '%s' names '%s', which is no check",
				    e->id, e->checks[k]);
	}
	for (size_t k = 0; trust_undrawn[k]; k++)
		assert_non_null(checks_find(trust_undrawn[k]));
}

static void
test_edge_state(void **state)
{
	const struct trust_edge *e = NULL;
	struct findings f = { 0 };

	(void)state;
	for (const struct trust_edge *x = trust_edges; x->id; x++)
		if (strcmp(x->id, "servers-authcert") == 0)
			e = x;
	assert_non_null(e);
	assert_int_equal(trust_edge_state(e, &f), TRUST_UNCHECKED);
	findings_add_for(&f, "auth-cert.validity", SEV_SKIP, "", "needs x");
	assert_int_equal(trust_edge_state(e, &f), TRUST_UNCHECKED);
	findings_add_for(&f, "auth-cert.key", SEV_INFO, "c", "fine");
	assert_int_equal(trust_edge_state(e, &f), TRUST_OK);
	findings_add_for(&f, "auth-cert.key", SEV_WARN, "c", "hmm");
	assert_int_equal(trust_edge_state(e, &f), TRUST_WARN);
	findings_add_for(&f, "onprem.metadata", SEV_ERROR, "h", "timed out");
	assert_int_equal(trust_edge_state(e, &f), TRUST_ERROR);
	findings_add_for(&f, "auth-config.certificate", SEV_FAIL, "h", "expired");
	assert_int_equal(trust_edge_state(e, &f), TRUST_FAIL);
	findings_add_for(&f, "onprem.metadata", SEV_ERROR, "h", "timed out");
	assert_int_equal(trust_edge_state(e, &f), TRUST_FAIL);
	/* Another edge's checks do not count here. */
	findings_release(&f);
	findings_add_for(&f, "ioc.cloud", SEV_FAIL, "c", "wrong");
	assert_int_equal(trust_edge_state(e, &f), TRUST_UNCHECKED);
	findings_release(&f);
	assert_string_equal(trust_state_name(TRUST_UNCHECKED), "not-checked");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_check_drawn_once),
		cmocka_unit_test(test_edge_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
