/*
 * headers.h - trim a linux-headers update to what a backport needs.
 *
 * QEMU carries copies of kernel uapi headers (linux-headers/ and
 * include/standard-headers/).  Given a target tree, a header source (a
 * "Linux headers: update" patch, or a newer headers directory such as a
 * kernel's usr/include or linux-libc-dev's /usr/include) and consumers
 * (feature patches or C files), headers_trim() computes the identifiers
 * the consumers use that the target's copies lack and the source defines,
 * closes them over their dependencies (field types, array-size macros, an
 * enumerator's enum, macros used by macros, the comment documenting each
 * declaration) and writes one quilt-style unified diff that inserts
 * exactly those declarations, in upstream order and spelling, applying
 * with fuzz 0.  It refuses when a kept declaration would give a name the
 * target already has a value upstream does not have.
 */
#ifndef BT_HEADERS_H
#define BT_HEADERS_H

#include <stddef.h>
#include <stdio.h>

#include "input/patch.h"
#include "tree/tree.h"
#include "util.h"

struct headers_opts {
	const char *source_patch;  /* a header-update patch or mbox, or */
	const char *source_dir;    /* a headers tree (usr/include) */
	const char *source_arch;   /* QEMU's asm-ARCH for the source's asm/;
				      NULL: from the multiarch directory */
	const char *const *consumers; /* patches or C files */
	size_t nconsumers;
	const struct patch_list *source_list;   /* or the update, parsed (from
						   git); used before the above */
	const struct patch_list *consumer_list; /* consumer patches, parsed */
	int strict;   /* refuse even value changes upstream made itself */
};

/* One declaration of the source, as the report lists it. */
struct headers_item {
	char *path;   /* target path, e.g. linux-headers/linux/vfio.h */
	char *name;   /* "VFIO_CCW_CRW_IRQ_INDEX", "struct ccw_crw_region" */
	const char *kind;   /* cdecl_kind_name() */
	char *of;     /* fields: their aggregate ("struct foo"), else NULL */
	char *designator; /* fields: as offsetof(of, ...) names them */
	long lines;   /* lines it adds (kept) or would add (dropped) */
	char *why;    /* kept: "used" or "needed by NAME"; else NULL */
};

struct headers_items {
	struct headers_item *v;
	size_t n, alloc;
};

/* A value of the target that a declaration touches. */
struct headers_value {
	char *path;
	long line;
	char *name;
	char *target;   /* the target's value, or NULL when it has none */
	char *result;   /* the value after the trimmed diff / that is used */
	char *upstream; /* the source's value */
	char *message;  /* one line for humans */
};

struct headers_values {
	struct headers_value *v;
	size_t n, alloc;
};

struct headers_report {
	struct headers_items needed;  /* consumers' roots the target lacks */
	struct headers_items kept;    /* every declaration the diff adds */
	struct headers_items dropped; /* new in the source, not needed */
	struct headers_values changed;   /* existing values changed as upstream */
	struct headers_values conflicts; /* values the trim cannot keep */
	struct headers_values warnings;  /* what it cannot add, and why */
	char **files;                 /* files the diff touches */
	size_t nfiles;
	long kept_lines;     /* '+' lines of the trimmed diff */
	long dropped_lines;  /* lines of dropped declarations */
	long full_lines;     /* '+' and '-' lines of the full update */
	size_t nused;        /* identifiers the consumers use */
};

/*
 * Compute the trimmed diff of the source for the consumers on tree t.
 * Returns 0 (diff holds the patch, possibly empty), 1 when a value conflict
 * refuses the trim (report->conflicts says why; diff is empty), or -1 on an
 * input error after printing it.
 */
int headers_trim(struct tree *t, const struct headers_opts *opts,
		 struct strbuf *diff, struct headers_report *report);

void headers_report_release(struct headers_report *r);
void headers_report_print(const struct headers_report *r, FILE *f);
/*
 * The report as JSON ("headers --format json"), schema version 1; other
 * tools and the tests read it, so change it only additively:
 *
 *   { "version": 1,
 *     "files": ["linux-headers/linux/vfio.h", ...],   // the diff touches
 *     "needed":  [ITEM...],  // used by the consumers, lacking in the target
 *     "kept":    [ITEM...],  // what the diff adds, one entry per insertion
 *     "dropped": [ITEM...],  // new in the source, not needed
 *     "changed":   [VALUE...],  // existing values changed, as upstream did
 *     "conflicts": [VALUE...],  // why the trim was refused (exit 1)
 *     "warnings":  [VALUE...],  // what it cannot add (restructured fields)
 *     "summary": { "used", "kept", "kept_lines", "dropped",
 *                  "dropped_lines", "full_lines" } }
 *   ITEM  = { "path", "name", "kind", "of": "struct foo" | null,
 *             "designator": "a.b" (fields only), "lines", "why" (kept) }
 *   VALUE = { "path", "line", "name", "target", "result", "upstream",
 *             "message" }   (values as text; null when unknown)
 */
char *headers_report_json(const struct headers_report *r);

/*
 * QEMU's portable spelling of one line for include/standard-headers/, as
 * scripts/update-linux-headers.sh's cp_portable rewrites it (__u32 ->
 * uint32_t, __attribute__((packed)) -> QEMU_PACKED, <linux/x.h> ->
 * "standard-headers/linux/x.h", ...).  Appends the result (and its '\n'
 * when the line had one) to out; a deleted line appends nothing.
 */
void headers_portable_line(const char *line, size_t len, struct strbuf *out);

/* A header sync: a patch that touches only QEMU's copies of kernel headers
   (linux-headers/, include/standard-headers/). */
int headers_is_sync(const struct patch *p);

/*
 * The trimmed sync as a patch: the sync's own mail header (author, date,
 * subject, message) with a note of what was kept, then diff (from
 * headers_trim).  Appends to out.
 */
void headers_trimmed_patch(const struct patch *sync,
			   const struct headers_report *hr,
			   const struct strbuf *diff, struct strbuf *out);

#endif
