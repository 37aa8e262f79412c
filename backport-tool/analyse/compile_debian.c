/*
 * compile_debian.c - a Debian source package's build options for the
 * build check: CFLAGS, CPPFLAGS and LDFLAGS from dpkg-buildflags (with
 * the DEB_*_MAINT_* settings debian/rules exports), and configure's
 * arguments from its one "dh_auto_configure -- FLAGS" line when they can
 * be read without make (no variables, no quotes); debhelper's
 * --buildsystem and --sourcedirectory, which choose the build system.
 * What is not used is said in a note, never guessed.
 */
#include "analyse/compile_int.h"

#include <ctype.h>
#include <string.h>

/* "export DEB_BUILD_MAINT_OPTIONS = hardening=+all": 1 and name, value. */
static int maint_setting(char *line, char **name, char **value)
{
	char *p = line, *end;

	if (!strncmp(p, "export", 6) && isspace((unsigned char)p[6]))
		p += 7;
	while (isspace((unsigned char)*p))
		p++;
	if (strncmp(p, "DEB_", 4))
		return 0;
	*name = p;
	for (end = p; isalnum((unsigned char)*end) || *end == '_'; end++)
		;
	if (!strstr(*name, "MAINT_") || strstr(*name, "MAINT_") > end)
		return 0;
	p = end;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == ':' || *p == '?' || *p == '+')
		p++;
	if (*p != '=')
		return 0;
	*end = '\0';
	for (p++; isspace((unsigned char)*p); p++)
		;
	*value = p;
	return 1;
}

static void buildflags(struct compile_ctx *c, struct strvec *maint)
{
	static const char *const flags[] = { "CFLAGS", "CPPFLAGS", "LDFLAGS" };
	size_t i;

	for (i = 0; i < 3; i++) {
		const char *argv[] = { "dpkg-buildflags", "--get", flags[i], NULL };
		struct strbuf out = STRBUF_INIT, var = STRBUF_INIT;

		if (compile_run_env(argv, (const char *const *)maint->v, c->src,
				    c->log, &out) == 0) {
			while (out.len && isspace((unsigned char)out.buf[out.len - 1]))
				out.buf[--out.len] = '\0';
			sb_addf(&var, "%s=%s", flags[i], out.buf ? out.buf : "");
			compile_strvec_push(&c->env, var.buf);
		} else if (i == 0) {
			compile_add_note(c->out, "debian: dpkg-buildflags failed, "
					 "its flags not used");
		}
		sb_release(&out);
		sb_release(&var);
	}
}

/* Does a recipe line run configure, cmake or meson itself (not dh)? */
static int runs_configure(const char *line)
{
	const char *p = line;

	while (*p) {
		size_t n;

		p += strspn(p, " \t;&|()");
		n = strcspn(p, " \t;&|()");
		if ((n >= 10 && !strncmp(p + n - 10, "/configure", 10)) ||
		    (n == 5 && !strncmp(p, "cmake", 5)) ||
		    (n == 5 && !strncmp(p, "meson", 5)))
			return 1;
		p += n;
	}
	return 0;
}

/* configure's arguments from the one dh_auto_configure line with flags. */
static void configure_flags(struct compile_ctx *c, const char *line,
			    long lineno, int nlines)
{
	const char *flags = strstr(line, " -- ");
	char *copy, *tok, *save;

	if (nlines > 1) {
		compile_add_note(c->out, "debian: %d dh_auto_configure lines with "
				 "flags in debian/rules (flavours): none used", nlines);
		return;
	}
	if (!flags)
		return;
	if (strpbrk(flags, "$'\"`")) {
		compile_add_note(c->out, "debian: configure flags of debian/rules:%ld "
				 "not used: they need make to read", lineno);
		return;
	}
	copy = xstrdup(flags + 4);
	for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
		compile_strvec_push(&c->args, tok);
	free(copy);
	compile_add_note(c->out, "debian: configure flags from debian/rules:%ld",
			 lineno);
}

void compile_debian_flags(struct compile_ctx *c)
{
	struct strbuf rules = STRBUF_INIT, logical = STRBUF_INIT, first = STRBUF_INIT;
	struct strvec maint = { 0 };
	char path[PATH_MAX];
	const char *p;
	long lineno = 0, start = 0, first_line = 0, own_line = 0;
	int nconf = 0;

	compile_pathf(path, sizeof(path), "%s/debian/rules", c->src);
	if (compile_read_file(path, &rules) < 0 || !rules.len) {
		sb_release(&rules);
		return;
	}
	for (p = rules.buf; *p; p = *p ? p + 1 : p) {
		size_t n = strcspn(p, "\n");
		char *name, *value;

		lineno++;
		if (!logical.len)
			start = lineno;
		if (n && p[n - 1] == '\\') { /* a continued line */
			sb_add(&logical, p, n - 1);
			sb_addch(&logical, ' ');
			p += n;
			continue;
		}
		sb_add(&logical, p, n);
		sb_addstr(&logical, ""); /* a buffer, also when empty */
		p += n;
		if (maint_setting(logical.buf, &name, &value)) {
			struct strbuf var = STRBUF_INIT;

			if (strchr(value, '$'))
				compile_add_note(c->out, "debian: %s of debian/rules:%ld "
						 "not used: it needs make to read", name, start);
			else {
				sb_addf(&var, "%s=%s", name, value);
				compile_strvec_push(&maint, var.buf);
			}
			sb_release(&var);
		} else if (strstr(logical.buf, "dh_auto_configure") &&
			   strstr(logical.buf, " -- ") && nconf++ == 0) {
			sb_addstr(&first, logical.buf);
			first_line = start;
		} else if (!own_line && (logical.buf[0] == '\t' || logical.buf[0] == ' ') &&
			   runs_configure(logical.buf)) {
			own_line = start;
		}
		sb_reset(&logical);
	}
	fprintf(c->log, "# a Debian source package: its build flags\n");
	buildflags(c, &maint);
	if (nconf)
		configure_flags(c, first.buf, first_line, nconf);
	if (own_line) /* its own configure: options we cannot read safely */
		compile_add_note(c->out, "debian: debian/rules:%ld runs configure "
				 "itself; its flags not used", own_line);
	if (c->env.n)
		compile_add_note(c->out, "debian: CFLAGS, CPPFLAGS and LDFLAGS "
				 "from dpkg-buildflags");
	compile_strvec_release(&maint);
	sb_release(&rules);
	sb_release(&logical);
	sb_release(&first);
}

/* The word after "--OPTION=" or "--OPTION " in text, or NULL. */
static char *dh_option(const char *text, const char *option)
{
	const char *p = text, *v;
	size_t n = strlen(option);

	while ((p = strstr(p, "--"))) {
		p += 2;
		if (strncmp(p, option, n) || (p[n] != '=' && p[n] != ' '))
			continue;
		for (v = p + n + 1; *v == ' '; v++)
			;
		return xstrndup(v, strcspn(v, " \t\n\\;"));
	}
	return NULL;
}

int compile_debian_layout(const char *src, char **system, char **sourcedir)
{
	struct strbuf rules = STRBUF_INIT;
	char path[PATH_MAX];

	*system = *sourcedir = NULL;
	compile_pathf(path, sizeof(path), "%s/debian/rules", src);
	if (compile_read_file(path, &rules) < 0 || !rules.len) {
		sb_release(&rules);
		return 0;
	}
	*system = dh_option(rules.buf, "buildsystem");
	*sourcedir = dh_option(rules.buf, "sourcedirectory");
	if (!*sourcedir)
		*sourcedir = dh_option(rules.buf, "sourcedir");
	sb_release(&rules);
	return 1;
}
