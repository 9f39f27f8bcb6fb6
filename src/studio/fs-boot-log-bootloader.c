/* fs-boot-log-bootloader.c: what ESP-IDF's second-stage bootloader says
 *
 * It lists the partition table, tries the app otadata selects and then
 * the others, and says why each one it refused was refused: an image
 * problem is kept until it is clear whether another app starts instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "fs-boot-log-private.h"

#define WRITE_THE_APP \
  N_("Write the app into its partition: Virtualize again, or write it at its partition’s address.")

/* " 0 nvs              WiFi data        01 02 00009000 00004000" */
static void
listing_row (FsBootLog  *self,
             const char *message)
{
  g_auto(GStrv) words = g_strsplit_set (message, " ", -1);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new ();
  TableEntry entry = { NULL, 0, 0, 0, 0, NULL, FALSE };
  guint64 index, type, subtype, offset, size;

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_ptr_array_add (tokens, words[i]);
  if (tokens->len < 6 ||
      !g_ascii_string_to_unsigned (g_ptr_array_index (tokens, 0), 10, 0, 95, &index, NULL) ||
      !g_ascii_string_to_unsigned (g_ptr_array_index (tokens, tokens->len - 4), 16, 0, 0xFF, &type, NULL) ||
      !g_ascii_string_to_unsigned (g_ptr_array_index (tokens, tokens->len - 3), 16, 0, 0xFF, &subtype, NULL) ||
      !g_ascii_string_to_unsigned (g_ptr_array_index (tokens, tokens->len - 2), 16, 0, G_MAXUINT32, &offset, NULL) ||
      !g_ascii_string_to_unsigned (g_ptr_array_index (tokens, tokens->len - 1), 16, 0, G_MAXUINT32, &size, NULL))
    return;
  entry.label = g_strdup (g_ptr_array_index (tokens, 1));
  entry.offset = offset;
  entry.size = size;
  entry.type = type;
  entry.subtype = subtype;
  g_array_append_val (self->table, entry);
}

/* "partition 3 invalid - offset 0x110000 size 0x100000 exceeds flash chip size 0x200000" */
static gboolean
table_past_flash (FsBootLog  *self,
                  const char *line,
                  const char *message)
{
  guint index = 0, offset = 0, size = 0, chip = 0;
  g_autofree char *chip_text = NULL;
  g_autofree char *reason = NULL;

  if (sscanf (message, "partition %u invalid - offset 0x%x size 0x%x exceeds flash chip size 0x%x",
              &index, &offset, &size, &chip) != 4)
    return FALSE;
  chip_text = fs_boot_log_megabytes (chip);
  reason = g_strdup_printf (_("The bootloader was built for %s of flash, but the partition table goes past it: "
                              "partition %u at 0x%06X ends at 0x%06X. The bootloader refuses the table."),
                            chip_text, index, offset, offset + size);
  fs_boot_log_fail (self, FS_BOOT_PROBLEM_FLASH_SIZE, line, reason,
                    _("Write the bootloader again with its header saying the board’s flash size: Flash Studio "
                      "offers it at Virtualize, flash-studio-cli write has --flash-size detect. Or rebuild it for "
                      "the board’s flash (CONFIG_ESPTOOLPY_FLASHSIZE)."));
  return TRUE;
}

static void
table_damaged (FsBootLog  *self,
               const char *line,
               const char *message)
{
  guint index = 0, magic = 0;
  g_autofree char *reason = NULL;

  if (sscanf (message, "partition %u invalid magic number 0x%x", &index, &magic) == 2 && index == 0 &&
      magic == 0xFFFF)
    reason = g_strdup (_("There is no partition table at 0x8000: the flash is erased there, so the bootloader "
                         "finds no app."));
  else
    reason = g_strdup_printf (_("The partition table at 0x8000 is damaged (“%s”), so the bootloader refuses it."),
                              message);
  fs_boot_log_fail (self, FS_BOOT_PROBLEM_PARTITION_TABLE, line, reason,
                    _("Write the partition table (partition-table.bin at 0x8000) with the firmware: Virtualize "
                      "writes the layout’s."));
}

/* Why the bootloader refused an app image, in plain words; NULL for a
 * line that is not about that */
