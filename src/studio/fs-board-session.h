/* fs-board-session.h: one board on one port, and where it is in the flow
 *
 * What the studio window shows for the selected board: its profile, its
 * record when it is registered, the step it is at (Register → Create VM →
 * Virtualize → Upload), and the job running on it. Each step is an async
 * call that runs an FsJob ("job" is set while it runs, for a view to show
 * its progress and answer its prompts) and updates the record.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fs-board-profile.h"
#include "fs-boot-log.h"
#include "fs-device-registry.h"
#include "fs-job.h"
#include "fs-monitor.h"
#include "fs-port-info.h"
#include "fs-vm-set.h"

G_BEGIN_DECLS

/* The next step of the flow, which the primary button offers */
typedef enum {
  FS_BOARD_STEP_REGISTER,
  FS_BOARD_STEP_CREATE_VM,
  FS_BOARD_STEP_VIRTUALIZE,
  FS_BOARD_STEP_UPLOAD,
} FsBoardStep;

/* Where a step stands, for its row in a checklist */
typedef enum {
  FS_STEP_STATE_WAITING,   /* an earlier step comes first */
  FS_STEP_STATE_NEXT,      /* what the primary button does */
  FS_STEP_STATE_DONE,      /* and, after a write, the board was seen running */
  FS_STEP_STATE_UNSURE,    /* written, but the board said nothing recognisable */
  FS_STEP_STATE_FAILED,    /* the write failed, or the board does not boot after it */
} FsStepState;

#define FS_TYPE_BOARD_SESSION (fs_board_session_get_type ())
G_DECLARE_FINAL_TYPE (FsBoardSession, fs_board_session, FS, BOARD_SESSION, GObject)

/* The board on @port (its profile: the port's, or the one the user picks
 * with fs_board_session_set_profile()). Finds its record in @registry by
 * the USB serial number (or the virtual board's name) it was last seen
 * on. FS_ERROR_INVALID_ARGUMENT for a port name the factory refuses. */
FsBoardSession   *fs_board_session_new             (FsPortInfo        *port,
                                                    FsDeviceRegistry  *registry,
                                                    GError           **error);
/* The record of the board last seen on @port (by USB serial number, or
 * the virtual board's name), or NULL */
FsDeviceRecord   *fs_board_session_find_record     (FsDeviceRegistry  *registry,
                                                    FsPortInfo        *port);
/* Property "port" */
FsPortInfo       *fs_board_session_get_port        (FsBoardSession    *self);
/* The board came back on @port (its USB serial number matched): a new
 * link to it, which the monitor takes at once. Not while a job runs. */
gboolean          fs_board_session_set_port        (FsBoardSession    *self,
                                                    FsPortInfo        *port,
                                                    GError           **error);
/* The link to the board, kept for the session: the monitor shares it */
FsTransport      *fs_board_session_get_transport   (FsBoardSession    *self);
/* The board's serial monitor, stopped until someone starts it. A job
 * pauses it (the port stays open) and starts it again as it ends, right
 * after the board's reset: its boot output is all there. */
FsMonitor        *fs_board_session_get_monitor     (FsBoardSession    *self);
FsBoardProfile   *fs_board_session_get_profile     (FsBoardSession    *self);
void              fs_board_session_set_profile     (FsBoardSession    *self,
                                                    FsBoardProfile    *profile);
/* Property "record": NULL until the board is registered */
FsDeviceRecord   *fs_board_session_get_record      (FsBoardSession    *self);
/* Property "step": it follows what the board holds, not only the
 * record: after an erase, a restore or a VM that does not boot, the
 * board is at Virtualize again */
FsBoardStep       fs_board_session_get_step        (FsBoardSession    *self);
/* Where @step stands; @summary (may be NULL) gets a line for people, or
 * NULL: "Running blink 1.2.3 from Zerynth VM (slot 0)", "The flash was
 * erased: virtualize the board again"… Notified with "step". */
FsStepState       fs_board_session_get_step_state  (FsBoardSession    *self,
                                                    FsBoardStep        step,
                                                    char             **summary);
/* Property "boot": what the board did after the last job that reset it
 * into its firmware (Virtualize, Upload, Restore, a slot switch), or
 * NULL before one. Such a job ends with this boot check, a step of its
 * progress ("Checking that the board starts"), before it returns. */
FsBootLog        *fs_board_session_get_boot        (FsBoardSession    *self);
/* "Running blink 1.2.3 from Zerynth VM (slot 0)", "The board does not
 * boot: …" or why nothing could be told, for @log */
char             *fs_board_session_describe_boot   (FsBoardSession    *self,
                                                    FsBootLog         *log);
/* How much a write wrote, how much was there already, and where: "12 KiB
 * written, 500 KiB already there: blink.bin → Zerynth Bytecode (slot 0) at
 * 0x210000"; for several regions, a line of totals, then a line for each */
