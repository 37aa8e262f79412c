/*
 * deb822.h - read files in the format of debian/control: paragraphs of
 * "Field: value" lines, continuation lines indented, "#" comments, blank
 * lines between paragraphs.  Release profiles (series/) and backport
 * manifests (patches/) use it so that Debian people can read and write
 * them; every field keeps its line so errors can name it.
 */
#ifndef BT_DEB822_H
#define BT_DEB822_H

#include <stddef.h>

struct deb822_field {
	char *name;
	char *value; /* continuation lines joined with '\n', " ." as "" */
	long line;
};

struct deb822_para {
	struct deb822_field *fields;
	size_t n, alloc;
	long line; /* first line of the paragraph */
};

struct deb822 {
	char *path;
	struct deb822_para *paras;
	size_t n, alloc;
};

/* Parse a file; 0, or -1 after "PATH:LINE: ..." on malformed input. */
int deb822_read(struct deb822 *out, const char *path);
int deb822_parse(struct deb822 *out, const char *path, const char *text,
		 size_t len);
void deb822_release(struct deb822 *d);

/* A field of a paragraph, case-insensitive as in deb822; NULL if absent. */
const struct deb822_field *deb822_get(const struct deb822_para *p,
				      const char *name);

/*
 * Check a paragraph against the fields a format allows: every field must
 * be in allowed, every name in required must be present.  0 or -1.
 */
int deb822_check_fields(const struct deb822 *d, const struct deb822_para *p,
			const char *const *allowed, const char *const *required);

#endif
