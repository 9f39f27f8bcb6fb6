/* fs-sim-app.h: what an app on the virtual board declares it prints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The virtual board cannot run Xtensa code, so an app says what it does
 * with NUL-terminated strings in its image's segments:
 *   "FSSIM:PRINT:<text>"          printed once, in order, after the app starts
 *   "FSSIM:REPEAT:<ms>:<text>"    printed every <ms> milliseconds (0: back to
 *                                 back); in <text>, "%u" is a counter from 0
 *   "FSSIM:BAUD:<baud>"           the app's console baud (ESP-IDF's
 *                                 CONFIG_ESP_CONSOLE_UART_BAUDRATE); 115200 without
 *   "FSSIM:PANIC:<exception>"     after its lines, the app crashes with an
 *                                 unhandled CPU exception as ESP-IDF names it
 *                                 (LoadProhibited, IllegalInstruction…)
 *   "FSSIM:ABORT"                 after its lines, the app calls abort()
 *   "FSSIM:BROWNOUT"              after its lines, the supply sags
 *   "FSSIM:NOPROGRAM:<text>"      printed instead of the program's lines when
 *                                 the active bytecode slot declares nothing
 * A Zerynth VM runs a program: the FSSIM strings of the bytecode slot that
 * goes with the app's OTA slot. Its lines print after the app's; its other
 * strings replace the app's. Of the strings that say one thing (REPEAT,
 * BAUD, PANIC, ABORT, BROWNOUT), the first of each source counts. In the
 * lines, "%t" is the milliseconds on ESP-IDF's log clock (since the chip
 * started, going on from the boot log), so that they can read like
 * ESP-IDF's "I (%t) tag: …"; they may hold ESC, for its colours. */

typedef enum {
  FS_SIM_APP_RUNS,          /* until the next reset */
  FS_SIM_APP_PANICS,
  FS_SIM_APP_ABORTS,
  FS_SIM_APP_BROWNS_OUT,
} FsSimAppEnd;

/* How long after its lines an app that ends ends (instead of repeating a
 * line), timing or not: a board that crashes again at each boot never
 * spins or floods its reader */
#define FS_SIM_APP_END_DELAY_MS 100

typedef struct {
  GPtrArray   *lines;         /* of char*: the FSSIM:PRINT texts */
  char        *repeat_line;   /* the FSSIM:REPEAT text, or NULL */
  guint        repeat_ms;
  guint        baud;          /* FSSIM:BAUD, or 0 */
  char        *no_program;    /* the FSSIM:NOPROGRAM text, or NULL */
  FsSimAppEnd  end;
  char        *exception;     /* FSSIM:PANIC's exception, or NULL */
} FsSimApp;

FsSimApp *fs_sim_app_new            (void);
void      fs_sim_app_free           (FsSimApp       *app);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FsSimApp, fs_sim_app_free)

/* Adds the FSSIM strings found in @data, in the order they appear; one
 * cut off by the end of @data ends there */
void      fs_sim_app_collect        (FsSimApp       *app,
                                     const guint8   *data,
                                     gsize           len);
/* Whether it declares nothing at all */
gboolean  fs_sim_app_is_empty       (const FsSimApp *app);
/* What @app does once it runs @program, the declarations of its bytecode
 * slot: see above */
void      fs_sim_app_add_program    (FsSimApp       *app,
                                     const FsSimApp *program);

/* A line as printed when the log clock says @log_ms */
char     *fs_sim_app_format_line    (const char     *text,
                                     guint64         log_ms);
/* The repeated line with its counter, as printed when the log clock says @log_ms */
char     *fs_sim_app_format_repeat  (const FsSimApp *app,
                                     guint           counter,
                                     guint64         log_ms);
/* What ESP-IDF prints when the app ends, up to and with "Rebooting...";
 * the chip then resets with SW_CPU_RESET. @elf_sha256 is the start of the
 * app's ELF SHA-256 in hex, as ESP-IDF keeps it. NULL for an app that runs. */
char     *fs_sim_app_dup_end_text   (const FsSimApp *app,
                                     const char     *elf_sha256);

G_END_DECLS
