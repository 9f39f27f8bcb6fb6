/* fs-board-session-steps.c: each step's job, and what it leaves in the
 * board's record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "fs-board-session-private.h"
#include "fs-demo.h"
#include "fs-error.h"
#include "fs-flash.h"

/* ---- Register ---- */

static void
chip_from_facts (const FsChipFacts *facts,
                 FsDeviceChip      *chip)
{
  const FsChipInfo *info = fs_chip_lookup (facts->chip);

  chip->name = g_strdup (info != NULL ? info->name : "ESP32");
  chip->description = g_strdup (facts->description);
  chip->revision = facts->revision_major * 100 + facts->revision_minor;
  chip->crystal_mhz = facts->xtal_mhz;
  chip->flash_size = facts->flash_size;
  chip->flash_id = facts->flash_id;
  chip->flash_encryption = facts->flash_encryption;
  chip->secure_boot = facts->secure_boot;
}

static gboolean
keep_backup (FsBoardSession *self,
             FsDeviceRecord *record,
             FsJob          *job,
             GError        **error)
{
  GBytes *data = fs_job_get_data (job);
  g_autofree char *path = fs_device_registry_new_backup_path (self->registry,
                                                              fs_device_record_get_mac (record), error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (path == NULL ||
      !g_file_set_contents (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data), error))
    return FALSE;
  fs_device_record_add_backup (record, path, fs_job_get_md5 (job), now, g_bytes_get_size (data));
  return TRUE;
}

static void
register_done (FsBoardSession *self,
               StepData       *data,
               GTask          *task)
{
  const FsChipFacts *facts = fs_job_get_facts (data->job);
  g_autofree char *mac = fs_device_mac_from_bytes (facts->mac);
  g_autoptr(FsDeviceRecord) record = fs_device_registry_load (self->registry, mac, NULL);
  g_auto(FsDeviceChip) chip = { 0 };
  g_autoptr(GError) error = NULL;

  if (record == NULL)
    record = fs_device_record_new (mac);
  fs_device_record_set_nickname (record, data->text);
  if (self->profile != NULL)
    fs_device_record_set_board_id (record, fs_board_profile_get_id (self->profile));
  fs_device_record_set_last_serial (record, fs_board_session_port_key (self->port));
  chip_from_facts (facts, &chip);
  fs_device_record_set_chip (record, &chip);
  if ((fs_job_get_kind (data->job) == FS_JOB_BACKUP && !keep_backup (self, record, data->job, &error)) ||
      !fs_device_registry_save (self->registry, record, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fs_board_session_set_record (self, record);
  g_task_return_boolean (task, TRUE);
}

void
fs_board_session_register_async (FsBoardSession      *self,
                                 const char          *nickname,
                                 gboolean             backup_first,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(FsJob) job = NULL;
  StepData *data;

  g_return_if_fail (FS_IS_BOARD_SESSION (self));

  data = fs_board_session_step_data_new (nickname != NULL && *nickname != '\0' ? nickname : NULL);
  job = fs_board_session_new_job (self, backup_first ? FS_JOB_BACKUP : FS_JOB_IDENTIFY);
  fs_board_session_run_step (self, job, register_done, data, cancellable, callback, user_data);
}

gboolean
fs_board_session_register_finish (FsBoardSession  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Create VM ---- */

/* The demo firmware cannot run on a real ESP32 */
static gboolean
check_demo (FsBoardSession  *self,
            FsVmSet         *set,
            GError         **error)
{
  GPtrArray *parts = fs_vm_set_get_parts (set);

  if (fs_port_info_get_kind (self->port) == FS_PORT_KIND_VIRTUAL)
    return TRUE;
  for (guint i = 0; i < parts->len; i++)
    {
      const FsFlashPart *part = g_ptr_array_index (parts, i);

      if (fs_demo_is_demo_app (part->data))
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                       _("The demo firmware is for the virtual board: a real ESP32 cannot run it. Choose "
                         "the firmware of your board: ESP-IDF’s build output, Arduino’s exported "
                         "binaries or an ESP Web Tools manifest."));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
fs_board_session_create_vm (FsBoardSession  *self,
                            FsVmSet         *set,
                            GError         **error)
{
  g_autofree char *dir = NULL;
  GPtrArray *parts;
  const char *mac;

  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), FALSE);
  g_return_val_if_fail (FS_IS_VM_SET (set), FALSE);

  if (self->record == NULL)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT, _("Register the board first"));
      return FALSE;
    }
  if (!check_demo (self, set, error))
    return FALSE;
  mac = fs_device_record_get_mac (self->record);
  dir = fs_device_registry_dup_files_dir (self->registry, mac, "vm", error);
  if (dir == NULL)
    return FALSE;
  fs_device_record_clear_vm_regions (self->record);
  parts = fs_vm_set_get_parts (set);
  for (guint i = 0; i < parts->len; i++)
    {
      const FsFlashPart *part = g_ptr_array_index (parts, i);
      g_autofree char *name = g_strdup_printf ("%s.bin", part->name);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, part->data);

      if (!g_file_set_contents (path, g_bytes_get_data (part->data, NULL), g_bytes_get_size (part->data),
                                error))
        return FALSE;
      fs_device_record_add_vm_region (self->record, part->name, part->offset, path, md5);
    }
  fs_device_record_set_layout (self->record, fs_layout_get_name (fs_vm_set_get_layout (set)));
  if (!fs_device_registry_save (self->registry, self->record, error))
    return FALSE;
  fs_board_session_set_record (self, self->record);
  return TRUE;
}

