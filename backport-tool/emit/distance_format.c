/*
 * distance_format.c - "backport-tool distance" as text, markdown (for the
 * bug) and JSON (schema in HACKING.md): a row a base (the verdict counts,
 * what plan carries, with --build whether it builds) and the answer in
 * one line.  Reads the run only.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "analyse/distance.h"
#include "util.h"

static const char *plan_word(const struct plan_target *pt)
{
	switch (pt->status) {
	case PLAN_OK: return "verified";
	case PLAN_STUCK: return "stuck";
	case PLAN_DEPTH_LIMIT: return "depth limit";
	case PLAN_SIZE_LIMIT: return "size limit";
	case PLAN_TIME_LIMIT: return "time budget";
	}
	return "?";
}

/* "none", "1 commit, 6 lines: dc6f8d458a", "stuck: ..." */
static void prereq_text(const struct distance_base *b, struct strbuf *sb)
{
	size_t i;

	if (b->plan->status != PLAN_OK) {
		sb_addf(sb, "%s", plan_word(b->plan));
		if (b->plan->message)
			sb_addf(sb, ": %s", b->plan->message);
		return;
	}
	if (!b->commits) {
		sb_addstr(sb, "none");
		return;
	}
	sb_addf(sb, "%zu commit%s, %ld line%s:", b->commits,
		b->commits == 1 ? "" : "s", b->lines, b->lines == 1 ? "" : "s");
	for (i = 0; i < b->plan->chain.n; i++)
		sb_addf(sb, " %.10s", b->plan->chain.v[i].commit);
}

static const char *build_word(const struct distance_run *run,
			      const struct distance_base *b)
{
	if (!run->build)
		return NULL;
	if (!b->plan->built)
		return "not built";
	return plan_target_builds(b->plan) ? "builds" : "breaks build";
}

/* The answer in one line, without the program name. */
static void answer_text(const struct distance_run *run, struct strbuf *sb)
{
	const struct distance_base *b;
	size_t i;

	if (run->oldest != DISTANCE_NONE)
		sb_addf(sb, "oldest base that takes the series with no "
			    "prerequisites: %s",
			run->bases[run->oldest].name);
	else
		sb_addstr(sb, "no base takes the series without prerequisites");
	if (!run->nleast) {
		sb_addstr(sb, "; no base has a verified plan");
		return;
	}
	sb_addstr(sb, "; least to carry: ");
	for (i = 0; i < run->nleast; i++)
		sb_addf(sb, "%s%s", i ? ", " : "", run->bases[run->least[i]].name);
	b = &run->bases[run->least[0]];
	if (!b->commits)
		sb_addstr(sb, " (nothing)");
	else
		sb_addf(sb, " (%zu commit%s, %ld line%s%s)", b->commits,
			b->commits == 1 ? "" : "s", b->lines,
			b->lines == 1 ? "" : "s", run->nleast > 1 ? " each" : "");
}

void distance_print_text(const struct distance_run *run, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t t, v, width = 4;

	for (t = 0; t < run->nbases; t++)
		if (strlen(run->bases[t].name) > width)
			width = strlen(run->bases[t].name);
	fprintf(f, "%-*s", (int)width, "base");
	for (v = V_CLEAN; v <= V_CONFLICT; v++)
		fprintf(f, " %8s", verdict_name(v));
	fprintf(f, "%s  prerequisites\n", run->build ? "  build       " : "");
	for (t = 0; t < run->nbases; t++) {
		const struct distance_base *b = &run->bases[t];

		fprintf(f, "%-*s", (int)width, b->name);
		for (v = V_CLEAN; v <= V_CONFLICT; v++)
			fprintf(f, " %8zu", b->count[v]);
		if (run->build)
			fprintf(f, "  %-12s", build_word(run, b));
		sb_reset(&sb);
		prereq_text(b, &sb);
		fprintf(f, "  %s\n", sb.buf);
	}
	sb_reset(&sb);
	answer_text(run, &sb);
	fprintf(f, "%s\n", sb.buf);
	sb_release(&sb);
}

static void md_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '`')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

