/* fs-board-session.c: the board, where it stands, running its jobs and
 * checking that it boots after them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-board-session-private.h"
#include "fs-error.h"
#include "fs-transport-factory.h"

enum {
  PROP_0,
  PROP_RECORD,
  PROP_STEP,
  PROP_JOB,
  PROP_BAUD,
  PROP_PROFILE,
  PROP_SLOT_JOB,
  PROP_PORT,
  PROP_BOOT,
  PROP_LAST_JOB,
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
  g_clear_object (&self->last_job);
  g_clear_object (&self->slot_job);
  g_clear_object (&self->boot);
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
    case PROP_BOOT:
      g_value_set_object (value, self->boot);
      break;
    case PROP_LAST_JOB:
      g_value_set_object (value, self->last_job);
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
  properties[PROP_BOOT] =
    g_param_spec_object ("boot", NULL, NULL, FS_TYPE_BOOT_LOG,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_JOB] =
    g_param_spec_object ("last-job", NULL, NULL, FS_TYPE_JOB,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fs_board_session_init (FsBoardSession *self)
{
  self->previous_slot = -1;
}

/* The USB serial number a record remembers, or the virtual board's port */
const char *
fs_board_session_port_key (FsPortInfo *port)
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

      if (g_strcmp0 (fs_device_record_get_last_serial (record), fs_board_session_port_key (port)) == 0)
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

/* ---- where the board stands ---- */

/* Whether the board holds the VM set the record has, and it did not
 * fail to boot */
static gboolean
holds_vm (FsDeviceRecord *record)
{
  const FsDeviceFirmware *firmware = fs_device_record_get_firmware (record);
  g_autofree char *vm_id = fs_device_record_dup_vm_id (record);

  return firmware->kind == FS_DEVICE_FIRMWARE_VM && g_strcmp0 (firmware->vm_id, vm_id) == 0 &&
         g_strcmp0 (firmware->boot.state, "does-not-boot") != 0;
}

FsBoardStep
fs_board_session_get_step (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), FS_BOARD_STEP_REGISTER);

  if (self->record == NULL)
    return FS_BOARD_STEP_REGISTER;
  if (fs_device_record_get_vm_regions (self->record)->len == 0)
    return FS_BOARD_STEP_CREATE_VM;
  if (!holds_vm (self->record))
    return FS_BOARD_STEP_VIRTUALIZE;
  return FS_BOARD_STEP_UPLOAD;
}

/* A step done, with what the board did after it */
static FsStepState
boot_state (const FsDeviceBoot *boot)
{
  if (g_strcmp0 (boot->state, "does-not-boot") == 0)
    return FS_STEP_STATE_FAILED;
  if (g_strcmp0 (boot->state, "unknown") == 0)
    return FS_STEP_STATE_UNSURE;
  return FS_STEP_STATE_DONE;
}

/* The backup taken before anything was written: the original firmware */
static gboolean
is_first_backup (FsDeviceRecord *record,
                 const char     *name)
{
  GPtrArray *backups = fs_device_record_get_backups (record);
  g_autofree char *first = NULL;

  if (backups->len == 0 || name == NULL)
    return FALSE;
  first = g_path_get_basename (((const FsDeviceBackup *) g_ptr_array_index (backups, 0))->path);
  return g_str_equal (first, name);
}

static FsStepState
virtualize_state (FsBoardSession  *self,
                  char           **summary)
{
  const FsDeviceFirmware *firmware = fs_device_record_get_firmware (self->record);
  g_autofree char *vm_id = fs_device_record_dup_vm_id (self->record);

  switch (firmware->kind)
    {
    case FS_DEVICE_FIRMWARE_VM:
      if (g_strcmp0 (firmware->vm_id, vm_id) != 0)
        {
          *summary = g_strdup (_("The board holds another VM: virtualize this one"));
          return FS_STEP_STATE_NEXT;
        }
      *summary = g_strdup (firmware->boot.text != NULL ? firmware->boot.text : _("Written and verified"));
      return boot_state (&firmware->boot);
    case FS_DEVICE_FIRMWARE_ERASED:
      *summary = g_strdup (_("The flash was erased: virtualize the board again"));
      return FS_STEP_STATE_NEXT;
    case FS_DEVICE_FIRMWARE_BACKUP:
      if (is_first_backup (self->record, firmware->title))
        /* TRANSLATORS: "The original firmware is back: Running blink 1.0 from ota_0 (0x010000)" */
        *summary = g_strdup_printf (_("The original firmware is back: %s"),
                                    firmware->boot.text != NULL ? firmware->boot.text : _("not checked"));
      else
        /* TRANSLATORS: "Backup flash-1.bin restored: Running blink 1.0 from ota_0 (0x010000)" */
        *summary = g_strdup_printf (_("Backup %s restored: %s"), firmware->title,
                                    firmware->boot.text != NULL ? firmware->boot.text : _("not checked"));
      return FS_STEP_STATE_NEXT;
    case FS_DEVICE_FIRMWARE_UNKNOWN:
    default:
      return FS_STEP_STATE_NEXT;
    }
}

