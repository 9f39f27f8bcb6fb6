/* cli-board-run.h: what the verbs that act on a board share
 *
 * The options every such verb takes, making the job for them, and
 * running it in a main loop: progress, prompts and notes on stderr,
 * Ctrl+C to cancel, and the exit status a failure deserves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cli-common.h"
#include "fs-boot-check.h"
#include "fs-job.h"

G_BEGIN_DECLS

typedef struct {
  char           *port;
  gint            baud;         /* 0: the profile's default */
  char           *board_id;
  char           *before;
  char           *after;
  gboolean        no_stub;
  char           *stub_path;
  gboolean        as_json;
  /* Found by cli_board_options_check() */
  FsBoardProfile *profile;      /* or NULL: no --board, not a sim: port */
} CliBoardOptions;

void     cli_board_options_clear  (CliBoardOptions  *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliBoardOptions, cli_board_options_clear)

/* Adds --port, --baud, --board, --before, --after, --no-stub, --stub and
 * --json to the verb's own options in @context and parses them all; then
 * checks: --port given, --before and --after known names, the stub file
 * readable, the board's profile found (--board, else the id of a sim:
 * port). Prints what is wrong and returns the exit status, or CLI_EXIT_OK. */
int      cli_board_parse_options  (GOptionContext   *context,
                                   CliBoardOptions  *options,
                                   int              *argc,
                                   char           ***argv);

/* ADDR or SIZE as the user writes it: 0x10000, 65536, 64K; within 4 GiB */
gboolean cli_board_parse_number   (const char       *text,
                                   guint32          *out,
                                   GError          **error);

/* A job of @kind on @options' port, set up as the options say. The port
 * is not opened yet. NULL with @error: the port does not exist or is
 * malformed. */
FsJob   *cli_board_new_job        (CliBoardOptions  *options,
                                   FsJobKind         kind,
                                   GError          **error);
/* Runs @job to its end in a main loop. On a terminal stderr shows a
 * progress bar, else one line per step; prompts and notes go to stderr.
 * Ctrl+C cancels it. */
gboolean cli_board_run_job        (FsJob            *job,
                                   GError          **error);
/* The same, then @check (may be NULL) on @monitor, which the caller
 * started and paused for the job so that the port stays open: *@boot
 * gets its verdict */
gboolean cli_board_run_job_and_check (FsJob         *job,
                                      FsMonitor     *monitor,
                                      FsBootCheck   *check,
                                      FsBootLog    **boot,
                                      GError       **error);

/* Prints "flash-studio-cli VERB: message" and returns the exit status of
 * @error: 1 for invalid input or a failed check, 3 for a board or port
 * that failed, or a job that was cancelled. */
int      cli_board_fail           (const GError     *error);

/* The region lines of a write, verify or restore: stdout, one a region */
void     cli_board_print_regions  (FsJob            *job);
/* A "regions" member for @job's regions */
void     cli_board_add_regions_json (JsonBuilder    *builder,
                                     FsJob          *job);

G_END_DECLS