gboolean
fs_board_session_get_has_demo_vm (FsBoardSession *self)
{
  GPtrArray *regions;

  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), FALSE);

  regions = self->record != NULL ? fs_device_record_get_vm_regions (self->record) : NULL;
  for (guint i = 0; regions != NULL && i < regions->len; i++)
    {
      const FsDeviceVmRegion *region = g_ptr_array_index (regions, i);
      g_autoptr(GMappedFile) file = g_mapped_file_new (region->path, FALSE, NULL);
      g_autoptr(GBytes) bytes = file != NULL ? g_mapped_file_get_bytes (file) : NULL;

      if (bytes != NULL && fs_demo_is_demo_app (bytes))
        return TRUE;
    }
  return FALSE;
}

/* ---- Virtualize and Upload ---- */

static void
note_upload (FsBoardSession *self,
             StepData       *data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_auto(FsDeviceBoot) boot = { NULL, NULL };

  fs_device_record_add_upload (self->record, now, data->text, "verified");
  fs_board_session_boot_to_record (self, data->boot, &boot);
  if (boot.state != NULL)
    {
      fs_device_record_set_upload_boot (self->record, &boot);
      fs_device_record_set_firmware_boot (self->record, &boot);
    }
}

/* What the job left on the board, for the "On the board" view */
static void
keep_slots (FsBoardSession *self,
            FsJob          *job)
{
  if (fs_job_get_has_slots (job))
    fs_board_session_set_slot_job (self, job);
}

static void
virtualize_done (FsBoardSession *self,
                 StepData       *data,
                 GTask          *task)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  fs_device_record_set_firmware (self->record, FS_DEVICE_FIRMWARE_VM, fs_device_record_get_layout (self->record),
                                 now);
  note_upload (self, data);
  keep_slots (self, data->job);
  fs_board_session_save_record (self);
  g_task_return_boolean (task, TRUE);
}

static void
upload_done (FsBoardSession *self,
             StepData       *data,
             GTask          *task)
{
  note_upload (self, data);
  keep_slots (self, data->job);
  fs_board_session_save_record (self);
  g_task_return_boolean (task, TRUE);
}

static gboolean
add_file_region (FsJob       *job,
                 const char  *name,
                 guint32      offset,
                 const char  *path,
                 GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  fs_job_add_region (job, name, offset, bytes);
  return TRUE;
}

void
fs_board_session_virtualize_async (FsBoardSession      *self,
                                   FsFlashSizeMode      flash_size,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(FsJob) job = NULL;
  g_autoptr(FsLayout) layout = NULL;
  g_autofree char *title = NULL;
  const FsLayoutRegion *slot;
  StepData *data;
  GPtrArray *regions;

  g_return_if_fail (FS_IS_BOARD_SESSION (self));

  if (self->record == NULL || fs_device_record_get_vm_regions (self->record)->len == 0)
    {
      fs_board_session_fail_now (self, g_error_new (FS_ERROR, FS_ERROR_INVALID_ARGUMENT, _("Create the VM first")),
                                 callback, user_data);
      return;
    }
  job = fs_board_session_new_job (self, FS_JOB_WRITE);
  fs_job_set_flash_size (job, flash_size, 0);
  regions = fs_device_record_get_vm_regions (self->record);
  for (guint i = 0; i < regions->len; i++)
    {
      const FsDeviceVmRegion *region = g_ptr_array_index (regions, i);
      GError *error = NULL;

      if (!add_file_region (job, region->name, region->address, region->path, &error))
        {
          fs_board_session_fail_now (self, error, callback, user_data);
          return;
        }
    }
  title = g_strconcat (FS_VIRTUALIZE_PREFIX, fs_device_record_get_layout (self->record), NULL);
  data = fs_board_session_step_data_new (title);
  data->check_boot = TRUE;
  layout = fs_board_session_dup_layout (self);
  slot = layout != NULL ? fs_layout_find_slot (layout, FS_REGION_KIND_VM, 0) : NULL;
  if (slot != NULL)
    data->expected_offset = slot->offset;
  fs_board_session_run_step (self, job, virtualize_done, data, cancellable, callback, user_data);
}

