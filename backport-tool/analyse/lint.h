/*
 * lint.h - the SRU reviewer's checklist, run over a patch: what in it puts
 * the build, a library's API, live migration, the running system or users'
 * interfaces at risk, what looks like debugging left in, and how far a
 * regression could reach.
 *
 * The rules come in named sets: "generic" (any C package: build system,
 * public headers and symbols files, tests/docs-only patches, binary
 * packages reached, debug markers) always runs; "qemu" (VMState, machine
 * types, linux-headers, QAPI, architecture scope) runs when the target or
 * the patches look like QEMU, or when asked.
 *
 * Every finding names the patch file and line that triggered it, so a
 * reviewer can jump there, and carries a stable tag that scripts can match.
 * Lint reads the patch; a target tree, when given, only tells which rule
 * sets apply and which binary packages debian/control builds.
 */
#ifndef BT_LINT_H
#define BT_LINT_H

#include <jansson.h>
#include <stddef.h>

#include "input/patch.h"
#include "util.h"

/* The finding families of DESIGN.md. */
enum lint_kind {
	LINT_MIGRATION, /* VMState, version ids, machine-type compat */
	LINT_DEBUG,     /* WIP subjects, forced capabilities, debug output */
	LINT_SCOPE,     /* every touched file is one architecture's */
	LINT_INTERFACE, /* kernel headers, QAPI schema, command line */
	LINT_BUILD,     /* build system: sources, configure checks, deps */
	LINT_API        /* a library's public headers and symbols files */
};

/* Ordered from least to most serious, as lintian's I:, W:, E:. */
enum lint_severity {
	LINT_INFO,    /* worth knowing: scope of a regression */
	LINT_WARNING, /* a reviewer must look: migration, interfaces */
	LINT_ERROR    /* must not be uploaded as is: WIP, forced capability */
};

struct lint_finding {
	enum lint_kind kind;
	enum lint_severity severity;
	const char *tag;   /* stable id, e.g. "vmstate-field-added" */
	char *message;     /* one line, lower case, for people */
	const char *file;  /* the patch's name (points into the patch) */
	long line;         /* line in the patch file; 0 when unknown */
	char *path;        /* the source file concerned, or NULL */
};

struct lint_result {
	struct lint_finding *v;
	size_t n, alloc;
};

/*
 * Append p's findings to out, in patch order (header first, then file by
 * file, line by line; the scope findings last), with the rule sets chosen
 * from p's paths alone.  Never fails.
 */
void lint_patch(const struct patch *p, struct lint_result *out);

void lint_result_release(struct lint_result *r);

/* The rule sets (bits of lint_config.sets). */
enum {
	LINT_SET_GENERIC = 1 << 0,
	LINT_SET_QEMU = 1 << 1
};

struct lint_pkg; /* the target's debian/control and *.install (lint_pkg.c) */

/* Which rule sets run, why, and what the target package says. */
struct lint_config {
	unsigned sets;          /* LINT_SET_* */
	char *why;              /* why "qemu" runs or not, for people */
	struct lint_pkg *pkg;   /* NULL: no debian/control in the target */
};

/*
 * Choose the rule sets: rules is NULL or "auto" (generic, plus qemu when
 * tree has hw/ and one of qapi/, linux-headers/, target/, or, without a tree, when the
 * patches touch QEMU's own directories), "generic" or "qemu" (generic and
 * qemu).  tree (may be NULL) is a target directory; its debian/control,
 * when there is one, is read for the binary packages.  0, or -1 after an
 * error message.
 */
int lint_config_init(struct lint_config *cfg, const char *rules,
		     const char *tree, const struct patch *v, size_t n);
void lint_config_release(struct lint_config *cfg);

/* "generic, qemu" into out: the sets that run, in table order. */
void lint_config_names(const struct lint_config *cfg, struct strbuf *out);

/* {"sets": ["generic", "qemu"], "why": "..."} */
json_t *lint_config_json(const struct lint_config *cfg);

/* Like lint_patch, with cfg's rule sets and package. */
void lint_patch_with(const struct patch *p, const struct lint_config *cfg,
		     struct lint_result *out);

/*
 * Whether every file p touches is test code or documentation (a low-risk
 * patch): 1 tests, 2 docs, 3 both, 0 otherwise.
 */
int lint_patch_low_risk(const struct patch *p);

/* The same for one path: 1 test code, 2 documentation, 0 neither. */
int lint_path_low_risk(const char *path);


const char *lint_kind_name(enum lint_kind k);         /* "migration", ... */
const char *lint_severity_name(enum lint_severity s); /* "info", ... */

/*
 * The architecture a source path belongs to ("s390x", "i386", "arm", ...),
 * as QEMU lays its tree out (target/ARCH, hw/ARCH, linux-headers/asm-ARCH,
 * ...), or NULL for common code.
 */
const char *lint_path_arch(const char *path);

/*
 * The architecture every file of every patch in list belongs to, or NULL
 * when some file is common code or two architectures are touched.
 */
const char *lint_series_arch(const struct patch *v, size_t n);

/* The worst severity in r, or -1 when it holds no finding. */
int lint_result_worst(const struct lint_result *r);

/*
 * Findings first..first+n-1 of r as a JSON array of
 * {"kind","severity","tag","file","line","path","message"}.
 */
json_t *lint_findings_json(const struct lint_result *r, size_t first,
			   size_t n);

/* "FILE:LINE: severity: kind: message [tag]\n" */
void lint_finding_format(const struct lint_finding *f, struct strbuf *out);

#endif
