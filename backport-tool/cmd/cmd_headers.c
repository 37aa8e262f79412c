/*
 * cmd_headers.c - "backport-tool headers": a linux-headers update trimmed
 * to exactly the declarations a backport uses (see headers.h).  The diff
 * goes to -o FILE or standard output, the report to standard error (or as
 * JSON with --format json).
 */
#include <dirent.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analyse/cdecl.h"
#include "cmd/commands.h"
#include "cmd/options.h"
#include "input/gitsrc.h"
#include "analyse/headers.h"
#include "tree/tree.h"
#include "util.h"

static const char headers_usage[] =
	"usage: " PROGRAM_NAME " headers --tree DIR (--source PATCH | --source-dir DIR)\n"
	"                     --consumer FILE... [-o OUT] [--format text|json]\n"
	"   or: " PROGRAM_NAME " headers --scan PATH... [--format text|json]\n"
	"\n"
	"Write the part of a linux-headers update that the consumers need: the\n"
	"declarations they use that the tree's linux-headers/ and\n"
	"include/standard-headers/ lack, with what those depend on, as one\n"
	"patch that applies with fuzz 0.\n"
	"\n"
	"  -t, --tree DIR        the target tree (a QEMU source tree), or git:REV\n"
	"                        with --git\n"
	"      --git REPO        an upstream clone: --source and --consumer may\n"
	"                        then name commits (ids, tags, A..B ranges)\n"
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
	"      --scan            only scan the headers named (files or\n"
	"                        directories): count, or list with --format json,\n"
	"                        the declarations found\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 written, 1 refused (a kept declaration would change a\n"
	"value the target has), 2 usage or input error.\n";

struct headers_cli {
	struct headers_opts o;
	const char *tree, *out, *format;
	const char **consumers;
	size_t n;
	int scan;
	char **paths;
	int npaths;
	const char *git;
};

static int headers_parse_options(int argc, char **argv, struct headers_cli *c)
{
	enum { OPT_SOURCE_DIR = 256, OPT_FORMAT, OPT_STRICT, OPT_ARCH, OPT_SCAN,
	       OPT_GIT };
	static const struct option longopts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "source", required_argument, NULL, 's' },
		{ "source-dir", required_argument, NULL, OPT_SOURCE_DIR },
		{ "source-arch", required_argument, NULL, OPT_ARCH },
		{ "consumer", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "scan", no_argument, NULL, OPT_SCAN },
		{ "git", required_argument, NULL, OPT_GIT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":t:s:c:o:h", longopts, NULL)) != -1) {
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
		case OPT_SCAN: c->scan = 1; break;
		case OPT_GIT: c->git = optarg; break;
		case 'h':
			fputs(headers_usage, stdout);
			return 1;
		default:
			return options_bad_option("headers", ch, argv);
		}
	}
	if (strcmp(c->format, "text") && strcmp(c->format, "json"))
		return error("headers: --format must be text or json");
	if (c->scan) {
		if (optind == argc)
			return error("headers: --scan needs files or directories");
		c->paths = argv + optind;
		c->npaths = argc - optind;
		return 0;
	}
	if (optind < argc)
		return error("headers: unexpected argument '%s'", argv[optind]);
	if (!c->tree)
		return error("headers: --tree is required");
	if (!c->o.source_patch == !c->o.source_dir)
		return error("headers: give one of --source and --source-dir");
	if (!c->n)
		return error("headers: give at least one --consumer");
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

struct scan_stats {
	long files, decls, lines, unbalanced;
	size_t bytes;
	json_t *list; /* NULL unless --format json */
};

static json_t *scan_json(const char *path, const struct cdecl_file *f)
{
	json_t *o = json_object(), *a = json_array();
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct cdecl *d = &f->v[i];
		json_t *e = json_object();
		json_object_set_new(e, "kind", json_string(cdecl_kind_name(d->kind)));
		json_object_set_new(e, "name", d->name ? json_string(d->name) : json_null());
		json_object_set_new(e, "line", json_integer(d->line));
		json_object_set_new(e, "end_line", json_integer(d->end_line));
		json_object_set_new(e, "comment_line", json_integer(d->cline));
		json_object_set_new(e, "up", json_integer(d->up));
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "path", json_string(path));
	json_object_set_new(o, "unbalanced", json_boolean(f->unbalanced));
	json_object_set_new(o, "declarations", a);
	return o;
}

