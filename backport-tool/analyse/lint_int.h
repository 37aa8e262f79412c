/*
 * lint_int.h - what the lint_*.c rule files share: a hunk line with its
 * place, the per-file context, the text helpers the rules match with, and
 * each rule's entry point (see lint.c).
 */
#ifndef BT_LINT_INT_H
#define BT_LINT_INT_H

#include "analyse/lint.h"
#include "util.h"

/* One hunk line together with its line number in the patch file. */
struct lint_line {
	const struct pline *pl;
	long lineno;
	int in_macro; /* a #directive or a continuation of one */
};

/* What the per-file rules need to know. */
struct lint_ctx {
	const struct patch *p;
	const struct file_diff *fd;
	const char *path;
	struct lint_result *out;
	const struct file_diff *first_header; /* first linux-headers file */
	const struct lint_config *cfg;
};

/*
 * A rule set: its rules on the patch's header, on each file, on each
 * added or removed line, on each hunk and on the whole patch at its end.
 * Any hook may be NULL.  lint.c keeps the table.
 */
struct lint_rule_set {
	const char *name;
	unsigned bit; /* LINT_SET_* */
	void (*head)(const struct patch *p, const struct lint_config *cfg,
		     struct lint_result *out);
	void (*file)(struct lint_ctx *c);
	void (*line)(struct lint_ctx *c, const struct lint_line *l);
	void (*hunk)(struct lint_ctx *c, const struct hunk *h,
		     const struct lint_line *lines, size_t n);
	void (*tail)(const struct patch *p, const struct lint_config *cfg,
		     struct lint_result *out);
};

extern const struct lint_rule_set lint_rule_sets[];
extern const size_t lint_nrule_sets;

/* lint.c */
void lint_add(struct lint_result *out, const struct patch *p,
		     enum lint_kind kind, enum lint_severity sev,
		     const char *tag, long line, const char *path,
		     const char *fmt, ...);
int lint_is_ident(int c);
const char *lint_find_word(const char *s, size_t len, const char *word,
			     int ci);
const char *lint_find_str(const char *s, size_t len, const char *needle);
const char *lint_find_str_ci(const char *s, size_t len, const char *needle);
void lint_trim(const char **s, size_t *len);
void lint_line_excerpt(const struct pline *pl, char *buf, size_t size);
int lint_has_suffix(const char *s, const char *suffix);
int lint_has_prefix(const char *s, const char *prefix);
int lint_is_c_source(const char *path);
/* lint_arch.c */
const char *lint_patch_arch(const struct patch *p, int *any);
void lint_scope_arch(const struct patch *p, const struct lint_config *cfg,
		     struct lint_result *out);
/* lint_build.c */
void lint_build_file(struct lint_ctx *c);
void lint_build_hunk(struct lint_ctx *c, const struct hunk *h,
		     const struct lint_line *lines, size_t n);
/* lint_api.c */
void lint_api_file(struct lint_ctx *c);
/* lint_pkg.c */
int lint_pkg_read(struct lint_pkg **out, const char *tree);
void lint_pkg_free(struct lint_pkg *pkg);
void lint_scope_package(const struct patch *p, const struct lint_config *cfg,
			struct lint_result *out);
/* lint_rules.c */
int lint_path_is_test(const char *path);
int lint_path_is_doc(const char *path);
/* lint_header.c */
void lint_subject(const struct patch *p, const struct lint_config *cfg,
		  struct lint_result *out);
void lint_generic_hunk(struct lint_ctx *c, const struct hunk *h,
		       const struct lint_line *lines, size_t n);
/* lint_migration.c */
void lint_vmstate_line(struct lint_ctx *c, const struct lint_line *l);
void lint_qemu_hunk(struct lint_ctx *c, const struct hunk *h,
		    const struct lint_line *lines, size_t n);
void lint_version_ids(struct lint_ctx *c, const struct lint_line *lines,
			     size_t n);
void lint_machine_compat(struct lint_ctx *c, const struct hunk *h,
				const struct lint_line *lines, size_t n);
/* lint_debug.c */
void lint_forced_capability(struct lint_ctx *c,
				   const struct lint_line *lines, size_t n);
void lint_debug_line(struct lint_ctx *c, const struct lint_line *l);
/* lint_interface.c */
int lint_is_kernel_header(const char *path);
const char *lint_fd_path(const struct patch *p,
				const struct file_diff *fd);
void lint_interface(struct lint_ctx *c);

#endif
