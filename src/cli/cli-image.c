/* cli-image.c: image-info
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cli-common.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-image.h"
#include "fs-merged.h"

static const char * const flash_modes[] = { "QIO", "QOUT", "DIO", "DOUT" };

static const char *
flash_mode_name (FsFlashMode mode)
{
  return mode < G_N_ELEMENTS (flash_modes) ? flash_modes[mode] : "?";
}

static char *
format_revision (guint16 rev_full)
{
  return g_strdup_printf ("v%u.%u", rev_full / 100, rev_full % 100);
}

static char *
format_digest (GBytes *digest)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (digest, &len);
  GString *hex = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02x", data[i]);
  return g_string_free (hex, FALSE);
}

static char *
describe_revisions (FsImage *image)
{
  g_autofree char *min = format_revision (fs_image_get_min_rev_full (image));
  guint16 max_full = fs_image_get_max_rev_full (image);

  if (max_full == 0 || max_full == 0xFFFF)
    return g_strdup_printf (_("%s or later"), min);
  else
    {
      g_autofree char *max = format_revision (max_full);
      return g_strdup_printf (_("%s to %s"), min, max);
    }
}

static void
print_image_text (FsImage    *image,
                  const char *indent)
{
  g_autofree char *chip = fs_chip_describe (fs_image_get_chip_id (image));
  g_autofree char *revisions = describe_revisions (image);
  g_autofree char *size = fs_format_size (fs_image_get_size (image));
  g_autofree char *flash_size = fs_image_get_flash_size (image) != 0 ? fs_format_size (fs_image_get_flash_size (image)) : g_strdup (_("unknown size"));
  const FsAppDesc *desc = fs_image_get_app_desc (image);
  GPtrArray *segments = fs_image_get_segments (image);

  g_print (_("%sChip: %s, revision %s\n"), indent, chip, revisions);
  g_print (_("%sEntry point: 0x%08x\n"), indent, fs_image_get_entry (image));
  g_print (_("%sFlash: %s, %u MHz, %s\n"), indent, flash_mode_name (fs_image_get_flash_mode (image)),
           fs_image_get_flash_freq_mhz (image), flash_size);
  g_print (_("%sSize: %s\n"), indent, size);
  if (desc != NULL)
    g_print (_("%sApp: %s %s (ESP-IDF %s, built %s %s)\n"), indent, desc->project_name, desc->version,
             desc->idf_version, desc->date, desc->time);
  g_print (_("%sSegments: %u\n"), indent, segments->len);
  for (guint i = 0; i < segments->len; i++)
    {
      const FsImageSegment *segment = g_ptr_array_index (segments, i);
      gsize length = g_bytes_get_size (segment->data);

      g_print (ngettext ("%s  %u: load address 0x%08x, %zu byte at file offset 0x%x\n",
                         "%s  %u: load address 0x%08x, %zu bytes at file offset 0x%x\n", length),
               indent, i, segment->load_addr, length, segment->file_offset);
    }
  if (fs_image_get_checksum_valid (image))
    g_print (_("%sChecksum: 0x%02x, valid\n"), indent, fs_image_get_checksum_stored (image));
  else
    g_print (_("%sChecksum: 0x%02x, WRONG (the data gives 0x%02x)\n"), indent,
             fs_image_get_checksum_stored (image), fs_image_get_checksum_computed (image));
  if (fs_image_get_has_digest (image))
    {
      g_autofree char *digest = format_digest (fs_image_get_digest (image));
      g_print (fs_image_get_digest_valid (image) ? _("%sSHA-256: %s, valid\n") : _("%sSHA-256: %s, WRONG\n"),
               indent, digest);
    }
  else
    g_print (_("%sSHA-256: none appended\n"), indent);
}

static void
add_image_json (JsonBuilder *builder,
                FsImage     *image)
{
  g_autofree char *chip = fs_chip_describe (fs_image_get_chip_id (image));
  const FsAppDesc *desc = fs_image_get_app_desc (image);
  GPtrArray *segments = fs_image_get_segments (image);

  cli_json_member_string (builder, "chip", chip);
  cli_json_member_int (builder, "chip_id", fs_image_get_chip_id (image));
  cli_json_member_int (builder, "min_rev_full", fs_image_get_min_rev_full (image));
  cli_json_member_int (builder, "max_rev_full", fs_image_get_max_rev_full (image));
  cli_json_member_int (builder, "entry", fs_image_get_entry (image));
  cli_json_member_string (builder, "flash_mode", flash_mode_name (fs_image_get_flash_mode (image)));
  cli_json_member_int (builder, "flash_freq_mhz", fs_image_get_flash_freq_mhz (image));
  cli_json_member_int (builder, "flash_size", fs_image_get_flash_size (image));
  cli_json_member_int (builder, "size", fs_image_get_size (image));

  json_builder_set_member_name (builder, "segments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < segments->len; i++)
    {
      const FsImageSegment *segment = g_ptr_array_index (segments, i);

      json_builder_begin_object (builder);
      cli_json_member_int (builder, "load_addr", segment->load_addr);
      cli_json_member_int (builder, "file_offset", segment->file_offset);
      cli_json_member_int (builder, "size", g_bytes_get_size (segment->data));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  cli_json_member_bool (builder, "checksum_valid", fs_image_get_checksum_valid (image));
  cli_json_member_bool (builder, "has_digest", fs_image_get_has_digest (image));
  cli_json_member_bool (builder, "digest_valid", fs_image_get_digest_valid (image));

  json_builder_set_member_name (builder, "app");
  if (desc == NULL)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      cli_json_member_string (builder, "project_name", desc->project_name);
      cli_json_member_string (builder, "version", desc->version);
      cli_json_member_string (builder, "idf_version", desc->idf_version);
      cli_json_member_string (builder, "date", desc->date);
      cli_json_member_string (builder, "time", desc->time);
      json_builder_end_object (builder);
    }
}

/* Images whose data a board would refuse: the checks of a flasher's
 * "verify", without a chip or a slot to check against. */
