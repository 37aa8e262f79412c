/*
 * lint.c - the risk findings of DESIGN.md, read off a patch's header and
 * its added and removed lines: migration (VMState, version ids, machine
 * compat), debug/WIP (subject markers, capabilities forced by constants,
 * disabled code, debug output), interface (kernel uapi copies, QAPI schema,
 * command line) and scope (one architecture only).
 *
 * The rules are heuristics a reviewer would apply by eye; each is small and
 * says in its message why it fired.  They read the patch text only.
 *
 * One file per family of rules: lint_header.c, lint_migration.c,
 * lint_debug.c, lint_interface.c, and lint_arch.c for the scope; this file
 * keeps the findings, the text helpers the rules share, and the driver.
 */
#include "analyse/lint.h"
#include "analyse/lint_int.h"

#include <ctype.h>
#include <string.h>

static const char *const kind_names[] = {
	[LINT_MIGRATION] = "migration",
	[LINT_DEBUG] = "debug",
	[LINT_SCOPE] = "scope",
	[LINT_INTERFACE] = "interface",
	[LINT_BUILD] = "build",
	[LINT_API] = "api",
};

static const char *const severity_names[] = {
	[LINT_INFO] = "info",
	[LINT_WARNING] = "warning",
	[LINT_ERROR] = "error",
};

const char *lint_kind_name(enum lint_kind k)
{
	return kind_names[k];
}

const char *lint_severity_name(enum lint_severity s)
{
	return severity_names[s];
}

void lint_add(struct lint_result *out, const struct patch *p,
		     enum lint_kind kind, enum lint_severity sev,
		     const char *tag, long line, const char *path,
		     const char *fmt, ...)
{
	struct lint_finding *f;
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	sb_init(&msg);
	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);

	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	f = &out->v[out->n++];
	f->kind = kind;
	f->severity = sev;
	f->tag = tag;
	f->message = sb_detach(&msg, NULL);
	f->file = p->name;
	f->line = line;
	f->path = path ? xstrdup(path) : NULL;
}

void lint_result_release(struct lint_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].message);
		free(r->v[i].path);
	}
	free(r->v);
	r->v = NULL;
	r->n = r->alloc = 0;
}

int lint_result_worst(const struct lint_result *r)
{
	int worst = -1;
	size_t i;

	for (i = 0; i < r->n; i++)
		if ((int)r->v[i].severity > worst)
			worst = (int)r->v[i].severity;
	return worst;
}

static json_t *json_str_or_null(const char *s)
{
	json_t *j;

	if (!s)
		return json_null();
	j = json_string(s);
	return j ? j : json_string("(not UTF-8)");
}

json_t *lint_findings_json(const struct lint_result *r, size_t first,
			   size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = first; i < first + n && i < r->n; i++) {
		const struct lint_finding *f = &r->v[i];
		json_t *o = json_object();

		json_object_set_new(o, "kind", json_string(lint_kind_name(f->kind)));
		json_object_set_new(o, "severity",
				    json_string(lint_severity_name(f->severity)));
		json_object_set_new(o, "tag", json_string(f->tag));
		json_object_set_new(o, "file", json_str_or_null(f->file));
		json_object_set_new(o, "line", f->line ? json_integer(f->line)
						       : json_null());
		json_object_set_new(o, "path", json_str_or_null(f->path));
		json_object_set_new(o, "message", json_str_or_null(f->message));
		json_array_append_new(a, o);
	}
	return a;
}

void lint_finding_format(const struct lint_finding *f, struct strbuf *out)
{
	if (f->line)
		sb_addf(out, "%s:%ld: ", f->file, f->line);
	else
		sb_addf(out, "%s: ", f->file);
	sb_addf(out, "%s: %s: ", lint_severity_name(f->severity),
		lint_kind_name(f->kind));
	if (f->path)
		sb_addf(out, "%s: ", f->path);
	sb_addf(out, "%s [%s]\n", f->message, f->tag);
}

/* ---- small text helpers ---- */

