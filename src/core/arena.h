/*
 * arena.h -- region allocator.
 *
 * One arena per unit of work (a request, a command, a compiled policy).
 * Everything allocated from it is freed at once by rc_arena_free().  Blocks
 * grow geometrically; an optional cap bounds the total so that input can
 * never make an arena grow without limit.
 */
#ifndef RC_CORE_ARENA_H
#define RC_CORE_ARENA_H

#include <stddef.h>

struct rc_arena_block;

struct rc_arena {
	struct rc_arena_block *head;
	size_t used_total; /* bytes handed out, for the cap */
	size_t cap;        /* 0 = no cap */
	int fail_after;    /* testing: fail the Nth allocation (0 = never) */
};

/* Initialise an empty arena; `cap` bytes at most (0 = unlimited). */
void rc_arena_init(struct rc_arena *a, size_t cap);

/* Free every block; the arena may be reused after rc_arena_init(). NULL-safe. */
void rc_arena_free(struct rc_arena *a);

/* Zero every byte handed out so far, in a way the compiler keeps
 * (explicit_bzero), before a free: for an arena that held secrets (a
 * request body's decoded password).  The allocations stay valid, now
 * zero.  NULL-safe. */
void rc_arena_wipe(struct rc_arena *a);

/* `n` bytes aligned for any type, or NULL on exhaustion / cap.  Memory is
 * zeroed.  Valid until rc_arena_free(). */
void *rc_arena_alloc(struct rc_arena *a, size_t n);

/* `count` elements of `size` bytes, overflow-checked; zeroed. */
void *rc_arena_array(struct rc_arena *a, size_t count, size_t size);

/* Copy of `len` bytes of `s` with a NUL appended. */
char *rc_arena_strndup(struct rc_arena *a, const char *s, size_t len);

/* Copy of the NUL-terminated `s`. */
char *rc_arena_strdup(struct rc_arena *a, const char *s);

/* A formatted text (cut at 4 KiB), or NULL on exhaustion. */
char *rc_arena_sprintf(struct rc_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
