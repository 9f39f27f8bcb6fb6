/* fs-board-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "fs-board-session.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-transport-factory.h"

/* What the record's upload list says a successful Virtualize was */
#define VIRTUALIZE_PREFIX "Virtualize: "

struct _FsBoardSession
{
  GObject           parent_instance;

  FsPortInfo       *port;
  FsDeviceRegistry *registry;
  FsTransport      *transport;
  FsMonitor        *monitor;
  FsBoardProfile   *profile;
  FsDeviceRecord   *record;
  FsJob            *job;
  FsJob            *slot_job;
  gint              previous_slot;
  guint             baud;
  char             *stub_path;
};

enum {
  PROP_0,
  PROP_RECORD,
  PROP_STEP,
  PROP_JOB,
  PROP_BAUD,
  PROP_PROFILE,
  PROP_SLOT_JOB,
  PROP_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FsBoardSession, fs_board_session, G_TYPE_OBJECT)

/* After a job, or on a new port: the monitor reads again if it was on */
static void
resume_monitor (FsBoardSession *self)
{
  g_autoptr(GError) error = NULL;

  if (fs_monitor_get_state (self->monitor) != FS_MONITOR_STATE_PAUSED)
    return;
  if (!fs_monitor_start (self->monitor, &error))
    {
      g_warning ("The monitor could not take %s back: %s", fs_transport_get_name (self->transport),
                 error->message);
      fs_monitor_stop (self->monitor);
    }
}

static void
fs_board_session_finalize (GObject *object)
{
  FsBoardSession *self = FS_BOARD_SESSION (object);

  g_clear_object (&self->monitor);
  g_clear_object (&self->port);
  g_clear_object (&self->registry);
  g_clear_object (&self->transport);
  g_clear_object (&self->profile);
  g_clear_object (&self->record);
  g_clear_object (&self->job);
  g_clear_object (&self->slot_job);
  g_free (self->stub_path);

  G_OBJECT_CLASS (fs_board_session_parent_class)->finalize (object);
}

