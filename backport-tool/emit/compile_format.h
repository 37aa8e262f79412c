/*
 * compile_format.h - a --build result (analyse/compile.h) as text and as
 * JSON, for plan and check alike.
 */
#ifndef BT_COMPILE_FORMAT_H
#define BT_COMPILE_FORMAT_H

#include <jansson.h>
#include <stdio.h>

#include "analyse/check_build.h"
#include "analyse/compile.h"

/* "4/4 translation units compiled", or why nothing was built. */
const char *compile_result_summary(const struct compile_result *b);

/*
 * "  build: 3/4 translation units compiled (log: ...)", then each unit,
 * then the errors no patch of the queue owns (the target's own code).
 */
void compile_print_text(const struct compile_result *b, FILE *f);

struct adaptation;
struct patch_result;

/* Each diagnostic a patch of q owns: "FILE:LINE: error: MSG (PATCH, hunk
   H)"; an error on an adapted hunk (res: compile_diag_adaptation) is
   "adapted, breaks build: FILE:LINE: MSG (PATCH, hunk H)". */
void compile_print_owned(const struct compile_result *b,
			 const struct patch_list *q,
			 const struct patch_result *res, FILE *f);

/* {"error", "log", "configured_now", "system", "notes": [...],
 *  "units": [{"path", "ok"[, "note"]}], "diagnostics": [...]} */
json_t *compile_result_json(const struct compile_result *b);
/* The same, each diagnostic with "adapted": false, or {"kinds", "how"}
   when the hunk that owns it was adapted (res as above). */
json_t *compile_result_json_res(const struct compile_result *b,
				const struct patch_result *res);

#endif
