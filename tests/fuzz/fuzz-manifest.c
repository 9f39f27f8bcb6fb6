/* fuzz-manifest.c: ESP Web Tools manifest.json
 *
 * A manifest that parses is written out again as JSON (offsets alternately
 * as numbers and as hexadecimal strings) and must parse to the same thing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <json-glib/json-glib.h>

#include "fs-error.h"
#include "fs-manifest.h"
#include "fuzz.h"

static GBytes *
manifest_to_json (FsManifest *manifest)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GPtrArray *builds = fs_manifest_get_builds (manifest);
  char *text;
  gsize len = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, fs_manifest_get_name (manifest));
  if (fs_manifest_get_version (manifest) != NULL)
    {
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, fs_manifest_get_version (manifest));
    }
  json_builder_set_member_name (builder, "new_install_prompt_erase");
  json_builder_add_boolean_value (builder, fs_manifest_get_new_install_prompt_erase (manifest));
  json_builder_set_member_name (builder, "builds");
  json_builder_begin_array (builder);
  for (guint i = 0; i < builds->len; i++)
    {
      const FsManifestBuild *build = g_ptr_array_index (builds, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "chipFamily");
      json_builder_add_string_value (builder, build->chip_family);
      json_builder_set_member_name (builder, "parts");
      json_builder_begin_array (builder);
      for (guint j = 0; j < build->parts->len; j++)
        {
          const FsManifestPart *part = g_ptr_array_index (build->parts, j);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, part->path);
          json_builder_set_member_name (builder, "offset");
          if (j % 2 == 0)
            {
              json_builder_add_int_value (builder, part->offset);
            }
          else
            {
              g_autofree char *hex = g_strdup_printf ("0x%x", part->offset);
              json_builder_add_string_value (builder, hex);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static void
assert_same (FsManifest *a,
             FsManifest *b)
{
  GPtrArray *builds_a = fs_manifest_get_builds (a);
  GPtrArray *builds_b = fs_manifest_get_builds (b);

  g_assert_cmpstr (fs_manifest_get_name (a), ==, fs_manifest_get_name (b));
  g_assert_cmpstr (fs_manifest_get_version (a), ==, fs_manifest_get_version (b));
  g_assert_cmpint (fs_manifest_get_new_install_prompt_erase (a), ==,
                   fs_manifest_get_new_install_prompt_erase (b));
  g_assert_cmpuint (builds_a->len, ==, builds_b->len);
  for (guint i = 0; i < builds_a->len; i++)
    {
      const FsManifestBuild *build_a = g_ptr_array_index (builds_a, i);
      const FsManifestBuild *build_b = g_ptr_array_index (builds_b, i);

      g_assert_cmpstr (build_a->chip_family, ==, build_b->chip_family);
      g_assert_cmpuint (build_a->parts->len, ==, build_b->parts->len);
      for (guint j = 0; j < build_a->parts->len; j++)
        {
          const FsManifestPart *part_a = g_ptr_array_index (build_a->parts, j);
          const FsManifestPart *part_b = g_ptr_array_index (build_b->parts, j);

          g_assert_cmpstr (part_a->path, ==, part_b->path);
          g_assert_cmpuint (part_a->offset, ==, part_b->offset);
        }
    }
}

static void
check_manifest (FsManifest *manifest)
{
  GPtrArray *builds = fs_manifest_get_builds (manifest);

  g_assert_nonnull (fs_manifest_get_name (manifest));
  g_assert_cmpstr (fs_manifest_get_name (manifest), !=, "");
  g_assert_cmpuint (builds->len, >, 0);
  for (guint i = 0; i < builds->len; i++)
    {
      const FsManifestBuild *build = g_ptr_array_index (builds, i);
      const FsManifestBuild *found = fs_manifest_find_build (manifest, build->chip_family);

      /* the first build for a chip wins */
      g_assert_nonnull (found);
      g_assert_true (g_ptr_array_find (builds, found, NULL));
      g_assert_cmpuint (build->parts->len, >, 0);
      for (guint j = 0; j < build->parts->len; j++)
        {
          const FsManifestPart *part = g_ptr_array_index (build->parts, j);

          g_assert_cmpstr (part->path, !=, "");
          g_assert_cmpuint (part->offset % 4096, ==, 0);
          for (guint k = 0; k < j; k++)
            g_assert_cmpuint (((FsManifestPart *) g_ptr_array_index (build->parts, k))->offset,
                              !=, part->offset);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FsManifest) manifest = fs_manifest_new_from_bytes (bytes, &error);
  g_autoptr(FsManifest) again = NULL;

  if (manifest == NULL)
    {
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
      return 0;
    }
  g_assert_no_error (error);
  check_manifest (manifest);

  json = manifest_to_json (manifest);
  again = fs_manifest_new_from_bytes (json, &error);
  g_assert_no_error (error);
  assert_same (manifest, again);
  return 0;
}
