/*
 * cmd_headers.c - "backport-tool headers": a linux-headers update trimmed
 * to exactly the declarations a backport uses (see headers.h).  The diff
 * goes to -o FILE or standard output, the report to standard error (or as
 * JSON with --format json).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "headers.h"
#include "tree.h"
#include "util.h"

static const char headers_usage[] =
	"usage: " PROGRAM_NAME " headers --tree DIR (--source PATCH | --source-dir DIR)\n"
	"                     --consumer FILE... [-o OUT] [--format text|json]\n"
	"\n"
	"Write the part of a linux-headers update that the consumers need: the\n"
	"declarations they use that the tree's linux-headers/ and\n"
	"include/standard-headers/ lack, with what those depend on, as one\n"
	"patch that applies with fuzz 0.\n"
	"\n"
	"  -t, --tree DIR        the target tree (a QEMU source tree)\n"
	"  -s, --source PATCH    a header-update patch or mbox (\"Linux headers:\n"
	"                        update\")\n"
	"      --source-dir DIR  or a headers tree: a kernel's usr/include, or\n"
	"                        /usr/include of linux-libc-dev\n"
	"      --source-arch A   QEMU's asm-A for the source's asm/ (default: from\n"
	"                        the multiarch directory, else x86)\n"
	"  -c, --consumer FILE   a patch (its added lines count) or a C file (all\n"
	"                        of it); repeat for each\n"
	"  -o, --output OUT      write the trimmed patch there (default: stdout)\n"
	"      --format FMT      the report: text (stderr) or json (stdout, or\n"
	"                        stderr when the patch goes to stdout)\n"
	"      --strict          refuse even value changes upstream made itself\n"
	"                        (an enumerator renumbered by an insertion)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 written, 1 refused (a kept declaration would change a\n"
	"value the target has), 2 usage or input error.\n";

struct headers_cli {
	struct headers_opts o;
	const char *tree, *out, *format;
	const char **consumers;
	size_t n;
};

static int headers_parse_options(int argc, char **argv, struct headers_cli *c)
{
	enum { OPT_SOURCE_DIR = 256, OPT_FORMAT, OPT_STRICT, OPT_ARCH };
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "source", required_argument, NULL, 's' },
		{ "source-dir", required_argument, NULL, OPT_SOURCE_DIR },
		{ "source-arch", required_argument, NULL, OPT_ARCH },
		{ "consumer", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+t:s:c:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 't': c->tree = optarg; break;
		case 's': c->o.source_patch = optarg; break;
		case OPT_SOURCE_DIR: c->o.source_dir = optarg; break;
		case OPT_ARCH: c->o.source_arch = optarg; break;
		case 'c':
			c->consumers = xrealloc(c->consumers,
						(c->n + 1) * sizeof(*c->consumers));
			c->consumers[c->n++] = optarg;
			break;
		case 'o': c->out = optarg; break;
		case OPT_FORMAT: c->format = optarg; break;
		case OPT_STRICT: c->o.strict = 1; break;
		case 'h':
			fputs(headers_usage, stdout);
			return 1;
		default:
			return error("headers: unknown option '%s'; see 'headers --help'",
				     argv[optind - 1]);
		}
	}
	if (optind < argc)
		return error("headers: unexpected argument '%s'", argv[optind]);
	if (!c->tree)
		return error("headers: --tree is required");
	if (!c->o.source_patch == !c->o.source_dir)
		return error("headers: give one of --source and --source-dir");
	if (!c->n)
		return error("headers: give at least one --consumer");
	if (strcmp(c->format, "text") && strcmp(c->format, "json"))
		return error("headers: --format must be text or json");
	c->o.consumers = c->consumers;
	c->o.nconsumers = c->n;
	return 0;
}

static int write_output(const char *path, const struct strbuf *diff)
{
	FILE *f = path ? fopen(path, "w") : stdout;

	if (!f)
		return error_at(path, 0, "cannot write: %m");
	fwrite(diff->buf, 1, diff->len, f);
	if (f != stdout ? fclose(f) : fflush(f))
		return error_at(path ? path : "-", 0, "write error");
	return 0;
}

int cmd_headers(int argc, char **argv)
{
	struct headers_cli c;
	struct headers_report r;
	struct strbuf diff = STRBUF_INIT;
	struct tree *t = NULL;
	int rc, status;

	memset(&c, 0, sizeof(c));
	c.format = "text";
	rc = headers_parse_options(argc, argv, &c);
	if (rc) {
		free(c.consumers);
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	}
	if (tree_open_dir(&t, c.tree, c.tree)) {
		free(c.consumers);
		return EXIT_USAGE;
	}
	rc = headers_trim(t, &c.o, &diff, &r);
	if (rc < 0) {
		status = EXIT_USAGE;
		goto out;
	}
	status = rc ? EXIT_CONFLICT : EXIT_OK;
	if (!rc && write_output(c.out, &diff))
		status = EXIT_USAGE;
	if (!strcmp(c.format, "json")) {
		char *js = headers_report_json(&r);
		FILE *f = c.out ? stdout : stderr;
		fprintf(f, "%s\n", js);
		free(js);
		if (rc)
			headers_report_print(&r, stderr);
	} else {
		headers_report_print(&r, stderr);
	}
	headers_report_release(&r);
out:
	sb_release(&diff);
	tree_free(t);
	free(c.consumers);
	return status;
}
