/*
 * plan_format.c - a backport plan (analyse/plan.h) as text, markdown (for
 * the bug) and JSON (schema in HACKING.md).  Reads the plan only.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/plan.h"
#include "emit/compile_format.h"
#include "util.h"

static long chain_lines(const struct plan_target *pt, size_t *files)
{
	long lines = 0;
	size_t i;

	*files = 0;
	for (i = 0; i < pt->chain.n; i++) {
		lines += pt->chain.v[i].added + pt->chain.v[i].removed;
		*files += pt->chain.v[i].files;
	}
	return lines;
}

static const char *status_text(const struct plan_target *pt)
{
	switch (pt->status) {
	case PLAN_OK:
		return pt->chain.n ? "verified" : "verified, nothing to carry";
	case PLAN_STUCK: return "stuck";
	case PLAN_DEPTH_LIMIT: return "depth limit reached";
	case PLAN_SIZE_LIMIT: return "size limit reached";
	case PLAN_TIME_LIMIT: return "time budget ran out";
	}
	return "?";
}

static void print_commit_text(const struct plan_commit *c, const char *what,
			      FILE *f)
{
	size_t i;

	fprintf(f, "  %s %.10s %s", what, c->commit, c->subject);
	if (c->files)
		fprintf(f, " [%s%zu file%s, +%ld -%ld]", c->sync ? "header sync, " : "",
			c->files, c->files == 1 ? "" : "s", c->added, c->removed);
	if (c->depth > 1)
		fprintf(f, " (depth %zu)", c->depth);
	fputc('\n', f);
	for (i = 0; i < c->nneeds; i++)
		if (c->needs[i].name)
			fprintf(f, "      needed for %s: %s uses it\n",
				c->needs[i].name, c->needs[i].by);
		else
			fprintf(f, "      needed by %s: %s (%zu missing context "
				"line%s)\n", c->needs[i].by, c->needs[i].hunks,
				c->needs[i].lines, c->needs[i].lines == 1 ? "" : "s");
	if (c->note)
		fprintf(f, "      %s\n", c->note);
}

static const char *step_build(const struct plan_step *s)
{
	return s->build == 2 ? "breaks build" : s->build == 1 ? "builds" : NULL;
}

static const char *step_build_text(const struct plan_step *s)
{
	return s->adapted_breaks ? "adapted, breaks build" : step_build(s);
}

/* "adapt 4a5b 2 hunks (drift) instead of carrying 3 commits, 120 lines",
   or why a patch that adapts keeps its chain. */
static void adapt_line(const struct plan_adapt *a, struct strbuf *sb)
{
	if (!a->taken) {
		sb_addf(sb, "not adapted: %s: %s", a->label, a->why);
		return;
	}
	sb_addf(sb, "adapt %s %zu hunk%s (%s)", a->label, a->hunks,
		a->hunks == 1 ? "" : "s", a->kinds ? a->kinds : "");
	if (a->sized && !a->commits) {
		sb_addstr(sb, ": without it the chain is the same");
		return;
	}
	sb_addstr(sb, " instead of ");
	if (a->sized)
		sb_addf(sb, "carrying %zu commit%s, %ld line%s", a->commits,
			a->commits == 1 ? "" : "s", a->lines,
			a->lines == 1 ? "" : "s");
	else
		sb_addf(sb, "the prerequisites (%s)",
			a->instead ? a->instead : "not sized");
}

static void print_adapts(const struct plan_target *pt, const char *prefix,
			 FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	sb_init(&sb);
	for (i = 0; i < pt->nadapts; i++) {
		if (!pt->adapts[i].taken && !pt->adapts[i].why)
			continue;
		sb_reset(&sb);
		adapt_line(&pt->adapts[i], &sb);
		fprintf(f, "%s%s\n", prefix, sb.buf);
	}
	sb_release(&sb);
}

/* --build: the units, and the errors no patch owns. */
static void print_build_text(const struct plan_target *pt, FILE *f)
{
	if (pt->built)
		compile_print_text(&pt->build, f);
}

