/* cli-boot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cli-boot.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-image.h"
#include "fs-partition-table.h"

void
cli_boot_clear (CliBoot *boot)
{
  g_clear_pointer (&boot->flash_size, g_free);
  if (boot->monitor != NULL)
    fs_monitor_stop (boot->monitor);
  g_clear_object (&boot->monitor);
  g_clear_object (&boot->boot);
}

void
cli_boot_add_options (GOptionContext *context,
                      CliBoot        *boot,
                      gboolean        write)
{
  const GOptionEntry entries[] = {
    { "no-boot-check", 0, 0, G_OPTION_ARG_NONE, &boot->no_boot_check,
      N_("Do not read what the board prints after the reset to tell whether it boots"), NULL },
    { "flash-size", 0, 0, G_OPTION_ARG_STRING, &boot->flash_size,
      N_("The flash size the bootloader's header names: keep (the default), detect (the board's), or a size such as 4MB"),
      N_("SIZE") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &boot->force,
      N_("Write even what would leave the board unable to start"), NULL },
    { NULL }
  };
  GOptionEntry only_check[] = { entries[0], { NULL } };

  g_option_context_add_main_entries (context, write ? entries : only_check, GETTEXT_PACKAGE);
}

gboolean
cli_boot_apply (GOptionContext *context,
                CliBoot        *boot,
                FsJob          *job)
{
  g_autoptr(GError) error = NULL;
  guint64 size = 0;

  fs_job_set_force (job, boot->force);
  if (boot->flash_size == NULL || g_str_equal (boot->flash_size, "keep"))
    return TRUE;
  if (g_str_equal (boot->flash_size, "detect"))
    {
      fs_job_set_flash_size (job, FS_FLASH_SIZE_DETECT, 0);
      return TRUE;
    }
  if (!fs_parse_size (boot->flash_size, &size, &error) || fs_image_flash_size_code (size) < 0)
    {
      cli_usage_error (context, _("--flash-size is keep, detect, or a size an image header can name "
                                  "(1MB, 2MB, 4MB, 8MB, 16MB…), not “%s”"), boot->flash_size);
      return FALSE;
    }
  fs_job_set_flash_size (job, FS_FLASH_SIZE_SET, size);
  return TRUE;
}

/* A board whose reset is left out starts nothing */
static gboolean
resets (CliBoardOptions *options)
{
  return g_strcmp0 (options->after, "no-reset") != 0;
}

gboolean
cli_boot_run_job (CliBoot          *boot,
                  CliBoardOptions  *options,
                  FsJob            *job,
                  GError          **error)
{
  g_autoptr(FsBootCheck) check = NULL;

  if (boot->no_boot_check || !resets (options))
    return cli_board_run_job (job, error);

  /* Open for the whole job: what the board prints after the reset waits in the port */
  boot->monitor = fs_monitor_new (fs_job_get_transport (job));
  if (!fs_monitor_start (boot->monitor, error))
    return FALSE;
  fs_monitor_pause (boot->monitor);
  fs_job_set_after_step (job, _("Checking that the board starts"));
  check = fs_boot_check_new (boot->monitor);
  fs_boot_check_set_progress (check, fs_job_get_progress (job));
  if (options->profile != NULL && fs_board_profile_get_reset_method (options->profile) == FS_BOARD_RESET_MANUAL)
    fs_boot_check_set_timeout (check, FS_BOOT_CHECK_MANUAL_TIMEOUT_MS);
  fs_boot_check_set_job (check, job);
  return cli_board_run_job_and_check (job, boot->monitor, check, &boot->boot, error);
}

/* The label of the partition at @offset: the log's, else the table's */
static const char *
partition_label (CliBoot *boot,
                 FsJob   *job)
{
  GObject *table = fs_job_get_partition_table (job);
  guint32 offset = fs_boot_log_get_offset (boot->boot);

  if (fs_boot_log_get_partition (boot->boot) != NULL)
    return fs_boot_log_get_partition (boot->boot);
  for (guint i = 0; table != NULL && i < fs_partition_table_get_n_partitions (FS_PARTITION_TABLE (table)); i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (FS_PARTITION_TABLE (table), i);

      if (partition->offset == offset)
        return partition->label;
    }
  return NULL;
}

/* "blink 1.2.3", or "its app" when the log did not name it */
static char *
app_name (FsBootLog *log)
{
  if (fs_boot_log_get_project (log) == NULL)
    return g_strdup (_("its app"));
  if (fs_boot_log_get_version (log) == NULL)
    return g_strdup (fs_boot_log_get_project (log));
  return g_strdup_printf ("%s %s", fs_boot_log_get_project (log), fs_boot_log_get_version (log));
}

static void
print_runs (CliBoot *boot,
            FsJob   *job)
{
  g_autofree char *app = app_name (boot->boot);
  g_autofree char *offset = NULL;
  const char *label = partition_label (boot, job);

  if (fs_boot_log_get_offset (boot->boot) == G_MAXUINT32)
    {
      g_print (_("Board: runs %s\n"), app);
      return;
    }
  offset = cli_format_address (fs_boot_log_get_offset (boot->boot));
  if (label != NULL)
    /* TRANSLATORS: "Board: runs blink 1.2.3 from ota_0 (0x010000)" */
    g_print (_("Board: runs %s from %s (%s)\n"), app, label, offset);
  else
    g_print (_("Board: runs %s from %s\n"), app, offset);
}

void
cli_boot_print (CliBoot *boot,
                FsJob   *job)
{
  const char *hint;

  if (boot->boot == NULL)
    return;
  hint = fs_boot_log_get_hint (boot->boot);
  switch (fs_boot_log_get_state (boot->boot))
    {
    case FS_BOOT_STATE_RUNS:
      print_runs (boot, job);
      return;
    case FS_BOOT_STATE_DOES_NOT_BOOT:
      g_print (_("Board: does not boot: %s\n"), fs_boot_log_get_reason (boot->boot));
      break;
    case FS_BOOT_STATE_UNKNOWN:
    case FS_BOOT_STATE_PENDING:
    default:
      g_print (_("Board: not known: %s\n"), fs_boot_log_get_reason (boot->boot));
      break;
    }
  if (hint != NULL)
    g_printerr ("%s\n", hint);
}

void
cli_boot_add_json (JsonBuilder *builder,
                   CliBoot     *boot,
                   FsJob       *job)
{
  guint32 offset;

  if (boot->boot == NULL)
    return;
  offset = fs_boot_log_get_offset (boot->boot);
  json_builder_set_member_name (builder, "boot");
  json_builder_begin_object (builder);
  cli_json_member_string (builder, "state", fs_boot_state_to_string (fs_boot_log_get_state (boot->boot)));
  cli_json_member_string (builder, "reason", fs_boot_log_get_reason (boot->boot));
  cli_json_member_string (builder, "hint", fs_boot_log_get_hint (boot->boot));
  cli_json_member_string (builder, "project", fs_boot_log_get_project (boot->boot));
  cli_json_member_string (builder, "version", fs_boot_log_get_version (boot->boot));
  cli_json_member_string (builder, "partition", partition_label (boot, job));
  if (offset != G_MAXUINT32)
    cli_json_member_int (builder, "offset", offset);
  else
    cli_json_member_string (builder, "offset", NULL);
  json_builder_end_object (builder);
}

int
cli_boot_exit_status (CliBoot *boot)
{
  if (boot->boot != NULL && fs_boot_log_get_state (boot->boot) == FS_BOOT_STATE_DOES_NOT_BOOT)
    return CLI_EXIT_NO_BOOT;
  return CLI_EXIT_OK;
}
