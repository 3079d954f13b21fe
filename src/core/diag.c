#include "core/diag.h"

#include <stdarg.h>
#include <string.h>

void rc_diags_init(struct rc_diags *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->file = file ? file : "<input>";
}

static struct rc_diag *add(struct rc_diags *d, enum rc_severity sev, int line, int col)
{
	if (sev == RC_SEV_ERROR)
		d->errors++;
	else if (sev == RC_SEV_WARNING)
		d->warnings++;
	if (d->count >= RC_DIAG_MAX) {
		d->dropped++;
		return NULL;
	}
	struct rc_diag *g = &d->items[d->count++];
	g->sev = sev;
	g->line = line;
	g->col = col;
	g->file = -1;
	return g;
}

void rc_diag_add(struct rc_diags *d, enum rc_severity sev, int line, int col, const char *fmt, ...)
{
	struct rc_diag *g = add(d, sev, line, col);
	if (!g)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->msg, sizeof(g->msg), fmt, ap);
	va_end(ap);
}

static int file_index(struct rc_diags *d, const char *file)
{
	for (int i = 0; i < d->n_files; i++)
		if (strcmp(d->files[i], file) == 0)
			return i;
	if (d->n_files >= RC_DIAG_FILES)
		return -1;
	snprintf(d->files[d->n_files], sizeof(d->files[0]), "%s", file);
	return d->n_files++;
}

static const char *sev_name(enum rc_severity s);

void rc_diag_add_in(struct rc_diags *d, const char *file, enum rc_severity sev, int line, int col,
		    const char *fmt, ...)
{
	struct rc_diag *g = add(d, sev, line, col);
	if (!g)
		return;
	g->file = file ? file_index(d, file) : -1;
	size_t off = 0;
	if (file && g->file < 0) {
		/* No room to name the file apart: the message carries its whole
		 * prefix and is printed as it is (file -2), never as one about
		 * d->file. */
		int n = line > 0
			    ? snprintf(g->msg, sizeof(g->msg), "%s:%d:%d: %s: ", file, line, col,
				       sev_name(sev))
			    : snprintf(g->msg, sizeof(g->msg), "%s: %s: ", file, sev_name(sev));
		off = n > 0 && (size_t)n < sizeof(g->msg) ? (size_t)n : 0;
		g->file = -2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->msg + off, sizeof(g->msg) - off, fmt, ap);
	va_end(ap);
}

static int count_sev(const struct rc_diags *d, enum rc_severity sev)
{
	int n = 0;
	for (int i = 0; i < d->count; i++)
		n += d->items[i].sev == sev;
	return n;
}

void rc_diags_merge(struct rc_diags *to, const struct rc_diags *from)
{
	for (int i = 0; i < from->count; i++) {
		const struct rc_diag *g = &from->items[i];
		if (g->file == -2) { /* carries its own prefix */
			int before = to->count;
			rc_diag_add(to, g->sev, 0, 0, "%s", g->msg);
			if (to->count > before)
				to->items[to->count - 1].file = -2;
			continue;
		}
		const char *file = g->file >= 0 ? from->files[g->file] : from->file;
		rc_diag_add_in(to, file, g->sev, g->line, g->col, "%s", g->msg);
	}
	/* what `from` could not store still counts */
	to->dropped += from->dropped;
	to->errors += from->errors - count_sev(from, RC_SEV_ERROR);
	to->warnings += from->warnings - count_sev(from, RC_SEV_WARNING);
}

static const char *sev_name(enum rc_severity s)
{
	return s == RC_SEV_ERROR ? "error" : s == RC_SEV_WARNING ? "warning" : "note";
}

static void format_one(const struct rc_diags *d, const struct rc_diag *g, char *buf, size_t len)
{
	const char *file = g->file >= 0 ? d->files[g->file] : d->file;
	if (g->file == -2) { /* prefixed already (rc_diag_add_in) */
		snprintf(buf, len, "%s", g->msg);
		return;
	}
	if (g->line > 0 && g->col > 0)
		snprintf(buf, len, "%s:%d:%d: %s: %s", file, g->line, g->col, sev_name(g->sev),
			 g->msg);
	else if (g->line > 0)
		snprintf(buf, len, "%s:%d: %s: %s", file, g->line, sev_name(g->sev), g->msg);
	else
		snprintf(buf, len, "%s: %s: %s", file, sev_name(g->sev), g->msg);
}

void rc_diags_print(const struct rc_diags *d, FILE *out)
{
	char line[RC_DIAG_MSG_MAX + 256];
	for (int i = 0; i < d->count; i++) {
		format_one(d, &d->items[i], line, sizeof(line));
		fprintf(out, "%s\n", line);
	}
	if (d->dropped)
		fprintf(out, "%s: note: %d more diagnostics not shown\n", d->file, d->dropped);
}

void rc_diags_first(const struct rc_diags *d, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < d->count; i++) {
		if (d->items[i].sev == RC_SEV_ERROR) {
			format_one(d, &d->items[i], buf, len);
			return;
		}
	}
}
