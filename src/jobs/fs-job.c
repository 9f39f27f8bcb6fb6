/* fs-job.c: setting a job up, running it in a worker, connecting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-image.h"
#include "fs-job-private.h"
#include "fs-stub.h"

enum {
  SIGNAL_PROMPT,
  SIGNAL_PROMPT_DONE,
  SIGNAL_NOTE,
  SIGNAL_SECTORS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the ESP32's ROM loader talks at after a reset */
#define ROM_BAUD 115200

G_DEFINE_FINAL_TYPE (FsJob, fs_job, G_TYPE_OBJECT)

const char *
fs_region_state_to_string (FsRegionState state)
{
  switch (state)
    {
    case FS_REGION_PENDING: return "pending";
    case FS_REGION_SKIPPED: return "skipped";
    case FS_REGION_ERASED: return "erased";
    case FS_REGION_WRITTEN: return "written";
    case FS_REGION_VERIFIED: return "verified";
    case FS_REGION_DIFFERS: return "differs";
    case FS_REGION_INTERRUPTED: return "interrupted";
    default: g_return_val_if_reached (NULL);
    }
}

static void
region_clear (FsJobRegion *region)
{
  g_free (region->name);
}

static void
fs_job_finalize (GObject *object)
{
  FsJob *self = FS_JOB (object);

  g_clear_object (&self->transport);
  g_clear_object (&self->profile);
  g_free (self->stub_path);
  g_free (self->used_stub_path);
  g_free (self->after_step);
  g_ptr_array_unref (self->region_data);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->progress);
  g_array_unref (self->regions);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_free (self->md5);
  g_clear_object (&self->table);
  g_clear_pointer (&self->slot_titles, g_ptr_array_unref);

  G_OBJECT_CLASS (fs_job_parent_class)->finalize (object);
}

static void
fs_job_class_init (FsJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fs_job_finalize;

  signals[SIGNAL_PROMPT] =
    g_signal_new ("prompt", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRV);
  signals[SIGNAL_PROMPT_DONE] =
    g_signal_new ("prompt-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_NOTE] =
    g_signal_new ("note", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_SECTORS] =
    g_signal_new ("sectors", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_INT);
}

static void
fs_job_init (FsJob *self)
{
  self->use_stub = TRUE;
  self->slot = -1;
  self->region_data = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->regions = g_array_new (FALSE, TRUE, sizeof (FsJobRegion));
  g_array_set_clear_func (self->regions, (GDestroyNotify) region_clear);
  self->progress = fs_progress_new ();
  self->slot_state.boot_slot = -1;
  self->slot_state.switched_from = -1;
}

FsJob *
fs_job_new (FsJobKind    kind,
            FsTransport *transport)
{
  FsJob *self;

  g_return_val_if_fail (FS_IS_TRANSPORT (transport), NULL);

  self = g_object_new (FS_TYPE_JOB, NULL);
  self->kind = kind;
  self->transport = g_object_ref (transport);
  return self;
}

FsJobKind
fs_job_get_kind (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), FS_JOB_IDENTIFY);
  return self->kind;
}

FsTransport *
fs_job_get_transport (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), NULL);
  return self->transport;
}

void
fs_job_set_profile (FsJob          *self,
                    FsBoardProfile *profile)
{
  g_return_if_fail (FS_IS_JOB (self));
  g_return_if_fail (!self->running);
  g_set_object (&self->profile, profile);
}

FsBoardProfile *
fs_job_get_profile (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), NULL);
  return self->profile;
}

void
fs_job_set_before (FsJob    *self,
                   FsBefore  before)
{
  g_return_if_fail (FS_IS_JOB (self));
  self->before = before;
  self->before_set = TRUE;
}

void
fs_job_set_after (FsJob   *self,
                  FsAfter  after)
{
  g_return_if_fail (FS_IS_JOB (self));
  self->after = after;
  self->after_set = TRUE;
}