static void print_target_text(const struct plan_target *pt, FILE *f)
{
	size_t i, files;
	long lines = chain_lines(pt, &files);

	if (pt->status == PLAN_OK && !pt->chain.n)
		fprintf(f, "%s: plan verified: nothing to carry (%zu round%s)\n",
			pt->name, pt->rounds, pt->rounds == 1 ? "" : "s");
	else
		fprintf(f, "%s: plan %s: %zu commit%s to carry (%zu round%s)\n",
			pt->name, status_text(pt), pt->chain.n,
			pt->chain.n == 1 ? "" : "s", pt->rounds,
			pt->rounds == 1 ? "" : "s");
	if (pt->message)
		fprintf(f, "  %s\n", pt->message);
	print_adapts(pt, "  ", f);
	for (i = 0; i < pt->chain.n; i++)
		print_commit_text(&pt->chain.v[i], "carry", f);
	for (i = 0; i < pt->pending.n; i++)
		print_commit_text(&pt->pending.v[i], "left out", f);
	for (i = 0; i < pt->dropped.n; i++)
		print_commit_text(&pt->dropped.v[i], "dropped", f);
	for (i = 0; i < pt->skipped.n; i++)
		print_commit_text(&pt->skipped.v[i], "skipped", f);
	for (i = 0; i < pt->companions.n; i++)
		print_commit_text(&pt->companions.v[i], "review", f);
	if (pt->nsteps)
		fprintf(f, "  %s, in memory, fuzz 0:\n",
			pt->status == PLAN_OK ? "verified by applying the queue"
					      : "the queue so far");
	for (i = 0; i < pt->nsteps; i++) {
		const struct plan_step *s = &pt->steps[i];

		fprintf(f, "    %2zu %-10s %-8s %zu/%zu hunks exact%s%s%s\n",
			i + 1, s->label, verdict_name(s->verdict), s->exact,
			s->hunks, s->series ? " (series)" : "",
			s->reason ? ": " : "", s->reason ? s->reason : "");
		if (step_build(s))
			fprintf(f, "       %s%s%s", step_build_text(s),
				s->build_error ? ": " : "",
				s->build_error ? s->build_error : "");
		if (step_build(s) && s->warnings)
			fprintf(f, "; %zu warning%s on its lines", s->warnings,
				s->warnings == 1 ? "" : "s");
		if (step_build(s))
			fputc('\n', f);
	}
	print_build_text(pt, f);
	fprintf(f, "  size: %zu commit%s, %zu file change%s, %ld line%s\n",
		pt->chain.n, pt->chain.n == 1 ? "" : "s", files,
		files == 1 ? "" : "s", lines, lines == 1 ? "" : "s");
	if (pt->trim.present) {
		fprintf(f, "  alternative: %s trimmed to what the series uses: ",
			pt->trim.sync);
		if (pt->trim.refused)
			fprintf(f, "refused by the trimmer\n");
		else
			fprintf(f, "%zu declaration%s, %ld line%s (the full sync: "
				"%ld lines, with the chain: %ld); %s%s\n", pt->trim.kept,
				pt->trim.kept == 1 ? "" : "s", pt->trim.kept_lines,
				pt->trim.kept_lines == 1 ? "" : "s",
				pt->trim.full_lines, pt->trim.full_lines + lines,
				pt->trim.applies ? "the series applies with fuzz 0"
						 : "does not apply: ",
				pt->trim.applies || !pt->trim.reason ? ""
								    : pt->trim.reason);
		if (pt->trim.built)
			fprintf(f, "    and with it, the build: %s\n",
				compile_result_summary(&pt->trim.build));
	}
}

void plan_print_text(const struct plan_run *run, FILE *f)
{
	size_t i;

	for (i = 0; i < run->ntargets; i++) {
		if (i)
			fputc('\n', f);
		print_target_text(&run->targets[i], f);
	}
}

/* ---- markdown ----------------------------------------------------- */

static void md_cell(const char *s, FILE *f)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}

