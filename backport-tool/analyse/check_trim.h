/*
 * check_trim.h - "check --trim-headers": a series whose header sync (a
 * patch touching only QEMU's copies of kernel headers) is replaced by what
 * headers_trim() keeps of it for the series' other patches on one target,
 * as release does for a manifest that says "Headers: trim".
 */
#ifndef BT_CHECK_TRIM_H
#define BT_CHECK_TRIM_H

#include "analyse/headers.h"
#include "input/patch.h"
#include "tree/tree.h"

struct check_trim {
	size_t sync;       /* the sync's index in the series; (size_t)-1: none */
	int refused;       /* the trimmer refused (report.conflicts says why) */
	struct headers_report report;
	struct patch_list queue; /* the series, the sync trimmed (when made) */
};

/*
 * Find the series' header sync and trim it for the other patches on t,
 * which is only read.  Returns 0 -- ct->queue holds the trimmed series, or
 * ct->sync is (size_t)-1, or ct->refused is set -- or -1 after an error.
 */
int check_trim_make(struct check_trim *ct, struct tree *t,
		    const struct patch_list *series);
void check_trim_release(struct check_trim *ct);

#endif