void
fs_job_set_after_step (FsJob      *self,
                       const char *name)
{
  g_return_if_fail (FS_IS_JOB (self));
  g_return_if_fail (!self->running);
  g_free (self->after_step);
  self->after_step = g_strdup (name);
}

void
fs_job_set_baud (FsJob *self,
                 guint  baud)
{
  g_return_if_fail (FS_IS_JOB (self));
  self->baud = baud;
}

void
fs_job_set_baud_after (FsJob *self,
                       guint  baud)
{
  g_return_if_fail (FS_IS_JOB (self));
  self->baud_after = baud;
}

void
fs_job_set_stub (FsJob      *self,
                 gboolean    use_stub,
                 const char *stub_path)
{
  g_return_if_fail (FS_IS_JOB (self));
  self->use_stub = use_stub;
  g_free (self->stub_path);
  self->stub_path = g_strdup (stub_path);
}

void
fs_job_add_region (FsJob      *self,
                   const char *name,
                   guint32     offset,
                   GBytes     *data)
{
  g_return_if_fail (FS_IS_JOB (self));
  g_return_if_fail (name != NULL && data != NULL);
  g_return_if_fail (!self->running);

  fs_job_append_region (self, name, offset, data);
}

void
fs_job_append_region (FsJob      *self,
                      const char *name,
                      guint32     offset,
                      GBytes     *data)
{
  FsJobRegion region = { 0 };

  region.name = g_strdup (name);
  region.offset = offset;
  region.size = (guint32) MIN (g_bytes_get_size (data), G_MAXUINT32);
  region.stopped_at = offset;
  g_array_append_val (self->regions, region);
  g_ptr_array_add (self->region_data, g_bytes_ref (data));
}

void
fs_job_set_flash_size (FsJob           *self,
                       FsFlashSizeMode  mode,
                       guint64          size)
{
  g_return_if_fail (FS_IS_JOB (self));
  g_return_if_fail (mode != FS_FLASH_SIZE_SET || fs_image_flash_size_code (size) >= 0);
  self->flash_size_mode = mode;
  self->flash_size = size;
}

void
fs_job_set_force (FsJob    *self,
                  gboolean  force)
{
  g_return_if_fail (FS_IS_JOB (self));
  self->force = force;
}

void
fs_job_set_range (FsJob   *self,
                  guint32  offset,
                  guint32  size)
{
  g_return_if_fail (FS_IS_JOB (self));
  self->range_offset = offset;
  self->range_size = size;
}

void
fs_job_set_slot (FsJob *self,
                 gint   slot)
{
  g_return_if_fail (FS_IS_JOB (self));
  self->slot = slot;
}

FsProgress *
fs_job_get_progress (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), NULL);
  return self->progress;
}

const FsChipFacts *
fs_job_get_facts (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), NULL);
  return self->have_facts ? &self->facts : NULL;
}

guint
fs_job_get_n_regions (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), 0);
  return self->regions->len;
}

const FsJobRegion *
fs_job_get_region (FsJob *self,
                   guint  index)
{
  g_return_val_if_fail (FS_IS_JOB (self), NULL);
  g_return_val_if_fail (index < self->regions->len, NULL);
  return &g_array_index (self->regions, FsJobRegion, index);
}

GBytes *
fs_job_get_data (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), NULL);
  return self->data;
}

const char *
fs_job_get_md5 (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), NULL);
  return self->md5;
}

const FsSlotState *
fs_job_get_slot_state (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), NULL);
  return &self->slot_state;
}

GObject *
fs_job_get_partition_table (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), NULL);
  return self->table;
}

const char *
fs_job_get_slot_title (FsJob *self,
                       guint  slot)
{
  g_return_val_if_fail (FS_IS_JOB (self), NULL);

  if (self->slot_titles == NULL || slot >= self->slot_titles->len)
    return NULL;
  return g_ptr_array_index (self->slot_titles, slot);
}

gboolean
fs_job_get_has_slots (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), FALSE);
  return self->have_slots;
}

gboolean
fs_job_get_used_stub (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), FALSE);
  return self->used_stub;
}