/* The last upload since the VM went on the board */
static const FsDeviceUpload *
last_upload (FsDeviceRecord *record)
{
  GPtrArray *uploads = fs_device_record_get_uploads (record);
  const FsDeviceFirmware *firmware = fs_device_record_get_firmware (record);

  for (guint i = uploads->len; i > 0; i--)
    {
      const FsDeviceUpload *upload = g_ptr_array_index (uploads, i - 1);

      if (firmware->date != NULL && g_date_time_compare (upload->date, firmware->date) < 0)
        return NULL;
      if (!g_str_has_prefix (upload->what, FS_VIRTUALIZE_PREFIX))
        return upload;
    }
  return NULL;
}

static FsStepState
upload_state (FsBoardSession  *self,
              char           **summary)
{
  const FsDeviceUpload *upload = last_upload (self->record);
  g_autofree char *when = NULL;
  /* The record keeps "verified" as a keyword, a failure as its message */
  const char *result;

  if (upload == NULL)
    return FS_STEP_STATE_NEXT;
  when = g_date_time_format (upload->date, "%x %X");
  result = g_strcmp0 (upload->result, "verified") == 0 ? _("verified") : upload->result;
  /* TRANSLATORS: "blink.bin — verified, 12/03/26 10:00:00: Running blink 1.0 from ota_0 (0x010000)" */
  if (upload->boot.text != NULL)
    *summary = g_strdup_printf (_("%s — %s, %s: %s"), upload->what, result, when, upload->boot.text);
  else
    *summary = g_strdup_printf (_("%s — %s, %s"), upload->what, result, when);
  if (!g_str_has_prefix (upload->result, "verified"))
    return FS_STEP_STATE_FAILED;
  return boot_state (&upload->boot);
}

FsStepState
fs_board_session_get_step_state (FsBoardSession  *self,
                                 FsBoardStep      step,
                                 char           **summary)
{
  FsBoardStep next = fs_board_session_get_step (self);
  g_autofree char *text = NULL;
  FsStepState state;

  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), FS_STEP_STATE_WAITING);

  if (step > next)
    state = FS_STEP_STATE_WAITING;
  else if (step == FS_BOARD_STEP_VIRTUALIZE)
    state = virtualize_state (self, &text);
  else if (step == FS_BOARD_STEP_UPLOAD)
    state = upload_state (self, &text);
  else
    state = step == next ? FS_STEP_STATE_NEXT : FS_STEP_STATE_DONE;
  if (summary != NULL)
    *summary = g_steal_pointer (&text);
  return state;
}

FsJob *
fs_board_session_get_job (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);
  return self->job;
}

FsJob *
fs_board_session_get_last_job (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);
  return self->last_job;
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

void
fs_board_session_set_record (FsBoardSession *self,
                             FsDeviceRecord *record)
{
  g_set_object (&self->record, record);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

void
fs_board_session_save_record (FsBoardSession *self)
{
  g_autoptr(GError) error = NULL;

  if (!fs_device_registry_save (self->registry, self->record, &error))
    g_warning ("The record of %s could not be saved: %s", fs_device_record_get_mac (self->record),
               error->message);
  fs_board_session_set_record (self, self->record);
}

void
fs_board_session_set_slot_job (FsBoardSession *self,
                               FsJob          *job)
{
  if (g_set_object (&self->slot_job, job))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SLOT_JOB]);
}

/* ---- the boot ---- */

FsBootLog *
fs_board_session_get_boot (FsBoardSession *self)
{
  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);
  return self->boot;
}

void
fs_board_session_boot_to_record (FsBoardSession *self,
                                 FsBootLog      *log,
                                 FsDeviceBoot   *boot)
{
  fs_device_boot_clear (boot);
  if (log == NULL)
    return;
  boot->state = g_strdup (fs_boot_state_to_string (fs_boot_log_get_state (log)));
  boot->text = fs_board_session_describe_boot (self, log);
}

static void
set_boot (FsBoardSession *self,
          FsBootLog      *log)
{
  if (g_set_object (&self->boot, log))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOOT]);
}

/* ---- running jobs ---- */

/* The boot check reads the board through the monitor: one nobody
 * started is started for the check, and stopped after it */