static void
fs_board_session_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FsBoardSession *self = FS_BOARD_SESSION (object);

  switch (prop_id)
    {
    case PROP_RECORD:
      g_value_set_object (value, self->record);
      break;
    case PROP_STEP:
      g_value_set_int (value, fs_board_session_get_step (self));
      break;
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;
    case PROP_BAUD:
      g_value_set_uint (value, self->baud);
      break;
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_SLOT_JOB:
      g_value_set_object (value, self->slot_job);
      break;
    case PROP_PORT:
      g_value_set_object (value, self->port);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_board_session_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FsBoardSession *self = FS_BOARD_SESSION (object);

  switch (prop_id)
    {
    case PROP_BAUD:
      fs_board_session_set_baud (self, g_value_get_uint (value));
      break;
    case PROP_PROFILE:
      fs_board_session_set_profile (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fs_board_session_class_init (FsBoardSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fs_board_session_finalize;
  object_class->get_property = fs_board_session_get_property;
  object_class->set_property = fs_board_session_set_property;

  properties[PROP_RECORD] =
    g_param_spec_object ("record", NULL, NULL, FS_TYPE_DEVICE_RECORD,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] =
    g_param_spec_int ("step", NULL, NULL, FS_BOARD_STEP_REGISTER, FS_BOARD_STEP_UPLOAD,
                      FS_BOARD_STEP_REGISTER,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL, FS_TYPE_JOB,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BAUD] =
    g_param_spec_uint ("baud", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, FS_TYPE_BOARD_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLOT_JOB] =
    g_param_spec_object ("slot-job", NULL, NULL, FS_TYPE_JOB,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_object ("port", NULL, NULL, FS_TYPE_PORT_INFO,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fs_board_session_init (FsBoardSession *self)
{
  self->previous_slot = -1;
}

/* The USB serial number a record remembers, or the virtual board's port */
static const char *
port_key (FsPortInfo *port)
{
  const char *serial = fs_port_info_get_serial (port);

  return serial != NULL ? serial : fs_port_info_get_name (port);
}

FsDeviceRecord *
fs_board_session_find_record (FsDeviceRegistry *registry,
                              FsPortInfo       *port)
{
  g_autoptr(GPtrArray) records = fs_device_registry_list (registry, NULL, NULL);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      FsDeviceRecord *record = g_ptr_array_index (records, i);

      if (g_strcmp0 (fs_device_record_get_last_serial (record), port_key (port)) == 0)
        return g_object_ref (record);
    }
  return NULL;
}

FsBoardSession *
fs_board_session_new (FsPortInfo        *port,
                      FsDeviceRegistry  *registry,
                      GError           **error)
{
  g_autoptr(FsBoardSession) self = NULL;

  g_return_val_if_fail (FS_IS_PORT_INFO (port), NULL);
  g_return_val_if_fail (FS_IS_DEVICE_REGISTRY (registry), NULL);

  self = g_object_new (FS_TYPE_BOARD_SESSION, NULL);
  self->port = g_object_ref (port);
  self->registry = g_object_ref (registry);
  self->transport = fs_transport_new_for_port (fs_port_info_get_name (port), error);
  if (self->transport == NULL)
    return NULL;
  self->monitor = fs_monitor_new (self->transport);
  self->record = fs_board_session_find_record (registry, port);
  fs_board_session_set_profile (self, fs_port_info_get_profile (port));
  return g_steal_pointer (&self);
}

FsPortInfo *
fs_board_session_get_port (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);
  return self->port;
}

FsTransport *
fs_board_session_get_transport (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);
  return self->transport;
}

gboolean
fs_board_session_set_port (FsBoardSession  *self,
                           FsPortInfo      *port,
                           GError         **error)
{
  g_autoptr(FsTransport) transport = NULL;

  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), FALSE);
  g_return_val_if_fail (FS_IS_PORT_INFO (port), FALSE);
  g_return_val_if_fail (self->job == NULL, FALSE);

  if (self->port == port)
    return TRUE;
  transport = fs_transport_new_for_port (fs_port_info_get_name (port), error);
  if (transport == NULL)
    return FALSE;
  if (fs_monitor_get_state (self->monitor) == FS_MONITOR_STATE_RUNNING)
    fs_monitor_pause (self->monitor);
  fs_monitor_set_transport (self->monitor, transport);
  g_set_object (&self->transport, transport);
  g_set_object (&self->port, port);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  resume_monitor (self);
  return TRUE;
}

FsMonitor *
fs_board_session_get_monitor (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);
  return self->monitor;
}

FsBoardProfile *
fs_board_session_get_profile (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);
  return self->profile;
}

void
fs_board_session_set_profile (FsBoardSession *self,
                              FsBoardProfile *profile)
{
  g_return_if_fail (FS_IS_BOARD_SESSION (self));

  if (!g_set_object (&self->profile, profile))
    return;
  if (profile != NULL)
    fs_board_session_set_baud (self, fs_board_profile_get_default_baud (profile));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

FsDeviceRecord *
fs_board_session_get_record (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);
  return self->record;
}

static gboolean
record_is_virtualized (FsDeviceRecord *record)
{
  GPtrArray *uploads = fs_device_record_get_uploads (record);

  for (guint i = 0; i < uploads->len; i++)
    {
      const FsDeviceUpload *upload = g_ptr_array_index (uploads, i);

      if (g_str_has_prefix (upload->what, VIRTUALIZE_PREFIX) && g_strcmp0 (upload->result, "verified") == 0)
        return TRUE;
    }
  return FALSE;
}