/* The VM slot the board was last seen running, else slot 0: its
 * bytecode slot is the one it runs */
static guint
running_slot (FsBoardSession *self,
              FsLayout       *layout)
{
  guint32 offset = self->boot != NULL ? fs_boot_log_get_offset (self->boot) : G_MAXUINT32;

  for (guint slot = 0; fs_layout_find_slot (layout, FS_REGION_KIND_VM, slot) != NULL; slot++)
    if (fs_layout_find_slot (layout, FS_REGION_KIND_VM, slot)->offset == offset)
      return slot;
  return 0;
}

void
fs_board_session_upload_bytes_async (FsBoardSession      *self,
                                     const char          *name,
                                     GBytes              *program,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(FsLayout) layout = NULL;
  g_autoptr(FsJob) job = NULL;
  const FsLayoutRegion *slot = NULL;
  const FsLayoutRegion *vm;
  StepData *data;

  g_return_if_fail (FS_IS_BOARD_SESSION (self));
  g_return_if_fail (name != NULL && program != NULL);

  layout = fs_board_session_dup_layout (self);
  if (layout != NULL)
    slot = fs_layout_find_slot (layout, FS_REGION_KIND_BYTECODE, running_slot (self, layout));
  if (slot == NULL)
    {
      fs_board_session_fail_now (self, g_error_new (FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                                                    _("Create the VM first: its layout says where programs go")),
                                 callback, user_data);
      return;
    }
  if (g_bytes_get_size (program) > slot->size)
    {
      g_autofree char *size = fs_format_size (g_bytes_get_size (program));
      g_autofree char *room = fs_format_size (slot->size);

      fs_board_session_fail_now (self, g_error_new (FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                                                    _("The program is %s, but “%s” holds %s"), size,
                                                    slot->title, room),
                                 callback, user_data);
      return;
    }
  job = fs_board_session_new_job (self, FS_JOB_WRITE);
  fs_job_add_region (job, name, slot->offset, program);
  data = fs_board_session_step_data_new (name);
  data->check_boot = TRUE;
  vm = fs_layout_find_slot (layout, FS_REGION_KIND_VM, slot->slot);
  if (vm != NULL)
    data->expected_offset = vm->offset;
  fs_board_session_run_step (self, job, upload_done, data, cancellable, callback, user_data);
}

void
fs_board_session_upload_async (FsBoardSession      *self,
                               const char          *path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GBytes) program = NULL;
  GError *error = NULL;
  gsize len = 0;

  g_return_if_fail (FS_IS_BOARD_SESSION (self));
  g_return_if_fail (path != NULL);

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      fs_board_session_fail_now (self, error, callback, user_data);
      return;
    }
  program = g_bytes_new_take (g_steal_pointer (&contents), len);
  name = g_path_get_basename (path);
  fs_board_session_upload_bytes_async (self, name, program, cancellable, callback, user_data);
}

/* ---- Backup, Restore, Erase ---- */

