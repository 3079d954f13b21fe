#include "core/diag.h"

#include <stdarg.h>
#include <string.h>

void rc_diags_init(struct rc_diags *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->file = file ? file : "<input>";
}

void rc_diag_add(struct rc_diags *d, enum rc_severity sev, int line, int col, const char *fmt, ...)
{
	if (sev == RC_SEV_ERROR)
		d->errors++;
	else if (sev == RC_SEV_WARNING)
		d->warnings++;
	if (d->count >= RC_DIAG_MAX) {
		d->dropped++;
		return;
	}
	struct rc_diag *g = &d->items[d->count++];
	g->sev = sev;
	g->line = line;
	g->col = col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(g->msg, sizeof(g->msg), fmt, ap);
	va_end(ap);
}

static const char *sev_name(enum rc_severity s)
{
	return s == RC_SEV_ERROR ? "error" : s == RC_SEV_WARNING ? "warning" : "note";
}

static void format_one(const struct rc_diags *d, const struct rc_diag *g, char *buf, size_t len)
{
	if (g->line > 0 && g->col > 0)
		snprintf(buf, len, "%s:%d:%d: %s: %s", d->file, g->line, g->col, sev_name(g->sev),
			 g->msg);
	else if (g->line > 0)
		snprintf(buf, len, "%s:%d: %s: %s", d->file, g->line, sev_name(g->sev), g->msg);
	else
		snprintf(buf, len, "%s: %s: %s", d->file, sev_name(g->sev), g->msg);
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
