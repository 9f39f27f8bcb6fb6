/* fs-boot-log.h: what a board's boot output says about whether it runs
 *
 * A classifier of what an ESP32 prints after a reset, read as it comes:
 * the ROM's lines, ESP-IDF's second-stage bootloader and start-up code,
 * the app's own output. Bytes are fed in pieces of any size (colour codes
 * and all); the verdict is the same however the stream was cut. No I/O,
 * no clock: FsBootCheck feeds it from the serial monitor and decides when
 * the watch is over.
 *
 * The board RUNS once its app started: "Calling app_main()" (ESP-IDF 5),
 * "Starting scheduler" (ESP-IDF 4), or any line of the app's own after
 * the bootloader loaded it (or after the ROM's "entry" line, when the
 * bootloader logs nothing, as Arduino's). That is tentative: a crash may
 * follow, and turns it into DOES_NOT_BOOT.
 *
 * It DOES NOT BOOT, at once and for good, when the output shows why: the
 * ROM finds no bootloader ("invalid header") or a damaged one; the
 * bootloader refuses the partition table (a flash size in its header
 * smaller than the table needs, say) or finds no app it can start; the
 * app started is not the one expected (a fall-back); the app stops at
 * start (flash size), crashes (Guru Meditation, abort(), a failed
 * assert, a stack overflow, heap corruption) or restarts twice without
 * a message (watchdog and software resets); a brownout; the chip is in
 * download mode after the reset (IO0 held low).
 *
 * Anything else is UNKNOWN once the watch is over: no ROM line at all
 * (another baud, say), or a boot that stopped saying anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  FS_BOOT_STATE_PENDING,        /* nothing conclusive yet */
  FS_BOOT_STATE_RUNS,           /* the app started: tentative until the watch is over */
  FS_BOOT_STATE_DOES_NOT_BOOT,  /* final once reached */
  FS_BOOT_STATE_UNKNOWN,        /* the watch is over with nothing conclusive */
} FsBootState;

/* "pending", "runs", "does-not-boot", "unknown": the names of the JSON
 * output and of the device record */
const char *fs_boot_state_to_string (FsBootState state);

typedef enum {
  FS_BOOT_PROBLEM_NONE,
  FS_BOOT_PROBLEM_NO_BOOTLOADER,       /* the ROM's "invalid header" loop */
  FS_BOOT_PROBLEM_BOOTLOADER_DAMAGED,  /* the ROM's checksum error, or its flash read error */
  FS_BOOT_PROBLEM_PARTITION_TABLE,     /* missing or damaged: magic, MD5, no end */
  FS_BOOT_PROBLEM_FLASH_SIZE,          /* the table goes past the bootloader's flash size, or the app's is past the chip's */
  FS_BOOT_PROBLEM_NO_APP,              /* no app partition holds an app */
  FS_BOOT_PROBLEM_APP_INVALID,         /* the app images there were refused: magic, checksum, SHA-256, chip */
  FS_BOOT_PROBLEM_OTADATA,             /* the bootloader stopped on otadata */
  FS_BOOT_PROBLEM_FELL_BACK,           /* an app ran, but not the one expected */
  FS_BOOT_PROBLEM_CRASH,               /* the app crashes, or restarts over and over */
  FS_BOOT_PROBLEM_BROWNOUT,
  FS_BOOT_PROBLEM_DOWNLOAD_MODE,       /* IO0 held low at the reset */
} FsBootProblem;

#define FS_TYPE_BOOT_LOG (fs_boot_log_get_type ())
G_DECLARE_FINAL_TYPE (FsBootLog, fs_boot_log, FS, BOOT_LOG, GObject)

/* @baud: what the output is read at, which the UNKNOWN reason names */
FsBootLog    *fs_boot_log_new                 (guint         baud);
/* The app the caller wrote; another one starting is FELL_BACK.
 * G_MAXUINT32 (the default): any */
void          fs_boot_log_set_expected_offset (FsBootLog    *self,
                                               guint32       offset);
void          fs_boot_log_feed                (FsBootLog    *self,
                                               const guint8 *data,
                                               gsize         len);
/* The watch is over: a line without its end is read as it is, and
 * PENDING becomes UNKNOWN */
void          fs_boot_log_finish              (FsBootLog    *self);

FsBootState   fs_boot_log_get_state           (FsBootLog    *self);
/* No more output can change the verdict: DOES_NOT_BOOT, or finished */
gboolean      fs_boot_log_get_decided         (FsBootLog    *self);
FsBootProblem fs_boot_log_get_problem         (FsBootLog    *self);
/* What happened, in one or two sentences with the log's numbers, or
 * NULL for a board that runs as expected */
const char   *fs_boot_log_get_reason          (FsBootLog    *self);
/* What to do about it, or NULL */
const char   *fs_boot_log_get_hint            (FsBootLog    *self);
/* The board's line that decided it, colour codes stripped, or NULL */
const char   *fs_boot_log_get_evidence        (FsBootLog    *self);
/* From the log, NULL when it did not say: the app's project name and
 * version, the label of the partition the bootloader loaded it from
 * (from its "Partition Table:" listing) */
const char   *fs_boot_log_get_project         (FsBootLog    *self);
const char   *fs_boot_log_get_version         (FsBootLog    *self);
const char   *fs_boot_log_get_partition       (FsBootLog    *self);
/* Where the app that ran (or was the last one tried) starts, or G_MAXUINT32 */
guint32       fs_boot_log_get_offset          (FsBootLog    *self);
/* Resets after the first boot, and whether the app started at least once */
guint         fs_boot_log_get_n_restarts      (FsBootLog    *self);
gboolean      fs_boot_log_get_app_started     (FsBootLog    *self);

G_END_DECLS
