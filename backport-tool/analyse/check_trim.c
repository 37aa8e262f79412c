/*
 * check_trim.c - a series with its header sync trimmed, for check.
 *
 * The trimmer takes the sync as its source and every other patch of the
 * series as a consumer; its diff, with the sync's own mail header, becomes
 * a patch that stands where the sync stood.  The other patches are parsed
 * again from their text, so that the queue owns what it holds and check
 * can judge it like any series.
 */
#include "analyse/check_trim.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Append p, which stands where like stood: its -pN and commit id. */
static void queue_append(struct patch_list *list, struct patch *p,
			 const struct patch *like)
{
	p->strip = like->strip;
	if (like->meta.commit && !p->meta.commit)
		p->meta.commit = xstrdup(like->meta.commit);
	ALLOC_GROW(list->v, list->n + 1, list->alloc);
	list->v[list->n++] = *p;
}

/* Append a parsed copy of p (its text parsed again) to list. */
static int queue_add_copy(struct patch_list *list, const struct patch *p)
{
	struct patch copy;

	if (patch_parse(&copy, p->name, xstrndup(p->raw, p->raw_len),
			p->raw_len) < 0)
		return -1;
	queue_append(list, &copy, p);
	return 0;
}

/* The trimmed sync as a patch named after the sync. */
static int queue_add_trimmed(struct patch_list *list, const struct patch *sync,
			     const struct headers_report *hr,
			     const struct strbuf *diff)
{
	struct strbuf text = STRBUF_INIT, name = STRBUF_INIT;
	struct patch p;
	size_t len;
	char *buf;
	int ret;

	headers_trimmed_patch(sync, hr, diff, &text);
	sb_addf(&name, "%s (trimmed)", sync->name);
	buf = sb_detach(&text, &len);
	/* trimmed to nothing: an empty patch stands where the sync stood */
	ret = patch_parse_commit(&p, name.buf, name.buf, buf, len);
	sb_release(&name);
	if (ret < 0)
		return -1;
	queue_append(list, &p, sync);
	return 0;
}

static size_t find_sync(const struct patch_list *series)
{
	size_t i;

	for (i = 0; i < series->n; i++)
		if (headers_is_sync(&series->v[i]))
			return i;
	return (size_t)-1;
}

int check_trim_make(struct check_trim *ct, struct tree *t,
		    const struct patch_list *series)
{
	struct headers_opts ho = { 0 };
	struct patch_list source = { 0 }, consumers = { 0 };
	struct strbuf diff = STRBUF_INIT;
	size_t i;
	int ret;

	memset(ct, 0, sizeof(*ct));
	ct->sync = find_sync(series);
	if (ct->sync == (size_t)-1)
		return 0;
	/* views into series, not copies: never released */
	source.v = &series->v[ct->sync];
	source.n = 1;
	consumers.v = xcalloc(series->n, sizeof(*consumers.v));
	for (i = 0; i < series->n; i++)
		if (i != ct->sync)
			consumers.v[consumers.n++] = series->v[i];
	ho.source_list = &source;
	ho.consumer_list = &consumers;
	ret = headers_trim(t, &ho, &diff, &ct->report);
	if (ret == 1)
		ct->refused = 1;
	for (i = 0; ret == 0 && i < series->n; i++)
		ret = i == ct->sync
			? queue_add_trimmed(&ct->queue, &series->v[i],
					    &ct->report, &diff)
			: queue_add_copy(&ct->queue, &series->v[i]);
	free(consumers.v);
	sb_release(&diff);
	return ret < 0 ? -1 : 0;
}

void check_trim_release(struct check_trim *ct)
{
	headers_report_release(&ct->report);
	patch_list_release(&ct->queue);
}
