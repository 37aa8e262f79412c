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
#include "emit/report_int.h"
#include "buildd/buildlog.h"

#include "analyse/plan.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- matching carried patches with their upstream versions ---- */

/* Two commit ids name the same commit: one is a prefix (>= 7) of the other. */
static int same_commit(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;

	return n >= 7 && !strncasecmp(a, b, n);
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
	size_t len = report_patch_commit(p, &id), ulen, i;

	for (i = 0; len && i < up->n; i++) {
		ulen = report_patch_commit(&up->v[i], &uid);
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
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(s->items, s->n + 1, s->alloc);
	s->items[s->n++] = sb_detach(&sb, NULL);
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

/* " (upstream commit X; CVE-...)" or " (cited commit X, not checked)". */
static void patch_cite(const struct report_patch *rp, struct strbuf *sb)
{
	size_t k;

	if (!rp->commit && !rp->ncves)
		return;
	sb_addstr(sb, " (");
	if (rp->commit) {
		sb_addf(sb, "%s %.12s", report_commit_word(rp), rp->commit);
		if (report_commit_note(rp))
			sb_addf(sb, ", %s", report_commit_note(rp));
	}
	for (k = 0; k < rp->ncves; k++)
		sb_addf(sb, "%s%s", k ? ", " : rp->commit ? "; " : "",
			rp->cves[k]);
	sb_addch(sb, ')');
}

static void sru_impact(struct report *r)
{
	struct report_section *s = &r->sru[REPORT_IMPACT];
	struct strbuf sb = STRBUF_INIT;
	size_t i, k, n = 0;

	section_add(s, "TODO: describe the bug, who is affected and how; "
		       "the analysis cannot know.");
	for (i = 0; i < r->series->n; i++)
		for (k = 0; k < r->patches[i].ncves; k++) {
			size_t j, seen = 0;

			for (j = 0; j < i && !seen; j++) {
				size_t m;

				for (m = 0; m < r->patches[j].ncves; m++)
					seen |= !strcmp(r->patches[j].cves[m],
							r->patches[i].cves[k]);
			}
			if (!seen)
				sb_addf(&sb, "%s%s", n++ ? ", " : "",
					r->patches[i].cves[k]);
		}
	if (n)
		section_add(s, "Fixes %s (from the commit messages, DEP-3 "
			       "fields and patch names).", sb.buf);
	for (i = 0; i < r->series->n; i++) {
		sb_reset(&sb);
		patch_cite(&r->patches[i], &sb);
		section_add(s, "Patch %zu: %s%s.", i + 1,
			    patch_title(r->patches[i].p), sb.buf ? sb.buf : "");
	}
	sb_release(&sb);
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

/* The common files that are shipped code: not tests, not docs. */
static size_t shipped_common(const struct report *r, struct strbuf *sb)
{
	size_t i, n = 0;

	for (i = 0; i < r->ncommon; i++) {
		if (lint_path_low_risk(r->common_files[i]))
			continue;
		if (n < 5)
			sb_addf(sb, "%s%s", n ? ", " : "", r->common_files[i]);
		n++;
	}
	if (n > 5)
		sb_addf(sb, " and %zu more", n - 5);
	return n;
}

static void sru_regression_scope(struct report *r)
{
	struct report_section *s = &r->sru[REPORT_REGRESSION];
	struct strbuf sb = STRBUF_INIT;
	size_t i, k;

	if (r->arch) {
		section_add(s, "Every touched file is %s code: regression risk "
			       "is limited to %s.", r->arch, r->arch);
		return;
	}
	if (!r->ncommon)
		return;
	if (!shipped_common(r, &sb))
		section_add(s, "The series touches tests and documentation "
			       "only: low risk, no shipped code changes.");
	else if (r->qemu)
		section_add(s, "The series changes common code (%s): a "
			       "regression could reach every architecture.",
			    sb.buf);
	else
		section_add(s, "The series changes shipped code (%s).", sb.buf);
	for (i = 0; i < r->series->n; i++)
		for (k = r->patches[i].first_finding;
		     k < r->patches[i].first_finding + r->patches[i].nfindings; k++)
			if (!strcmp(r->lint.v[k].tag, "scope-binary-packages"))
				section_add(s, "Patch %zu %s.", i + 1,
					    r->lint.v[k].message);
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
			else if (rp->state[t] == RS_PLANNED)
				section_add(s, "Patch %zu does not apply to %s "
					       "alone (%s): it applies after the "
					       "prerequisites of the plan "
					       "(verified, see Prerequisites).",
					    i + 1, r->run->targets[t].name, why);
			else if (rp->state[t] == RS_MANUAL)
				section_add(s, "Patch %zu does not apply to %s "
					       "(%s): it needs a manual backport.",
					    i + 1, r->run->targets[t].name, why);
		}
	}
	section_add(s, "TODO: what else could break and how a regression "
		       "would show; the analysis cannot judge it.");
}

/*
 * What changed from upstream: the interdiff's summary, unless the patch
 * is its own upstream version (a commit read with --git) and conflicts:
 * then its backport will differ, and nothing is known yet.
 */
static void report_upstream_summary(const struct report *r, size_t i,
				    struct strbuf *sb)
{
	const struct report_patch *rp = &r->patches[i];
	size_t t;

	if (!rp->upstream) {
		sb_addstr(sb, "unknown (no upstream version given)");
		return;
	}
	if (rp->upstream == rp->p)
		for (t = 0; r->run && t < r->run->ntargets; t++)
			if (rp->state[t] == RS_MANUAL) {
				sb_addf(sb, "unknown (it does not apply to %s: "
					    "the backport will differ)",
					r->run->targets[t].name);
				return;
			}
	interdiff_summary(&rp->diff, sb);
}

static void sru_other(struct report *r)
{
	struct report_section *s = &r->sru[REPORT_OTHER];
	struct strbuf sb = STRBUF_INIT;
	size_t i, t;

	for (i = 0; i < r->series->n; i++) {
		sb_reset(&sb);
		report_upstream_summary(r, i, &sb);
		section_add(s, "Patch %zu changed from upstream: %s.", i + 1,
			    sb.buf);
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
	if (r->lint_rules)
		section_add(s, "Lint rules: %s.", r->lint_rules);
	sb_release(&sb);
}

void report_build(struct report *r, const struct patch_list *series,
		  const struct check_run *run,
		  const struct patch_list *upstream)
{
	report_build_with(r, series, run, upstream, NULL);
}

void report_build_with(struct report *r, const struct patch_list *series,
		       const struct check_run *run,
		       const struct patch_list *upstream,
		       const struct report_input *in)
{
	static const char *const titles[] = { "Impact", "Test Plan",
		"Where problems could occur", "Other Info" };
	static const char *const keys[] = { "impact", "test_plan",
		"where_problems_could_occur", "other_info" };
	unsigned char *used = xcalloc(upstream ? upstream->n + 1 : 1, 1);
	struct strbuf sb = STRBUF_INIT;
	struct lint_config auto_cfg;
	const struct lint_config *cfg = in ? in->lint : NULL;
	size_t i, t;

	memset(r, 0, sizeof(*r));
	r->series = series;
	r->run = run && run->ntargets ? run : NULL;
	r->plan = in ? in->plan : NULL;
	if (!cfg && lint_config_init(&auto_cfg, NULL, NULL, series->v,
				     series->n) == 0)
		cfg = &auto_cfg;
	r->qemu = cfg && (cfg->sets & LINT_SET_QEMU);
	if (cfg) {
		lint_config_names(cfg, &sb);
		sb_addf(&sb, " (%s)", cfg->why);
		r->lint_rules = xstrdup(sb.buf);
		sb_reset(&sb);
	}
	for (i = 0; i < REPORT_NSECTIONS; i++) {
		r->sru[i].title = titles[i];
		r->sru[i].key = keys[i];
	}
	r->patches = xcalloc(series->n + 1, sizeof(*r->patches));
	for (i = 0; i < series->n; i++) {
		struct report_patch *rp = &r->patches[i];

		rp->p = &series->v[i];
		rp->first_finding = r->lint.n;
		if (cfg)
			lint_patch_with(rp->p, cfg, &r->lint);
		rp->nfindings = r->lint.n - rp->first_finding;
		if (upstream && (rp->upstream = find_upstream(rp->p, upstream, used)))
			interdiff_patches(rp->upstream, rp->p, &rp->diff);
		rp->reasons = xcalloc(r->run ? r->run->ntargets + 1 : 1,
				      sizeof(char *));
		report_patch_facts(r, i, in ? in->git : NULL);
		for (t = 0; r->run && t < r->run->ntargets; t++) {
			sb_reset(&sb);
			patch_result_describe(check_cell(r->run, i, t), &sb);
			if (rp->left_out[t] >= 0)
				sb_addf(&sb, "%sdepends on left-out %s",
					sb.len ? "; " : "",
					check_patch_label(&series->v[rp->left_out[t]]));
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
	if (cfg == &auto_cfg)
		lint_config_release(&auto_cfg);
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
		report_patch_facts_release(rp);
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
	free(r->lint_rules);
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
	size_t k, t, shown = 0;
	struct strbuf sb = STRBUF_INIT;

	fprintf(f, "### %zu. %s\n\n", i + 1, patch_title(rp->p));
	fprintf(f, "- file: `%s`\n", check_patch_label(rp->p));
	if (rp->p->meta.from)
		fprintf(f, "- author: %s\n", rp->p->meta.from);
	if (rp->commit) {
		fprintf(f, "- %s: `%s`", report_commit_word(rp), rp->commit);
		if (report_commit_note(rp))
			fprintf(f, " (%s)", report_commit_note(rp));
		fputc('\n', f);
	}
	for (k = 0; k < rp->ncves; k++)
		fprintf(f, "%s%s%s", k ? ", " : "- CVE: ", rp->cves[k],
			k + 1 == rp->ncves ? "\n" : "");
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
		report_upstream_summary(r, i, &sb);
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
		      "with fuzz or a 3-way merge;\nconflict: does not apply "
		      "as is.\n\n", f);
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
		json_object_set_new(o, "state",
				    json_string(report_state_name(r->patches[i].state[t])));
		json_object_set_new(o, "depends_on",
				    r->patches[i].left_out[t] >= 0
				    ? jstr(check_patch_label(&r->series->v[r->patches[i].left_out[t]]))
				    : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *json_patch(const struct report *r, size_t i)
{
	const struct report_patch *rp = &r->patches[i];
	json_t *o = json_object(), *cves = json_array();
	size_t k;

	json_object_set_new(o, "n", json_integer((json_int_t)i + 1));
	json_object_set_new(o, "name", jstr(check_patch_label(rp->p)));
	json_object_set_new(o, "subject", jstr(rp->p->meta.subject));
	json_object_set_new(o, "author", jstr(rp->p->meta.from));
	json_object_set_new(o, "commit", jstr(rp->commit));
	json_object_set_new(o, "commit_resolved",
			    rp->commit_state == RC_RESOLVED ? json_true()
			    : rp->commit_state == RC_NOT_FOUND ? json_false()
			    : json_null());
	for (k = 0; k < rp->ncves; k++)
		json_array_append_new(cves, jstr(rp->cves[k]));
	json_object_set_new(o, "cves", cves);
	json_object_set_new(o, "results", json_results(r, i));
	json_object_set_new(o, "findings",
			    lint_findings_json(&r->lint, rp->first_finding,
					       rp->nfindings));
	if (rp->upstream) {
		json_t *u = interdiff_json(&rp->diff);
		struct strbuf sb = STRBUF_INIT;

		report_upstream_summary(r, i, &sb);
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