void distance_print_markdown(const struct distance_run *run, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	size_t t, v;

	answer_text(run, &sb);
	fputs("**", f);
	md_escaped(f, sb.buf);
	fputs("**\n\n| base |", f);
	for (v = V_CLEAN; v <= V_CONFLICT; v++)
		fprintf(f, " %s |", verdict_name(v));
	fprintf(f, "%s prerequisites |\n|---|", run->build ? " build |" : "");
	for (v = V_CLEAN; v <= V_CONFLICT; v++)
		fputs("--:|", f);
	fprintf(f, "%s---|\n", run->build ? "---|" : "");
	for (t = 0; t < run->nbases; t++) {
		const struct distance_base *b = &run->bases[t];

		fputs("| ", f);
		md_escaped(f, b->name);
		fputs(" |", f);
		for (v = V_CLEAN; v <= V_CONFLICT; v++)
			fprintf(f, " %zu |", b->count[v]);
		if (run->build)
			fprintf(f, " %s |", build_word(run, b));
		sb_reset(&sb);
		prereq_text(b, &sb);
		fputc(' ', f);
		md_escaped(f, sb.buf);
		fputs(" |\n", f);
	}
	sb_release(&sb);
}

static json_t *json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *json_chain(const struct plan_target *pt)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < pt->chain.n; i++) {
		const struct plan_commit *c = &pt->chain.v[i];
		json_t *o = json_object();

		json_object_set_new(o, "commit", json_string(c->commit));
		json_object_set_new(o, "subject", json_str_or_null(c->subject));
		json_object_set_new(o, "lines",
				    json_integer(c->added + c->removed));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *json_base(const struct distance_run *run,
			 const struct distance_base *b)
{
	json_t *o = json_object(), *counts = json_object(), *plan = json_object();
	size_t v;

	json_object_set_new(o, "base", json_string(b->name));
	json_object_set_new(o, "spec", json_string(b->plan->spec));
	for (v = V_CLEAN; v <= V_CONFLICT; v++)
		json_object_set_new(counts, verdict_name(v),
				    json_integer((json_int_t)b->count[v]));
	json_object_set_new(counts, "empty", json_integer((json_int_t)b->empty));
	json_object_set_new(o, "verdicts", counts);
	json_object_set_new(plan, "status",
			    json_string(plan_status_name(b->plan->status)));
	json_object_set_new(plan, "message", json_str_or_null(b->plan->message));
	json_object_set_new(plan, "commits", json_integer((json_int_t)b->commits));
	json_object_set_new(plan, "lines", json_integer(b->lines));
	json_object_set_new(plan, "chain", json_chain(b->plan));
	json_object_set_new(o, "plan", plan);
	json_object_set_new(o, "build", json_str_or_null(build_word(run, b)));
	json_object_set_new(o, "takes_series", json_boolean(b->takes));
	return o;
}

void distance_print_json(const struct distance_run *run, FILE *f)
{
	json_t *root = json_object(), *bases = json_array(),
	       *series = json_array(), *ans = json_object(),
	       *least = json_array();
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	char *s;

	json_object_set_new(root, "version", json_integer(1));
	for (i = 0; i < run->series->n; i++)
		json_array_append_new(series, json_string(check_patch_label(
						      &run->series->v[i])));
	json_object_set_new(root, "series", series);
	for (i = 0; i < run->nbases; i++)
		json_array_append_new(bases, json_base(run, &run->bases[i]));
	json_object_set_new(root, "bases", bases);
	json_object_set_new(ans, "oldest",
			    run->oldest == DISTANCE_NONE
				    ? json_null()
				    : json_string(run->bases[run->oldest].name));
	for (i = 0; i < run->nleast; i++)
		json_array_append_new(least, json_string(
						     run->bases[run->least[i]].name));
	json_object_set_new(ans, "least", least);
	answer_text(run, &sb);
	json_object_set_new(ans, "text", json_string(sb.buf));
	json_object_set_new(root, "answer", ans);
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s)
		fprintf(f, "%s\n", s);
	free(s);
	json_decref(root);
	sb_release(&sb);
}
