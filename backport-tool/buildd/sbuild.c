/*
 * sbuild.c - one sbuild job in unshare mode (see sbuild.h).
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildd/chroot.h"
#include "buildd/sbuild.h"
#include "proc.h"
#include "util.h"

/* "Field: value" at the start of a line of text; malloc'd or NULL. */
static char *field_value(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncasecmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1, *e;

			v += strspn(v, " \t");
			e = strchrnul(v, '\n');
			while (e > v && (e[-1] == ' ' || e[-1] == '\r'))
				e--;
			return e > v ? xstrndup(v, (size_t)(e - v)) : NULL;
		}
	return NULL;
}

static int safe_field(const char *v)
{
	/* package names and versions: no path separators, no options */
	return v && *v != '-' && !strchr(v, '/') && !strpbrk(v, " \t") &&
	       strcmp(v, ".") && strcmp(v, "..");
}

int sbuild_read_dsc(const char *path, char **package, char **version)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(path);
	int ret = -1;

	*package = *version = NULL;
	if (len < 4 || strcmp(path + len - 4, ".dsc"))
		return error("%s: not a .dsc file", path);
	if (read_whole_file(path, 16 << 20, &sb) < 0)
		return -1;
	*package = field_value(sb.buf, "Source");
	*version = field_value(sb.buf, "Version");
	if (!*package || !*version)
		error_at(path, 0, "no %s field: not a source package description",
			 *package ? "Version" : "Source");
	else if (!safe_field(*package) || !safe_field(*version))
		error_at(path, 0, "bad Source or Version field");
	else
		ret = 0;
	if (ret < 0) {
		free(*package);
		free(*version);
		*package = *version = NULL;
	}
	sb_release(&sb);
	return ret;
}

/* Does /etc/subXid have a line for the user (by name or uid)? */
static int has_range(const char *file, const char *user, unsigned long uid)
{
	struct strbuf sb = STRBUF_INIT, id = STRBUF_INIT;
	const char *p;
	int found = 0;

	if (read_whole_file(file, 1 << 20, &sb) < 0)
		return 0;
	sb_addf(&id, "%lu", uid);
	for (p = sb.buf; p && *p && !found; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		size_t n = strcspn(p, ":\n");

		found = p[n] == ':' &&
			((user && n == strlen(user) && !strncmp(p, user, n)) ||
			 (n == id.len && !strncmp(p, id.buf, n)));
	}
	sb_release(&sb);
	sb_release(&id);
	return found;
}

int sbuild_check_idmap(void)
{
	struct passwd *pw = getpwuid(getuid());
	const char *user = pw ? pw->pw_name : NULL;
	unsigned long uid = (unsigned long)getuid();

	if (has_range("/etc/subuid", user, uid) && has_range("/etc/subgid", user, uid))
		return 0;
	return error("no subordinate uid/gid range for %s in /etc/subuid and "
		     "/etc/subgid, which sbuild's unshare mode needs: run "
		     "'usermod --add-subuids 100000-165535 --add-subgids "
		     "100000-165535 %s' as root (make deps does)",
		     user ? user : "this user", user ? user : "USER");
}

static const char *noepoch(const char *v)
{
	const char *c = strchr(v, ':');

	return c ? c + 1 : v;
}

/* The .debs the binary .changes lists under Files:. */
static void list_debs(const char *changes, struct sbuild_result *r)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p, *files;
	size_t alloc = 0;

	if (read_whole_file(changes, 16 << 20, &sb) < 0)
		return;
	files = strstr(sb.buf, "\nFiles:");
	for (p = files ? strchr(files + 1, '\n') : NULL; p && p[1] == ' ';
	     p = strchr(p + 1, '\n')) {
		const char *line = p + 1, *e = strchrnul(line, '\n'), *name = e;
		size_t n;

		while (name > line && name[-1] != ' ')
			name--;
		n = (size_t)(e - name);
		if (n > 4 && !strncmp(e - 4, ".deb", 4)) {
			if (r->ndebs == alloc) {
				alloc = alloc ? 2 * alloc : 8;
				r->debs = xrealloc(r->debs, alloc * sizeof(*r->debs));
			}
			r->debs[r->ndebs++] = xstrndup(name, n);
		}
	}
	sb_release(&sb);
}

static const char *const make_env[] = {
	"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "MAKEFILES",
	NULL
};

/* One sbuild invocation: its argument vector and the strings it points to. */
struct sbuild_job {
	char *dsc, *out, *tarball, *extra[2];
	struct strbuf chroot_opt, dist, builddir, jobs, extra_opt[2];
	const char *argv[32];
};

static void job_release(struct sbuild_job *j)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		free(j->extra[i]);
		sb_release(&j->extra_opt[i]);
	}
	sb_release(&j->chroot_opt);
	sb_release(&j->dist);
	sb_release(&j->builddir);
	sb_release(&j->jobs);
	free(j->dsc);
	free(j->out);
	free(j->tarball);
}

