/*
 * cmd_interdiff.c - "backport-tool interdiff UPSTREAM CARRIED": what the
 * carried version of a patch changed from the upstream one, for the
 * reviewer of a backport.  Exits like diff(1): 0 the same (perhaps at other
 * lines), 1 different, 2 trouble.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/options.h"
#include "analyse/interdiff.h"
#include "input/patch.h"
#include "util.h"

static const char interdiff_usage[] =
	"usage: " PROGRAM_NAME " interdiff [options] UPSTREAM CARRIED\n"
	"\n"
	"Compare a carried patch with its upstream version, file by file.\n"
	"The same change at other line numbers is no difference; other\n"
	"context lines, other added or removed lines, and files only one of\n"
	"them changes are.  Each file holds one patch (diff, DEP-3 or mail).\n"
	"\n"
	"  -f, --format FMT    text (default) or json\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 the same change, 1 they differ, 2 usage or input error.\n";

static int interdiff_read_one(const char *path, struct patch_list *list)
{
	if (patch_list_read_file(list, path) < 0)
		return -1;
	if (list->n != 1)
		return error_at(path, 0, "holds %zu patches; interdiff compares "
				"one with one", list->n);
	return 0;
}

int cmd_interdiff(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct patch_list up = { 0 }, car = { 0 };
	struct interdiff d;
	int c, json = 0, ret = EXIT_USAGE;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "json"))
				json = 1;
			else if (strcmp(optarg, "text")) {
				error("interdiff: unknown format '%s' (text, json)",
				      optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h': fputs(interdiff_usage, stdout); return EXIT_OK;
		default:
			options_bad_option("interdiff", c, argv);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 2) {
		error("interdiff: give two patch files, UPSTREAM and CARRIED");
		return EXIT_USAGE;
	}
	if (interdiff_read_one(argv[optind], &up) < 0 ||
	    interdiff_read_one(argv[optind + 1], &car) < 0)
		goto out;
	interdiff_patches(&up.v[0], &car.v[0], &d);
	if (json) {
		json_t *j = interdiff_json(&d);

		json_object_set_new(j, "upstream", json_string(argv[optind]));
		json_object_set_new(j, "carried", json_string(argv[optind + 1]));
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(j);
	} else {
		struct strbuf sb = STRBUF_INIT;

		interdiff_write(&d, argv[optind], argv[optind + 1], &sb);
		fputs(sb.buf, stdout);
		sb_release(&sb);
	}
	ret = d.change == ID_SAME ? EXIT_OK : EXIT_CONFLICT;
	interdiff_release(&d);
out:
	patch_list_release(&up);
	patch_list_release(&car);
	return ret;
}
