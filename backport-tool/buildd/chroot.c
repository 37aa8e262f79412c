/*
 * chroot.c - cached build chroot tarballs made with mmdebstrap (see
 * chroot.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildd/chroot.h"
#include "proc.h"
#include "util.h"

static int make_tarball(const struct suite *s, const char *mirror,
			const char *dir, const char *final)
{
	struct strbuf tmp = STRBUF_INIT, log = STRBUF_INIT;
	const char *argv[16];
	char *lines[2];
	size_t n, i, argc = 0;
	int st, ret = -1;

	/* mmdebstrap picks the format from the name: keep .tar.zst last */
	sb_addf(&tmp, "%s/.%s-amd64.%ld.tar.zst", dir, s->name, (long)getpid());
	sb_addf(&log, "%s/%s-amd64.log", dir, s->name);
	n = suite_sources(s, mirror, 0, lines);
	argv[argc++] = "mmdebstrap";
	argv[argc++] = "--mode=unshare";
	argv[argc++] = "--variant=buildd";
	argv[argc++] = "--arch=amd64";
	argv[argc++] = "--components=main";
	argv[argc++] = s->name;
	argv[argc++] = tmp.buf;
	for (i = 0; i < n; i++)
		argv[argc++] = lines[i];
	argv[argc] = NULL;
	fprintf(stderr, PROGRAM_NAME ": making the %s build chroot (once; "
		"cached in %s)\n", s->name, final);
	st = proc_run(argv, NULL, log.buf, 0);
	if (st == 127)
		error("mmdebstrap: not found (install mmdebstrap); see %s", log.buf);
	else if (st != 0)
		error("mmdebstrap %s failed (exit %d); see %s", s->name, st, log.buf);
	else if (rename(tmp.buf, final) < 0)
		error("%s: %s", final, strerror(errno));
	else
		ret = 0;
	if (ret < 0)
		unlink(tmp.buf);
	for (i = 0; i < n; i++)
		free(lines[i]);
	sb_release(&tmp);
	sb_release(&log);
	return ret;
}

int chroot_ensure(const struct suite *s, const char *mirror, int refresh,
		  char **path)
{
	char *cache = cache_path("chroot");
	struct strbuf dir = STRBUF_INIT, lock = STRBUF_INIT, final = STRBUF_INIT;
	struct stat st;
	int fd = -1, ret = -1;

	*path = NULL;
	if (!cache)
		return -1;
	sb_addstr(&dir, cache);
	sb_addf(&lock, "%s/.%s-amd64.lock", dir.buf, s->name);
	sb_addf(&final, "%s/%s-amd64.tar.zst", dir.buf, s->name);
	if (mkdir_p(dir.buf) < 0)
		goto out;
	fd = open(lock.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		error("%s: %s", lock.buf, strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX) < 0) {
		error("%s: %s", lock.buf, strerror(errno));
		goto out;
	}
	if (!refresh && stat(final.buf, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > 0)
		ret = 0;
	else
		ret = make_tarball(s, mirror, dir.buf, final.buf);
	if (ret == 0)
		*path = sb_detach(&final, NULL);
out:
	if (fd >= 0)
		close(fd); /* releases the lock */
	free(cache);
	sb_release(&dir);
	sb_release(&lock);
	sb_release(&final);
	return ret;
}