const char *
fs_job_get_stub_file (FsJob *self)
{
  g_return_val_if_fail (FS_IS_JOB (self), NULL);
  return self->used_stub_path;
}

guint64
fs_job_flash_size (FsJob *self)
{
  if (self->have_facts && self->facts.flash_size > 0)
    return self->facts.flash_size;
  return self->profile != NULL ? fs_board_profile_get_flash_size (self->profile) : 0;
}

/* ---- checks that need no board ---- */

static gboolean
check_regions (FsJob   *self,
               GError **error)
{
  g_autofree FsRegionRef *refs = g_new0 (FsRegionRef, MAX (self->regions->len, 1));
  g_autoptr(GPtrArray) problems = fs_problems_new ();

  for (guint i = 0; i < self->regions->len; i++)
    {
      const FsJobRegion *region = fs_job_region (self, i);

      if (g_bytes_get_size (fs_job_region_data (self, i)) > G_MAXUINT32 - region->offset)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                       _("“%s” does not fit after 0x%08X: an ESP32’s flash ends at 4 GiB"),
                       region->name, region->offset);
          return FALSE;
        }
      refs[i] = (FsRegionRef) { region->name, region->offset, region->size, FS_FLASH_SECTOR_SIZE, 0 };
    }
  fs_regions_check (refs, self->regions->len, fs_job_flash_size (self), problems);
  if (problems->len > 0)
    {
      const FsProblem *problem = g_ptr_array_index (problems, 0);

      g_set_error_literal (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT, problem->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
fs_job_check (FsJob   *self,
              GError **error)
{
  g_return_val_if_fail (FS_IS_JOB (self), FALSE);

  switch (self->kind)
    {
    case FS_JOB_WRITE:
    case FS_JOB_VERIFY:
    case FS_JOB_RESTORE:
      if (self->regions->len == 0)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT, _("There is nothing to write"));
          return FALSE;
        }
      if (self->kind == FS_JOB_RESTORE &&
          (self->regions->len != 1 || fs_job_region (self, 0)->offset != 0))
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                       _("A backup is restored whole, from address 0"));
          return FALSE;
        }
      return check_regions (self, error);
    case FS_JOB_READ:
      if (self->range_size == 0)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT, _("There is nothing to read: the size is 0"));
          return FALSE;
        }
      break;
    case FS_JOB_ERASE:
      if (self->range_offset % FS_FLASH_SECTOR_SIZE != 0 || self->range_size % FS_FLASH_SECTOR_SIZE != 0)
        {
          g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                       _("Flash is erased in whole 4 KiB sectors: 0x%08X and 0x%X must be "
                         "multiples of 0x1000"), self->range_offset, self->range_size);
          return FALSE;
        }
      break;
    case FS_JOB_IDENTIFY:
    case FS_JOB_BACKUP:
    case FS_JOB_SLOT_SHOW:
    case FS_JOB_SLOT_SWITCH:
    default:
      break;
    }
  if (self->range_size > G_MAXUINT32 - self->range_offset)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("0x%08X + 0x%X goes past 4 GiB"), self->range_offset, self->range_size);
      return FALSE;
    }
  return TRUE;
}

/* ---- signals from the worker ---- */

typedef struct {
  FsJob         *job;
  guint          signal;
  gint           kind;
  char          *text;
  GStrv          steps;
  guint32        offset;
  guint32        size;
  FsRegionState  state;
} Emission;

static void
emission_free (gpointer data)
{
  Emission *emission = data;

  g_object_unref (emission->job);
  g_free (emission->text);
  g_strfreev (emission->steps);
  g_free (emission);
}

