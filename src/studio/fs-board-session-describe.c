/* fs-board-session-describe.c: the session's news in words: where a write
 * went, and what the board did after it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fs-board-session.h"
#include "fs-flash.h"

/* "Zerynth VM (slot 0)": the layout's name for the region at @offset,
 * else the partition's label, else the address */
static char *
describe_partition (FsBoardSession *self,
                    FsBootLog      *log)
{
  g_autoptr(FsLayout) layout = fs_board_session_dup_layout (self);
  guint32 offset = fs_boot_log_get_offset (log);

  const char *label = fs_boot_log_get_partition (log);

  /* The layout names its own partitions only: a restored backup may hold another table */
  for (guint i = 0; layout != NULL && i < fs_layout_get_n_regions (layout); i++)
    {
      const FsLayoutRegion *region = fs_layout_get_region (layout, i);

      if (region->offset == offset && (label == NULL || g_strcmp0 (region->id, label) == 0))
        return g_strdup (region->title);
    }
  if (label != NULL && offset != G_MAXUINT32)
    return g_strdup_printf ("%s (0x%06X)", label, offset);
  if (offset != G_MAXUINT32)
    return g_strdup_printf ("0x%06X", offset);
  return NULL;
}

char *
fs_board_session_describe_boot (FsBoardSession *self,
                                FsBootLog      *log)
{
  g_autofree char *partition = NULL;
  g_autofree char *app = NULL;

  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);
  g_return_val_if_fail (FS_IS_BOOT_LOG (log), NULL);

  switch (fs_boot_log_get_state (log))
    {
    case FS_BOOT_STATE_RUNS:
      partition = describe_partition (self, log);
      if (fs_boot_log_get_project (log) != NULL)
        app = g_strdup_printf ("%s %s", fs_boot_log_get_project (log),
                               fs_boot_log_get_version (log) != NULL ? fs_boot_log_get_version (log) : "");
      g_strchomp (app != NULL ? app : (char *) "");
      if (app != NULL && partition != NULL)
        /* TRANSLATORS: "Running blink 1.2.3 from Zerynth VM (slot 0)" */
        return g_strdup_printf (_("Running %s from %s"), app, partition);
      if (app != NULL)
        return g_strdup_printf (_("Running %s"), app);
      if (partition != NULL)
        return g_strdup_printf (_("Running its app from %s"), partition);
      return g_strdup (_("Running its app"));
    case FS_BOOT_STATE_DOES_NOT_BOOT:
      return g_strdup_printf (_("The board does not boot: %s"), fs_boot_log_get_reason (log));
    case FS_BOOT_STATE_UNKNOWN:
    case FS_BOOT_STATE_PENDING:
    default:
      return g_strdup (fs_boot_log_get_reason (log));
    }
}

/* "12 KiB written, 500 KiB already there" */
static char *
describe_amounts (guint64 written,
                  guint64 skipped)
{
  g_autofree char *written_text = fs_format_size_approx (written);
  g_autofree char *skipped_text = fs_format_size_approx (skipped);

  if (written == 0)
    return g_strdup_printf (_("All %s already there"), skipped_text);
  if (skipped == 0)
    return g_strdup_printf (_("%s written"), written_text);
  return g_strdup_printf (_("%s written, %s already there"), written_text, skipped_text);
}

/* "12 KiB written: blink.bin → Zerynth Bytecode (slot 0) at 0x210000",
 * the amounts first, which a narrow toast must not cut; a region of the
 * layout written under its own name is its title alone */
static char *
describe_region (FsLayout          *layout,
                 const FsJobRegion *region)
{
  g_autofree char *amounts = describe_amounts (region->bytes_written, region->bytes_skipped);

  for (guint i = 0; layout != NULL && i < fs_layout_get_n_regions (layout); i++)
    {
      const FsLayoutRegion *where = fs_layout_get_region (layout, i);

      if (where->offset != region->offset)
        continue;
      if (g_strcmp0 (where->id, region->name) == 0)
        /* TRANSLATORS: "25.3 KiB written: Bootloader at 0x001000" */
        return g_strdup_printf (_("%s: %s at 0x%06X"), amounts, where->title, region->offset);
      /* TRANSLATORS: "12 KiB written: blink.bin → Zerynth Bytecode (slot 0) at 0x210000" */
      return g_strdup_printf (_("%s: %s → %s at 0x%06X"), amounts, region->name, where->title, region->offset);
    }
  /* TRANSLATORS: "1.2 MiB written: firmware.bin → 0x010000" */
  return g_strdup_printf (_("%s: %s → 0x%06X"), amounts, region->name, region->offset);
}

char *
fs_board_session_describe_write (FsBoardSession *self,
                                 FsJob          *job)
{
  g_autoptr(FsLayout) layout = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *amounts = NULL;
  g_autofree char *head = NULL;
  guint64 written = 0, skipped = 0;
  guint n = fs_job_get_n_regions (job);

  g_return_val_if_fail (FS_IS_BOARD_SESSION (self), NULL);
  g_return_val_if_fail (FS_IS_JOB (job), NULL);

  layout = fs_board_session_dup_layout (self);
  if (n == 1)
    return describe_region (layout, fs_job_get_region (job, 0));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *line = describe_region (layout, fs_job_get_region (job, i));

      written += fs_job_get_region (job, i)->bytes_written;
      skipped += fs_job_get_region (job, i)->bytes_skipped;
      g_string_append_printf (text, "\n%s", line);
    }
  amounts = describe_amounts (written, skipped);
  /* TRANSLATORS: the first line of a write's report, "1.2 MiB written, 28 KiB already there, in 4 regions" */
  head = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%2$s, in %1$u region", "%2$s, in %1$u regions", n),
                          n, amounts);
  /* A blank line between the totals and the regions */
  g_string_prepend (text, "\n");
  g_string_prepend (text, head);
  return g_string_free (g_steal_pointer (&text), FALSE);
}