static void
start_monitor_for_check (FsBoardSession *self,
                         StepData       *data)
{
  g_autoptr(GError) error = NULL;

  if (fs_monitor_get_state (self->monitor) != FS_MONITOR_STATE_STOPPED)
    return;
  if (!fs_monitor_start (self->monitor, &error))
    {
      g_warning ("The monitor could not open %s for the boot check: %s", fs_transport_get_name (self->transport),
                 error->message);
      return;
    }
  data->stop_monitor = TRUE;
}

static void
stop_monitor_after_check (FsBoardSession *self,
                          StepData       *data)
{
  if (data->stop_monitor)
    fs_monitor_stop (self->monitor);
  data->stop_monitor = FALSE;
}

FsJob *
fs_board_session_new_job (FsBoardSession *self,
                          FsJobKind       kind)
{
  FsJob *job = fs_job_new (kind, self->transport);

  fs_job_set_profile (job, self->profile);
  fs_job_set_baud (job, self->baud);
  /* The boot check reads the monitor from the reset on */
  fs_job_set_baud_after (job, fs_monitor_get_baud (self->monitor));
  fs_job_set_stub (job, TRUE, self->stub_path);
  return job;
}

static void
set_job (FsBoardSession *self,
         FsJob          *job)
{
  if (job == NULL && self->job != NULL && g_set_object (&self->last_job, self->job))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_JOB]);
  if (g_set_object (&self->job, job))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

StepData *
fs_board_session_step_data_new (const char *text)
{
  StepData *data = g_new0 (StepData, 1);

  data->text = g_strdup (text);
  data->expected_offset = G_MAXUINT32;
  return data;
}

static void
step_data_free (StepData *data)
{
  g_clear_object (&data->job);
  g_clear_object (&data->check);
  g_clear_object (&data->boot);
  g_free (data->text);
  g_free (data);
}

/* The step is over, the board free for the next job */
static void
step_done (GTask *task)
{
  FsBoardSession *self = g_task_get_source_object (task);
  StepData *data = g_task_get_task_data (task);

  set_job (self, NULL);
  stop_monitor_after_check (self, data);
  if (data->check_boot)
    set_boot (self, data->boot);
  data->done (self, data, task);
}

static void
boot_checked (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StepData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Cancelled, the check says nothing; what the job wrote stays written */
  data->boot = fs_boot_check_run_finish (FS_BOOT_CHECK (source), result, &error);
  step_done (g_steal_pointer (&task));
}

static void
check_boot (FsBoardSession *self,
            GTask          *task)
{
  StepData *data = g_task_get_task_data (task);

  data->check = fs_boot_check_new (self->monitor);
  fs_boot_check_set_expected_offset (data->check, data->expected_offset);
  fs_boot_check_set_job (data->check, data->job);
  fs_boot_check_set_progress (data->check, fs_job_get_progress (data->job));
  /* A board reset by hand resets when its user gets to it */
  if (fs_board_profile_get_reset_method (self->profile) == FS_BOARD_RESET_MANUAL)
    fs_boot_check_set_timeout (data->check, FS_BOOT_CHECK_MANUAL_TIMEOUT_MS);
  fs_boot_check_run_async (data->check, g_task_get_cancellable (task), boot_checked, task);
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

  /* At once: the board's boot output waits in the port */
  resume_monitor (self);
  if (!fs_job_run_finish (data->job, result, &error))
    {
      set_job (self, NULL);
      stop_monitor_after_check (self, data);
      if (fs_job_get_kind (data->job) == FS_JOB_WRITE && self->record != NULL)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_local ();
          g_autofree char *failed = g_strdup_printf (_("failed: %s"), error->message);

          fs_device_record_add_upload (self->record, now, data->text, failed);
          fs_board_session_save_record (self);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A board whose USB port goes with its reset is read once it is back */
  if (data->check_boot && fs_monitor_get_state (self->monitor) != FS_MONITOR_STATE_STOPPED)
    check_boot (self, g_steal_pointer (&task));
  else
    step_done (g_steal_pointer (&task));
}

void
fs_board_session_run_step (FsBoardSession      *self,
                           FsJob               *job,
                           FsStepDoneFunc       done,
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
  /* What the board did before says nothing about what it does after a
   * job that changes its flash */
  if (data->check_boot || fs_job_get_kind (job) == FS_JOB_ERASE)
    set_boot (self, NULL);
  /* The boot check reads what the board prints after the reset */
  if (data->check_boot)
    {
      fs_job_set_after_step (job, _("Checking that the board starts"));
      start_monitor_for_check (self, data);
    }
  /* The port is the job's until it ends; it stays open, so nothing the
   * board prints after the job's reset is lost */
  fs_monitor_pause (self->monitor);
  set_job (self, job);
  fs_job_run_async (job, cancellable, job_finished, task);
}

void
fs_board_session_fail_now (FsBoardSession      *self,
                           GError              *error,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_task_report_error (self, callback, user_data, fs_board_session_run_finish, error);
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
