/*
 * err.h -- the project-wide error enum.
 *
 * Every fallible function in rongcuo returns an `enum rc_err`; 0 is success.
 * Results travel through out parameters.  Callers that need a human message
 * for the user get it from a `struct rc_diags` (see diag.h); rc_strerror()
 * names the class of failure only.
 */
#ifndef RC_CORE_ERR_H
#define RC_CORE_ERR_H

enum rc_err {
	RC_OK = 0,
	RC_ERR_NOMEM,     /* an allocation failed                          */
	RC_ERR_IO,        /* a file could not be read or written           */
	RC_ERR_SYNTAX,    /* input text is malformed (policy, JSON, date)  */
	RC_ERR_TYPE,      /* a value has the wrong type                    */
	RC_ERR_NAME,      /* a name is not defined, or defined twice       */
	RC_ERR_RANGE,     /* a value or size is outside its allowed range  */
	RC_ERR_LIMIT,     /* input exceeds a hard cap (size, depth, count) */
	RC_ERR_CONFLICT,  /* two rules disagree at the same priority       */
	RC_ERR_NOT_FOUND, /* no such object (e.g. no version in force)     */
	RC_ERR_TEST,      /* a policy test failed                          */
	RC_ERR_USAGE,     /* a command line is wrong                       */
	RC_ERR_INTERNAL,  /* a broken invariant; a bug in rongcuo          */
	RC_ERR_BUSY,      /* the database is busy (a lock not granted in   */
			  /* time, a serialization failure): retry         */
	RC_ERR__COUNT
};

/* Static English name of an error class; never NULL. */
const char *rc_strerror(enum rc_err e);

#endif
