#include "core/err.h"

static const char *const names[RC_ERR__COUNT] = {
    [RC_OK] = "success",
    [RC_ERR_NOMEM] = "out of memory",
    [RC_ERR_IO] = "input/output error",
    [RC_ERR_SYNTAX] = "syntax error",
    [RC_ERR_TYPE] = "type error",
    [RC_ERR_NAME] = "undefined or duplicate name",
    [RC_ERR_RANGE] = "value out of range",
    [RC_ERR_LIMIT] = "input exceeds a limit",
    [RC_ERR_CONFLICT] = "conflicting rules",
    [RC_ERR_NOT_FOUND] = "not found",
    [RC_ERR_TEST] = "test failed",
    [RC_ERR_USAGE] = "usage error",
    [RC_ERR_INTERNAL] = "internal error",
    [RC_ERR_BUSY] = "database busy",
};

const char *rc_strerror(enum rc_err e)
{
	if ((unsigned)e >= RC_ERR__COUNT)
		return "unknown error";
	return names[e];
}
