/* cli-common.h: what every verb of flash-studio-cli shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The exit codes documented in --help */
enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_INVALID_INPUT = 1,
  CLI_EXIT_USAGE = 2,
  CLI_EXIT_BOARD = 3,   /* the board or port failed, or the job was cancelled */
  CLI_EXIT_NO_BOOT = 4, /* written, but the board does not boot after it */
};

/* The exit codes, for --help */
#define CLI_EXIT_STATUS_HELP \
  N_("Exit status: 0 when all went well, 1 when an input is invalid or a check failed,\n" \
     "2 when the command line is wrong, 3 when the board or port failed (no answer,\n" \
     "disconnected, no permission, a loader error) or the command was cancelled, 4\n" \
     "when a write went well but the board does not boot after it.")

typedef int (*CliVerbFunc) (int argc, char **argv);

typedef struct {
  const char  *name;
  const char  *parameters;   /* shown after the verb in --help */
  const char  *summary;
  CliVerbFunc  run;
} CliVerb;

/* A verb's option context: usage line, summary, and the exit codes */
GOptionContext *cli_option_context_new (const char *parameters,
                                        const char *summary);
/* Parses a verb's options; on a usage error prints it with a hint and
 * returns FALSE (the verb then exits with CLI_EXIT_USAGE). */
gboolean  cli_parse_options     (GOptionContext  *context,
                                 int             *argc,
                                 char          ***argv);
/* Prints "message" and the verb's usage line to stderr; returns CLI_EXIT_USAGE */
int       cli_usage_error       (GOptionContext  *context,
                                 const char      *format,
                                 ...) G_GNUC_PRINTF (2, 3);
/* Prints "PATH: message" to stderr; returns CLI_EXIT_INVALID_INPUT */
int       cli_file_error        (const char      *path,
                                 const char      *format,
                                 ...) G_GNUC_PRINTF (2, 3);

/* Reads a whole input file. A missing, unreadable, empty file or a
 * folder fails with a message that does not repeat the path. */
GBytes   *cli_read_file         (const char      *path,
                                 GError         **error);
/* Writes atomically: a reader sees the old file or the new, never half */
gboolean  cli_write_file        (const char      *path,
                                 GBytes          *bytes,
                                 GError         **error);

/* A member of the object being built; a NULL string is written as null */
void      cli_json_member_string (JsonBuilder    *builder,
                                  const char     *name,
                                  const char     *value);
void      cli_json_member_int    (JsonBuilder    *builder,
                                  const char     *name,
                                  gint64          value);
void      cli_json_member_bool   (JsonBuilder    *builder,
                                  const char     *name,
                                  gboolean        value);
/* Prints @builder's root as indented JSON on stdout */
void      cli_print_json        (JsonBuilder     *builder);
/* Prints each FsProblem of @problems as "PATH: message"; returns their number */
guint     cli_print_problems    (const char      *path,
                                 GPtrArray       *problems);
/* "0x001000": the address format of every listing */
char     *cli_format_address    (guint64          address);

int       cli_image_info        (int argc, char **argv);
int       cli_partition_table   (int argc, char **argv);
int       cli_layout            (int argc, char **argv);
int       cli_merge_image       (int argc, char **argv);
int       cli_chip_info         (int argc, char **argv);
int       cli_flash_id          (int argc, char **argv);
int       cli_read_mac          (int argc, char **argv);
int       cli_write             (int argc, char **argv);
int       cli_verify            (int argc, char **argv);
int       cli_read              (int argc, char **argv);
int       cli_erase             (int argc, char **argv);
int       cli_backup            (int argc, char **argv);
int       cli_restore           (int argc, char **argv);
int       cli_slot              (int argc, char **argv);
int       cli_ports             (int argc, char **argv);
int       cli_boards            (int argc, char **argv);
int       cli_monitor           (int argc, char **argv);

G_END_DECLS
