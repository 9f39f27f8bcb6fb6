/* cli-boot.h: whether the board boots after a write, a restore or a slot
 * switch, and the options that go with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cli-board-run.h"

G_BEGIN_DECLS

typedef struct {
  gboolean   no_boot_check;
  char      *flash_size;     /* write: keep, detect or a size */
  gboolean   force;          /* write: what would not boot is written all the same */
  /* While the job runs */
  FsMonitor *monitor;
  FsBootLog *boot;           /* the verdict, or NULL: not checked */
} CliBoot;

void     cli_boot_clear        (CliBoot          *boot);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliBoot, cli_boot_clear)

/* --no-boot-check, and for a write --flash-size and --force */
void     cli_boot_add_options  (GOptionContext   *context,
                                CliBoot          *boot,
                                gboolean          write);
/* Sets --flash-size and --force on @job; FALSE with the usage error
 * printed (the status is CLI_EXIT_USAGE) */
gboolean cli_boot_apply        (GOptionContext   *context,
                                CliBoot          *boot,
                                FsJob            *job);
/* Runs @job and then, unless --no-boot-check or --after no-reset, reads
 * what the board prints as it starts */
gboolean cli_boot_run_job      (CliBoot          *boot,
                                CliBoardOptions  *options,
                                FsJob            *job,
                                GError          **error);
/* "Board: runs blink 1.2.3 from ota_0 (0x010000)" or "Board: does not
 * boot: …" on stdout (what to do on stderr); nothing when not checked */
void     cli_boot_print        (CliBoot          *boot,
                                FsJob            *job);
/* A "boot" member: state, reason, project, version, partition, offset */
void     cli_boot_add_json     (JsonBuilder      *builder,
                                CliBoot          *boot,
                                FsJob            *job);
/* CLI_EXIT_NO_BOOT when the board does not boot, else CLI_EXIT_OK */
int      cli_boot_exit_status  (CliBoot          *boot);

G_END_DECLS
