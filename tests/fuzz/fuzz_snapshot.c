/*
 * Fuzzes the snapshot reader, and every check on what it accepts: a
 * snapshot that parses must never crash a check, whatever it holds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "cloud.h"
#include "context.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cloud_set clouds;
	static int loaded;
	struct snapshot *s = NULL;
	struct context ctx;
	struct findings f = { 0 };
	struct hcerr e;

	if (!loaded) {
		if (cloud_set_load_embedded(&clouds, &e) == -1)
			abort();
		loaded = 1;
	}
	if (snapshot_parse((const char *)data, size, "fuzz.json", &s, &e) == -1)
		return 0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.clouds = &clouds;
	ctx.cloud = s->cloud ? cloud_find(&clouds, s->cloud) : NULL;
	if (ctx.cloud == NULL)
		ctx.cloud = cloud_find(&clouds, "china");
	ctx.now = 1795263000;	/* 2026-11-21 */
	ctx.snapshot = s;
	ctx.have = INPUT_SNAPSHOT | INPUT_CLOUD;
	checks_run(&ctx, NULL, &f);
	findings_release(&f);
	ctx.snapshot = NULL;
	snapshot_free(s);
	return 0;
}
