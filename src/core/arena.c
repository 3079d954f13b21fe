#include "core/arena.h"
#include <stdarg.h>
#include <stdio.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct rc_arena_block {
	struct rc_arena_block *next;
	size_t size;
	size_t used;
	max_align_t data[]; /* aligned payload */
};

#define ARENA_MIN_BLOCK 4096u
#define ARENA_ALIGN     (sizeof(max_align_t))

void rc_arena_init(struct rc_arena *a, size_t cap)
{
	memset(a, 0, sizeof(*a));
	a->cap = cap;
}

void rc_arena_free(struct rc_arena *a)
{
	if (!a)
		return;
	struct rc_arena_block *b = a->head;
	while (b) {
		struct rc_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used_total = 0;
}

void rc_arena_wipe(struct rc_arena *a)
{
	for (struct rc_arena_block *b = a ? a->head : NULL; b; b = b->next)
		explicit_bzero(b->data, b->used);
}

void *rc_arena_alloc(struct rc_arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		return NULL;
	size_t need = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (a->cap && (need > a->cap || a->used_total > a->cap - need))
		return NULL;
	if (a->fail_after > 0 && --a->fail_after == 0)
		return NULL;

	struct rc_arena_block *b = a->head;
	if (!b || b->size - b->used < need) {
		size_t size = b ? b->size * 2 : ARENA_MIN_BLOCK;
		if (size > (size_t)1 << 24)
			size = (size_t)1 << 24;
		if (size < need)
			size = need;
		struct rc_arena_block *nb = malloc(sizeof(*nb) + size);
		if (!nb)
			return NULL;
		nb->size = size;
		nb->used = 0;
		/* A fresh block goes in front only when it has more room left
		 * than the current one; big one-off blocks go behind, so the
		 * small remainder of the head stays usable. */
		if (b && size == need) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = (char *)b->data + b->used;
	b->used += need;
	a->used_total += need;
	memset(p, 0, n);
	return p;
}

void *rc_arena_array(struct rc_arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	return rc_arena_alloc(a, count * size);
}

char *rc_arena_strndup(struct rc_arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = rc_arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *rc_arena_strdup(struct rc_arena *a, const char *s)
{
	return rc_arena_strndup(a, s, strlen(s));
}

char *rc_arena_sprintf(struct rc_arena *a, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : rc_arena_strdup(a, buf);
}