static void print_target_markdown(const struct plan_target *pt, FILE *f)
{
	size_t i, j, files;
	long lines = chain_lines(pt, &files);

	fprintf(f, "### Prerequisites on %s: %s\n\n", pt->name, status_text(pt));
	if (pt->message) {
		md_cell(pt->message, f);
		fputs("\n\n", f);
	}
	if (pt->nadapts) {
		print_adapts(pt, "- ", f);
		fputc('\n', f);
	}
	if (pt->chain.n) {
		fputs("| commit | subject | size | why |\n|---|---|---|---|\n", f);
		for (i = 0; i < pt->chain.n; i++) {
			const struct plan_commit *c = &pt->chain.v[i];

			fprintf(f, "| %.10s | ", c->commit);
			md_cell(c->subject, f);
			fprintf(f, " | %zu files, +%ld -%ld%s | ", c->files, c->added,
				c->removed, c->sync ? ", header sync" : "");
			for (j = 0; j < c->nneeds; j++) {
				fprintf(f, "%s%s: ", j ? "; " : "", c->needs[j].by);
				if (c->needs[j].name)
					fputs("needed for ", f);
				md_cell(c->needs[j].name ? c->needs[j].name
					: c->needs[j].hunks, f);
			}
			fputs(" |\n", f);
		}
		fputc('\n', f);
	}
	for (i = 0; i < pt->pending.n; i++)
		fprintf(f, "- left out by the limit: %.10s %s\n",
			pt->pending.v[i].commit, pt->pending.v[i].subject);
	for (i = 0; i < pt->dropped.n; i++)
		fprintf(f, "- dropped (not needed): %.10s %s\n",
			pt->dropped.v[i].commit, pt->dropped.v[i].subject);
	for (i = 0; i < pt->skipped.n; i++) {
		fprintf(f, "- skipped: %.10s ", pt->skipped.v[i].commit);
		md_cell(pt->skipped.v[i].subject, f);
		fputs(" (", f);
		md_cell(pt->skipped.v[i].note, f);
		fputs(")\n", f);
	}
	for (i = 0; i < pt->companions.n; i++)
		fprintf(f, "- to review beside it: %.10s %s (%s)\n",
			pt->companions.v[i].commit, pt->companions.v[i].subject,
			pt->companions.v[i].note);
	if (pt->pending.n || pt->dropped.n || pt->companions.n ||
	    pt->skipped.n)
		fputc('\n', f);
	if (pt->nsteps) {
		fprintf(f, "%s (fuzz 0, in memory):\n\n| # | patch | verdict | hunks exact |%s\n"
			"|---|---|---|---|%s\n", pt->status == PLAN_OK
			? "Verified by applying the queue" : "The queue so far",
			pt->built ? " build |" : "", pt->built ? "---|" : "");
		for (i = 0; i < pt->nsteps; i++) {
			const struct plan_step *s = &pt->steps[i];

			fprintf(f, "| %zu | %s%s | %s | %zu/%zu |", i + 1,
				s->label, s->series ? " (series)" : "",
				verdict_name(s->verdict), s->exact, s->hunks);
			if (pt->built) {
				fputc(' ', f);
				md_cell(step_build(s) ? step_build_text(s) : "not built", f);
				if (s->build_error) {
					fputs(": ", f);
					md_cell(s->build_error, f);
				}
				if (s->warnings)
					fprintf(f, "; %zu warning%s", s->warnings,
						s->warnings == 1 ? "" : "s");
				fputs(" |", f);
			}
			fputc('\n', f);
		}
		fputc('\n', f);
		if (pt->built && pt->build.error)
			fprintf(f, "Build: %s.\n\n", pt->build.error);
	}
	fprintf(f, "Size of the chain: %zu commits, %zu file changes, %ld lines.\n",
		pt->chain.n, files, lines);
	if (pt->built)
		fprintf(f, "Build with the chain: %s.\n", compile_result_summary(&pt->build));
	if (pt->trim.present && !pt->trim.refused)
		fprintf(f, "Alternative: %s trimmed to what the series uses, %ld "
			"lines (the full sync %ld lines, with the chain %ld): %s.\n",
			pt->trim.sync, pt->trim.kept_lines, pt->trim.full_lines,
			pt->trim.full_lines + lines,
			pt->trim.applies ? "applies with fuzz 0" : "does not apply");
	if (pt->trim.built)
		fprintf(f, "Build with the trimmed sync: %s.\n",
			compile_result_summary(&pt->trim.build));
	if (pt->trim.present && pt->trim.refused)
		fprintf(f, "Alternative: trimming %s was refused.\n", pt->trim.sync);
}

void plan_print_markdown(const struct plan_run *run, FILE *f)
{
	size_t i;

	for (i = 0; i < run->ntargets; i++) {
		if (i)
			fputc('\n', f);
		print_target_markdown(&run->targets[i], f);
	}
}

