/*
 * report.c - build the review report's model from the verdict matrix, the
 * lint findings and the interdiffs, and render it as Markdown for a
 * Launchpad bug or as JSON with the same facts.
 *
 * The SRU template sections hold only what the analysis knows (scope,
 * risks, noise, what changed from upstream); everything else is an
 * explicit "TODO:" for the maintainer.  Output is stable: no dates, no
 * paths other than the ones the user gave, series order throughout.
 */
#include "emit/report.h"
#include "buildd/buildlog.h"

#include "analyse/plan.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- matching carried patches with their upstream versions ---- */

static int is_hex(int c)
{
	return isxdigit((unsigned char)c) != 0;
}

/* A commit id (7 to 40 hex digits) in the header's Origin: field. */
static size_t origin_commit(const struct patch *p, const char **id)
{
	const char *s = p->header, *end = p->header + p->header_len;

	while (s && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end, *q;

		if (le - s > 7 && !strncasecmp(s, "Origin:", 7))
			for (q = s + 7; q < le; q++) {
				const char *h = q;

				if (q > s && is_hex(q[-1]))
					continue;
				while (h < le && is_hex(*h))
					h++;
				if (h - q >= 7 && h - q <= 40 &&
				    (h == le || !isalnum((unsigned char)*h))) {
					*id = q;
					return (size_t)(h - q);
				}
			}
		s = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* Two commit ids name the same commit: one is a prefix (>= 7) of the other. */
static int same_commit(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	return n >= 7 && !strncasecmp(a, b, n);
}

static size_t patch_commit(const struct patch *p, const char **id)
{
	if (p->meta.commit) {
		*id = p->meta.commit;
		return strlen(p->meta.commit);
	}
	return origin_commit(p, id);
}

static int same_subject(const struct patch *a, const struct patch *b)
{
	return a->meta.subject && b->meta.subject &&
	       !strcmp(a->meta.subject, b->meta.subject);
}

static const struct patch *find_upstream(const struct patch *p,
					 const struct patch_list *up,
					 unsigned char *used)
{
	const char *id, *uid;
	size_t len = patch_commit(p, &id), ulen, i;

	for (i = 0; len && i < up->n; i++) {
		ulen = patch_commit(&up->v[i], &uid);
		if (!used[i] && ulen && same_commit(id, len, uid, ulen)) {
			used[i] = 1;
			return &up->v[i];
		}
	}
	for (i = 0; i < up->n; i++)
		if (!used[i] && same_subject(p, &up->v[i])) {
			used[i] = 1;
			return &up->v[i];
		}
	return NULL;
}

/* ---- the model ---- */

static void section_add(struct report_section *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void section_add(struct report_section *s, const char *fmt, ...)
{
	va_list ap;
	char *buf;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	ALLOC_GROW(s->items, s->n + 1, s->alloc);
	s->items[s->n++] = buf;
}

static const char *patch_title(const struct patch *p)
{
	return p->meta.subject ? p->meta.subject : check_patch_label(p);
}

static void collect_common_files(struct report *r)
{
	size_t i, j, k;

	for (i = 0; i < r->series->n; i++) {
		const struct patch *p = &r->series->v[i];

		for (j = 0; j < p->nfiles; j++) {
			const char *path = file_diff_target(&p->files[j],
							    patch_strip_level(p));

			if (!path || lint_path_arch(path))
				continue;
			for (k = 0; k < r->ncommon; k++)
				if (!strcmp(r->common_files[k], path))
					break;
			if (k < r->ncommon)
				continue;
			ALLOC_GROW(r->common_files, r->ncommon + 1,
				   r->common_alloc);
			r->common_files[r->ncommon++] = xstrdup(path);
		}
	}
}

static int has_kind(const struct report *r, enum lint_kind kind)
{
	size_t i;

	for (i = 0; i < r->lint.n; i++)
		if (r->lint.v[i].kind == kind &&
		    r->lint.v[i].severity >= LINT_WARNING)
			return 1;
	return 0;
}

static void sru_impact(struct report *r)
{
	struct report_section *s = &r->sru[REPORT_IMPACT];
	size_t i;

	section_add(s, "TODO: describe the bug, who is affected and how; "
		       "the analysis cannot know.");
	for (i = 0; i < r->series->n; i++) {
		const struct patch *p = &r->series->v[i];
		const char *id;
		size_t len = patch_commit(p, &id);

		if (len)
			section_add(s, "Patch %zu: %s (upstream commit %.12s).",
				    i + 1, patch_title(p), id);
		else
			section_add(s, "Patch %zu: %s.", i + 1, patch_title(p));
	}
}

static void sru_test_plan(struct report *r)
{
	struct report_section *s = &r->sru[REPORT_TEST_PLAN];

	section_add(s, "TODO: the steps that show the bug before the update "
		       "and its absence after; the analysis cannot know them.");
	if (r->arch)
		section_add(s, "TODO: run them on %s: every change is %s code.",
			    r->arch, r->arch);
	if (has_kind(r, LINT_MIGRATION))
		section_add(s, "TODO: live-migrate a guest from the current "
			       "package to the update and back: the series "
			       "changes migrated state (see below).");
}

static void sru_regression_scope(struct report *r)
{
	struct report_section *s = &r->sru[REPORT_REGRESSION];
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	if (r->arch) {
		section_add(s, "Every touched file is %s code: regression risk "
			       "is limited to %s.", r->arch, r->arch);
		return;
	}
	if (!r->ncommon)
		return;
	for (i = 0; i < r->ncommon && i < 5; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", r->common_files[i]);
	if (r->ncommon > 5)
		sb_addf(&sb, " and %zu more", r->ncommon - 5);
	section_add(s, "The series changes common code (%s): a regression "
		       "could reach every architecture.", sb.buf);
	sb_release(&sb);
}

static void sru_regression(struct report *r)
{
	struct report_section *s = &r->sru[REPORT_REGRESSION];
	size_t i, k, t;

	sru_regression_scope(r);
	for (i = 0; i < r->series->n; i++) {
		const struct report_patch *rp = &r->patches[i];

		for (k = rp->first_finding;
		     k < rp->first_finding + rp->nfindings; k++) {
			const struct lint_finding *f = &r->lint.v[k];

			if (f->severity < LINT_WARNING)
				continue;
			section_add(s, "Patch %zu, %s risk (%s:%ld): %s%s%s.",
				    i + 1, lint_kind_name(f->kind),
				    check_patch_label(rp->p), f->line,
				    f->path ? f->path : "", f->path ? ": " : "",
				    f->message);
		}
		for (t = 0; r->run && t < r->run->ntargets; t++) {
			const struct patch_result *res = check_cell(r->run, i, t);
			const char *why = rp->reasons[t] ? rp->reasons[t] : "";

			if (res->verdict == V_FUZZ || res->verdict == V_MERGED)
				section_add(s, "Patch %zu applies to %s only "
					       "with noise (%s): the code around "
					       "it differs there; review the "
					       "refreshed hunk.", i + 1,
					    r->run->targets[t].name, why);
			else if (res->verdict == V_ADAPTED)
				section_add(s, "Patch %zu was adapted to %s "
					       "(%s): the change is upstream's, "
					       "but the code around it differs "
					       "there, so the hunk was rewritten "
					       "to fit, and only where exactly "
					       "one place qualifies; the carried "
					       "patch says how in its [backport: "
					       "...] line. Review it against "
					       "upstream (interdiff).", i + 1,
					    r->run->targets[t].name, why);
			else if (res->verdict == V_CONFLICT)
				section_add(s, "Patch %zu does not apply to %s "
					       "(%s): it needs a manual backport.",
					    i + 1, r->run->targets[t].name, why);
		}
	}
	section_add(s, "TODO: what else could break and how a regression "
		       "would show; the analysis cannot judge it.");
}

static void sru_other(struct report *r)
{
	struct report_section *s = &r->sru[REPORT_OTHER];
	struct strbuf sb = STRBUF_INIT;
	size_t i, t;

	for (i = 0; i < r->series->n; i++) {
		const struct report_patch *rp = &r->patches[i];

		sb_reset(&sb);
		if (rp->upstream)
			interdiff_summary(&rp->diff, &sb);
		section_add(s, "Patch %zu changed from upstream: %s.", i + 1,
			    rp->upstream ? sb.buf
					 : "unknown (no upstream version given)");
	}
	for (i = 0; r->run && i < r->series->n; i++)
		for (t = 0; t < r->run->ntargets; t++)
			if (check_cell(r->run, i, t)->verdict == V_APPLIED)
				section_add(s, "Patch %zu is already in %s: "
					       "drop it there.", i + 1,
					    r->run->targets[t].name);
	if (r->run && r->run->ntargets) {
		sb_reset(&sb);
		for (t = 0; t < r->run->ntargets; t++)
			sb_addf(&sb, "%s%s", t ? ", " : "", r->run->targets[t].name);
		section_add(s, "Verdicts: backport-tool check (%s, fuzz up to "
			       "%d) on %s.",
			    r->run->state.independent ? "each patch alone"
						      : "cumulative",
			    r->run->state.max_fuzz, sb.buf);
	}
	sb_release(&sb);
}

void report_build(struct report *r, const struct patch_list *series,
		  const struct check_run *run,
		  const struct patch_list *upstream)
{
	static const char *const titles[] = { "Impact", "Test Plan",
		"Where problems could occur", "Other Info" };
	static const char *const keys[] = { "impact", "test_plan",
		"where_problems_could_occur", "other_info" };
	unsigned char *used = xcalloc(upstream ? upstream->n + 1 : 1, 1);
	struct strbuf sb = STRBUF_INIT;
	size_t i, t;

	memset(r, 0, sizeof(*r));
	r->series = series;
	r->run = run && run->ntargets ? run : NULL;
	for (i = 0; i < REPORT_NSECTIONS; i++) {
		r->sru[i].title = titles[i];
		r->sru[i].key = keys[i];
	}
	r->patches = xcalloc(series->n + 1, sizeof(*r->patches));
	for (i = 0; i < series->n; i++) {
		struct report_patch *rp = &r->patches[i];

		rp->p = &series->v[i];
		rp->first_finding = r->lint.n;
		lint_patch(rp->p, &r->lint);
		rp->nfindings = r->lint.n - rp->first_finding;
		if (upstream && (rp->upstream = find_upstream(rp->p, upstream, used)))
			interdiff_patches(rp->upstream, rp->p, &rp->diff);
		rp->reasons = xcalloc(r->run ? r->run->ntargets + 1 : 1,
				      sizeof(char *));
		for (t = 0; r->run && t < r->run->ntargets; t++) {
			sb_reset(&sb);
			patch_result_describe(check_cell(r->run, i, t), &sb);
			if (sb.len)
				rp->reasons[t] = xstrdup(sb.buf);
		}
	}
	r->arch = lint_series_arch(series->v, series->n);
	collect_common_files(r);
	sru_impact(r);
	sru_test_plan(r);
	sru_regression(r);
	sru_other(r);
	sb_release(&sb);
	free(used);
}

void report_release(struct report *r)
{
	size_t i, k;

	for (i = 0; r->patches && i < r->series->n; i++) {
		struct report_patch *rp = &r->patches[i];

		if (rp->upstream)
			interdiff_release(&rp->diff);
		for (k = 0; r->run && k < r->run->ntargets; k++)
			free(rp->reasons[k]);
		free(rp->reasons);
	}
	free(r->patches);
	for (i = 0; i < r->ncommon; i++)
		free(r->common_files[i]);
	free(r->common_files);
	for (i = 0; i < REPORT_NSECTIONS; i++) {
		for (k = 0; k < r->sru[i].n; k++)
			free(r->sru[i].items[k]);
		free(r->sru[i].items);
	}
	lint_result_release(&r->lint);
	memset(r, 0, sizeof(*r));
}

/* ---- Markdown ---- */

static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

static void md_matrix(const struct report *r, FILE *f)
{
	size_t i, t;
	int v;

	fputs("## Verdicts\n\n| # | patch |", f);
	for (t = 0; t < r->run->ntargets; t++) {
		fputc(' ', f);
		md_cell(f, r->run->targets[t].name);
		fputs(" |", f);
	}
	fputs("\n|--:|---|", f);
	for (t = 0; t < r->run->ntargets; t++)
		fputs("---|", f);
	fputc('\n', f);
	for (i = 0; i < r->series->n; i++) {
		fprintf(f, "| %zu | ", i + 1);
		md_cell(f, patch_title(r->patches[i].p));
		fputs(" |", f);
		for (t = 0; t < r->run->ntargets; t++)
			fprintf(f, " %s |", verdict_word(check_cell(r->run, i, t)->verdict));
		fputc('\n', f);
	}
	fputc('\n', f);
	for (t = 0; t < r->run->ntargets; t++) {
		size_t count[V_CONFLICT + 1] = { 0 };
		int first = 1;

		for (i = 0; i < r->series->n; i++)
			count[check_cell(r->run, i, t)->verdict]++;
		fprintf(f, "- **%s**:", r->run->targets[t].name);
		for (v = V_CLEAN; v <= V_CONFLICT; v++)
			if (count[v]) {
				fprintf(f, "%s %zu %s", first ? "" : ",",
					count[v], verdict_word(v));
				first = 0;
			}
		fputc('\n', f);
	}
	fputc('\n', f);
}

/* The interdiff's lines as a fenced diff block, at most 40 lines. */
static void md_interdiff(const struct interdiff *d, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t shown = 0, total = 0;
	const char *s, *nl;

	interdiff_write(d, "upstream", "carried", &sb);
	fputs("\n  ```diff\n", f);
	for (s = sb.buf; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (s == sb.buf || !strncmp(s, "+++ ", 4))
			continue; /* the ---/+++ names: said above */
		total++;
		if (shown < 40) {
			fprintf(f, "  %.*s\n", (int)(nl - s), s);
			shown++;
		}
	}
	fputs("  ```\n", f);
	if (total > shown)
		fprintf(f, "  (%zu more lines: backport-tool interdiff)\n",
			total - shown);
	sb_release(&sb);
}

static void md_patch(const struct report *r, size_t i, FILE *f)
{
	const struct report_patch *rp = &r->patches[i];
	const char *id;
	size_t len = patch_commit(rp->p, &id), k, t, shown = 0;
	struct strbuf sb = STRBUF_INIT;

	fprintf(f, "### %zu. %s\n\n", i + 1, patch_title(rp->p));
	fprintf(f, "- file: `%s`\n", check_patch_label(rp->p));
	if (rp->p->meta.from)
		fprintf(f, "- author: %s\n", rp->p->meta.from);
	if (len)
		fprintf(f, "- upstream commit: `%.*s`\n", (int)len, id);
	for (t = 0; r->run && t < r->run->ntargets; t++) {
		const struct patch_result *res = check_cell(r->run, i, t);

		fprintf(f, "- %s: **%s**", r->run->targets[t].name,
			verdict_word(res->verdict));
		if (rp->reasons[t])
			fprintf(f, ": %s", rp->reasons[t]);
		fputc('\n', f);
	}
	for (k = rp->first_finding; k < rp->first_finding + rp->nfindings; k++) {
		const struct lint_finding *lf = &r->lint.v[k];

		if (r->arch && !strcmp(lf->tag, "scope-single-arch"))
			continue; /* said once for the whole series */
		shown++;

		fprintf(f, "- lint %s (%s), `%s:%ld`: %s%s%s [%s]\n",
			lint_severity_name(lf->severity),
			lint_kind_name(lf->kind), check_patch_label(rp->p),
			lf->line, lf->path ? lf->path : "",
			lf->path ? ": " : "", lf->message, lf->tag);
	}
	if (!shown)
		fputs(rp->nfindings ? "- lint: nothing besides the scope\n"
				    : "- lint: no findings\n", f);
	if (rp->upstream) {
		interdiff_summary(&rp->diff, &sb);
		fprintf(f, "- changed from upstream (`%s`): %s\n",
			check_patch_label(rp->upstream), sb.buf);
		if (rp->diff.change != ID_SAME)
			md_interdiff(&rp->diff, f);
	}
	fputc('\n', f);
	sb_release(&sb);
}

void report_write_markdown(const struct report *r, FILE *f)
{
	size_t i, k, t;

	fprintf(f, "# Backport review: %zu patch%s", r->series->n,
		r->series->n == 1 ? "" : "es");
	for (t = 0; r->run && t < r->run->ntargets; t++)
		fprintf(f, "%s%s", t ? ", " : " for ", r->run->targets[t].name);
	fputs("\n\n", f);
	if (r->run) {
		fputs("OK: applies as is; minor noise: at other lines; noise: "
		      "with fuzz or a 3-way merge;\nconflict: needs a manual "
		      "backport.\n\n", f);
		md_matrix(r, f);
		if (r->arch)
			fprintf(f, "Scope: every touched file is %s code.\n\n",
				r->arch);
		if (r->plan) {
			fputs("## Prerequisites\n\n", f);
			plan_print_markdown(r->plan, f);
			fputc('\n', f);
			plan_print_build_markdown(r->plan, f);
		}
	} else {
		fputs("No target tree was given (--tree), so there are no "
		      "verdicts.\n\n", f);
	}
	fputs("## Patches\n\n", f);
	for (i = 0; i < r->series->n; i++)
		md_patch(r, i, f);
	if (r->build) {
		buildlog_write_markdown(r->build, r->build_log, f);
		fputc('\n', f);
	}
	fputs("## SRU template\n\n", f);
	for (i = 0; i < REPORT_NSECTIONS; i++) {
		fprintf(f, "[ %s ]\n\n", r->sru[i].title);
		for (k = 0; k < r->sru[i].n; k++)
			fprintf(f, " * %s\n", r->sru[i].items[k]);
		if (i + 1 < REPORT_NSECTIONS)
			fputc('\n', f);
	}
}

/* ---- JSON ---- */

static json_t *jstr(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;

	return j ? j : json_null();
}

static json_t *json_results(const struct report *r, size_t i)
{
	json_t *a = json_array();
	size_t t;

	for (t = 0; r->run && t < r->run->ntargets; t++) {
		const struct patch_result *res = check_cell(r->run, i, t);
		json_t *o = json_object();

		json_object_set_new(o, "target", jstr(r->run->targets[t].name));
		json_object_set_new(o, "verdict", json_string(verdict_name(res->verdict)));
		json_object_set_new(o, "word", json_string(verdict_word(res->verdict)));
		json_object_set_new(o, "reason", jstr(r->patches[i].reasons[t]));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *json_patch(const struct report *r, size_t i)
{
	const struct report_patch *rp = &r->patches[i];
	json_t *o = json_object();
	const char *id;
	size_t len = patch_commit(rp->p, &id);

	json_object_set_new(o, "n", json_integer((json_int_t)i + 1));
	json_object_set_new(o, "name", jstr(check_patch_label(rp->p)));
	json_object_set_new(o, "subject", jstr(rp->p->meta.subject));
	json_object_set_new(o, "author", jstr(rp->p->meta.from));
	json_object_set_new(o, "commit", len ? json_stringn(id, len) : json_null());
	json_object_set_new(o, "results", json_results(r, i));
	json_object_set_new(o, "findings",
			    lint_findings_json(&r->lint, rp->first_finding,
					       rp->nfindings));
	if (rp->upstream) {
		json_t *u = interdiff_json(&rp->diff);
		struct strbuf sb = STRBUF_INIT;

		interdiff_summary(&rp->diff, &sb);
		json_object_set_new(u, "upstream",
				    jstr(check_patch_label(rp->upstream)));
		json_object_set_new(u, "summary", jstr(sb.buf));
		json_object_set_new(o, "interdiff", u);
		sb_release(&sb);
	} else {
		json_object_set_new(o, "interdiff", json_null());
	}
	return o;
}

void report_write_json(const struct report *r, FILE *f)
{
	json_t *root = json_object(), *targets = json_array(),
	       *patches = json_array(), *sum = json_object(),
	       *sru = json_object(), *scope = json_object(),
	       *common = json_array();
	size_t i, k, t;
	int v;

	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "prerequisites",
			    r->plan ? plan_json(r->plan) : json_null());
	for (t = 0; r->run && t < r->run->ntargets; t++) {
		json_int_t count[V_CONFLICT + 1] = { 0 };
		json_t *o = json_object();

		json_array_append_new(targets, jstr(r->run->targets[t].name));
		for (i = 0; i < r->series->n; i++)
			count[check_cell(r->run, i, t)->verdict]++;
		for (v = V_CLEAN; v <= V_CONFLICT; v++)
			json_object_set_new(o, verdict_name(v),
					    json_integer(count[v]));
		json_object_set_new(sum, r->run->targets[t].name, o);
	}
	json_object_set_new(root, "targets", targets);
	for (i = 0; i < r->series->n; i++)
		json_array_append_new(patches, json_patch(r, i));
	json_object_set_new(root, "patches", patches);
	json_object_set_new(root, "summary", sum);
	if (r->build)
		json_object_set_new(root, "build", json_pack("{s:o, s:o, s:o, s:I, s:o}",
			"status", jstr(r->build->status),
			"fail_stage", jstr(r->build->fail_stage),
			"first_error", jstr(r->build->first_error),
			"error_line", (json_int_t)r->build->error_line,
			"log", jstr(r->build_log)));
	json_object_set_new(scope, "arch", jstr(r->arch));
	for (i = 0; i < r->ncommon; i++)
		json_array_append_new(common, jstr(r->common_files[i]));
	json_object_set_new(scope, "common_files", common);
	json_object_set_new(root, "scope", scope);
	for (i = 0; i < REPORT_NSECTIONS; i++) {
		json_t *a = json_array();

		for (k = 0; k < r->sru[i].n; k++)
			json_array_append_new(a, jstr(r->sru[i].items[k]));
		json_object_set_new(sru, r->sru[i].key, a);
	}
	json_object_set_new(root, "sru", sru);
	json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(root);
}