static char *
image_problem (FsBootLog  *self,
               const char *message)
{
  guint a = 0, b = 0, c = 0, d = 0;

  self->image_missing = FALSE;
  if (sscanf (message, "image at 0x%x has invalid magic byte", &a) == 1)
    {
      g_autofree char *where = fs_boot_log_describe_offset (self, a);

      self->image_missing = TRUE;
      return g_strdup_printf (_("%s holds no app image (nothing was written there)"), where);
    }
  if (sscanf (message, "Checksum failed. Calculated 0x%x read 0x%x", &a, &b) == 2)
    return g_strdup_printf (_("the app image’s checksum is wrong (0x%02x, not 0x%02x): it is damaged"), a, b);
  if (g_str_has_prefix (message, "Image hash failed"))
    return g_strdup (_("the app image’s SHA-256 does not match it: it is damaged"));
  if (sscanf (message, "mismatch chip ID, expected %u, found %u", &a, &b) == 2)
    return g_strdup_printf (_("the app image is built for another chip (chip id %u, not %u)"), b, a);
  if (sscanf (message, "Image requires chip rev >= v%u.%u, but chip is v%u.%u", &a, &b, &c, &d) == 4)
    return g_strdup_printf (_("the app image needs chip revision v%u.%u or later; this chip is v%u.%u"), a, b, c, d);
  if (sscanf (message, "Image requires chip rev <= v%u.%u, but chip is v%u.%u", &a, &b, &c, &d) == 4)
    return g_strdup_printf (_("the app image needs chip revision v%u.%u or earlier; this chip is v%u.%u"), a, b, c, d);
  if (sscanf (message, "Image length %u doesn't fit in partition length %u", &a, &b) == 2)
    return g_strdup_printf (_("the app image (%u bytes) is bigger than its partition (%u bytes)"), a, b);
  if (g_str_has_prefix (message, "Segment ") && strstr (message, "doesn't match data") != NULL)
    return g_strdup (_("a segment of the app image is not where its address says: the image was not built as "
                       "ESP-IDF lays out an app"));
  if (strstr (message, "segment count") != NULL || g_str_has_prefix (message, "invalid segment length") ||
      g_str_has_prefix (message, "bootloader_flash_read failed") || g_str_has_prefix (message, "partition size"))
    return g_strdup_printf (_("the app image is damaged (“%s”)"), message);
  return NULL;
}

/* The app partition "OTA app partition slot N" or "Factory app
 * partition" names, from the listing */
static TableEntry *
app_entry (FsBootLog *self,
           guint8     subtype)
{
  for (guint i = 0; i < self->table->len; i++)
    {
      TableEntry *entry = &g_array_index (self->table, TableEntry, i);

      if (entry->type == 0x00 && entry->subtype == subtype)
        return entry;
    }
  return NULL;
}

static TableEntry *
entry_at (FsBootLog *self,
          guint32    offset)
{
  for (guint i = 0; i < self->table->len; i++)
    {
      TableEntry *entry = &g_array_index (self->table, TableEntry, i);

      if (entry->offset == offset)
        return entry;
    }
  return NULL;
}

/* "OTA app partition slot 0 is not bootable": the problem seen was its */
static void
not_bootable (FsBootLog *self,
              guint8     subtype)
{
  TableEntry *entry = app_entry (self, subtype);

  if (entry == NULL || self->image_problem == NULL)
    return;
  g_free (entry->problem);
  entry->problem = g_steal_pointer (&self->image_problem);
  entry->missing = self->image_missing;
}

/* The first app refused for what it holds, else the first with nothing */
static const TableEntry *
worst_refusal (FsBootLog *self)
{
  const TableEntry *missing = NULL;

  for (guint i = 0; i < self->table->len; i++)
    {
      const TableEntry *entry = &g_array_index (self->table, TableEntry, i);

      if (entry->problem != NULL && !entry->missing)
        return entry;
      if (entry->problem != NULL && missing == NULL)
        missing = entry;
    }
  return missing;
}

