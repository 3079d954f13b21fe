/*
 * files.c -- a file that comes into force with a change: a policy version
 * (policies.c) or a year of the working-day calendar (calendar.c).
 *
 * The directory must never hold a file the audit trail does not know, and
 * the trail must never name a file the directory lacks for long.  So the
 * text is written inside the change, to a temporary name, and fsync'd
 * (rc_proc_file_stage); only after the commit does it take its name
 * (rc_proc_file_name), with link(), which refuses a name that exists where
 * rename() would replace it, and the directory is fsync'd so that the name
 * lasts.  A change that does not commit removes the temporary file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "procedure/procedure_int.h"

static enum rc_err write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return RC_ERR_IO;
		s += w;
		n -= (size_t)w;
	}
	return RC_OK;
}

enum rc_err rc_proc_file_stage(const char *tmp, const char *text, size_t len, struct rc_diags *d)
{
	/* a retried attempt writes it again */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	enum rc_err e = fd < 0 ? RC_ERR_IO : write_all(fd, text, len);
	if (fd >= 0 && (fsync(fd) != 0 || close(fd) != 0))
		e = RC_ERR_IO;
	if (e) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "cannot write %s: %s", tmp, strerror(errno));
		unlink(tmp);
	}
	return e;
}

enum rc_err rc_proc_file_name(const char *tmp, const char *path, const char *dir,
			      const char *object, struct rc_diags *d)
{
	if (link(tmp, path) != 0) {
		rc_diag_add(
		    d, RC_SEV_ERROR, 0, 0,
		    "the activation of %s is in the audit trail, but its file could not take "
		    "its name (%s); the text is in %s: move it to %s and restart the server",
		    object, strerror(errno), tmp, path);
		return RC_ERR_IO;
	}
	unlink(tmp);
	/* the name is durable once the directory is (best effort: the file
	 * is in force and in the trail either way) */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return RC_OK;
}
