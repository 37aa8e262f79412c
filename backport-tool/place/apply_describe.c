/*
 * apply_describe.c - a patch's or a hunk's result in one line, for a table
 * cell or a message: which file and hunk decided the verdict, and why
 * (apply.h: patch_result_describe, hunk_result_describe).
 */
#include "place/apply.h"
#include "place/adapt.h"

#include <string.h>

#include "util.h"

/*
 * The file that decides a verdict v: the first with it, but of conflicts
 * one without kept merge markers first -- those alone do not stop a patch
 * (apply --merge), so the other is the reason it did not apply.
 */
const struct file_result *patch_result_deciding(const struct patch_result *r,
						enum verdict v)
{
	const struct file_result *first = NULL;
	size_t i;

	for (i = 0; i < r->nfiles; i++) {
		const struct file_result *fr = &r->files[i];

		if (fr->verdict != v)
			continue;
		if (v != V_CONFLICT || fr->merge != MERGE_MARKERS)
			return fr;
		if (!first)
			first = fr;
	}
	return first;
}

static int is_ident_char(int c)
{
	return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/*
 * The name in a hunk's section heading: the identifier before the first
 * '(' ("static int f(int x)" -> f), else before '=' or '{'
 * ("static const VMStateDescription vmstate_x = {" -> vmstate_x).
 */
static void describe_func(const struct hunk *h, struct strbuf *sb)
{
	const char *s = h->func, *end, *stop = NULL, *b;
	size_t len = h->func_len, i;

	if (!s || !len)
		return;
	end = s + len;
	for (i = 0; i < len && !stop; i++)
		if (s[i] == '(')
			stop = s + i;
	for (i = 0; i < len && !stop; i++)
		if (s[i] == '=' || s[i] == '{')
			stop = s + i;
	if (!stop)
		stop = end;
	while (stop > s && !is_ident_char((unsigned char)stop[-1]))
		stop--;
	for (b = stop; b > s && is_ident_char((unsigned char)b[-1]); b--)
		;
	if (stop > b)
		sb_addf(sb, " (%.*s)", (int)(stop - b), b);
}

void hunk_result_describe(const struct file_result *fr,
			  const struct hunk_result *hr, struct strbuf *sb)
{
	switch (hr->verdict) {
	case V_CONFLICT:
		sb_addstr(sb, hr->reason ? hr->reason : "no safe placement");
		if (hr->ambiguous_at)
			sb_addf(sb, ": at %ld, also matches at %ld", hr->at,
				hr->ambiguous_at);
		if (fr->merge == MERGE_CONFLICTS || fr->merge == MERGE_MARKERS)
			sb_addstr(sb, "; 3-way merge conflicts");
		if (hr->adapt && hr->adapt->why.len)
			sb_addf(sb, "; not adapted: %s", hr->adapt->why.buf);
		break;
	case V_OFFSET:
		sb_addf(sb, "offset %+ld", hr->offset);
		break;
	case V_FUZZ:
		sb_addf(sb, "fuzz %d", hr->fuzz);
		if (hr->offset)
			sb_addf(sb, ", offset %+ld", hr->offset);
		break;
	case V_MERGED:
		sb_addstr(sb, "3-way merge");
		break;
	case V_ADAPTED:
		sb_addf(sb, "adapted at %ld: ", hr->at);
		if (hr->adapt)
			adaptation_describe(hr->adapt, sb);
		break;
	case V_APPLIED:
		if (hr->at)
			sb_addf(sb, "found at line %ld", hr->at);
		else
			sb_addstr(sb, "found in the target");
		if (hr->adapt && hr->adapt->kinds) {
			sb_addstr(sb, ", adapted: ");
			adaptation_describe(hr->adapt, sb);
		}
		break;
	default:
		sb_addstr(sb, verdict_name(hr->verdict));
	}
}

void hunk_result_name(const struct file_result *fr, size_t h,
		      struct strbuf *out)
{
	sb_addf(out, "%s hunk %zu", fr->path ? fr->path : "?", h + 1);
	describe_func(&fr->fd->hunks[h], out);
}

int patch_result_has_note(const struct patch_result *r)
{
	size_t i;

	if (patch_is_empty(r->patch))
		return 1;
	for (i = 0; i < r->nfiles; i++)
		if (r->files[i].note)
			return 1;
	return 0;
}

/* A clean result's notes: what an empty, submodule or mode change did. */
static void describe_notes(const struct patch_result *r, struct strbuf *out)
{
	size_t i;

	if (patch_is_empty(r->patch)) {
		sb_addstr(out, "empty commit: no change");
		return;
	}
	for (i = 0; i < r->nfiles; i++) {
		if (!r->files[i].note)
			continue;
		if (out->len)
			sb_addstr(out, "; ");
		if (r->files[i].fd->is_submodule)
			sb_addstr(out, r->files[i].note);
		else
			sb_addf(out, "%s: %s", r->files[i].path,
				r->files[i].note);
	}
}

void patch_result_describe(const struct patch_result *r, struct strbuf *out)
{
	const struct file_result *f;
	size_t h;

	if ((r->verdict == V_CLEAN || r->verdict == V_APPLIED) &&
	    patch_result_has_note(r)) {
		describe_notes(r, out);
		return;
	}
	if (r->verdict == V_CLEAN)
		return;
	f = patch_result_deciding(r, r->verdict);
	if (!f) {
		sb_addstr(out, verdict_name(r->verdict));
		return;
	}
	if (f->reason && f->fd->is_submodule) {
		sb_addstr(out, f->reason); /* it names the submodule */
		return;
	}
	if (f->reason) { /* "file missing" says more than its hunks */
		sb_addf(out, "%s: %s", f->path ? f->path : "?", f->reason);
		return;
	}
	if (f->moved) { /* then what happened to its hunks, if more */
		sb_addstr(out, f->moved);
		sb_addstr(out, "; ");
	}
	for (h = 0; f->hunks && h < f->fd->nhunks; h++) {
		const struct hunk_result *hr = &f->hunks[h];

		if (hr->verdict != r->verdict)
			continue;
		hunk_result_name(f, h, out);
		sb_addstr(out, ": ");
		hunk_result_describe(f, hr, out);
		return;
	}
	if (f->moved)
		sb_addf(out, "%s hunks placed as they are", f->path);
	else
		sb_addf(out, "%s: %s", f->path ? f->path : "?",
			verdict_name(f->verdict));
}

void patch_result_adaptations(const struct patch_result *r, struct strbuf *out)
{
	size_t i, h;

	for (i = 0; i < r->nfiles; i++) {
		const struct file_result *fr = &r->files[i];

		if (fr->moved && fr->verdict != V_CONFLICT) {
			sb_addstr(out, out->len ? "; " : "adapted ");
			sb_addstr(out, fr->moved);
		}
		for (h = 0; fr->hunks && h < fr->fd->nhunks; h++) {
			const struct hunk_result *hr = &fr->hunks[h];

			if (hr->verdict != V_ADAPTED || !hr->adapt)
				continue;
			sb_addstr(out, out->len ? "; " : "adapted ");
			hunk_result_name(fr, h, out);
			sb_addstr(out, ": ");
			adaptation_describe(hr->adapt, out);
		}
	}
}
