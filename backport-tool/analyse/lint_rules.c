/*
 * lint_rules.c - which rule sets run (lint.c keeps their table): generic
 * always, qemu when the target tree or the patches look like QEMU or when
 * --rules says so; and the path classes the generic rules share (test
 * code, documentation).
 */
#include "analyse/lint_int.h"
#include "tree/fsroot.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

/* The directories only QEMU's tree has, as a patch names them. */
static int qemu_path(const char *path)
{
	static const char *const prefixes[] = {
		"hw/", "target/", "target-", "qapi/", "linux-headers/",
		"include/hw/", "include/standard-headers/", "migration/",
		"qemu-options.hx", "hmp-commands", "qapi-schema.json",
		"accel/", "softmmu/", "linux-user/",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (lint_has_prefix(path, prefixes[i]))
			return 1;
	return 0;
}

/*
 * 1 when dir has hw/ and one of qapi/, linux-headers/ or target/ (QEMU's
 * tree; a test's small copy may lack some), naming them in why; 0 not;
 * -1 after an error.
 */
static int qemu_tree(const char *dir, struct strbuf *why)
{
	static const char *const subdirs[] = { "hw", "qapi", "linux-headers",
					       "target" };
	struct fs_root *root = fs_root_open(dir);
	struct strbuf has = STRBUF_INIT;
	struct stat st;
	size_t i, n = 0;
	int hw = 0;

	if (!root)
		return -1;
	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++)
		if (!fstatat(fs_root_fd(root), subdirs[i], &st,
			     AT_SYMLINK_NOFOLLOW) && S_ISDIR(st.st_mode)) {
			sb_addf(&has, "%s%s/", n++ ? ", " : "", subdirs[i]);
			hw |= i == 0;
		}
	fs_root_close(root);
	if (hw && n >= 2)
		sb_addf(why, "the tree has %s", has.buf);
	else
		sb_addstr(why, "the tree does not look like QEMU");
	sb_release(&has);
	return hw && n >= 2;
}

static const char *qemu_patches(const struct patch *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < v[i].nfiles; j++) {
			const char *path = lint_fd_path(&v[i], &v[i].files[j]);

			if (path && qemu_path(path))
				return path;
		}
	return NULL;
}

int lint_config_init(struct lint_config *cfg, const char *rules,
		     const char *tree, const struct patch *v, size_t n)
{
	struct strbuf why = STRBUF_INIT;
	const char *path;
	int q = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->sets = LINT_SET_GENERIC;
	if (rules && strcmp(rules, "auto") && strcmp(rules, "generic") &&
	    strcmp(rules, "qemu"))
		return error("lint: unknown rule set '%s' (auto, generic or "
			     "qemu)", rules);
	if (tree && lint_pkg_read(&cfg->pkg, tree) < 0)
		return -1;
	if (rules && strcmp(rules, "auto")) {
		q = !strcmp(rules, "qemu");
		sb_addf(&why, "--rules %s", rules);
	} else if (tree) {
		if ((q = qemu_tree(tree, &why)) < 0) {
			sb_release(&why);
			lint_config_release(cfg);
			return -1;
		}
	} else if ((path = qemu_patches(v, n))) {
		q = 1;
		sb_addf(&why, "a patch touches %s", path);
	} else {
		sb_addstr(&why, "no patch touches QEMU's directories");
	}
	if (q)
		cfg->sets |= LINT_SET_QEMU;
	cfg->why = sb_detach(&why, NULL);
	return 0;
}

void lint_config_release(struct lint_config *cfg)
{
	free(cfg->why);
	lint_pkg_free(cfg->pkg);
	memset(cfg, 0, sizeof(*cfg));
}

void lint_config_names(const struct lint_config *cfg, struct strbuf *out)
{
	size_t k;
	int first = 1;

	/* generic first: it always runs */
	for (k = lint_nrule_sets; k-- > 0;)
		if (cfg->sets & lint_rule_sets[k].bit) {
			sb_addf(out, "%s%s", first ? "" : ", ",
				lint_rule_sets[k].name);
			first = 0;
		}
}

json_t *lint_config_json(const struct lint_config *cfg)
{
	json_t *o = json_object(), *a = json_array();
	size_t k;

	for (k = lint_nrule_sets; k-- > 0;)
		if (cfg->sets & lint_rule_sets[k].bit)
			json_array_append_new(a, json_string(lint_rule_sets[k].name));
	json_object_set_new(o, "sets", a);
	json_object_set_new(o, "why", cfg->why ? json_string(cfg->why)
					       : json_null());
	return o;
}

/* ---- path classes ---- */

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/* Some directory of path is named one of names. */
static int has_dir(const char *path, const char *const *names, size_t n)
{
	const char *s = path, *slash;
	size_t i;

	while ((slash = strchr(s, '/'))) {
		for (i = 0; i < n; i++)
			if (strlen(names[i]) == (size_t)(slash - s) &&
			    !strncmp(s, names[i], (size_t)(slash - s)))
				return 1;
		s = slash + 1;
	}
	return 0;
}

int lint_path_is_test(const char *path)
{
	static const char *const dirs[] = { "test", "tests", "testsuite",
		"testing", "unittests", "t", "fuzz", "ossfuzz", "result",
		"results" };
	const char *b = base_name(path);

	return has_dir(path, dirs, sizeof(dirs) / sizeof(dirs[0])) ||
	       lint_has_prefix(b, "test_") || lint_has_prefix(b, "test-") ||
	       strstr(b, "_test.") || strstr(b, "-test.") ||
	       strstr(b, "_unittest");
}

int lint_path_is_doc(const char *path)
{
	static const char *const dirs[] = { "doc", "docs", "man",
		"Documentation", "documentation" };
	static const char *const suffixes[] = { ".md", ".rst", ".txt", ".texi",
		".pod", ".adoc", ".html", ".1", ".3", ".5", ".7", ".8" };
	static const char *const names[] = { "README", "NEWS", "ChangeLog",
		"CHANGES", "AUTHORS", "THANKS", "TODO" };
	const char *b = base_name(path);
	size_t i;

	if (has_dir(path, dirs, sizeof(dirs) / sizeof(dirs[0])))
		return 1;
	if (!strcmp(b, "CMakeLists.txt") || strstr(b, "options.txt"))
		return 0; /* build files */
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (lint_has_suffix(b, suffixes[i]))
			return 1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (lint_has_prefix(b, names[i]))
			return 1;
	return 0;
}

int lint_path_low_risk(const char *path)
{
	return lint_path_is_test(path) ? 1 : lint_path_is_doc(path) ? 2 : 0;
}

int lint_patch_low_risk(const struct patch *p)
{
	size_t i;
	int kinds = 0;

	for (i = 0; i < p->nfiles; i++) {
		const char *path = lint_fd_path(p, &p->files[i]);

		if (!path)
			return 0;
		if (lint_path_is_test(path))
			kinds |= 1;
		else if (lint_path_is_doc(path))
			kinds |= 2;
		else
			return 0;
	}
	return kinds;
}