static void
backup_done (FsBoardSession *self,
             StepData       *data,
             GTask          *task)
{
  g_autoptr(GError) error = NULL;

  if (!keep_backup (self, self->record, data->job, &error) ||
      !fs_device_registry_save (self->registry, self->record, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fs_board_session_set_record (self, self->record);
  g_task_return_boolean (task, TRUE);
}

void
fs_board_session_backup_async (FsBoardSession      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(FsJob) job = NULL;

  g_return_if_fail (FS_IS_BOARD_SESSION (self));

  if (self->record == NULL)
    {
      fs_board_session_fail_now (self, g_error_new (FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                                                    _("Register the board first: its backups are kept with its record")),
                                 callback, user_data);
      return;
    }
  job = fs_board_session_new_job (self, FS_JOB_BACKUP);
  fs_board_session_run_step (self, job, backup_done, fs_board_session_step_data_new (NULL), cancellable, callback,
                             user_data);
}

/* What the board holds now, when it is registered */
static void
note_firmware (FsBoardSession       *self,
               StepData             *data,
               FsDeviceFirmwareKind  kind)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_auto(FsDeviceBoot) boot = { NULL, NULL };

  keep_slots (self, data->job);
  if (self->record == NULL)
    return;
  fs_device_record_set_firmware (self->record, kind, data->text, now);
  fs_board_session_boot_to_record (self, data->boot, &boot);
  if (boot.state != NULL)
    fs_device_record_set_firmware_boot (self->record, &boot);
  fs_board_session_save_record (self);
}

static void
restore_done (FsBoardSession *self,
              StepData       *data,
              GTask          *task)
{
  note_firmware (self, data, FS_DEVICE_FIRMWARE_BACKUP);
  g_task_return_boolean (task, TRUE);
}

static void
erase_done (FsBoardSession *self,
            StepData       *data,
            GTask          *task)
{
  note_firmware (self, data, FS_DEVICE_FIRMWARE_ERASED);
  g_task_return_boolean (task, TRUE);
}

void
fs_board_session_restore_async (FsBoardSession      *self,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(FsJob) job = fs_board_session_new_job (self, FS_JOB_RESTORE);
  g_autofree char *name = g_path_get_basename (path);
  GError *error = NULL;
  StepData *data;

  if (!add_file_region (job, name, 0, path, &error))
    {
      fs_board_session_fail_now (self, error, callback, user_data);
      return;
    }
  data = fs_board_session_step_data_new (name);
  data->check_boot = TRUE;
  fs_board_session_run_step (self, job, restore_done, data, cancellable, callback, user_data);
}

void
fs_board_session_erase_async (FsBoardSession      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(FsJob) job = fs_board_session_new_job (self, FS_JOB_ERASE);

  fs_board_session_run_step (self, job, erase_done, fs_board_session_step_data_new (NULL), cancellable, callback,
                             user_data);
}

/* ---- OTA slots ---- */

static void
slots_done (FsBoardSession *self,
            StepData       *data,
            GTask          *task)
{
  /* A switch that changed nothing keeps what Roll back returns to */
  if (fs_job_get_slot_state (data->job)->switched_from >= 0)
    self->previous_slot = fs_job_get_slot_state (data->job)->switched_from;
  fs_board_session_set_slot_job (self, data->job);
  if (data->boot != NULL && self->record != NULL)
    {
      g_auto(FsDeviceBoot) boot = { NULL, NULL };

      fs_board_session_boot_to_record (self, data->boot, &boot);
      fs_device_record_set_firmware_boot (self->record, &boot);
      fs_board_session_save_record (self);
    }
  g_task_return_boolean (task, TRUE);
}

void
fs_board_session_read_slots_async (FsBoardSession      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(FsJob) job = fs_board_session_new_job (self, FS_JOB_SLOT_SHOW);

  fs_board_session_run_step (self, job, slots_done, fs_board_session_step_data_new (NULL), cancellable, callback,
                             user_data);
}

void
fs_board_session_switch_slot_async (FsBoardSession      *self,
                                    gint                 slot,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(FsJob) job = fs_board_session_new_job (self, FS_JOB_SLOT_SWITCH);
  StepData *data = fs_board_session_step_data_new (NULL);

  fs_job_set_slot (job, slot);
  data->check_boot = TRUE;
  fs_board_session_run_step (self, job, slots_done, data, cancellable, callback, user_data);
}

FsJob *
fs_board_session_get_slot_job (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);
  return self->slot_job;
}

gint
fs_board_session_get_previous_slot (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), -1);
  return self->previous_slot;
}

gboolean
fs_board_session_delete_backup (FsBoardSession  *self,
                                const char      *path,
                                GError         **error)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), FALSE);

  if (self->record == NULL || !fs_device_record_remove_backup (self->record, path))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND, _("The board has no backup %s"), path);
      return FALSE;
    }
  if (!fs_device_registry_save (self->registry, self->record, error))
    return FALSE;
  if (g_remove (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, FS_ERROR, FS_ERROR_FAILED, _("The backup was forgotten, but %s could not be deleted: %s"),
                   path, g_strerror (saved_errno));
      fs_board_session_set_record (self, self->record);
      return FALSE;
    }
  fs_board_session_set_record (self, self->record);
  return TRUE;
}