void plan_print_build_markdown(const struct plan_run *run, FILE *f)
{
	size_t t, i, any = 0;

	for (t = 0; t < run->ntargets; t++)
		any += run->targets[t].built;
	if (!any)
		return;
	fputs("## Build\n\n", f);
	for (t = 0; t < run->ntargets; t++) {
		const struct plan_target *pt = &run->targets[t];

		if (!pt->built)
			continue;
		fprintf(f, "- %s, with the chain: %s\n", pt->name,
			compile_result_summary(&pt->build));
		for (i = 0; i < pt->nsteps; i++)
			if (pt->steps[i].build_error) {
				fprintf(f, "  - %s breaks the build: ", pt->steps[i].label);
				md_cell(pt->steps[i].build_error, f);
				fputc('\n', f);
			}
		for (i = 0; i < pt->build.ndiags; i++)
			if (!pt->build.diags[i].patch && pt->build.diags[i].error) {
				fprintf(f, "  - error in the target's own code: %s:%ld: ",
					pt->build.diags[i].file, pt->build.diags[i].line);
				md_cell(pt->build.diags[i].message, f);
				fputc('\n', f);
			}
		if (pt->trim.built)
			fprintf(f, "- %s, with %s trimmed: %s\n", pt->name,
				pt->trim.sync, compile_result_summary(&pt->trim.build));
	}
	fputc('\n', f);
}

/* ---- JSON --------------------------------------------------------- */

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *commit_json(const struct plan_commit *c)
{
	json_t *o = json_object(), *needs = json_array();
	size_t i;

	json_object_set_new(o, "commit", json_string(c->commit));
	json_object_set_new(o, "subject", json_string(c->subject));
	json_object_set_new(o, "depth", json_integer((json_int_t)c->depth));
	json_object_set_new(o, "files", json_integer((json_int_t)c->files));
	json_object_set_new(o, "added", json_integer(c->added));
	json_object_set_new(o, "removed", json_integer(c->removed));
	json_object_set_new(o, "header_sync", json_boolean(c->sync));
	for (i = 0; i < c->nneeds; i++) {
		json_t *n = json_object();

		json_object_set_new(n, "patch", json_string(c->needs[i].by));
		json_object_set_new(n, "hunks", jstr(c->needs[i].hunks));
		json_object_set_new(n, "files", json_string(c->needs[i].files));
		json_object_set_new(n, "lines",
				    json_integer((json_int_t)c->needs[i].lines));
		json_object_set_new(n, "name", jstr(c->needs[i].name));
		json_array_append_new(needs, n);
	}
	json_object_set_new(o, "needed_by", needs);
	json_object_set_new(o, "note", jstr(c->note));
	return o;
}

static json_t *list_json(const struct plan_list *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(a, commit_json(&l->v[i]));
	return a;
}

/* A verification entry's "adapted": null, or what it adapted and what
   that saves. */
static json_t *step_adapted_json(const struct plan_target *pt,
				 const struct plan_step *s)
{
	const struct plan_adapt *a = NULL;
	json_t *o, *instead = json_null();
	size_t i;

	for (i = 0; i < pt->nadapts && !a; i++)
		if (pt->adapts[i].taken && !strcmp(pt->adapts[i].label, s->label))
			a = &pt->adapts[i];
	if (!a)
		return json_null();
	o = json_object();
	json_object_set_new(o, "hunks", json_integer((json_int_t)a->hunks));
	json_object_set_new(o, "kinds", jstr(a->kinds));
	if (a->sized) {
		instead = json_object();
		json_object_set_new(instead, "commits",
				    json_integer((json_int_t)a->commits));
		json_object_set_new(instead, "lines", json_integer(a->lines));
	}
	json_object_set_new(o, "instead", instead);
	json_object_set_new(o, "instead_note", jstr(a->instead));
	return o;
}

/* "not_adapted": the patches that adapt but keep their chain, and why. */
static json_t *not_adapted_json(const struct plan_target *pt)
{
	json_t *v = json_array();
	size_t i;

	for (i = 0; i < pt->nadapts; i++) {
		json_t *o;

		if (pt->adapts[i].taken || !pt->adapts[i].why)
			continue;
		o = json_object();
		json_object_set_new(o, "patch", json_string(pt->adapts[i].label));
		json_object_set_new(o, "why", json_string(pt->adapts[i].why));
		json_array_append_new(v, o);
	}
	return v;
}