static gboolean
emit_in_context (gpointer data)
{
  Emission *e = data;

  switch (e->signal)
    {
    case SIGNAL_PROMPT:
      g_signal_emit (e->job, signals[SIGNAL_PROMPT], 0, e->kind, e->text, e->steps);
      break;
    case SIGNAL_PROMPT_DONE:
      g_signal_emit (e->job, signals[SIGNAL_PROMPT_DONE], 0, e->kind);
      break;
    case SIGNAL_NOTE:
      g_signal_emit (e->job, signals[SIGNAL_NOTE], 0, e->text);
      break;
    case SIGNAL_SECTORS:
      g_signal_emit (e->job, signals[SIGNAL_SECTORS], 0, e->offset, e->size, (gint) e->state);
      break;
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

/* Queued in order: a watcher sees them as they happened, and before the
 * job's completion, which GTask queues after them */
static void
emit (FsJob    *self,
      Emission *emission)
{
  emission->job = g_object_ref (self);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_in_context,
                              emission, emission_free);
}

static void
emit_prompt (FsJob              *self,
             FsJobPromptKind     kind,
             const char         *title,
             const char * const *steps)
{
  Emission *emission = g_new0 (Emission, 1);

  emission->signal = SIGNAL_PROMPT;
  emission->kind = kind;
  emission->text = g_strdup (title);
  emission->steps = g_strdupv ((char **) steps);
  emit (self, emission);
}

static void
emit_prompt_done (FsJob           *self,
                  FsJobPromptKind  kind)
{
  Emission *emission = g_new0 (Emission, 1);

  emission->signal = SIGNAL_PROMPT_DONE;
  emission->kind = kind;
  emit (self, emission);
}

void
fs_job_emit_note (FsJob      *self,
                  const char *format,
                  ...)
{
  Emission *emission = g_new0 (Emission, 1);
  va_list args;

  va_start (args, format);
  emission->signal = SIGNAL_NOTE;
  emission->text = g_strdup_vprintf (format, args);
  va_end (args);
  emit (self, emission);
}

void
fs_job_emit_sectors (FsJob         *self,
                     guint32        offset,
                     guint32        size,
                     FsRegionState  state)
{
  Emission *emission;

  if (size == 0)
    return;
  emission = g_new0 (Emission, 1);
  emission->signal = SIGNAL_SECTORS;
  emission->offset = offset;
  emission->size = size;
  emission->state = state;
  emit (self, emission);
}

/* ---- connecting ---- */

static gboolean
board_is_manual (FsJob *self)
{
  return self->profile != NULL &&
         fs_board_profile_get_reset_method (self->profile) == FS_BOARD_RESET_MANUAL;
}

static FsBefore
resolve_before (FsJob *self)
{
  if (self->before_set)
    return self->before;
  return board_is_manual (self) ? FS_BEFORE_MANUAL : FS_BEFORE_DEFAULT_RESET;
}

/* A board that did not answer: the way into download mode by hand */
static void
add_download_steps (FsJob   *self,
                    GError  *error)
{
  static const char * const generic[] = {
    N_("Hold the BOOT (IO0) button down."),
    N_("Press and release the EN (Reset) button."),
    N_("Release BOOT."),
    NULL
  };
  const char * const *steps = self->profile != NULL ? fs_board_profile_get_steps (self->profile) : generic;
  g_autoptr(GString) text = g_string_new (error->message);

  g_string_append_printf (text, "\n%s", _("To put the board in download mode by hand:"));
  for (guint i = 0; steps[i] != NULL; i++)
    g_string_append_printf (text, "\n  %u. %s", i + 1, self->profile != NULL ? steps[i] : _(steps[i]));
  g_free (error->message);
  error->message = g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
load_stub (FsJob         *self,
           FsLoader      *loader,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GBytes) stub = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;

  if (!self->use_stub)
    return TRUE;
  if (self->stub_path != NULL)
    {
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (self->stub_path, &contents, &len, &local_error))
        {
          g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND,
                       _("The stub loader could not be read: %s"), local_error->message);
          return FALSE;
        }
      stub = g_bytes_new_take (g_steal_pointer (&contents), len);
      path = g_strdup (self->stub_path);
    }
  else
    {
      stub = fs_stub_find (self->facts.chip, NULL, &path, &local_error);
      if (stub == NULL)
        {
          fs_job_emit_note (self, _("Using the ROM loader: %s"), local_error->message);
          return TRUE;
        }
    }
  if (!fs_loader_run_stub (loader, stub, cancellable, &local_error))
    {
      if (!g_error_matches (local_error, FS_ERROR, FS_ERROR_TIMED_OUT))
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("The stub loader “%s” did not start: "), path);
          return FALSE;
        }
      fs_job_emit_note (self, "%s", local_error->message);
      return TRUE;
    }
  self->used_stub = TRUE;
  g_free (self->used_stub_path);
  self->used_stub_path = g_steal_pointer (&path);
  return TRUE;
}

