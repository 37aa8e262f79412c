/*
 * headers_spell.c - QEMU's portable spelling of kernel headers, as
 * scripts/update-linux-headers.sh writes include/standard-headers.
 */
#include "analyse/headers_int.h"

#include <string.h>

/* ------------------------------------------------- portable spelling */

static void replace_first(struct strbuf *sb, const char *from, const char *to)
{
	char *p = strstr(sb->buf, from);
	struct strbuf out = STRBUF_INIT;

	if (!p)
		return;
	sb_init(&out);
	sb_add(&out, sb->buf, (size_t)(p - sb->buf));
	sb_addstr(&out, to);
	sb_addstr(&out, p + strlen(from));
	sb_release(sb);
	*sb = out;
}

/* s/PREFIX\([0-9][0-9]*\)/OPEN\1CLOSE/g */
static void replace_digits(struct strbuf *sb, const char *prefix,
			   const char *open, const char *close)
{
	struct strbuf out = STRBUF_INIT;
	size_t n = strlen(prefix), i = 0;

	sb_init(&out);
	while (i < sb->len) {
		if (!strncmp(sb->buf + i, prefix, n) &&
		    sb->buf[i + n] >= '0' && sb->buf[i + n] <= '9') {
			size_t j = i + n;
			while (sb->buf[j] >= '0' && sb->buf[j] <= '9')
				j++;
			sb_addstr(&out, open);
			sb_add(&out, sb->buf + i + n, j - i - n);
			sb_addstr(&out, close);
			i = j;
		} else {
			sb_addch(&out, sb->buf[i++]);
		}
	}
	sb_release(sb);
	*sb = out;
}

void headers_portable_line(const char *line, size_t len, struct strbuf *out)
{
	struct strbuf sb = STRBUF_INIT;
	int nl = len && line[len - 1] == '\n';
	char *p, *q;

	if (nl)
		len--;
	sb_init(&sb);
	sb_add(&sb, line, len);
	if (strstr(sb.buf, "\"drm.h\"") || strstr(sb.buf, "sys/ioctl.h") ||
	    strstr(sb.buf, "linux/ioctl.h")) {
		sb_release(&sb);
		return;
	}
	while ((p = strstr(sb.buf, "__aligned_u64"))) {
		struct strbuf o = STRBUF_INIT;
		sb_init(&o);
		sb_add(&o, sb.buf, (size_t)(p - sb.buf));
		sb_addstr(&o, "__u64 __attribute__((aligned(8)))");
		sb_addstr(&o, p + strlen("__aligned_u64"));
		sb_release(&sb);
		sb = o;
	}
	replace_digits(&sb, "__u", "uint", "_t");
	replace_digits(&sb, "u", "uint", "_t");
	replace_digits(&sb, "__s", "int", "_t");
	replace_digits(&sb, "__le", "uint", "_t");
	replace_digits(&sb, "__be", "uint", "_t");
	replace_first(&sb, "\"input-event-codes.h\"",
		      "\"standard-headers/linux/input-event-codes.h\"");
	if ((p = strstr(sb.buf, "<linux/")) && (q = strchr(p, '>'))) {
		struct strbuf o = STRBUF_INIT;
		sb_init(&o);
		sb_add(&o, sb.buf, (size_t)(p - sb.buf));
		sb_addstr(&o, "\"standard-headers/linux/");
		sb_add(&o, p + 7, (size_t)(q - p - 7));
		sb_addch(&o, '"');
		sb_addstr(&o, q + 1);
		sb_release(&sb);
		sb = o;
	}
	replace_first(&sb, "__bitwise", "");
	replace_first(&sb, "__attribute__((packed))", "QEMU_PACKED");
	replace_first(&sb, "__inline__", "inline");
	replace_first(&sb, "__BITS_PER_LONG", "HOST_LONG_BITS");
	replace_first(&sb, "SW_MAX", "SW_MAX_");
	replace_first(&sb, "atomic_t", "int");
	replace_first(&sb, "__kernel_long_t", "long");
	replace_first(&sb, "__kernel_ulong_t", "unsigned long");
	replace_first(&sb, "struct ethhdr", "struct eth_header");
	sb_add(out, sb.buf, sb.len);
	if (nl)
		sb_addch(out, '\n');
	if (strstr(sb.buf, "#define _LINUX_ETHTOOL_H"))
		sb_addstr(out, "\n#include \"net/eth.h\"\n");
	sb_release(&sb);
}

char *trim_portable_text(const char *buf, size_t len, size_t *outlen)
{
	struct strbuf out = STRBUF_INIT;
	size_t i = 0;

	sb_init(&out);
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) + 1 : len - i;
		headers_portable_line(buf + i, n, &out);
		i += n;
	}
	return sb_detach(&out, outlen);
}
