/*
 * lint.c - the risk findings of DESIGN.md, read off a patch's header and
 * its added and removed lines: migration (VMState, version ids, machine
 * compat), debug/WIP (subject markers, capabilities forced by constants,
 * disabled code, debug output), interface (kernel uapi copies, QAPI schema,
 * command line) and scope (one architecture only).
 *
 * The rules are heuristics a reviewer would apply by eye; each is small and
 * says in its message why it fired.  They read the patch text only.
 */
#include "analyse/lint.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
};

static const char *const kind_names[] = {
	[LINT_MIGRATION] = "migration",
	[LINT_DEBUG] = "debug",
	[LINT_SCOPE] = "scope",
	[LINT_INTERFACE] = "interface",
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

static void lint_add(struct lint_result *out, const struct patch *p,
		     enum lint_kind kind, enum lint_severity sev,
		     const char *tag, long line, const char *path,
		     const char *fmt, ...) __attribute__((format(printf, 8, 9)));

static void lint_add(struct lint_result *out, const struct patch *p,
		     enum lint_kind kind, enum lint_severity sev,
		     const char *tag, long line, const char *path,
		     const char *fmt, ...)
{
	struct lint_finding *f;
	va_list ap;
	char msg[1024]; /* messages are one line; longer ones are cut */

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	f = &out->v[out->n++];
	f->kind = kind;
	f->severity = sev;
	f->tag = tag;
	f->message = xstrdup(msg);
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

static int is_ident(int c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Find word in s[0..len) at identifier boundaries; case-insensitive if ci. */
static const char *find_word(const char *s, size_t len, const char *word,
			     int ci)
{
	size_t wl = strlen(word), i;

	for (i = 0; i + wl <= len; i++) {
		int same = ci ? !strncasecmp(s + i, word, wl)
			      : !strncmp(s + i, word, wl);
		if (!same)
			continue;
		if (i > 0 && is_ident(s[i - 1]))
			continue;
		if (i + wl < len && is_ident(s[i + wl]))
			continue;
		return s + i;
	}
	return NULL;
}

static const char *find_str(const char *s, size_t len, const char *needle)
{
	size_t nl = strlen(needle), i;

	for (i = 0; i + nl <= len; i++)
		if (!memcmp(s + i, needle, nl))
			return s + i;
	return NULL;
}

static const char *find_str_ci(const char *s, size_t len, const char *needle)
{
	size_t nl = strlen(needle), i;

	for (i = 0; i + nl <= len; i++)
		if (!strncasecmp(s + i, needle, nl))
			return s + i;
	return NULL;
}

static void trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* The trimmed line, shortened for a message. */
static void line_excerpt(const struct pline *pl, char *buf, size_t size)
{
	const char *s = pl->text;
	size_t len = pl->len;

	trim(&s, &len);
	if (len > 60) {
		snprintf(buf, size, "%.57s...", s);
		return;
	}
	snprintf(buf, size, "%.*s", (int)len, s);
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t sl = strlen(s), xl = strlen(suffix);
	return sl >= xl && !strcmp(s + sl - xl, suffix);
}

static int has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int is_c_source(const char *path)
{
	return has_suffix(path, ".c") || has_suffix(path, ".h") ||
	       has_suffix(path, ".inc");
}

/* ---- architecture of a path ---- */

static const char *const arch_names[] = {
	"alpha", "arm", "avr", "cris", "hexagon", "hppa", "i386",
	"loongarch", "lm32", "m68k", "microblaze", "mips", "moxie", "nios2",
	"openrisc", "ppc", "riscv", "rx", "s390x", "sh4", "sparc", "tricore",
	"unicore32", "xtensa",
};

static const struct {
	const char *alias, *arch;
} arch_aliases[] = {
	{ "s390", "s390x" },     { "x86", "i386" },     { "x86_64", "i386" },
	{ "aarch64", "arm" },    { "arm64", "arm" },    { "powerpc", "ppc" },
	{ "ppc64", "ppc" },      { "sparc64", "sparc" }, { "mips64", "mips" },
	{ "riscv32", "riscv" },  { "riscv64", "riscv" }, { "loongarch64", "loongarch" },
};

/* Files outside the per-architecture directories that serve one only. */
static const struct {
	const char *prefix, *arch;
} arch_files[] = {
	{ "hw/vfio/ccw.c", "s390x" },
	{ "hw/vfio/ap.c", "s390x" },
	{ "linux-headers/linux/vfio_ccw.h", "s390x" },
	{ "pc-bios/s390-ccw/", "s390x" },
	{ "hw/i386/", "i386" },
};

/* Map a directory component (len bytes) to an architecture, or NULL. */
static const char *arch_of_component(const char *s, size_t len)
{
	size_t i;

	if (len > 4 && !strncmp(s, "asm-", 4)) {
		s += 4;
		len -= 4;
	}
	for (i = 0; i < sizeof(arch_aliases) / sizeof(arch_aliases[0]); i++)
		if (strlen(arch_aliases[i].alias) == len &&
		    !strncmp(s, arch_aliases[i].alias, len))
			return arch_aliases[i].arch;
	for (i = 0; i < sizeof(arch_names) / sizeof(arch_names[0]); i++)
		if (strlen(arch_names[i]) == len && !strncmp(s, arch_names[i], len))
			return arch_names[i];
	return NULL;
}

/* The component after prefix in path, when path has one more level. */
static const char *arch_after(const char *path, const char *prefix)
{
	const char *s, *slash;

	if (!has_prefix(path, prefix))
		return NULL;
	s = path + strlen(prefix);
	slash = strchr(s, '/');
	if (!slash)
		return NULL;
	return arch_of_component(s, (size_t)(slash - s));
}

const char *lint_path_arch(const char *path)
{
	static const char *const dirs[] = {
		"target/", "hw/", "include/hw/", "linux-headers/",
		"linux-user/", "tests/tcg/", "bsd-user/",
	};
	const char *base, *arch;
	size_t i;

	for (i = 0; i < sizeof(arch_files) / sizeof(arch_files[0]); i++)
		if (has_prefix(path, arch_files[i].prefix))
			return arch_files[i].arch;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if ((arch = arch_after(path, dirs[i])))
			return arch;
	/* QEMU before 2.12: target-s390x/ */
	if (has_prefix(path, "target-") && strchr(path, '/'))
		return arch_of_component(path + 7,
					 (size_t)(strchr(path, '/') - path - 7));
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strstr(base, "s390"))
		return "s390x";
	return NULL;
}

static const char *patch_arch(const struct patch *p, int *any)
{
	const char *arch = NULL;
	int strip = patch_strip_level(p);
	size_t i;

	for (i = 0; i < p->nfiles; i++) {
		const char *path = file_diff_target(&p->files[i], strip);
		const char *a = path ? lint_path_arch(path) : NULL;

		if (!a)
			return NULL;
		if (arch && strcmp(arch, a))
			return NULL;
		arch = a;
		*any = 1;
	}
	return arch;
}

const char *lint_series_arch(const struct patch *v, size_t n)
{
	const char *arch = NULL;
	int any = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int this_any = 0;
		const char *a = patch_arch(&v[i], &this_any);

		if (!this_any && v[i].nfiles)
			return NULL;
		if (!this_any)
			continue;
		if (!a || (arch && strcmp(arch, a)))
			return NULL;
		arch = a;
		any = 1;
	}
	return any ? arch : NULL;
}

/* ---- header rules ---- */

/* The first line of the header that starts with field (e.g. "Subject:"). */
static const char *header_field(const struct patch *p, const char *field,
				long *lineno, size_t *len)
{
	const char *s = p->header, *end = p->header + p->header_len;
	long n = 0;

	if (!s)
		return NULL;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);

		n++;
		if (l >= strlen(field) && !strncasecmp(s, field, strlen(field))) {
			*lineno = n;
			*len = l;
			return s;
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	return NULL;
}

/* Line number in the patch file of the header's first line. */
static long header_base(const struct patch *p)
{
	long base = 1;

	if (p->nfiles && p->files[0].lineno > p->header_lines)
		base = p->files[0].lineno - p->header_lines;
	return base;
}

static const struct {
	const char *word;
	int ci;
	enum lint_severity sev;
} subject_markers[] = {
	/* Upper case: the author's own warning that it is not finished. */
	{ "WIP", 0, LINT_ERROR },    { "DBG", 0, LINT_ERROR },
	{ "HACK", 0, LINT_ERROR },   { "XXX", 0, LINT_ERROR },
	{ "FIXME", 0, LINT_ERROR },  { "DEBUG", 0, LINT_ERROR },
	{ "DO NOT MERGE", 1, LINT_ERROR },
	/* Posted for comments; the merged version may differ. */
	{ "RFC", 1, LINT_WARNING },
	/* Any case: often fine ("fix debug output"), worth a look. */
	{ "wip", 1, LINT_WARNING },  { "dbg", 1, LINT_WARNING },
	{ "hack", 1, LINT_WARNING }, { "fixme", 1, LINT_WARNING },
	{ "debug", 1, LINT_WARNING },
};

static void lint_subject(const struct patch *p, struct lint_result *out)
{
	const char *s;
	size_t len, i;
	long line = 0;

	s = header_field(p, "Subject:", &line, &len);
	if (!s)
		s = header_field(p, "Description:", &line, &len);
	if (s)
		line += header_base(p) - 1;
	else if (p->meta.subject) {
		s = p->meta.subject;
		len = strlen(s);
	}
	if (!s)
		return;
	for (i = 0; i < sizeof(subject_markers) / sizeof(subject_markers[0]); i++) {
		if (!find_word(s, len, subject_markers[i].word,
			       subject_markers[i].ci))
			continue;
		if (subject_markers[i].sev == LINT_ERROR)
			lint_add(out, p, LINT_DEBUG, LINT_ERROR,
				 "subject-wip-marker", line, NULL,
				 "subject says '%s': a work-in-progress or "
				 "debugging patch, not one to upload",
				 subject_markers[i].word);
		else
			lint_add(out, p, LINT_DEBUG, LINT_WARNING,
				 "subject-wip-marker", line, NULL,
				 "subject mentions '%s': make sure it is not "
				 "a debugging or unfinished patch",
				 subject_markers[i].word);
		return;
	}
}

/* ---- migration rules ---- */

/* Does fd have a line of this kind whose trimmed text equals pl's? */
static int file_has_twin(const struct file_diff *fd, char kind,
			 const struct pline *pl)
{
	const char *a = pl->text;
	size_t alen = pl->len, h, i;

	trim(&a, &alen);
	for (h = 0; h < fd->nhunks; h++)
		for (i = 0; i < fd->hunks[h].nlines; i++) {
			const struct pline *o = &fd->hunks[h].lines[i];
			const char *b = o->text;
			size_t blen = o->len;

			if (o->kind != kind)
				continue;
			trim(&b, &blen);
			if (alen == blen && !memcmp(a, b, alen))
				return 1;
		}
	return 0;
}

/*
 * A line that is a VMSTATE_*( entry of a fields array (they start their
 * line), other than the list terminator; VMSTATE_IF(dev) and friends
 * inside expressions are casts, not fields.
 */
static int is_vmstate_field(const struct pline *pl)
{
	const char *m = pl->text, *end;
	size_t len = pl->len;

	trim(&m, &len);
	end = m + len;
	if (len < 9 || strncmp(m, "VMSTATE_", 8) ||
	    !strncmp(m, "VMSTATE_END_OF_LIST", 19))
		return 0;
	m += 8;
	while (m < end && is_ident(*m))
		m++;
	while (m < end && *m == ' ')
		m++;
	return m < end && *m == '(';
}

static void lint_vmstate_line(struct lint_ctx *c, const struct lint_line *l)
{
	const struct pline *pl = l->pl;
	int added = pl->kind == '+';
	char ex[80];
	const char *vd;

	line_excerpt(pl, ex, sizeof(ex));
	vd = find_word(pl->text, pl->len, "VMStateDescription", 0);
	if (vd && memchr(vd, '=', pl->len - (size_t)(vd - pl->text))) {
		lint_add(c->out, c->p, LINT_MIGRATION, LINT_WARNING,
			 added ? "vmstate-description-added"
			       : "vmstate-description-removed",
			 l->lineno, c->path,
			 "%s a migration section (%s): check migration to and "
			 "from hosts without this patch",
			 added ? "adds" : "removes", ex);
		return;
	}
	if (is_vmstate_field(pl) &&
	    !file_has_twin(c->fd, added ? '-' : '+', pl))
		lint_add(c->out, c->p, LINT_MIGRATION, LINT_WARNING,
			 added ? "vmstate-field-added" : "vmstate-field-removed",
			 l->lineno, c->path,
			 "%s a migrated field (%s): the migration stream "
			 "changes", added ? "adds" : "removes", ex);
}

/* A '+' .version_id line whose hunk also removes one: the version moved. */
static void lint_version_ids(struct lint_ctx *c, const struct lint_line *lines,
			     size_t n)
{
	static const char *const fields[] = { ".minimum_version_id",
					      ".version_id" };
	size_t i, j, f;

	for (f = 0; f < 2; f++)
		for (i = 0; i < n; i++) {
			const struct pline *pl = lines[i].pl;
			char ex[80];

			if (pl->kind != '+' ||
			    !find_str(pl->text, pl->len, fields[f]) ||
			    (f == 1 && find_str(pl->text, pl->len, fields[0])))
				continue;
			for (j = 0; j < n; j++) {
				const struct pline *o = lines[j].pl;

				if (o->kind == '-' &&
				    find_str(o->text, o->len, fields[f]) &&
				    (f == 0 || !find_str(o->text, o->len, fields[0])))
					break;
			}
			if (j == n)
				continue;
			line_excerpt(pl, ex, sizeof(ex));
			lint_add(c->out, c->p, LINT_MIGRATION, LINT_WARNING,
				 "vmstate-version-changed", lines[i].lineno,
				 c->path,
				 "changes a migration version (%s): older "
				 "hosts may refuse the stream", ex);
		}
}

static int is_compat_text(const char *s, size_t len)
{
	return find_str(s, len, "hw_compat_") || find_str(s, len, "pc_compat_") ||
	       find_str(s, len, "compat_props") ||
	       find_word(s, len, "GlobalProperty", 0);
}

/* Changes to hw_compat_* arrays or a versioned machine's options. */
static void lint_machine_compat(struct lint_ctx *c, const struct hunk *h,
				const struct lint_line *lines, size_t n)
{
	int func = h->func && (is_compat_text(h->func, h->func_len) ||
			       (find_str(h->func, h->func_len, "_machine_") &&
				find_str(h->func, h->func_len, "_options")));
	size_t i;

	for (i = 0; i < n; i++) {
		const struct pline *pl = lines[i].pl;

		if (pl->kind == ' ')
			continue;
		if (func || is_compat_text(pl->text, pl->len)) {
			lint_add(c->out, c->p, LINT_MIGRATION, LINT_WARNING,
				 "machine-compat-changed", lines[i].lineno,
				 c->path,
				 "changes machine-type compatibility "
				 "properties: versioned machines must keep "
				 "their guest ABI");
			return;
		}
	}
}

/* ---- debug/WIP rules ---- */

static int is_constant(const char *s, size_t len)
{
	static const char *const consts[] = { "true", "false", "TRUE", "FALSE",
					      "0", "1" };
	size_t i;

	for (i = 0; i < sizeof(consts) / sizeof(consts[0]); i++)
		if (strlen(consts[i]) == len && !strncmp(s, consts[i], len))
			return 1;
	return 0;
}

/*
 * "LVALUE = CONST;" -> the lvalue (the last token, so that a declaration
 * "bool x = true;" yields x).  0 when the line is not such an assignment.
 */
static int const_assignment(const struct pline *pl, const char **lv,
			    size_t *lvlen, const char **cv, size_t *cvlen)
{
	const char *s = pl->text, *eq, *end;
	size_t len = pl->len;

	trim(&s, &len);
	end = s + len;
	if (!len || end[-1] != ';')
		return 0;
	eq = memchr(s, '=', len);
	if (!eq || eq == s || eq + 1 >= end || eq[1] == '=' ||
	    strchr("!<>=+-*/|&^%", eq[-1]))
		return 0;
	*cv = eq + 1;
	*cvlen = (size_t)(end - 1 - *cv);
	trim(cv, cvlen);
	if (!is_constant(*cv, *cvlen))
		return 0;
	*lv = s;
	*lvlen = (size_t)(eq - s);
	trim(lv, lvlen);
	while (*lvlen) {
		const char *sp = memchr(*lv, ' ', *lvlen);
		if (!sp)
			break;
		*lvlen -= (size_t)(sp + 1 - *lv);
		*lv = sp + 1;
	}
	return *lvlen > 0;
}

/* Where lv occurs in s as a whole identifier path, from `from` on. */
static const char *find_lvalue(const char *s, const char *from,
			       const char *end, const char *lv, size_t lvlen)
{
	for (; from + lvlen <= end; from++)
		if (!memcmp(from, lv, lvlen) &&
		    (from == s || !is_ident(from[-1])) &&
		    (from + lvlen == end || !is_ident(from[lvlen])))
			return from;
	return NULL;
}

/*
 * A line that probes a capability and stores the answer in lv: it names a
 * probe-like word and either assigns lv from a call ("lv = f(...)") or
 * passes &lv to one.
 */
static int probes_into(const struct pline *pl, const char *lv, size_t lvlen)
{
	static const char *const probe_words[] = {
		"cap", "has_", "support", "avail", "extension", "feature",
		"probe", "check", "query", "enabled",
	};
	const char *s = pl->text, *end = pl->text + pl->len, *at = s;
	size_t i;
	int probe = 0;

	for (i = 0; i < sizeof(probe_words) / sizeof(probe_words[0]); i++)
		if (find_str_ci(s, pl->len, probe_words[i]))
			probe = 1;
	if (!probe || !memchr(s, '(', pl->len))
		return 0;
	while ((at = find_lvalue(s, at, end, lv, lvlen))) {
		if (at > s && at[-1] == '&')
			return 1;
		at += lvlen;
		while (at < end && *at == ' ')
			at++;
		if (at + 1 < end && *at == '=' && at[1] != '=' &&
		    memchr(at, '(', (size_t)(end - at)))
			return 1;
	}
	return 0;
}

static void lint_forced_capability(struct lint_ctx *c,
				   const struct lint_line *lines, size_t n)
{
	size_t i, j, seen;

	for (i = 0; i < n; i++) {
		const char *lv, *cv;
		size_t lvlen, cvlen;

		if (lines[i].pl->kind != '+' ||
		    !const_assignment(lines[i].pl, &lv, &lvlen, &cv, &cvlen))
			continue;
		for (j = i, seen = 0; j-- > 0 && seen < 8;) {
			if (lines[j].pl->kind == '-')
				continue;
			seen++;
			if (!probes_into(lines[j].pl, lv, lvlen))
				continue;
			lint_add(c->out, c->p, LINT_DEBUG, LINT_ERROR,
				 "capability-overridden", lines[i].lineno,
				 c->path,
				 "'%.*s' is forced to %.*s right after it was "
				 "probed (line %ld): the capability check is "
				 "overridden", (int)lvlen, lv, (int)cvlen, cv,
				 lines[j].lineno);
			break;
		}
	}
}

/* "#if 0", "if (0)", "if (false)" on an added line. */
static int disables_code(const struct pline *pl)
{
	const char *s = pl->text;
	size_t len = pl->len;

	trim(&s, &len);
	if (len && *s == '#') {
		s++;
		len--;
		trim(&s, &len);
		if (len < 3 || strncmp(s, "if", 2) || !isspace((unsigned char)s[2]))
			return 0;
		s += 2;
		len -= 2;
		trim(&s, &len);
		return len == 1 && *s == '0';
	}
	return find_str(s, len, "if (0)") || find_str(s, len, "if (false)") ||
	       find_str(s, len, "if(0)") || find_str(s, len, "if(false)");
}

static int is_tool_path(const char *path)
{
	static const char *const prefixes[] = {
		"tests/", "scripts/", "contrib/", "tools/", "qemu-img",
		"qemu-io", "qemu-nbd", "pc-bios/", "roms/",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (has_prefix(path, prefixes[i]))
			return 1;
	return 0;
}

/* fprintf(stderr, ...), printf(...), error_report("DEBUG ...") added. */
static int is_debug_output(const struct pline *pl)
{
	static const char *const reporters[] = {
		"error_report(", "warn_report(", "info_report(", "qemu_log(",
		"fprintf(",
	};
	const char *s = pl->text, *r;
	size_t len = pl->len, i;

	trim(&s, &len);
	if (!len)
		return 0;
	if (find_str(s, len, "fprintf(stderr"))
		return 1;
	if ((r = find_word(s, len, "printf", 0)) &&
	    !strncmp(r, "printf(", 7))
		return 1;
	for (i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++) {
		const char *q;

		r = find_str(s, len, reporters[i]);
		if (!r)
			continue;
		q = memchr(r, '"', len - (size_t)(r - s));
		if (q && (find_str_ci(q, len - (size_t)(q - s), "debug") ||
			  find_str_ci(q, len - (size_t)(q - s), "dbg") ||
			  find_str(q, len - (size_t)(q - s), "XXX")))
			return 1;
	}
	return 0;
}

static void lint_debug_line(struct lint_ctx *c, const struct lint_line *l)
{
	char ex[80];

	if (l->pl->kind != '+')
		return;
	line_excerpt(l->pl, ex, sizeof(ex));
	if (disables_code(l->pl))
		lint_add(c->out, c->p, LINT_DEBUG, LINT_WARNING, "code-disabled",
			 l->lineno, c->path,
			 "adds '%s': code switched off rather than removed", ex);
	else if (!l->in_macro && !is_tool_path(c->path) &&
		 is_debug_output(l->pl)) /* DPRINTF macros are the accepted way */
		lint_add(c->out, c->p, LINT_DEBUG, LINT_WARNING, "debug-output",
			 l->lineno, c->path,
			 "adds output to stderr (%s): debugging left in? "
			 "QEMU reports errors with error_report and traces "
			 "with trace events", ex);
}

/* ---- interface rules ---- */

static int is_kernel_header(const char *path)
{
	return has_prefix(path, "linux-headers/") ||
	       has_prefix(path, "include/standard-headers/");
}

/* The path a file diff changes, as the rules name it. */
static const char *lint_fd_path(const struct patch *p,
				const struct file_diff *fd)
{
	const char *path = file_diff_target(fd, patch_strip_level(p));

	return path ? path : fd->new_path ? fd->new_path : fd->old_path;
}

/*
 * A header sync touches dozens of files: one finding for all of them, at
 * the first, naming a few.
 */
static void lint_kernel_headers(const struct patch *p, struct lint_result *out)
{
	struct strbuf names = STRBUF_INIT;
	const struct file_diff *first = NULL;
	const char *first_path = NULL;
	size_t i, n = 0;

	for (i = 0; i < p->nfiles; i++) {
		const char *path = lint_fd_path(p, &p->files[i]);

		if (!path || !is_kernel_header(path))
			continue;
		if (!n++) {
			first = &p->files[i];
			first_path = path;
		} else if (n <= 3) {
			sb_addf(&names, ", %s", path);
		}
	}
	if (!n) {
		sb_release(&names);
		return;
	}
	if (n == 1)
		lint_add(out, p, LINT_INTERFACE, LINT_WARNING,
			 "kernel-headers-changed", first->lineno, first_path,
			 "changes the copy of the kernel's uapi headers: keep "
			 "it in step with the kernel (see 'backport-tool "
			 "headers')");
	else
		lint_add(out, p, LINT_INTERFACE, LINT_WARNING,
			 "kernel-headers-changed", first->lineno, first_path,
			 "changes %zu files of the copy of the kernel's uapi "
			 "headers (%s%s%s): a header sync drags in unrelated "
			 "changes (see 'backport-tool headers')", n,
			 first_path, names.buf ? names.buf : "",
			 n > 3 ? ", ..." : "");
	sb_release(&names);
}

static void lint_interface(struct lint_ctx *c)
{
	const char *path = c->path;
	const char *tag = NULL, *what = NULL;

	if (is_kernel_header(path) && c->fd == c->first_header) {
		lint_kernel_headers(c->p, c->out);
		return;
	}
	if ((has_prefix(path, "qapi/") && has_suffix(path, ".json")) ||
	    !strcmp(path, "qapi-schema.json")) {
		tag = "qapi-schema-changed";
		what = "the QAPI schema: QMP clients see the change";
	} else if (!strcmp(path, "qemu-options.hx")) {
		tag = "command-line-changed";
		what = "the command-line options";
	} else if (has_prefix(path, "hmp-commands")) {
		tag = "monitor-commands-changed";
		what = "the human monitor commands";
	}
	if (tag)
		lint_add(c->out, c->p, LINT_INTERFACE, LINT_WARNING, tag,
			 c->fd->lineno, path, "changes %s", what);
}

/* ---- driver ---- */

static void lint_hunk(struct lint_ctx *c, const struct hunk *h)
{
	struct lint_line *lines = xcalloc(h->nlines, sizeof(*lines));
	long lineno = h->lineno + 1;
	size_t i;
	int csrc = is_c_source(c->path), continued = 0;

	for (i = 0; i < h->nlines; i++) {
		const struct pline *pl = &h->lines[i];
		const char *s = pl->text;
		size_t len = pl->len;

		trim(&s, &len);
		lines[i].pl = pl;
		lines[i].lineno = lineno++;
		lines[i].in_macro = (len && *s == '#') || continued;
		continued = len && s[len - 1] == '\\';
		if (pl->noeol)
			lineno++;
	}
	if (csrc) {
		for (i = 0; i < h->nlines; i++) {
			if (lines[i].pl->kind == ' ')
				continue;
			lint_vmstate_line(c, &lines[i]);
			lint_debug_line(c, &lines[i]);
		}
		lint_version_ids(c, lines, h->nlines);
		lint_machine_compat(c, h, lines, h->nlines);
		lint_forced_capability(c, lines, h->nlines);
	}
	free(lines);
}

void lint_patch(const struct patch *p, struct lint_result *out)
{
	int any = 0;
	const char *arch;
	size_t i, h;

	const struct file_diff *first_header = NULL;

	lint_subject(p, out);
	for (i = 0; i < p->nfiles && !first_header; i++) {
		const char *path = lint_fd_path(p, &p->files[i]);

		if (path && is_kernel_header(path))
			first_header = &p->files[i];
	}
	for (i = 0; i < p->nfiles; i++) {
		const struct file_diff *fd = &p->files[i];
		struct lint_ctx c = { p, fd, lint_fd_path(p, fd), out,
				      first_header };

		if (!c.path)
			continue;
		lint_interface(&c);
		for (h = 0; h < fd->nhunks; h++)
			lint_hunk(&c, &fd->hunks[h]);
	}
	arch = patch_arch(p, &any);
	if (arch && any)
		lint_add(out, p, LINT_SCOPE, LINT_INFO, "scope-single-arch",
			 p->files[0].lineno, NULL,
			 "every touched file is %s code: regression risk "
			 "limited to %s", arch, arch);
}
