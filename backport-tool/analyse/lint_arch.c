/*
 * lint_arch.c - the architecture a path belongs to (target/s390x,
 * hw/s390x, linux-headers/asm-s390, ...), for the scope finding.
 */
#include "analyse/lint_int.h"

#include <string.h>

/* ---- architecture of a path ---- */

static const char *const arch_names[] = {
	"alpha", "arm", "avr", "cris", "hexagon", "hppa", "i386",
	"loongarch", "lm32", "m68k", "microblaze", "mips", "moxie", "nios2",
	"openrisc", "ppc", "riscv", "rx", "s390x", "sh4", "sparc", "tricore",
	"unicore32", "xtensa",
};

static const struct {
	const char *alias, *arch;
} arch_aliases[] = {
	{ "s390", "s390x" },     { "x86", "i386" },     { "x86_64", "i386" },
	{ "aarch64", "arm" },    { "arm64", "arm" },    { "powerpc", "ppc" },
	{ "ppc64", "ppc" },      { "sparc64", "sparc" }, { "mips64", "mips" },
	{ "riscv32", "riscv" },  { "riscv64", "riscv" }, { "loongarch64", "loongarch" },
};

/* Files outside the per-architecture directories that serve one only. */
static const struct {
	const char *prefix, *arch;
} arch_files[] = {
	{ "hw/vfio/ccw.c", "s390x" },
	{ "hw/vfio/ap.c", "s390x" },
	{ "linux-headers/linux/vfio_ccw.h", "s390x" },
	{ "pc-bios/s390-ccw/", "s390x" },
	{ "hw/i386/", "i386" },
};

/* Map a directory component (len bytes) to an architecture, or NULL. */
static const char *arch_of_component(const char *s, size_t len)
{
	size_t i;

	if (len > 4 && !strncmp(s, "asm-", 4)) {
		s += 4;
		len -= 4;
	}
	for (i = 0; i < sizeof(arch_aliases) / sizeof(arch_aliases[0]); i++)
		if (strlen(arch_aliases[i].alias) == len &&
		    !strncmp(s, arch_aliases[i].alias, len))
			return arch_aliases[i].arch;
	for (i = 0; i < sizeof(arch_names) / sizeof(arch_names[0]); i++)
		if (strlen(arch_names[i]) == len && !strncmp(s, arch_names[i], len))
			return arch_names[i];
	return NULL;
}

/* The component after prefix in path, when path has one more level. */
static const char *arch_after(const char *path, const char *prefix)
{
	const char *s, *slash;

	if (!lint_has_prefix(path, prefix))
		return NULL;
	s = path + strlen(prefix);
	slash = strchr(s, '/');
	if (!slash)
		return NULL;
	return arch_of_component(s, (size_t)(slash - s));
}

const char *lint_path_arch(const char *path)
{
	static const char *const dirs[] = {
		"target/", "hw/", "include/hw/", "linux-headers/",
		"linux-user/", "tests/tcg/", "bsd-user/",
	};
	const char *base, *arch;
	size_t i;

	for (i = 0; i < sizeof(arch_files) / sizeof(arch_files[0]); i++)
		if (lint_has_prefix(path, arch_files[i].prefix))
			return arch_files[i].arch;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if ((arch = arch_after(path, dirs[i])))
			return arch;
	/* QEMU before 2.12: target-s390x/ */
	if (lint_has_prefix(path, "target-") && strchr(path, '/'))
		return arch_of_component(path + 7,
					 (size_t)(strchr(path, '/') - path - 7));
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strstr(base, "s390"))
		return "s390x";
	return NULL;
}

const char *lint_patch_arch(const struct patch *p, int *any)
{
	const char *arch = NULL;
	int strip = patch_strip_level(p);
	size_t i;

	for (i = 0; i < p->nfiles; i++) {
		const char *path = file_diff_target(&p->files[i], strip);
		const char *a = path ? lint_path_arch(path) : NULL;

		if (!a)
			return NULL;
		if (arch && strcmp(arch, a))
			return NULL;
		arch = a;
		*any = 1;
	}
	return arch;
}

const char *lint_series_arch(const struct patch *v, size_t n)
{
	const char *arch = NULL;
	int any = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int this_any = 0;
		const char *a = lint_patch_arch(&v[i], &this_any);

		if (!this_any && v[i].nfiles)
			return NULL;
		if (!this_any)
			continue;
		if (!a || (arch && strcmp(arch, a)))
			return NULL;
		arch = a;
		any = 1;
	}
	return any ? arch : NULL;
}

/* The QEMU set's scope: every touched file is one architecture's. */
void lint_scope_arch(const struct patch *p, const struct lint_config *cfg,
		     struct lint_result *out)
{
	int any = 0;
	const char *arch = lint_patch_arch(p, &any);

	(void)cfg;
	if (arch && any)
		lint_add(out, p, LINT_SCOPE, LINT_INFO, "scope-single-arch",
			 p->files[0].lineno, NULL,
			 "every touched file is %s code: regression risk "
			 "limited to %s", arch, arch);
}
