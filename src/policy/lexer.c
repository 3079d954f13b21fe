/*
 * lexer.c -- policy text to tokens.
 *
 * The whole file is tokenised up front (it is capped at 4 MiB) so that the
 * parser can look ahead freely and recover from an error by skipping to the
 * next item at brace depth 0.  Columns count code points, not bytes, so that
 * a position in a line of Chinese points at the right character.
 */
#include <string.h>

#include "core/date.h"
#include "core/utf8.h"
#include "policy/policy_int.h"

struct lexer {
	struct rc_arena *a;
	const char *s;
	size_t len, pos;
	int line, col;
	struct rc_diags *d;
	struct token *toks;
	int n, cap;
	int depth;
	int failed;
	int structural; /* braces do not match: the structure cannot be parsed */
	int nomem;      /* an allocation failed: the tokens are not to be used */
};

const char *rc_tok_name(enum tok t)
{
	switch (t) {
	case T_EOF: return "end of file";
	case T_IDENT: return "a name";
	case T_STRING: return "a string";
	case T_INT: return "an integer";
	case T_DATE: return "a date";
	case T_LBRACE: return "'{'";
	case T_RBRACE: return "'}'";
	case T_LPAREN: return "'('";
	case T_RPAREN: return "')'";
	case T_COMMA: return "','";
	case T_SEMI: return "';'";
	case T_COLON: return "':'";
	case T_ASSIGN: return "'='";
	case T_EQ: return "'=='";
	case T_NE: return "'!='";
	case T_LT: return "'<'";
	case T_LE: return "'<='";
	case T_GT: return "'>'";
	case T_GE: return "'>='";
	case T_BAR: return "'|'";
	}
	return "?";
}

static int is_ident_start(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || rc_utf8_is_cjk(c);
}

