/* fs-sim-board.h: a virtual ESP32 board, running in a thread of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fs-sim-chip.h"
#include "fs-sim-flash.h"

G_BEGIN_DECLS

typedef enum {
  FS_SIM_MODE_OFF,        /* unplugged */
  FS_SIM_MODE_RESET,      /* EN held low */
  FS_SIM_MODE_DOWNLOAD,   /* the ROM loader, or the stub once uploaded */
  FS_SIM_MODE_RUN,        /* booted from flash: the app runs, or the boot failed */
} FsSimMode;

typedef struct {
  char             *flash_path;
  guint64           flash_size;
  /* The classic DTR/RTS auto-reset circuit drives EN and IO0. Boards
   * without it (FiPy, Vigotech) enter download mode by jumper and reset. */
  gboolean          has_reset_lines;
  FsSimChipConfig   chip;
  FsSimFlashTiming  timing;
  /* No link or flash timing: for fast tests */
  gboolean          instant;
  /* Power on into download mode, as with IO0 held low, instead of booting */
  gboolean          start_in_download;
  /* A button the user holds through a job (Vigotech's Power button):
   * download mode only while it is held; let go, the firmware starts */
  gboolean          hold_button;
} FsSimBoardOptions;

/* Faults on request. Rates are the share of bytes affected, 0 to 1, in
 * each direction, from a generator seeded with @seed. */
typedef struct {
  double   drop_rate;
  double   garble_rate;
  guint    reply_delay_ms;     /* every reply goes out this much later */
  /* Counted from when the faults are set, or the board plugged in again */
  guint64  unplug_after;       /* bytes from the host after which the port vanishes; 0: never */
  guint64  reset_after;        /* bytes of flash programmed after which the board resets; 0: never */
  gboolean needs_jumper;       /* the lines do not reach IO0: only the jumper enters download mode */
  gboolean compressed_spill;   /* ../shared/notes/rom-compressed-write-spill.md */
  gboolean stub_hangs;         /* an uploaded stub never greets */
  guint32  seed;
} FsSimFaults;

/* Where the board's output goes instead of fs_sim_board_read(): a server
 * (pty, TCP, RFC 2217). Called in the board's thread; setting it takes
 * effect there, with what was waiting in the read buffer. */
typedef struct {
  void (*output)  (gpointer user_data, const guint8 *data, gsize len);
  void (*plugged) (gpointer user_data, gboolean plugged);
} FsSimBoardSinkFuncs;

void fs_sim_board_options_init_default (FsSimBoardOptions *options,
                                        const char        *flash_path);
void fs_sim_board_options_clear        (FsSimBoardOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FsSimBoardOptions, fs_sim_board_options_clear)

#define FS_TYPE_SIM_BOARD (fs_sim_board_get_type ())
G_DECLARE_FINAL_TYPE (FsSimBoard, fs_sim_board, FS, SIM_BOARD, GObject)

/* Opens the flash file and starts the board's thread: the board powers
 * on as a board plugged in does. Everything below may be called from any
 * thread. */
FsSimBoard   *fs_sim_board_new          (const FsSimBoardOptions   *options,
                                         GError                   **error);
/* The board's thread and main context: servers attach their sources here */
GMainContext *fs_sim_board_get_context  (FsSimBoard                *self);
FsSimMode     fs_sim_board_get_mode     (FsSimBoard                *self);
gboolean      fs_sim_board_get_plugged  (FsSimBoard                *self);
/* Waits until the board is in @mode; FALSE after @timeout_ms */
gboolean      fs_sim_board_wait_mode    (FsSimBoard                *self,
                                         FsSimMode                  mode,
                                         guint                      timeout_ms);
FsSimFlash   *fs_sim_board_get_flash    (FsSimBoard                *self);
/* What the board booted last (NULL before its first boot into run mode) */
char         *fs_sim_board_dup_boot_log (FsSimBoard                *self);

/* What the running app received on its console since it started (the
 * last 64 KiB): what a monitor sent it, line endings included */
GBytes       *fs_sim_board_dup_console_input (FsSimBoard           *self);
/* Bytes the board handed to the host since it was made (after faults) */
guint64       fs_sim_board_get_bytes_sent (FsSimBoard              *self);

/* Bytes from the host, as they leave the host's UART; FALSE with
 * FS_ERROR_DISCONNECTED when the board is unplugged */
gboolean      fs_sim_board_write        (FsSimBoard                *self,
                                         const guint8              *data,
                                         gsize                      len,
                                         GError                   **error);
/* Bytes the board sent that are due by now; waits up to @timeout_ms for
 * the first. Returns 0 on time-out, -1 with FS_ERROR_DISCONNECTED when
 * unplugged or FS_ERROR_CANCELLED. Only without a sink. */
gssize        fs_sim_board_read         (FsSimBoard                *self,
                                         guint8                    *buffer,
                                         gsize                      len,
                                         guint                      timeout_ms,
                                         GCancellable              *cancellable,
                                         GError                   **error);
void          fs_sim_board_set_sink     (FsSimBoard                *self,
                                         const FsSimBoardSinkFuncs *funcs,
                                         gpointer                   user_data);

/* The host's control lines, as pyserial names them (TRUE: asserted) */
void          fs_sim_board_set_lines    (FsSimBoard                *self,
                                         gboolean                   dtr,
                                         gboolean                   rts);
/* The host's baud; 0 when the transport cannot tell (a pty). Bytes sent
 * at a baud the board's UART is not at arrive garbled. */
void          fs_sim_board_set_host_baud (FsSimBoard               *self,
                                         guint                      baud);
/* What a person does to the board. Properties "jumper", "boot-held",
 * "held" and "plugged" say what the person did last, notified in the
 * thread that did it. */
void          fs_sim_board_set_jumper   (FsSimBoard                *self,
                                         gboolean                   placed);
void          fs_sim_board_press_reset  (FsSimBoard                *self);
/* BOOT (IO0) held while Reset is pressed, let go once the chip sampled it */
void          fs_sim_board_press_reset_with_boot (FsSimBoard      *self);
/* The BOOT button: IO0 low for as long as it is held */
void          fs_sim_board_set_boot_held (FsSimBoard               *self,
                                          gboolean                  held);
/* The board's hold button (FsSimBoardOptions.hold_button); nothing
 * happens on a board without one */
void          fs_sim_board_set_held     (FsSimBoard                *self,
                                         gboolean                   held);
void          fs_sim_board_set_plugged  (FsSimBoard                *self,
                                         gboolean                   plugged);
void          fs_sim_board_set_faults   (FsSimBoard                *self,
                                         const FsSimFaults         *faults);
/* The faults last set */
void          fs_sim_board_get_faults   (FsSimBoard                *self,
                                         FsSimFaults               *faults);
/* Runs one control command ("reset", "jumper on", "fault drop 0.01"…)
 * as typed on flash-studio-sim's standard input, and returns what to
 * answer ("ok", or the board's state for "status"); NULL with
 * FS_ERROR_INVALID_ARGUMENT for a command it does not know. */
char         *fs_sim_board_control      (FsSimBoard                *self,
                                         const char                *command,
                                         GError                   **error);
/* The commands fs_sim_board_control() knows, one per line, for --help */
const char   *fs_sim_board_control_help (void);

G_END_DECLS