static gboolean
image_is_sound (FsImage     *image,
                GError     **error)
{
  return fs_image_validate (image, fs_image_get_chip_id (image), 0, 0, error);
}

/* A merged image has its bootloader at 0x1000 (ESP32, ESP32-S2) or at 0 */
static const FsChipInfo *
detect_merged_chip (GBytes *bytes)
{
  static const FsChipId candidates[] = { FS_CHIP_ESP32, FS_CHIP_ESP32_C3 };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (fs_merged_image_detect (bytes, candidates[i]))
      return fs_chip_lookup (candidates[i]);
  return NULL;
}

static int
show_merged (const char *path,
             GBytes     *bytes,
             FsChipId    layout_chip,
             gboolean    as_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parts = fs_merged_image_split (bytes, layout_chip, &error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int status = CLI_EXIT_OK;

  if (parts == NULL)
    return cli_file_error (path, "%s", error->message);

  if (as_json)
    {
      json_builder_begin_object (builder);
      cli_json_member_string (builder, "file", path);
      cli_json_member_string (builder, "kind", "merged");
      json_builder_set_member_name (builder, "parts");
      json_builder_begin_array (builder);
    }
  else
    g_print (ngettext ("%s: merged image, %u part\n", "%s: merged image, %u parts\n", parts->len),
             path, parts->len);

  for (guint i = 0; i < parts->len; i++)
    {
      const FsFlashPart *part = g_ptr_array_index (parts, i);
      g_autoptr(FsImage) image = NULL;
      g_autofree char *size = fs_format_size (g_bytes_get_size (part->data));
      const guint8 *data = g_bytes_get_data (part->data, NULL);

      if (data[0] == 0xE9)
        image = fs_image_new_from_bytes (part->data, NULL);

      if (as_json)
        {
          json_builder_begin_object (builder);
          cli_json_member_string (builder, "name", part->name);
          cli_json_member_int (builder, "offset", part->offset);
          cli_json_member_int (builder, "length", g_bytes_get_size (part->data));
          if (image != NULL)
            add_image_json (builder, image);
          json_builder_end_object (builder);
        }
      else
        {
          g_print ("\n  0x%06x  %s (%s)\n", part->offset, part->name, size);
          if (image != NULL)
            print_image_text (image, "    ");
        }

      if (image != NULL && !image_is_sound (image, &error))
        {
          cli_file_error (path, _("%s at 0x%x: %s"), part->name, part->offset, error->message);
          g_clear_error (&error);
          status = CLI_EXIT_INVALID_INPUT;
        }
    }

  if (as_json)
    {
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      cli_print_json (builder);
    }
  return status;
}

static int
show_image (const char *path,
            GBytes     *bytes,
            gboolean    as_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsImage) image = fs_image_new_from_bytes (bytes, &error);

  if (image == NULL)
    return cli_file_error (path, "%s", error->message);

  if (as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_member_string (builder, "file", path);
      cli_json_member_string (builder, "kind", "image");
      add_image_json (builder, image);
      json_builder_end_object (builder);
      cli_print_json (builder);
    }
  else
    {
      g_print (_("%s: ESP image\n"), path);
      print_image_text (image, "  ");
    }

  if (!image_is_sound (image, &error))
    return cli_file_error (path, "%s", error->message);
  return CLI_EXIT_OK;
}

int
cli_image_info (int    argc,
                char **argv)
{
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the facts as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    cli_option_context_new (_("FILE"),
                            _("Shows the header, segments, checksum, SHA-256 and app description of an\n"
                              "ESP app or bootloader image, or the parts of a merged image, and checks\n"
                              "them as a board would."));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const FsChipInfo *merged_chip;
  const char *path;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cli_parse_options (context, &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    return cli_usage_error (context, _("image-info takes one file"));

  path = argv[1];
  bytes = cli_read_file (path, &error);
  if (bytes == NULL)
    return cli_file_error (path, "%s", error->message);

  /* The commonest mix-up: the other file of a build folder */
  if (g_bytes_get_size (bytes) >= 2 && memcmp (g_bytes_get_data (bytes, NULL), "\xAA\x50", 2) == 0)
    return cli_file_error (path, _("this is a partition table, not an image: “flash-studio-cli partition-table %s” shows it"), path);

  merged_chip = detect_merged_chip (bytes);
  if (merged_chip != NULL)
    return show_merged (path, bytes, merged_chip->id, as_json);
  return show_image (path, bytes, as_json);
}
