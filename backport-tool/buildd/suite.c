/*
 * suite.c - Debian releases and their archive sources (see suite.h).
 */
#include <string.h>

#include "buildd/suite.h"
#include "util.h"

static const struct suite suites[] = {
	{ "bullseye", 1, 1 },
	{ "bookworm", 1, 1 },
	{ "trixie", 1, 1 },
	{ "sid", 0, 0 },
};

static const char *const aliases[][2] = {
	{ "unstable", "sid" },
};

static const char *const pockets[] = {
	"-security", "-proposed-updates", "-updates", "-backports", NULL
};

const char *suite_known(void)
{
	return "bullseye bookworm trixie sid (unstable)";
}

int suite_lookup(const char *name, struct suite *out)
{
	size_t len = strlen(name), i, n;

	for (i = 0; pockets[i]; i++) {
		n = strlen(pockets[i]);
		if (len > n && !strcmp(name + len - n, pockets[i])) {
			len -= n;
			break;
		}
	}
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strlen(aliases[i][0]) == len && !strncmp(name, aliases[i][0], len)) {
			name = aliases[i][1];
			len = strlen(name);
		}
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (strlen(suites[i].name) == len && !strncmp(name, suites[i].name, len)) {
			*out = suites[i];
			return 0;
		}
	return error("unknown suite '%s' (known: %s)", name, suite_known());
}

size_t suite_sources(const struct suite *s, const char *mirror, int updates,
		     char *lines[2])
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0, len = strlen(mirror);

	while (len > 0 && mirror[len - 1] == '/')
		len--;
	if (!updates) {
		sb_addf(&sb, "deb %.*s/debian %s main", (int)len, mirror, s->name);
		lines[n++] = sb_detach(&sb, NULL);
		return n;
	}
	if (s->updates) {
		sb_addf(&sb, "deb %.*s/debian %s-updates main", (int)len, mirror, s->name);
		lines[n++] = sb_detach(&sb, NULL);
	}
	if (s->security) {
		sb_addf(&sb, "deb %.*s/debian-security %s-security main", (int)len,
			mirror, s->name);
		lines[n++] = sb_detach(&sb, NULL);
	}
	return n;
}