static json_t *target_json(const struct plan_target *pt)
{
	json_t *o = json_object(), *steps = json_array(), *sum = json_object();
	size_t i, files;
	long lines = chain_lines(pt, &files);

	json_object_set_new(o, "target", json_string(pt->name));
	json_object_set_new(o, "status", json_string(plan_status_name(pt->status)));
	json_object_set_new(o, "message", jstr(pt->message));
	json_object_set_new(o, "rounds", json_integer((json_int_t)pt->rounds));
	json_object_set_new(o, "chain", list_json(&pt->chain));
	json_object_set_new(o, "dropped", list_json(&pt->dropped));
	json_object_set_new(o, "skipped", list_json(&pt->skipped));
	json_object_set_new(o, "pending", list_json(&pt->pending));
	json_object_set_new(o, "companions", list_json(&pt->companions));
	for (i = 0; i < pt->nsteps; i++) {
		const struct plan_step *s = &pt->steps[i];
		json_t *so = json_object();

		json_object_set_new(so, "patch", json_string(s->label));
		json_object_set_new(so, "subject", json_string(s->subject));
		json_object_set_new(so, "series", json_boolean(s->series));
		json_object_set_new(so, "verdict", json_string(verdict_name(s->verdict)));
		json_object_set_new(so, "hunks", json_integer((json_int_t)s->hunks));
		json_object_set_new(so, "exact", json_integer((json_int_t)s->exact));
		json_object_set_new(so, "reason", jstr(s->reason));
		json_object_set_new(so, "adapted", step_adapted_json(pt, s));
		if (pt->built) {
			json_t *b = json_object();

			json_object_set_new(b, "status", jstr(step_build(s)));
			json_object_set_new(b, "error", jstr(s->build_error));
			json_object_set_new(b, "warnings",
					    json_integer((json_int_t)s->warnings));
			json_object_set_new(so, "build", b);
		} else {
			json_object_set_new(so, "build", json_null());
		}
		json_array_append_new(steps, so);
	}
	json_object_set_new(o, "verification", steps);
	json_object_set_new(o, "not_adapted", not_adapted_json(pt));
	json_object_set_new(sum, "commits", json_integer((json_int_t)pt->chain.n));
	json_object_set_new(sum, "files", json_integer((json_int_t)files));
	json_object_set_new(sum, "lines", json_integer(lines));
	json_object_set_new(o, "summary", sum);
	json_object_set_new(o, "build", pt->built ? compile_result_json(&pt->build)
						  : json_null());
	if (pt->trim.present) {
		json_t *t = json_object();

		json_object_set_new(t, "sync", json_string(pt->trim.sync));
		json_object_set_new(t, "refused", json_boolean(pt->trim.refused));
		json_object_set_new(t, "kept", json_integer((json_int_t)pt->trim.kept));
		json_object_set_new(t, "kept_lines", json_integer(pt->trim.kept_lines));
		json_object_set_new(t, "full_lines", json_integer(pt->trim.full_lines));
		json_object_set_new(t, "applies", json_boolean(pt->trim.applies));
		json_object_set_new(t, "reason", jstr(pt->trim.reason));
		json_object_set_new(t, "build", pt->trim.built
				    ? compile_result_json(&pt->trim.build) : json_null());
		json_object_set_new(o, "trimmed", t);
	} else {
		json_object_set_new(o, "trimmed", json_null());
	}
	return o;
}

json_t *plan_json(const struct plan_run *run)
{
	json_t *root = json_object(), *targets = json_array();
	size_t i;

	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "ok", json_boolean(plan_run_ok(run)));
	for (i = 0; i < run->ntargets; i++)
		json_array_append_new(targets, target_json(&run->targets[i]));
	json_object_set_new(root, "targets", targets);
	return root;
}

void plan_print_json(const struct plan_run *run, FILE *f)
{
	json_t *root = plan_json(run);
	char *s;

	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputs(s, f);
	fputc('\n', f);
	free(s);
	json_decref(root);
}
