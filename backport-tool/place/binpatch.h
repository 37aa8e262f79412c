/*
 * binpatch.h - the data of a "GIT binary patch": decoding and applying it.
 *
 * git diff --binary carries a binary file's change as base85 lines of
 * zlib-deflated data, either the whole new content ("literal") or git's
 * delta against the old ("delta"), and names both contents' blob ids on
 * its "index" line.  A binary file cannot be fuzzed or merged, so the rule
 * is git apply's: the change applies only to the exact pre-image (its blob
 * id matches), and a file that already has the post-image's id is already
 * patched.  Every length and offset in the data is checked: a patch is
 * untrusted input.
 */
#ifndef BT_BINPATCH_H
#define BT_BINPATCH_H

#include <stddef.h>

#include "input/patch.h"
#include "util.h"

/*
 * Decode bh: base85 lines, inflated to exactly bh->size bytes, into out.
 * where names the patch for messages.  0, or -1 after an error message.
 */
int binpatch_inflate(const struct binary_hunk *bh, const char *where,
		     struct strbuf *out);

/*
 * Apply a git delta (as inflated) to src.  0, or -1 after an error
 * message naming where:line.
 */
int binpatch_apply_delta(const char *src, size_t src_len, const char *delta,
			 size_t delta_len, const char *where, long line,
			 struct strbuf *out);

/* Does data's git blob id start with the hex id? */
int binpatch_is_blob(const char *data, size_t len, const char *id);

/*
 * The new content of fd's binary change on old (NULL when absent).
 * Returns 0 (out holds it), 1 when old is not the patch's pre-image
 * (nothing in out), or -1 after an error message (the data is corrupt).
 */
int binpatch_apply(const struct file_diff *fd, const char *where,
		   const char *old, size_t old_len, struct strbuf *out);

#endif
