/*
 * compile_qemu.c - QEMU's build system driver, and all that backport-tool
 * knows about QEMU's build: its configure for the softmmu targets of the
 * architectures the queue touches (--build-target: QEMU's target list),
 * out of tree in obj/, its generated headers made once, and each unit
 * built as "make -k PATH.o" in the first target's folder.
 */
#include "analyse/compile_int.h"

#include <string.h>

static int qemu_detect(const char *root)
{
	return compile_exists(root, "configure") && compile_exists(root, "VERSION") &&
	       compile_exists(root, "qemu-options.hx");
}

/* QEMU's --target-list for the architectures the queue touches. */
void compile_guess_targets(const struct patch_list *q, struct strbuf *out)
{
	static const struct { const char *needle, *target; } arch[] = {
		{ "s390", "s390x-softmmu" }, { "/ccw", "s390x-softmmu" },
		{ "target/i386/", "x86_64-softmmu" }, { "target/arm/", "aarch64-softmmu" },
		{ "target/ppc/", "ppc64-softmmu" }, { "target/riscv/", "riscv64-softmmu" },
		{ "target/mips/", "mips64el-softmmu" },
	};
	size_t i, f, a;

	for (i = 0; i < q->n; i++)
		for (f = 0; f < q->v[i].nfiles; f++) {
			const char *path = file_diff_target(&q->v[i].files[f],
					patch_strip_level(&q->v[i]));

			for (a = 0; path && a < sizeof(arch) / sizeof(arch[0]); a++)
				if (strstr(path, arch[a].needle) &&
				    !strstr(path, "linux-headers/") &&
				    !strstr(out->buf ? out->buf : "", arch[a].target)) {
					sb_addf(out, "%s%s", out->len ? "," : "",
						arch[a].target);
				}
		}
}

static const char *qemu_targets(const struct compile_ctx *c)
{
	return c->targets && *c->targets ? c->targets : "x86_64-softmmu";
}

static int qemu_configure(struct compile_ctx *c)
{
	struct strbuf tl = STRBUF_INIT, output = STRBUF_INIT;
	const char *argv[] = { "../src/configure", NULL,
		"--disable-werror", "--disable-docs", "--disable-tools",
		"--disable-guest-agent", "--disable-slirp",
		"--disable-capstone", "--disable-gtk", "--disable-sdl",
		"--disable-vnc", "--disable-xen", "--disable-spice",
		"--disable-opengl", "--disable-libusb", "--disable-user",
		"--python=python3", NULL };
	const char *prep[] = { "make", "Makefile", NULL };
	int rc = 0;

	sb_addf(&tl, "--target-list=%s", qemu_targets(c));
	argv[1] = tl.buf;
	if (compile_run_env(argv, (const char *const *)c->env.v, c->obj,
			    c->log, &output) != 0)
		rc = compile_failed(c, "configure", &output);
	/* the generated headers every object needs */
	else if (sb_reset(&output), compile_run(prep, c->obj, c->log, &output) != 0)
		rc = compile_failed(c, "generating QEMU's headers", &output);
	sb_release(&tl);
	sb_release(&output);
	return rc;
}

static void qemu_compile(struct compile_ctx *c, const char *path,
			 struct compile_unit *unit, struct strbuf *output,
			 struct strbuf *cwd)
{
	const char *targets = qemu_targets(c);
	char *obj = xstrdup(path);

	obj[strlen(obj) - 1] = 'o';
	sb_addf(cwd, "%s/%.*s", c->obj, (int)strcspn(targets, ","), targets);
	compile_make_target(c, cwd->buf, obj, unit, output);
	free(obj);
}

const struct compile_sys compile_sys_qemu = {
	"qemu", 0, qemu_detect, qemu_configure, qemu_compile,
};
