/* fs-boot-log-private.h: what fs-boot-log.c (lines, the ROM, the app,
 * crashes) and fs-boot-log-bootloader.c (ESP-IDF's bootloader) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fs-boot-log.h"
#include "fs-monitor-text.h"

G_BEGIN_DECLS

/* Longer lines are cut: nothing the classifier reads is that long */
#define MAX_LINE 1024
/* Restarts after the app started, without a word, that make a loop */
#define RESTARTS_FOR_A_LOOP 2
/* An app that printed this many lines before it restarted got going */
#define QUICK_RESTART_LINES 3

typedef enum {
  PHASE_BEFORE_ROM,     /* what came before the reset: not this boot's */
  PHASE_ROM,            /* the ROM checks the bootloader */
  PHASE_BOOTLOADER,     /* the ROM jumped to it ("entry 0x…") */
  PHASE_LOADED,         /* the bootloader loaded an app */
} Phase;

typedef struct {
  char    *label;
  guint32  offset;
  guint32  size;
  guint8   type;
  guint8   subtype;
  char    *problem;   /* why the bootloader refused its app, or NULL */
  gboolean missing;   /* …because nothing was written there */
} TableEntry;

struct _FsBootLog
{
  GObject         parent_instance;

  guint           baud;
  guint32         expected_offset;
  FsAnsiStripper *stripper;
  GByteArray     *line;
  gboolean        finished;

  Phase           phase;
  guint           boots;
  guint           quick_restarts;  /* software restarts in a row before the app got going */
  guint           app_lines;       /* the app's lines since the last reset */
  gboolean        app_started;
  GArray         *table;           /* of TableEntry, the bootloader's listing */
  guint32         offset;          /* the app loaded, or the last one tried */
  char           *image_problem;   /* why the app image being tried was refused */
  gboolean        image_missing;   /* …because nothing was written there */
  char           *bootloader_flash; /* "2MB", the bootloader's "SPI Flash Size" */

  FsBootState     state;
  FsBootProblem   problem;
  char           *reason;
  char           *hint;
  char           *evidence;
  char           *project;
  char           *version;
};

#define FS_BOOT_LOG_REWRITE_BOOTLOADER \
  N_("Write a bootloader with the firmware: a merged image, an ESP Web Tools manifest that has one, " \
     "or the build folder’s bootloader/bootloader.bin at 0x1000.")

/* The board does not boot: why (@reason) and what to do (@hint); @line
 * is the evidence */
void        fs_boot_log_fail            (FsBootLog     *self,
                                         FsBootProblem  problem,
                                         const char    *line,
                                         const char    *reason,
                                         const char    *hint);
/* The app started */
void        fs_boot_log_runs            (FsBootLog     *self);
void        fs_boot_log_set_text        (char         **field,
                                         const char    *text);
/* "2 MB" for 0x200000: how people say flash sizes */
char       *fs_boot_log_megabytes       (guint64        bytes);
/* The bootloader's listing's label for @offset, or NULL */
const char *fs_boot_log_label_at        (FsBootLog     *self,
                                         guint32        offset);
/* "“ota_0” at 0x010000", or "0x010000" when the listing did not name it */
char       *fs_boot_log_describe_offset (FsBootLog     *self,
                                         guint32        offset);

/* fs-boot-log-bootloader.c: a line of the second-stage bootloader's */
void        fs_boot_log_bootloader_message (FsBootLog  *self,
                                            const char *line,
                                            char        level,
                                            const char *tag,
                                            const char *message);

G_END_DECLS
