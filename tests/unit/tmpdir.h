/*
 * tmpdir.h - remove the scratch directory a unit test made (a git
 * repository, usually) when its group is done.  Include after util.h.
 */
#ifndef BT_TEST_TMPDIR_H
#define BT_TEST_TMPDIR_H

#include <stdlib.h>

/* rm -rf dir; 0 when it is gone (the teardown's return value). */
static inline int tmpdir_remove(const char *dir)
{
	struct strbuf cmd = STRBUF_INIT;
	int rc;

	sb_addf(&cmd, "rm -rf '%s'", dir);
	rc = system(cmd.buf);
	sb_release(&cmd);
	return rc;
}

#endif