static gboolean
raise_baud (FsJob         *self,
            FsLoader      *loader,
            GCancellable  *cancellable,
            GError       **error)
{
  guint baud = self->baud;
  guint max = self->profile != NULL ? fs_board_profile_get_max_baud (self->profile) : 0;

  if (baud == 0 || baud == fs_transport_get_baud (self->transport))
    return TRUE;
  if (max > 0 && baud > max)
    {
      fs_job_emit_note (self, _("This board works at up to %u baud: using that instead of %u"),
                        max, baud);
      baud = max;
    }
  return fs_loader_change_baud (loader, baud, cancellable, error);
}

static gboolean
connect_board (FsJob         *self,
               FsLoader      *loader,
               GCancellable  *cancellable,
               GError       **error)
{
  FsBefore before = resolve_before (self);
  const char *hold_note = self->profile != NULL ? fs_board_profile_get_hold_note (self->profile) : NULL;

  if (hold_note != NULL)
    fs_job_emit_note (self, "%s", hold_note);
  if (before == FS_BEFORE_MANUAL)
    emit_prompt (self, FS_JOB_PROMPT_DOWNLOAD_MODE, _("Put the board in download mode"),
                 self->profile != NULL ? fs_board_profile_get_steps (self->profile) : NULL);
  if (!fs_loader_connect (loader, before, cancellable, error))
    {
      if (error != NULL && g_error_matches (*error, FS_ERROR, FS_ERROR_NO_ANSWER))
        add_download_steps (self, *error);
      return FALSE;
    }
  if (before == FS_BEFORE_MANUAL)
    emit_prompt_done (self, FS_JOB_PROMPT_DOWNLOAD_MODE);
  if (!fs_loader_identify (loader, &self->facts, cancellable, error))
    return FALSE;
  self->have_facts = TRUE;
  return load_stub (self, loader, cancellable, error) &&
         fs_loader_attach_flash (loader, fs_job_flash_size (self), cancellable, error) &&
         raise_baud (self, loader, cancellable, error);
}

/* ---- running ---- */

static gboolean
changes_flash (FsJobKind kind)
{
  return kind == FS_JOB_WRITE || kind == FS_JOB_RESTORE || kind == FS_JOB_ERASE ||
         kind == FS_JOB_SLOT_SWITCH;
}

static gboolean
reset_board (FsJob   *self,
             FsLoader *loader,
             GError  **error)
{
  FsAfter after = self->after_set ? self->after : FS_AFTER_HARD_RESET;
  const char *prompt = self->profile != NULL ? fs_board_profile_get_reset_prompt (self->profile) : NULL;

  if (!fs_loader_reset_after (loader, after, error))
    return FALSE;
  /* At once, in this thread: what the firmware prints first is read at
   * the baud it is read at next, not at the loader's */
  if (after == FS_AFTER_HARD_RESET && self->baud_after != 0 &&
      fs_transport_get_baud (self->transport) != self->baud_after &&
      !fs_transport_set_baud (self->transport, self->baud_after, error))
    return FALSE;
  /* The lines reach no reset circuit on such a board: the user resets it */
  if (after == FS_AFTER_HARD_RESET && board_is_manual (self) && changes_flash (self->kind))
    {
      const char *steps[] = { prompt != NULL ? prompt : _("Press the Reset button on the board."), NULL };

      emit_prompt (self, FS_JOB_PROMPT_RESET, _("Reset the board to start its firmware"), steps);
    }
  return TRUE;
}

