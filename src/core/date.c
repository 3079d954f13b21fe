#include "core/date.h"

int32_t rc_date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void rc_date_to_ymd(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int yy = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yy + (*m <= 2);
}

int rc_date_days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

enum rc_err rc_date_parse(const char *s, size_t len, int32_t *out)
{
	int y, m, d;
	if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
	    !digits(s + 8, 2, &d))
		return RC_ERR_SYNTAX;
	if (y < RC_DATE_MIN_YEAR || y > RC_DATE_MAX_YEAR || m < 1 || m > 12 || d < 1 ||
	    d > rc_date_days_in_month(y, m))
		return RC_ERR_RANGE;
	*out = rc_date_from_ymd(y, m, d);
	return RC_OK;
}

void rc_date_format(int32_t days, char out[RC_DATE_STRLEN])
{
	int y, m, d;
	rc_date_to_ymd(days, &y, &m, &d);
	/* Written digit by digit: the ranges are known, and the compiler
	 * cannot prove them for a printf. */
	unsigned uy = (unsigned)y % 10000u, um = (unsigned)m % 100u, ud = (unsigned)d % 100u;
	out[0] = (char)('0' + uy / 1000);
	out[1] = (char)('0' + uy / 100 % 10);
	out[2] = (char)('0' + uy / 10 % 10);
	out[3] = (char)('0' + uy % 10);
	out[4] = '-';
	out[5] = (char)('0' + um / 10);
	out[6] = (char)('0' + um % 10);
	out[7] = '-';
	out[8] = (char)('0' + ud / 10);
	out[9] = (char)('0' + ud % 10);
	out[10] = '\0';
}

int32_t rc_date_add_months(int32_t days, int months)
{
	int y, m, d;
	rc_date_to_ymd(days, &y, &m, &d);
	int total = y * 12 + (m - 1) + months;
	y = total >= 0 ? total / 12 : (total - 11) / 12; /* floor, for negative months too */
	m = total - y * 12 + 1;
	int dim = rc_date_days_in_month(y, m);
	if (d > dim)
		d = dim;
	return rc_date_from_ymd(y, m, d);
}

int rc_date_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (3). */
	int w = (int)((days % 7 + 7) % 7);
	return (w + 3) % 7;
}