FsBoardStep
fs_board_session_get_step (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), FS_BOARD_STEP_REGISTER);

  if (self->record == NULL)
    return FS_BOARD_STEP_REGISTER;
  if (fs_device_record_get_vm_regions (self->record)->len == 0)
    return FS_BOARD_STEP_CREATE_VM;
  if (!record_is_virtualized (self->record))
    return FS_BOARD_STEP_VIRTUALIZE;
  return FS_BOARD_STEP_UPLOAD;
}

FsJob *
fs_board_session_get_job (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);
  return self->job;
}

guint
fs_board_session_get_baud (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), 0);
  return self->baud;
}

void
fs_board_session_set_baud (FsBoardSession *self,
                           guint           baud)
{
  g_return_if_fail (FS_IS_BOARD_SESSION (self));

  if (self->baud == baud)
    return;
  self->baud = baud;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BAUD]);
}

void
fs_board_session_set_stub_path (FsBoardSession *self,
                                const char     *path)
{
  g_return_if_fail (FS_IS_BOARD_SESSION (self));
  g_free (self->stub_path);
  self->stub_path = g_strdup (path);
}

FsLayout *
fs_board_session_dup_layout (FsBoardSession *self)
{
  const char *name;

  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);

  name = self->record != NULL ? fs_device_record_get_layout (self->record) : NULL;
  return name != NULL ? fs_layout_new_builtin (name, NULL) : NULL;
}