static const char *
work_name (FsJobKind kind)
{
  switch (kind)
    {
    case FS_JOB_WRITE: return _("Writing");
    case FS_JOB_VERIFY: return _("Verifying");
    case FS_JOB_READ: return _("Reading");
    case FS_JOB_BACKUP: return _("Backing up");
    case FS_JOB_RESTORE: return _("Restoring");
    case FS_JOB_ERASE: return _("Erasing");
    case FS_JOB_SLOT_SHOW:
    case FS_JOB_SLOT_SWITCH: return _("Reading the OTA slots");
    case FS_JOB_IDENTIFY:
    default: return NULL;
    }
}

static gboolean
do_work (FsJob         *self,
         FsLoader      *loader,
         FsProgress    *progress,
         GCancellable  *cancellable,
         GError       **error)
{
  switch (self->kind)
    {
    case FS_JOB_WRITE:
    case FS_JOB_RESTORE:
      return fs_job_do_write (self, loader, progress, cancellable, error);
    case FS_JOB_VERIFY:
      return fs_job_do_verify (self, loader, progress, cancellable, error);
    case FS_JOB_READ:
    case FS_JOB_BACKUP:
      return fs_job_do_read (self, loader, progress, cancellable, error);
    case FS_JOB_ERASE:
      return fs_job_do_erase (self, loader, progress, cancellable, error);
    case FS_JOB_SLOT_SHOW:
    case FS_JOB_SLOT_SWITCH:
      return fs_job_do_slots (self, loader, progress, cancellable, error);
    case FS_JOB_IDENTIFY:
    default:
      return TRUE;
    }
}

static gboolean
run_on_board (FsJob         *self,
              FsLoader      *loader,
              GCancellable  *cancellable,
              GError       **error)
{
  const char *name = work_name (self->kind);

  fs_progress_add_step (self->progress, _("Connecting"), 5);
  if (name != NULL)
    fs_progress_add_step (self->progress, name, 100);
  fs_progress_add_step (self->progress, _("Resetting"), 1);
  /* Its caller's, after the reset: a boot check takes about as long as the rest */
  if (self->after_step != NULL)
    fs_progress_add_step (self->progress, self->after_step, 20);

  if (!connect_board (self, loader, cancellable, error))
    return FALSE;
  fs_progress_step_done (self->progress);
  if (name != NULL)
    {
      if (!do_work (self, loader, fs_progress_get_child (self->progress), cancellable, error))
        return FALSE;
      fs_progress_step_done (self->progress);
    }
  if (!reset_board (self, loader, error))
    return FALSE;
  fs_progress_step_done (self->progress);
  return TRUE;
}

static gboolean
run (FsJob         *self,
     GCancellable  *cancellable,
     GError       **error)
{
  g_autoptr(FsLoader) loader = NULL;
  gboolean opened = FALSE;
  gboolean ok;

  if (!fs_job_check (self, error))
    return FALSE;
  if (!fs_transport_get_is_open (self->transport))
    {
      if (!fs_transport_open (self->transport, error))
        return FALSE;
      opened = TRUE;
    }
  /* A reset brings the ROM back at its baud, whatever an earlier job,
   * cut off before its own reset, left the link at */
  if (fs_transport_get_baud (self->transport) != ROM_BAUD &&
      !fs_transport_set_baud (self->transport, ROM_BAUD, error))
    return FALSE;
  loader = fs_loader_new (self->transport);
  ok = run_on_board (self, loader, cancellable, error);
  if (opened)
    fs_transport_close (self->transport);
  return ok;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  FsJob *self = source_object;
  g_autoptr(GError) error = NULL;

  if (run (self, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
fs_job_run_async (FsJob               *self,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FS_IS_JOB (self));
  g_return_if_fail (!self->running);

  self->running = TRUE;
  self->context = g_main_context_ref_thread_default ();
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fs_job_run_async);
  /* A cancelled job returns its own error, which says what was done */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, run_in_thread);
}

gboolean
fs_job_run_finish (FsJob         *self,
                   GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (FS_IS_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
