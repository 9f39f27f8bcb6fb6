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
/* Property "step" */
FsBoardStep       fs_board_session_get_step        (FsBoardSession    *self);
/* Property "job": the job running now, or NULL */
FsJob            *fs_board_session_get_job         (FsBoardSession    *self);
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
/* Keeps @set's parts beside the record: nothing is written to the board */
gboolean          fs_board_session_create_vm       (FsBoardSession    *self,
                                                    FsVmSet           *set,
                                                    GError           **error);
/* Writes the VM set (only the sectors that differ), verifies, resets */
void              fs_board_session_virtualize_async (FsBoardSession   *self,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
/* Writes @path into the layout's bytecode slot 0 (only what differs) */
void              fs_board_session_upload_async    (FsBoardSession    *self,
                                                    const char        *path,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
/* The whole flash into a new backup beside the record (registered boards) */
void              fs_board_session_backup_async    (FsBoardSession    *self,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
/* A backup file over the whole flash (only what differs), verified */
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
/* For virtualize, upload, backup, restore and erase. @job (may be NULL)
 * gets the job that ran, also after a failure: its regions say what was
 * written, skipped, or where a cut-off write stopped. */
gboolean          fs_board_session_run_finish      (FsBoardSession    *self,
                                                    GAsyncResult      *result,
                                                    FsJob            **job,
                                                    GError           **error);

G_END_DECLS
