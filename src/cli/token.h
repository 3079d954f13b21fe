/*
 * token.h -- `rongcuo token create|list|revoke`: the JSON API's bearer
 * tokens (procedure.h, "API tokens"; docs/api.md says how a client uses
 * one).
 */
#ifndef RC_CLI_TOKEN_H
#define RC_CLI_TOKEN_H

/* The command (main.c): argv[0] is "token". */
int rc_cmd_token(int argc, char **argv);

#endif