static void
no_bootable_app (FsBootLog  *self,
                 const char *line)
{
  const TableEntry *refused = worst_refusal (self);
  g_autofree char *reason = NULL;

  if (refused != NULL && refused->missing)
    {
      reason = g_strdup_printf (_("The bootloader found no app to start: %s."), refused->problem);
      fs_boot_log_fail (self, FS_BOOT_PROBLEM_NO_APP, line, reason, _(WRITE_THE_APP));
    }
  else if (refused != NULL)
    {
      g_autofree char *where = fs_boot_log_describe_offset (self, refused->offset);

      self->offset = refused->offset;
      reason = g_strdup_printf (_("The bootloader found no app it could start: in %s, %s."), where, refused->problem);
      fs_boot_log_fail (self, FS_BOOT_PROBLEM_APP_INVALID, line, reason, _(WRITE_THE_APP));
    }
  else if (self->table->len == 0)
    fs_boot_log_fail (self, FS_BOOT_PROBLEM_PARTITION_TABLE, line,
                      _("There is no partition table at 0x8000 (the flash is erased there, or the table is "
                        "empty), so the bootloader finds no app."),
                      _("Write the partition table (partition-table.bin at 0x8000) with the firmware: Virtualize "
                        "writes the layout’s."));
  else
    fs_boot_log_fail (self, FS_BOOT_PROBLEM_NO_APP, line,
                      _("The partition table has no app partition the bootloader could start."),
                      _("Write a partition table with an app partition (factory or ota_0), and the app in it."));
}

/* "Loaded app from partition at offset 0x10000": the app that starts */
static void
loaded (FsBootLog  *self,
        const char *line,
        guint32     offset)
{
  g_autofree char *expected = NULL;
  g_autofree char *started = NULL;
  g_autofree char *reason = NULL;
  const TableEntry *refused;

  self->offset = offset;
  self->phase = PHASE_LOADED;
  if (self->expected_offset == G_MAXUINT32 || self->expected_offset == offset)
    return;
  expected = fs_boot_log_describe_offset (self, self->expected_offset);
  started = fs_boot_log_describe_offset (self, offset);
  refused = entry_at (self, self->expected_offset);
  if (refused != NULL && refused->problem != NULL)
    reason = g_strdup_printf (_("The bootloader could not start the app in %s (%s), and started the one in %s "
                                "instead."), expected, refused->problem, started);
  else
    reason = g_strdup_printf (_("The bootloader started the app in %s, not the one in %s: otadata does not "
                                "select it."), started, expected);
  fs_boot_log_fail (self, FS_BOOT_PROBLEM_FELL_BACK, line, reason,
                    _("Write the app again (a damaged one is refused), or switch the OTA slot to the one it is in."));
}

void
fs_boot_log_bootloader_message (FsBootLog  *self,
                                const char *line,
                                char        level,
                                const char *tag,
                                const char *message)
{
  g_autofree char *problem = NULL;
  guint value = 0;

  if (g_str_has_prefix (message, "SPI Flash Size : "))
    fs_boot_log_set_text (&self->bootloader_flash, message + strlen ("SPI Flash Size : "));
  else if (g_str_has_prefix (message, "Partition Table:"))
    g_array_set_size (self->table, 0);
  else if (g_str_equal (tag, "boot") && level == 'I' && g_ascii_isdigit (message[strspn (message, " ")]))
    listing_row (self, message);
  else if (g_str_equal (tag, "flash_parts"))
    {
      if (!table_past_flash (self, line, message))
        table_damaged (self, line, message);
    }
  else if (g_str_has_prefix (message, "Failed to verify partition table") ||
           g_str_has_prefix (message, "load partition table error"))
    table_damaged (self, line, message);
  else if (g_str_has_prefix (message, "ota_info partition size") ||
           (g_str_has_prefix (message, "bootloader_mmap(") && !g_str_has_prefix (message, "bootloader_mmap(0x8000")))
    fs_boot_log_fail (self, FS_BOOT_PROBLEM_OTADATA, line,
                      _("The bootloader could not read otadata, which says which app to start."),
                      _("Write the layout’s otadata with the firmware: Virtualize does."));
  else if (g_str_has_prefix (message, "bootloader_mmap(0x8000"))
    table_damaged (self, line, message);
  else if (sscanf (message, "OTA app partition slot %u is not bootable", &value) == 1 && value < 16)
    not_bootable (self, 0x10 + value);
  else if (g_str_has_prefix (message, "Factory app partition is not bootable"))
    not_bootable (self, 0x00);
  else if (g_str_has_prefix (message, "No bootable app partitions"))
    no_bootable_app (self, line);
  else if (sscanf (message, "Loaded app from partition at offset 0x%x", &value) == 1)
    loaded (self, line, value);
  else if (g_str_equal (tag, "esp_image") || g_str_equal (tag, "boot_comm"))
    {
      problem = image_problem (self, message);
      if (problem != NULL)
        fs_boot_log_set_text (&self->image_problem, problem);
    }
}
