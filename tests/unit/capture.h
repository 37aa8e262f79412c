/*
 * capture.h - catch what code under test prints on stderr, so that a unit
 * test can check an error message (one line, naming the file and line)
 * as well as the return value.  Include after <cmocka.h>.
 */
#ifndef BT_TEST_CAPTURE_H
#define BT_TEST_CAPTURE_H

#include <stdio.h>
#include <unistd.h>

/* stderr goes to a temporary file between capture_begin and capture_end. */
struct capture {
	FILE *tmp;
	int saved;
	char text[4096];
};

static inline void capture_begin(struct capture *c)
{
	fflush(stderr);
	c->tmp = tmpfile();
	assert_non_null(c->tmp);
	c->saved = dup(2);
	dup2(fileno(c->tmp), 2);
}

/* What was printed since capture_begin (at most 4095 bytes). */
static inline const char *capture_end(struct capture *c)
{
	size_t n;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	rewind(c->tmp);
	n = fread(c->text, 1, sizeof(c->text) - 1, c->tmp);
	c->text[n] = '\0';
	fclose(c->tmp);
	return c->text;
}

#endif
