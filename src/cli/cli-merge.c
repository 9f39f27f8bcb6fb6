/* cli-merge.c: merge-image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "cli-common.h"
#include "fs-chip.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-image.h"
#include "fs-manifest.h"
#include "fs-merged.h"
#include "fs-partition-table.h"

/* Refuses a part a board would refuse: nothing goes into the merged image
 * from a file that failed its checks. */
static gboolean
check_part (const FsFlashPart  *part,
            const FsChipInfo   *chip,
            GError            **error)
{
  const guint8 *data = g_bytes_get_data (part->data, NULL);

  if (part->offset % FS_FLASH_SECTOR_SIZE != 0)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("address 0x%x is not a multiple of 4 KiB (0x1000)"), part->offset);
      return FALSE;
    }
  if (part->offset == FS_PARTITION_TABLE_OFFSET)
    {
      g_autoptr(FsPartitionTable) table = fs_partition_table_new_from_binary (part->data, error);
      return table != NULL;
    }
  if (data[0] == FS_IMAGE_MAGIC)
    {
      g_autoptr(FsImage) image = fs_image_new_from_bytes (part->data, error);
      return image != NULL && fs_image_validate (image, chip->id, 0, 0, error);
    }
  return TRUE;
}

static gboolean
add_part (GPtrArray         *parts,
          guint64            offset,
          const char        *path,
          const FsChipInfo  *chip,
          GError           **error)
{
  g_autoptr(GBytes) bytes = cli_read_file (path, error);
  g_autoptr(FsFlashPart) part = NULL;

  if (bytes == NULL)
    return FALSE;
  if (offset > G_MAXUINT32)
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT, _("address 0x%" PRIx64 " is beyond 4 GiB"), offset);
      return FALSE;
    }
  part = fs_flash_part_new (offset, bytes, path);
  if (!check_part (part, chip, error))
    return FALSE;
  g_ptr_array_add (parts, g_steal_pointer (&part));
  return TRUE;
}

static int
add_manifest_parts (GPtrArray        *parts,
                    const char       *manifest_path,
                    const FsChipInfo *chip)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = cli_read_file (manifest_path, &error);
  g_autoptr(FsManifest) manifest = NULL;
  g_autofree char *folder = g_path_get_dirname (manifest_path);
  const FsManifestBuild *build;

  if (bytes == NULL || (manifest = fs_manifest_new_from_bytes (bytes, &error)) == NULL)
    return cli_file_error (manifest_path, "%s", error->message);

  build = fs_manifest_find_build (manifest, chip->name);
  if (build == NULL)
    return cli_file_error (manifest_path, _("the manifest has no build for %s (choose another with --chip)"), chip->name);

  for (guint i = 0; i < build->parts->len; i++)
    {
      const FsManifestPart *part = g_ptr_array_index (build->parts, i);
      g_autofree char *path = g_build_filename (folder, part->path, NULL);

      if (!add_part (parts, part->offset, path, chip, &error))
        return cli_file_error (path, "%s", error->message);
    }
  return CLI_EXIT_OK;
}

static void
print_merged_json (const char *out_path,
                   GBytes     *merged,
                   GPtrArray  *parts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  cli_json_member_string (builder, "file", out_path);
  cli_json_member_int (builder, "size", g_bytes_get_size (merged));
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < parts->len; i++)
    {
      const FsFlashPart *part = g_ptr_array_index (parts, i);

      json_builder_begin_object (builder);
      cli_json_member_string (builder, "file", part->name);
      cli_json_member_int (builder, "offset", part->offset);
      cli_json_member_int (builder, "size", g_bytes_get_size (part->data));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  cli_print_json (builder);
}

int
cli_merge_image (int    argc,
                 char **argv)
{
  g_autofree char *out_path = NULL;
  g_autofree char *chip_name = NULL;
  g_autofree char *fill_text = NULL;
  g_autofree char *manifest_path = NULL;
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, N_("Write the merged image to FILE"), N_("FILE") },
    { "chip", 0, 0, G_OPTION_ARG_STRING, &chip_name, N_("The chip the images are for (default: ESP32)"), N_("CHIP") },
    { "fill-flash-size", 0, 0, G_OPTION_ARG_STRING, &fill_text, N_("Pad the image with 0xFF to SIZE (4M, 8M…)"), N_("SIZE") },
    { "manifest", 0, 0, G_OPTION_ARG_FILENAME, &manifest_path, N_("Take the parts from an ESP Web Tools manifest"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print what was merged as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    cli_option_context_new (_("--out FILE [ADDR FILE…]"),
                            _("Merges images into one file to write at address 0: each FILE goes at its\n"
                              "ADDR (0x1000, 64K…), gaps are filled with 0xFF. Images and partition tables\n"
                              "are checked first; nothing is written if one fails."));
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_flash_part_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) merged = NULL;
  const FsChipInfo *chip;
  guint64 fill_to = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cli_parse_options (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (out_path == NULL)
    return cli_usage_error (context, _("merge-image needs --out FILE"));
  if ((argc - 1) % 2 != 0)
    return cli_usage_error (context, _("give an address and a file for each part"));
  if (argc == 1 && manifest_path == NULL)
    return cli_usage_error (context, _("give at least one ADDR FILE, or --manifest"));
  chip = fs_chip_lookup_by_name (chip_name != NULL ? chip_name : "ESP32");
  if (chip == NULL)
    return cli_usage_error (context, _("“%s” is not a chip Flash Studio knows"), chip_name);
  if (fill_text != NULL && !fs_parse_size (fill_text, &fill_to, &error))
    return cli_usage_error (context, "--fill-flash-size: %s", error->message);

  if (manifest_path != NULL)
    {
      int status = add_manifest_parts (parts, manifest_path, chip);
      if (status != CLI_EXIT_OK)
        return status;
    }
  for (int i = 1; i + 1 < argc; i += 2)
    {
      guint64 offset;

      if (!fs_parse_size (argv[i], &offset, &error))
        return cli_usage_error (context, "%s", error->message);
      if (!add_part (parts, offset, argv[i + 1], chip, &error))
        return cli_file_error (argv[i + 1], "%s", error->message);
    }

  merged = fs_merged_image_build (parts, fill_to, &error);
  if (merged == NULL)
    return cli_file_error (out_path, "%s", error->message);
  if (!cli_write_file (out_path, merged, &error))
    return cli_file_error (out_path, "%s", error->message);

  if (as_json)
    print_merged_json (out_path, merged, parts);
  else
    g_print (ngettext ("%s: %u part, %zu bytes\n", "%s: %u parts, %zu bytes\n", parts->len),
             out_path, parts->len, g_bytes_get_size (merged));
  return CLI_EXIT_OK;
}