static int is_ident_cont(uint32_t c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* Decode the code point at pos; invalid bytes are reported once by the
 * up-front validation, so here they only stop the token. */
static size_t peek_cp(const struct lexer *lx, size_t pos, uint32_t *cp)
{
	if (pos >= lx->len)
		return 0;
	return rc_utf8_decode(lx->s + pos, lx->len - pos, cp);
}

/* The text of a name or string token, copied into the arena. */
static void set_text(struct lexer *lx, struct token *k, const char *s, size_t n)
{
	k->s = rc_arena_strndup(lx->a, s, n);
	if (!k->s) {
		lx->failed = 1;
		lx->nomem = 1;
	}
}

static struct token *push(struct lexer *lx, enum tok t, int line, int col)
{
	if (lx->n >= RC_MAX_TOKENS) {
		if (!lx->failed)
			rc_diag_add(lx->d, RC_SEV_ERROR, line, col,
				    "policy has more than %d tokens; split it or remove text",
				    RC_MAX_TOKENS);
		lx->failed = 1;
		return NULL;
	}
	if (lx->n >= lx->cap) {
		int ncap = lx->cap ? lx->cap * 2 : 1024;
		if (ncap > RC_MAX_TOKENS + 1)
			ncap = RC_MAX_TOKENS + 1;
		struct token *nt = rc_arena_array(lx->a, (size_t)ncap, sizeof(*nt));
		if (!nt) {
			lx->failed = 1;
			lx->nomem = 1;
			return NULL;
		}
		if (lx->n)
			memcpy(nt, lx->toks, (size_t)lx->n * sizeof(*nt));
		lx->toks = nt;
		lx->cap = ncap;
	}
	struct token *k = &lx->toks[lx->n++];
	memset(k, 0, sizeof(*k));
	k->t = t;
	k->line = line;
	k->col = col;
	k->depth = lx->depth;
	return k;
}

static void advance(struct lexer *lx, size_t bytes)
{
	lx->pos += bytes;
	lx->col++;
}

/* A token standing in for text the lexer rejected: the parser goes on
 * with it, so one mistake gives one message, not a cascade. */
static struct token *stand_in(struct lexer *lx, enum tok t, int line, int col)
{
	struct token *k = push(lx, t, line, col);
	if (k)
		k->bad = 1;
	return k;
}

/* A string; `curly` when it was opened with a curly quote (an error already
 * reported), in which case a curly or straight quote closes it. */
static void lex_string(struct lexer *lx, int line, int col, size_t open_len, int curly)
{
	char buf[RC_MAX_STRING + 8];
	size_t n = 0;
	int bad = curly;
	advance(lx, open_len);
	for (;;) {
		if (lx->pos >= lx->len || lx->s[lx->pos] == '\n') {
			if (!curly)
				rc_diag_add(
				    lx->d, RC_SEV_ERROR, line, col,
				    "string is not closed on this line; add the closing '\"'");
			lx->failed = 1;
			bad = 1;
			break;
		}
		char c = lx->s[lx->pos];
		if (c == '"') {
			advance(lx, 1);
			break;
		}
		if (curly && lx->pos + 3 <= lx->len &&
		    memcmp(lx->s + lx->pos, "\xE2\x80\x9D", 3) == 0) {
			advance(lx, 3);
			break;
		}
		size_t step = 1;
		char out[4];
		size_t on = 1;
		if (c == '\\') {
			char e = lx->pos + 1 < lx->len ? lx->s[lx->pos + 1] : '\0';
			switch (e) {
			case '"': out[0] = '"'; break;
			case '\\': out[0] = '\\'; break;
			case 'n': out[0] = '\n'; break;
			case 't': out[0] = '\t'; break;
			default:
				/* Only the backslash is dropped: the next character
				 * is read as itself (a newline then ends the string
				 * with its own message, a multi-byte character stays
				 * whole). */
				if (e != '\n' && e != '\0')
					rc_diag_add(
					    lx->d, RC_SEV_ERROR, lx->line, lx->col,
					    "unknown escape in string; use \\\" \\\\ \\n or \\t");
				lx->failed = 1;
				bad = 1;
				on = 0;
			}
			step = on ? 2 : 1;
			if (on)
				lx->col++;
		} else {
			uint32_t cp;
			step = peek_cp(lx, lx->pos, &cp);
			if (step == 0)
				step = 1;
			memcpy(out, lx->s + lx->pos, step);
			on = step;
		}
		if (n + on > RC_MAX_STRING) {
			rc_diag_add(lx->d, RC_SEV_ERROR, line, col,
				    "string longer than %d bytes; shorten it", RC_MAX_STRING);
			lx->failed = 1;
			/* skip to the closing quote to resynchronise */
			while (lx->pos < lx->len && lx->s[lx->pos] != '"' &&
			       lx->s[lx->pos] != '\n') {
				size_t w = lx->s[lx->pos] == '\\' && lx->pos + 1 < lx->len &&
						   lx->s[lx->pos + 1] != '\n'
					       ? 2
					       : 1;
				/* columns count code points: skip continuation bytes */
				if (((unsigned char)lx->s[lx->pos] & 0xC0) != 0x80)
					lx->col += (int)w;
				lx->pos += w;
			}
			if (lx->pos < lx->len && lx->s[lx->pos] == '"')
				advance(lx, 1);
			bad = 1;
			break;
		}
		memcpy(buf + n, out, on);
		n += on;
		advance(lx, step);
	}
	struct token *k = bad ? stand_in(lx, T_STRING, line, col) : push(lx, T_STRING, line, col);
	if (k)
		set_text(lx, k, buf, n);
}

static void lex_number(struct lexer *lx, int line, int col)
{
	size_t start = lx->pos;
	int neg = 0;
	if (lx->s[lx->pos] == '-') {
		neg = 1;
		advance(lx, 1);
	}
	size_t ds = lx->pos;
	while (lx->pos < lx->len && lx->s[lx->pos] >= '0' && lx->s[lx->pos] <= '9')
		advance(lx, 1);
	size_t nd = lx->pos - ds;
	/* A date: four digits, '-', two, '-', two. */
	if (!neg && nd == 4 && lx->pos < lx->len && lx->s[lx->pos] == '-' &&
	    lx->pos + 6 <= lx->len) {
		size_t p = lx->pos;
		const char *s = lx->s;
		if (s[p + 1] >= '0' && s[p + 1] <= '9' && s[p + 2] >= '0' && s[p + 2] <= '9' &&
		    s[p + 3] == '-' && p + 6 <= lx->len && s[p + 4] >= '0' && s[p + 4] <= '9' &&
		    s[p + 5] >= '0' && s[p + 5] <= '9') {
			int32_t days;
			enum rc_err e = rc_date_parse(lx->s + start, 10, &days);
			for (int i = 0; i < 6; i++)
				advance(lx, 1);
			if (e) {
				rc_diag_add(lx->d, RC_SEV_ERROR, line, col,
					    "'%.10s' is not a real date (year %d-%d, month 01-12, "
					    "day within the month)",
					    lx->s + start, RC_DATE_MIN_YEAR, RC_DATE_MAX_YEAR);
				lx->failed = 1;
				stand_in(lx, T_DATE, line, col);
				return;
			}
			struct token *k = push(lx, T_DATE, line, col);
			if (k)
				k->i = days;
			return;
		}
	}
	if (nd > 15) {
		rc_diag_add(lx->d, RC_SEV_ERROR, line, col,
			    "integer has more than 15 digits; use a smaller number");
		lx->failed = 1;
		stand_in(lx, T_INT, line, col);
		return;
	}
	int64_t v = 0;
	for (size_t i = ds; i < lx->pos; i++)
		v = v * 10 + (lx->s[i] - '0');
	/* A number glued to letters ("12months") is a typo worth naming. */
	uint32_t cp;
	if (peek_cp(lx, lx->pos, &cp) && is_ident_start(cp)) {
		rc_diag_add(lx->d, RC_SEV_ERROR, line, col,
			    "a number must be followed by a space or punctuation, not a letter");
		lx->failed = 1;
		/* The letters are lexed next as a name, so "5workdays"
		 * still reads as the duration that was meant. */
		struct token *k = stand_in(lx, T_INT, line, col);
		if (k)
			k->i = neg ? -v : v;
		return;
	}
	struct token *k = push(lx, T_INT, line, col);
	if (k)
		k->i = neg ? -v : v;
}

static void lex_ident(struct lexer *lx, int line, int col)
{
	size_t start = lx->pos;
	uint32_t cp;
	size_t n;
	while ((n = peek_cp(lx, lx->pos, &cp)) && is_ident_cont(cp))
		advance(lx, n);
	size_t len = lx->pos - start;
	if (len > RC_MAX_IDENT) {
		rc_diag_add(lx->d, RC_SEV_ERROR, line, col, "name longer than %d bytes; shorten it",
			    RC_MAX_IDENT);
		lx->failed = 1;
		struct token *k = stand_in(lx, T_IDENT, line, col);
		if (k)
			set_text(lx, k, lx->s + start, RC_MAX_IDENT);
		return;
	}
	struct token *k = push(lx, T_IDENT, line, col);
	if (k)
		set_text(lx, k, lx->s + start, len);
}

enum rc_err rc_lex(struct rc_arena *a, const char *text, size_t len, struct rc_diags *d,
		   struct token **toks, int *n_toks, int *structural)
{
	struct lexer lx = {.a = a, .s = text, .len = len, .line = 1, .col = 1, .d = d};
	size_t bad;

	*toks = NULL;
	*n_toks = 0;
	if (len > RC_POLICY_MAX_BYTES) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "policy file is larger than %u bytes",
			    RC_POLICY_MAX_BYTES);
		return RC_ERR_LIMIT;
	}
	if (!rc_utf8_valid(text, len, &bad)) {
		int line = 1, col = 1;
		for (size_t i = 0; i < bad; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
				col++;
			}
		}
		rc_diag_add(d, RC_SEV_ERROR, line, col,
			    "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
			    (unsigned char)text[bad]);
		return RC_ERR_SYNTAX;
	}
	/* A UTF-8 byte-order mark is tolerated: editors on office PCs add one. */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		lx.pos = 3;

	while (lx.pos < lx.len && !(lx.failed && lx.n >= RC_MAX_TOKENS)) {
		char c = lx.s[lx.pos];
		int line = lx.line, col = lx.col;
		uint32_t cp = 0;
		size_t n;
		if (c == '\n') {
			lx.pos++;
			lx.line++;
			lx.col = 1;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			advance(&lx, 1);
			continue;
		}
		if (c == '#') {
			while (lx.pos < lx.len && lx.s[lx.pos] != '\n')
				lx.pos++;
			continue;
		}
		if (c == '"') {
			lex_string(&lx, line, col, 1, 0);
			continue;
		}
		if ((c >= '0' && c <= '9') ||
		    (c == '-' && lx.pos + 1 < lx.len && lx.s[lx.pos + 1] >= '0' &&
		     lx.s[lx.pos + 1] <= '9')) {
			lex_number(&lx, line, col);
			continue;
		}
		n = peek_cp(&lx, lx.pos, &cp);
		if (is_ident_start(cp)) {
			lex_ident(&lx, line, col);
			continue;
		}
		enum tok t;
		size_t w = 1;
		char c2 = lx.pos + 1 < lx.len ? lx.s[lx.pos + 1] : '\0';
		switch (c) {
		case '{': t = T_LBRACE; break;
		case '}': t = T_RBRACE; break;
		case '(': t = T_LPAREN; break;
		case ')': t = T_RPAREN; break;
		case ',': t = T_COMMA; break;
		case ';': t = T_SEMI; break;
		case ':': t = T_COLON; break;
		case '|': t = T_BAR; break;
		case '=':
			if (c2 == '=') {
				t = T_EQ;
				w = 2;
			} else {
				t = T_ASSIGN;
			}
			break;
		case '!':
			if (c2 == '=') {
				t = T_NE;
				w = 2;
				break;
			}
			goto bad_char;
		case '<':
			t = c2 == '=' ? T_LE : T_LT;
			w = c2 == '=' ? 2 : 1;
			break;
		case '>':
			t = c2 == '=' ? T_GE : T_GT;
			w = c2 == '=' ? 2 : 1;
			break;
		default: goto bad_char;
		}
		if (t == T_RBRACE) {
			if (lx.depth == 0) {
				rc_diag_add(d, RC_SEV_ERROR, line, col,
					    "'}' without a matching '{'");
				lx.failed = 1;
				lx.structural = 1;
				advance(&lx, 1);
				continue;
			}
			lx.depth--;
		}
		push(&lx, t, line, col);
		if (t == T_LBRACE)
			lx.depth++;
		lx.pos += w;
		lx.col += (int)w;
		continue;
	bad_char:
		if (cp == 0x201C) { /* “...”: a string typed with curly quotes */
			rc_diag_add(d, RC_SEV_ERROR, line, col,
				    "curly quotes “...”; strings use straight quotes \"...\"");
			lx.failed = 1;
			lex_string(&lx, line, col, n, 1);
			continue;
		}
		if (cp >= 0x3000 && cp <= 0x303F)
			rc_diag_add(d, RC_SEV_ERROR, line, col,
				    "Chinese punctuation '%.*s' is only allowed inside \"strings\"",
				    (int)n, lx.s + lx.pos);
		else if (cp >= 0xFF00 && cp <= 0xFFEF)
			rc_diag_add(d, RC_SEV_ERROR, line, col,
				    "full-width character '%.*s' here; use the ASCII form", (int)n,
				    lx.s + lx.pos);
		else if (cp >= 0x2018 && cp <= 0x201F)
			rc_diag_add(d, RC_SEV_ERROR, line, col,
				    "curly quote '%.*s'; strings use straight quotes \"...\"",
				    (int)n, lx.s + lx.pos);
		else
			rc_diag_add(d, RC_SEV_ERROR, line, col, "unexpected character '%.*s'",
				    (int)(n ? n : 1), lx.s + lx.pos);
		lx.failed = 1;
		/* Full-width punctuation stands in for its ASCII form, so the
		 * parser does not add errors of its own for the same slip. */
		switch (cp) {
		case 0xFF08: stand_in(&lx, T_LPAREN, line, col); break;
		case 0xFF09: stand_in(&lx, T_RPAREN, line, col); break;
		case 0xFF0C:
		case 0x3001: stand_in(&lx, T_COMMA, line, col); break;
		case 0xFF1B: stand_in(&lx, T_SEMI, line, col); break;
		case 0xFF1A: stand_in(&lx, T_COLON, line, col); break;
		case 0xFF1D: stand_in(&lx, T_ASSIGN, line, col); break;
		default: break;
		}
		advance(&lx, n ? n : 1);
	}
	if (lx.depth > 0 && !lx.failed) {
		/* Point at the last unclosed '{'. */
		int line = 0, col = 0;
		for (int i = lx.n - 1; i >= 0; i--) {
			if (lx.toks[i].t == T_LBRACE && lx.toks[i].depth == lx.depth - 1) {
				line = lx.toks[i].line;
				col = lx.toks[i].col;
				break;
			}
		}
		rc_diag_add(d, RC_SEV_ERROR, line, col,
			    "'{' is never closed; add the matching '}'");
		lx.failed = 1;
		lx.structural = 1;
	}
	push(&lx, T_EOF, lx.line, lx.col);
	if (lx.n && lx.toks && lx.toks[lx.n - 1].t != T_EOF) {
		/* token cap reached: force a final EOF */
		lx.toks[lx.n - 1].t = T_EOF;
	}
	if (lx.nomem || !lx.toks) {
		rc_diag_add(d, RC_SEV_ERROR, 0, 0, "out of memory while reading the policy");
		return RC_ERR_NOMEM;
	}
	*toks = lx.toks;
	*n_toks = lx.n;
	if (structural)
		*structural = lx.structural;
	return lx.failed ? RC_ERR_SYNTAX : RC_OK;
}