char             *fs_board_session_describe_write  (FsBoardSession    *self,
                                                    FsJob             *job);
/* Property "job": the job running now, or NULL */
FsJob            *fs_board_session_get_job         (FsBoardSession    *self);
/* Property "last-job": the job that ran last and ended, or NULL: which
 * loader it used, say */
FsJob            *fs_board_session_get_last_job    (FsBoardSession    *self);
/* Property "baud": what jobs switch to after connecting (default: the profile's) */
guint             fs_board_session_get_baud        (FsBoardSession    *self);
void              fs_board_session_set_baud        (FsBoardSession    *self,
                                                    guint              baud);
/* Property "stub-path": the stub loader to use, NULL to look for one */
void              fs_board_session_set_stub_path   (FsBoardSession    *self,
                                                    const char        *path);
/* The layout of the VM set, or NULL before Create VM */
FsLayout         *fs_board_session_dup_layout      (FsBoardSession    *self);

/* Identifies the board and stores its record, keyed by MAC, with
 * @nickname. With @backup_first, the whole flash is read first and kept
 * beside the record with its MD5, so the original firmware can always
 * be restored. */
void              fs_board_session_register_async  (FsBoardSession    *self,
                                                    const char        *nickname,
                                                    gboolean           backup_first,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
gboolean          fs_board_session_register_finish (FsBoardSession    *self,
                                                    GAsyncResult      *result,
                                                    GError           **error);
/* Keeps @set's parts beside the record: nothing is written to the
 * board. The demo firmware is refused on a board that is not virtual. */
gboolean          fs_board_session_create_vm       (FsBoardSession    *self,
                                                    FsVmSet           *set,
                                                    GError           **error);
/* Whether the VM set is the demo firmware, whose programs Upload offers */
gboolean          fs_board_session_get_has_demo_vm (FsBoardSession    *self);
/* Writes the VM set (only the sectors that differ), verifies, resets,
 * checks that it boots. Before anything is written, the write is
 * checked as the board will boot it: FS_ERROR_WOULD_NOT_BOOT (a package
 * without a bootloader on a board without one, say), or, with
 * FS_FLASH_SIZE_ASK, FS_ERROR_FLASH_SIZE when the bootloader's header
 * names a flash too small for the layout: FS_FLASH_SIZE_DETECT then
 * writes it saying the board's. */
void              fs_board_session_virtualize_async (FsBoardSession   *self,
                                                    FsFlashSizeMode    flash_size,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
/* Writes @path into the bytecode slot of the VM slot the board runs
 * (only what differs), resets, checks that it boots */
void              fs_board_session_upload_async    (FsBoardSession    *self,
                                                    const char        *path,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
/* The same with a program in memory, called @name in the record */
void              fs_board_session_upload_bytes_async (FsBoardSession *self,
                                                    const char        *name,
                                                    GBytes            *program,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
/* The whole flash into a new backup beside the record (registered boards) */
void              fs_board_session_backup_async    (FsBoardSession    *self,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
/* A backup file over the whole flash (only what differs), verified,
 * and what it boots checked */
void              fs_board_session_restore_async   (FsBoardSession    *self,
                                                    const char        *path,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
/* The whole flash erased */
void              fs_board_session_erase_async     (FsBoardSession    *self,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
/* Reads the board's partition table, otadata and what each OTA slot
 * holds (the "slot-job" property keeps the job that did it) */
void              fs_board_session_read_slots_async (FsBoardSession   *self,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
/* Boots OTA app slot @slot from now on (-1: the other one). The slot that
 * booted before is remembered for fs_board_session_get_previous_slot(). */
void              fs_board_session_switch_slot_async (FsBoardSession  *self,
                                                    gint               slot,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
/* Property "slot-job": the last job that read or switched the slots, or NULL */
FsJob            *fs_board_session_get_slot_job    (FsBoardSession    *self);
/* The slot that booted before the last switch, or -1: what Roll back boots */
gint              fs_board_session_get_previous_slot (FsBoardSession  *self);
/* Forgets a backup and deletes its file */
gboolean          fs_board_session_delete_backup   (FsBoardSession    *self,
                                                    const char        *path,
                                                    GError           **error);
/* For virtualize, upload, backup, restore, erase and the slots. @job
 * (may be NULL) gets the job that ran, also after a failure: its regions
 * say what was written, skipped, or where a cut-off write stopped. A
 * write that succeeded returns TRUE whatever the boot check found:
 * fs_board_session_get_boot() says. */
gboolean          fs_board_session_run_finish      (FsBoardSession    *self,
                                                    GAsyncResult      *result,
                                                    FsJob            **job,
                                                    GError           **error);

G_END_DECLS