/*
 * Everything that can be wrong with the input, before anything is
 * written: the .dsc, the id mapping, sbuild itself; then the chroot (made
 * once) and the output directory.  0 or -1.
 */
static int job_prepare(const struct sbuild_opts *o, struct sbuild_job *j,
		       struct sbuild_result *r)
{
	if (sbuild_read_dsc(o->dsc, &r->package, &r->version) < 0)
		return -1;
	if (!(j->dsc = realpath(o->dsc, NULL)))
		return error("%s: %s", o->dsc, strerror(errno));
	if (sbuild_check_idmap() < 0)
		return -1;
	if (!proc_in_path("sbuild"))
		return error("sbuild: not found (install sbuild, mmdebstrap and "
			     "uidmap; make deps does)");
	if (chroot_ensure(&o->suite, o->mirror, o->refresh_chroot,
			  &j->tarball) < 0)
		return -1;
	if (mkdir_p(o->out) < 0)
		return -1;
	if (!(j->out = realpath(o->out, NULL)))
		return error("%s: %s", o->out, strerror(errno));
	return 0;
}

/* sbuild's command line for the job; r->log is where its log will be. */
static void job_argv(const struct sbuild_opts *o, struct sbuild_job *j,
		     struct sbuild_result *r)
{
	static const char *const fixed[] = {
		"--arch=amd64", "--no-source", "--no-run-lintian",
		"--no-run-piuparts", "--no-run-autopkgtest", "--no-apt-upgrade",
		"--no-apt-distupgrade", "--nolog",
	};
	size_t argc = 0, nextra = 0, i;

	sb_addf(&j->builddir, "%s/%s_%s_amd64.build", j->out, r->package,
		noepoch(r->version));
	r->log = xstrdup(j->builddir.buf);
	sb_reset(&j->builddir);
	sb_addf(&j->builddir, "--build-dir=%s", j->out);
	sb_addf(&j->chroot_opt, "--chroot=%s", j->tarball);
	sb_addf(&j->dist, "--dist=%s", o->suite.name);
	sb_addf(&j->jobs, "--jobs=%d", o->jobs > 0 ? o->jobs : 1);
	if (!o->release_only)
		nextra = suite_sources(&o->suite, o->mirror, 1, j->extra);
	j->argv[argc++] = "sbuild";
	j->argv[argc++] = "--chroot-mode=unshare";
	j->argv[argc++] = j->chroot_opt.buf;
	j->argv[argc++] = j->dist.buf;
	j->argv[argc++] = o->no_arch_any ? "--no-arch-any" : "--arch-any";
	j->argv[argc++] = o->arch_all ? "--arch-all" : "--no-arch-all";
	for (i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		j->argv[argc++] = fixed[i];
	j->argv[argc++] = j->builddir.buf;
	j->argv[argc++] = j->jobs.buf;
	for (i = 0; i < nextra; i++) {
		sb_addf(&j->extra_opt[i], "--extra-repository=%s", j->extra[i]);
		j->argv[argc++] = j->extra_opt[i].buf;
	}
	j->argv[argc++] = j->dsc;
	j->argv[argc] = NULL;
}

/* After the build: its summary, and the .debs its .changes lists. */
static int job_result(const struct sbuild_opts *o, struct sbuild_job *j,
		      int st, struct sbuild_result *r)
{
	struct strbuf changes = STRBUF_INIT;

	if (buildlog_read(r->log, &r->summary) < 0)
		return -1;
	if (!r->summary.status)
		return error("sbuild exited %d without a summary; see %s", st,
			     r->log);
	sb_addf(&changes, "%s/%s_%s_amd64.changes", j->out, r->package,
		noepoch(r->version));
	if (o->no_arch_any && access(changes.buf, R_OK) < 0) {
		sb_reset(&changes);
		sb_addf(&changes, "%s/%s_%s_all.changes", j->out, r->package,
			noepoch(r->version));
	}
	if (buildlog_ok(&r->summary))
		list_debs(changes.buf, r);
	sb_release(&changes);
	return 0;
}

int sbuild_run(const struct sbuild_opts *o, struct sbuild_result *r)
{
	struct sbuild_job j;
	int st, ret = -1;

	memset(r, 0, sizeof(*r));
	memset(&j, 0, sizeof(j));
	if (job_prepare(o, &j, r) == 0) {
		job_argv(o, &j, r);
		/* A make we run under (make sbuild) must not reach the
		   package's build: sbuild passes MAKEFLAGS on, and its
		   variables (RELEASE=...) would override the package's own.
		   --jobs says the parallelism. */
		st = proc_run_unset(j.argv, j.out, r->log, 0, make_env);
		if (st >= 0)
			ret = job_result(o, &j, st, r);
	}
	job_release(&j);
	return ret;
}

void sbuild_result_release(struct sbuild_result *r)
{
	size_t i;

	free(r->package);
	free(r->version);
	free(r->log);
	buildlog_release(&r->summary);
	for (i = 0; i < r->ndebs; i++)
		free(r->debs[i]);
	free(r->debs);
	memset(r, 0, sizeof(*r));
}