static int scan_path(const char *path, struct scan_stats *st)
{
	struct stat sb;
	struct strbuf buf;
	struct cdecl_file f;

	if (stat(path, &sb))
		return error_at(path, 0, "cannot read: %m");
	if (S_ISDIR(sb.st_mode)) {
		struct dirent **names;
		int n = scandir(path, &names, NULL, alphasort), i, rc = 0;
		if (n < 0)
			return error_at(path, 0, "cannot read: %m");
		for (i = 0; i < n; i++) {
			struct strbuf sub = STRBUF_INIT;
			const char *nm = names[i]->d_name;
			size_t len = strlen(nm);
			sb_init(&sub);
			sb_addf(&sub, "%s/%s", path, nm);
			if (nm[0] != '.' && !rc &&
			    (names[i]->d_type == DT_DIR ||
			     (len > 2 && !strcmp(nm + len - 2, ".h"))))
				rc = scan_path(sub.buf, st);
			sb_release(&sub);
			free(names[i]);
		}
		free(names);
		return rc;
	}
	if (read_whole_file(path, MAX_INPUT_SIZE, &buf))
		return -1;
	cdecl_scan(&f, buf.buf, buf.len);
	st->files++;
	st->bytes += buf.len;
	st->lines += f.nlines;
	st->decls += (long)f.n;
	st->unbalanced += f.unbalanced;
	if (f.unbalanced)
		warning_at(path, 0, "braces or #if blocks do not balance");
	if (st->list)
		json_array_append_new(st->list, scan_json(path, &f));
	cdecl_file_release(&f);
	sb_release(&buf);
	return 0;
}

static int headers_scan(const struct headers_cli *c)
{
	struct scan_stats st;
	struct timespec a, b;
	int i;

	memset(&st, 0, sizeof(st));
	if (!strcmp(c->format, "json"))
		st.list = json_array();
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < c->npaths; i++)
		if (scan_path(c->paths[i], &st)) {
			json_decref(st.list);
			return EXIT_USAGE;
		}
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (st.list) {
		char *s = json_dumps(st.list, JSON_INDENT(1));
		puts(s);
		free(s);
		json_decref(st.list);
	}
	fprintf(st.list ? stderr : stdout,
		"scanned %ld headers (%ld lines, %zu bytes): %ld declarations, %ld unbalanced, %.3f s\n",
		st.files, st.lines, st.bytes, st.decls, st.unbalanced,
		(double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return EXIT_OK;
}

static int file_exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/*
 * With --git: the source and the consumers that are commits rather than
 * files become patches (what git format-patch writes), and a git:REV tree
 * is read from the object database.
 */
static int headers_open_git(struct headers_cli *c, struct gitsrc **g,
			    struct tree **t, struct patch_list *src,
			    struct patch_list *cons)
{
	const char **files = NULL;
	size_t nfiles = 0, i;

	if (gitsrc_open(g, c->git) < 0)
		return -1;
	if (!strncmp(c->tree, "git:", 4)) {
		struct strbuf spec = STRBUF_INIT;
		int rc;
		sb_init(&spec);
		sb_addf(&spec, "%s=%s", c->tree + 4, c->tree);
		rc = gitsrc_tree_option(t, spec.buf, *g);
		sb_release(&spec);
		if (rc)
			return -1;
	}
	if (c->o.source_patch && !file_exists(c->o.source_patch)) {
		if (!gitsrc_is_revision(*g, c->o.source_patch))
			return error("headers: %s: neither a file nor a commit",
				     c->o.source_patch);
		if (gitsrc_read_commits_in(*g, src, &c->o.source_patch, 1))
			return -1;
		c->o.source_list = src;
	}
	for (i = 0; i < c->n; i++) {
		if (file_exists(c->consumers[i]) ||
		    !gitsrc_is_revision(*g, c->consumers[i])) {
			files = xrealloc(files, (nfiles + 1) * sizeof(*files));
			files[nfiles++] = c->consumers[i];
		} else if (gitsrc_read_commits_in(*g, cons, &c->consumers[i], 1)) {
			free(files);
			return -1;
		}
	}
	free(c->consumers);
	c->consumers = files;
	c->n = nfiles;
	c->o.consumers = files;
	c->o.nconsumers = nfiles;
	c->o.consumer_list = cons;
	return 0;
}

int cmd_headers(int argc, char **argv)
{
	struct headers_cli c;
	struct headers_report r;
	struct strbuf diff = STRBUF_INIT;
	struct tree *t = NULL;
	struct gitsrc *g = NULL;
	struct patch_list src = { NULL, 0, 0 }, cons = { NULL, 0, 0 };
	int rc, status;

	memset(&c, 0, sizeof(c));
	c.format = "text";
	rc = headers_parse_options(argc, argv, &c);
	if (rc) {
		free(c.consumers);
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	}
	if (c.scan) {
		free(c.consumers);
		return headers_scan(&c);
	}
	if (c.git && headers_open_git(&c, &g, &t, &src, &cons)) {
		status = EXIT_USAGE;
		goto out;
	}
	if (!t && tree_open_dir(&t, c.tree, c.tree)) {
		status = EXIT_USAGE;
		goto out;
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
	if (t)
		tree_free(t);
	patch_list_release(&src);
	patch_list_release(&cons);
	gitsrc_free(g);
	free(c.consumers);
	return status;
}