static void
set_record (FsBoardSession *self,
            FsDeviceRecord *record)
{
  g_set_object (&self->record, record);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

/* ---- running jobs ---- */

static FsJob *
new_job (FsBoardSession *self,
         FsJobKind       kind)
{
  FsJob *job = fs_job_new (kind, self->transport);

  fs_job_set_profile (job, self->profile);
  fs_job_set_baud (job, self->baud);
  fs_job_set_stub (job, TRUE, self->stub_path);
  return job;
}

static void
set_job (FsBoardSession *self,
         FsJob          *job)
{
  if (g_set_object (&self->job, job))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

typedef void (*JobDoneFunc) (FsBoardSession *self,
                             FsJob          *job,
                             GTask          *task);

typedef struct {
  FsJob       *job;
  JobDoneFunc  done;
  char        *text;    /* what the step needs afterwards: a nickname, a title */
} StepData;

static void
step_data_free (StepData *data)
{
  g_clear_object (&data->job);
  g_free (data->text);
  g_free (data);
}

static void
note_upload (FsBoardSession *self,
             const char     *what,
             const char     *result)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;

  fs_device_record_add_upload (self->record, now, what, result);
  if (!fs_device_registry_save (self->registry, self->record, &error))
    g_warning ("The record of %s could not be saved: %s", fs_device_record_get_mac (self->record),
               error->message);
  set_record (self, self->record);
}

static void
job_finished (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FsBoardSession *self = g_task_get_source_object (task);
  StepData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  set_job (self, NULL);
  /* At once: the board's boot output waits in the port */
  resume_monitor (self);
  if (!fs_job_run_finish (data->job, result, &error))
    {
      if (fs_job_get_kind (data->job) == FS_JOB_WRITE && self->record != NULL)
        {
          g_autofree char *failed = g_strdup_printf (_("failed: %s"), error->message);

          note_upload (self, data->text, failed);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->done (self, data->job, task);
}

/* Runs @job; @done takes over the task when it succeeds */
static void
run_step (FsBoardSession      *self,
          FsJob               *job,
          JobDoneFunc          done,
          StepData            *data,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  data->job = g_object_ref (job);
  data->done = done;
  g_task_set_task_data (task, data, (GDestroyNotify) step_data_free);
  if (self->job != NULL)
    {
      g_task_return_new_error (task, FS_ERROR, FS_ERROR_FAILED,
                               _("The board is busy with another job"));
      g_object_unref (task);
      return;
    }
  /* The port is the job's until it ends; it stays open, so nothing the
   * board prints after the job's reset is lost */
  fs_monitor_pause (self->monitor);
  set_job (self, job);
  fs_job_run_async (job, cancellable, job_finished, task);
}

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
               FsJob          *job,
               GTask          *task)
{
  StepData *data = g_task_get_task_data (task);
  const FsChipFacts *facts = fs_job_get_facts (job);
  g_autofree char *mac = fs_device_mac_from_bytes (facts->mac);
  g_autoptr(FsDeviceRecord) record = fs_device_registry_load (self->registry, mac, NULL);
  g_auto(FsDeviceChip) chip = { 0 };
  g_autoptr(GError) error = NULL;

  if (record == NULL)
    record = fs_device_record_new (mac);
  fs_device_record_set_nickname (record, data->text);
  if (self->profile != NULL)
    fs_device_record_set_board_id (record, fs_board_profile_get_id (self->profile));
  fs_device_record_set_last_serial (record, port_key (self->port));
  chip_from_facts (facts, &chip);
  fs_device_record_set_chip (record, &chip);
  if ((fs_job_get_kind (job) == FS_JOB_BACKUP && !keep_backup (self, record, job, &error)) ||
      !fs_device_registry_save (self->registry, record, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  set_record (self, record);
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
  StepData *data = g_new0 (StepData, 1);

  g_return_if_fail (FS_IS_BOARD_SESSION (self));

  data->text = g_strdup (nickname != NULL && *nickname != '\0' ? nickname : NULL);
  job = new_job (self, backup_first ? FS_JOB_BACKUP : FS_JOB_IDENTIFY);
  run_step (self, job, register_done, data, cancellable, callback, user_data);
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
  set_record (self, self->record);
  return TRUE;
}

/* ---- Virtualize and Upload ---- */

static void
write_done (FsBoardSession *self,
            FsJob          *job,
            GTask          *task)
{
  StepData *data = g_task_get_task_data (task);

  note_upload (self, data->text, "verified");
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

static void
fail_now (FsBoardSession      *self,
          GError              *error,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_task_report_error (self, callback, user_data, fs_board_session_run_finish, error);
}

void
fs_board_session_virtualize_async (FsBoardSession      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GString) title = g_string_new (VIRTUALIZE_PREFIX);
  StepData *data;
  GPtrArray *regions;

  g_return_if_fail (FS_IS_BOARD_SESSION (self));

  if (self->record == NULL || fs_device_record_get_vm_regions (self->record)->len == 0)
    {
      fail_now (self, g_error_new (FS_ERROR, FS_ERROR_INVALID_ARGUMENT, _("Create the VM first")),
                callback, user_data);
      return;
    }
  job = new_job (self, FS_JOB_WRITE);
  regions = fs_device_record_get_vm_regions (self->record);
  for (guint i = 0; i < regions->len; i++)
    {
      const FsDeviceVmRegion *region = g_ptr_array_index (regions, i);
      GError *error = NULL;

      if (!add_file_region (job, region->name, region->address, region->path, &error))
        {
          fail_now (self, error, callback, user_data);
          return;
        }
    }
  g_string_append (title, fs_device_record_get_layout (self->record));
  data = g_new0 (StepData, 1);
  data->text = g_string_free (g_steal_pointer (&title), FALSE);
  run_step (self, job, write_done, data, cancellable, callback, user_data);
}

void
fs_board_session_upload_async (FsBoardSession      *self,
                               const char          *path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(FsLayout) layout = NULL;
  g_autoptr(FsJob) job = NULL;
  const FsLayoutRegion *slot;
  GError *error = NULL;
  StepData *data;

  g_return_if_fail (FS_IS_BOARD_SESSION (self));
  g_return_if_fail (path != NULL);

  layout = fs_board_session_dup_layout (self);
  slot = layout != NULL ? fs_layout_find_slot (layout, FS_REGION_KIND_BYTECODE, 0) : NULL;
  if (slot == NULL)
    {
      fail_now (self, g_error_new (FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                                   _("Create the VM first: its layout says where programs go")),
                callback, user_data);
      return;
    }
  job = new_job (self, FS_JOB_WRITE);
  if (!add_file_region (job, slot->id, slot->offset, path, &error))
    {
      fail_now (self, error, callback, user_data);
      return;
    }
  if (fs_job_get_region (job, 0)->size > slot->size)
    {
      g_autofree char *size = fs_format_size (fs_job_get_region (job, 0)->size);
      g_autofree char *room = fs_format_size (slot->size);

      fail_now (self, g_error_new (FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                                   _("The program is %s, but “%s” holds %s"), size, slot->title, room),
                callback, user_data);
      return;
    }
  data = g_new0 (StepData, 1);
  data->text = g_path_get_basename (path);
  run_step (self, job, write_done, data, cancellable, callback, user_data);
}

/* ---- Backup, Restore, Erase ---- */

static void
backup_done (FsBoardSession *self,
             FsJob          *job,
             GTask          *task)
{
  g_autoptr(GError) error = NULL;

  if (!keep_backup (self, self->record, job, &error) ||
      !fs_device_registry_save (self->registry, self->record, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  set_record (self, self->record);
  g_task_return_boolean (task, TRUE);
}

static void
plain_done (FsBoardSession *self,
            FsJob          *job,
            GTask          *task)
{
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
      fail_now (self, g_error_new (FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                                   _("Register the board first: its backups are kept with its record")),
                callback, user_data);
      return;
    }
  job = new_job (self, FS_JOB_BACKUP);
  run_step (self, job, backup_done, g_new0 (StepData, 1), cancellable, callback, user_data);
}

void
fs_board_session_restore_async (FsBoardSession      *self,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(FsJob) job = new_job (self, FS_JOB_RESTORE);
  g_autofree char *name = g_path_get_basename (path);
  GError *error = NULL;

  if (!add_file_region (job, name, 0, path, &error))
    {
      fail_now (self, error, callback, user_data);
      return;
    }
  run_step (self, job, plain_done, g_new0 (StepData, 1), cancellable, callback, user_data);
}

void
fs_board_session_erase_async (FsBoardSession      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(FsJob) job = new_job (self, FS_JOB_ERASE);

  run_step (self, job, plain_done, g_new0 (StepData, 1), cancellable, callback, user_data);
}

/* ---- OTA slots ---- */

static void
slots_done (FsBoardSession *self,
            FsJob          *job,
            GTask          *task)
{
  /* A switch that changed nothing keeps what Roll back returns to */
  if (fs_job_get_slot_state (job)->switched_from >= 0)
    self->previous_slot = fs_job_get_slot_state (job)->switched_from;
  if (g_set_object (&self->slot_job, job))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOT_JOB]);
  g_task_return_boolean (task, TRUE);
}

void
fs_board_session_read_slots_async (FsBoardSession      *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(FsJob) job = new_job (self, FS_JOB_SLOT_SHOW);

  run_step (self, job, slots_done, g_new0 (StepData, 1), cancellable, callback, user_data);
}

void
fs_board_session_switch_slot_async (FsBoardSession      *self,
                                    gint                 slot,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(FsJob) job = new_job (self, FS_JOB_SLOT_SWITCH);

  fs_job_set_slot (job, slot);
  run_step (self, job, slots_done, g_new0 (StepData, 1), cancellable, callback, user_data);
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
      set_record (self, self->record);
      return FALSE;
    }
  set_record (self, self->record);
  return TRUE;
}

gboolean
fs_board_session_run_finish (FsBoardSession  *self,
                             GAsyncResult    *result,
                             FsJob          **job,
                             GError         **error)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), FALSE);

  if (job != NULL && G_IS_TASK (result) && g_task_get_task_data (G_TASK (result)) != NULL)
    *job = g_object_ref (((StepData *) g_task_get_task_data (G_TASK (result)))->job);
  else if (job != NULL)
    *job = NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}