int lint_is_ident(int c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Find word in s[0..len) at identifier boundaries; case-insensitive if ci. */
const char *lint_find_word(const char *s, size_t len, const char *word,
			     int ci)
{
	size_t wl = strlen(word), i;

	for (i = 0; i + wl <= len; i++) {
		int same = ci ? !strncasecmp(s + i, word, wl)
			      : !strncmp(s + i, word, wl);
		if (!same)
			continue;
		if (i > 0 && lint_is_ident(s[i - 1]))
			continue;
		if (i + wl < len && lint_is_ident(s[i + wl]))
			continue;
		return s + i;
	}
	return NULL;
}

const char *lint_find_str(const char *s, size_t len, const char *needle)
{
	size_t nl = strlen(needle), i;

	for (i = 0; i + nl <= len; i++)
		if (!memcmp(s + i, needle, nl))
			return s + i;
	return NULL;
}

const char *lint_find_str_ci(const char *s, size_t len, const char *needle)
{
	size_t nl = strlen(needle), i;

	for (i = 0; i + nl <= len; i++)
		if (!strncasecmp(s + i, needle, nl))
			return s + i;
	return NULL;
}

void lint_trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* The trimmed line, shortened for a message. */
void lint_line_excerpt(const struct pline *pl, char *buf, size_t size)
{
	const char *s = pl->text;
	size_t len = pl->len;

	lint_trim(&s, &len);
	if (len > 60) {
		snprintf(buf, size, "%.57s...", s);
		return;
	}
	snprintf(buf, size, "%.*s", (int)len, s);
}

int lint_has_suffix(const char *s, const char *suffix)
{
	size_t sl = strlen(s), xl = strlen(suffix);
	return sl >= xl && !strcmp(s + sl - xl, suffix);
}

int lint_has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int lint_is_c_source(const char *path)
{
	return lint_has_suffix(path, ".c") || lint_has_suffix(path, ".h") ||
	       lint_has_suffix(path, ".inc");
}

/* ---- the rule sets ---- */

static void qemu_line(struct lint_ctx *c, const struct lint_line *l)
{
	if (lint_is_c_source(c->path))
		lint_vmstate_line(c, l);
}

static void generic_file(struct lint_ctx *c)
{
	lint_build_file(c);
	lint_api_file(c);
}

static void generic_line(struct lint_ctx *c, const struct lint_line *l)
{
	if (lint_is_c_source(c->path))
		lint_debug_line(c, l);
}

static void generic_hunk(struct lint_ctx *c, const struct hunk *h,
			 const struct lint_line *lines, size_t n)
{
	lint_build_hunk(c, h, lines, n);
	lint_generic_hunk(c, h, lines, n);
}

/*
 * In the order their findings come out at each step: at the patch's
 * header, per file, per line, per hunk, at its end.
 */
const struct lint_rule_set lint_rule_sets[] = {
	{ "qemu", LINT_SET_QEMU, NULL, lint_interface, qemu_line,
	  lint_qemu_hunk, lint_scope_arch },
	{ "generic", LINT_SET_GENERIC, lint_subject, generic_file,
	  generic_line, generic_hunk, lint_scope_package },
};
const size_t lint_nrule_sets = sizeof(lint_rule_sets) / sizeof(lint_rule_sets[0]);

/* ---- driver ---- */

static void lint_hunk(struct lint_ctx *c, const struct hunk *h)
{
	struct lint_line *lines = xcalloc(h->nlines + 1, sizeof(*lines));
	long lineno = h->lineno + 1;
	size_t i, k;
	int continued = 0;

	for (i = 0; i < h->nlines; i++) {
		const struct pline *pl = &h->lines[i];
		const char *s = pl->text;
		size_t len = pl->len;

		lint_trim(&s, &len);
		lines[i].pl = pl;
		lines[i].lineno = lineno++;
		lines[i].in_macro = (len && *s == '#') || continued;
		continued = len && s[len - 1] == '\\';
		if (pl->noeol)
			lineno++;
	}
	for (i = 0; i < h->nlines; i++) {
		if (lines[i].pl->kind == ' ')
			continue;
		for (k = 0; k < lint_nrule_sets; k++)
			if ((c->cfg->sets & lint_rule_sets[k].bit) &&
			    lint_rule_sets[k].line)
				lint_rule_sets[k].line(c, &lines[i]);
	}
	for (k = 0; k < lint_nrule_sets; k++)
		if ((c->cfg->sets & lint_rule_sets[k].bit) &&
		    lint_rule_sets[k].hunk)
			lint_rule_sets[k].hunk(c, h, lines, h->nlines);
	free(lines);
}

void lint_patch_with(const struct patch *p, const struct lint_config *cfg,
		     struct lint_result *out)
{
	const struct file_diff *first_header = NULL;
	size_t i, h, k;

#define EACH_SET(hook) \
	for (k = 0; k < lint_nrule_sets; k++) \
		if ((cfg->sets & lint_rule_sets[k].bit) && lint_rule_sets[k].hook)
	EACH_SET(head)
		lint_rule_sets[k].head(p, cfg, out);
	for (i = 0; i < p->nfiles && !first_header; i++) {
		const char *path = lint_fd_path(p, &p->files[i]);

		if (path && lint_is_kernel_header(path))
			first_header = &p->files[i];
	}
	for (i = 0; i < p->nfiles; i++) {
		const struct file_diff *fd = &p->files[i];
		struct lint_ctx c = { p, fd, lint_fd_path(p, fd), out,
				      first_header, cfg };

		if (!c.path)
			continue;
		EACH_SET(file)
			lint_rule_sets[k].file(&c);
		for (h = 0; h < fd->nhunks; h++)
			lint_hunk(&c, &fd->hunks[h]);
	}
	EACH_SET(tail)
		lint_rule_sets[k].tail(p, cfg, out);
#undef EACH_SET
}

void lint_patch(const struct patch *p, struct lint_result *out)
{
	struct lint_config cfg;

	if (lint_config_init(&cfg, NULL, NULL, p, 1) < 0)
		return; /* cannot fail without a tree or a --rules name */
	lint_patch_with(p, &cfg, out);
	lint_config_release(&cfg);
}
