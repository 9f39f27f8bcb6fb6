/* fs-sim-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "fs-chip.h"
#include "fs-image.h"
#include "fs-layout.h"
#include "fs-partition-table.h"
#include "fs-sim-demo.h"

/* What the demo's descriptions say; fixed, so that each build makes the
 * same bytes */
#define DEMO_IDF_VERSION    "v5.1.4"
#define DEMO_DATE           "Dec  1 2024"
#define DEMO_TIME           "12:00:00"
#define DEMO_MAX_REV_FULL   399          /* ESP-IDF's CONFIG_ESP_REV_MAX_FULL for the ESP32 */
#define DEMO_FLASH_SIZE_8MB 3
#define DEMO_MANIFEST_NAME  "Flash Studio virtual demo"

/* Where ESP-IDF v5.1 links an ESP32 bootloader: its data in DRAM, its
 * loader and its code in IRAM */
#define BOOTLOADER_ENTRY    0x40080600
#define BOOTLOADER_DRAM     0x3fff0030
#define BOOTLOADER_DRAM_LEN 0x1bc0
#define BOOTLOADER_LOADER   0x40078000
#define BOOTLOADER_LOADER_LEN 0x3cd8
#define BOOTLOADER_IRAM     0x40080400
#define BOOTLOADER_IRAM_LEN 0x0f28

/* And an app: rodata mapped from flash (the description first), data and
 * code loaded into RAM, code mapped from flash, more code in RAM. Mapped
 * segments sit in the image where their address sits in a 64 KiB MMU
 * page, as the bootloader checks: the RAM segments fill the gap. */
#define APP_ENTRY           0x400811c0
#define APP_DROM            0x3f400020
#define APP_DRAM            0x3ffb0000
#define APP_DRAM_LEN        0x2340
#define APP_IRAM            0x40080000
#define APP_IROM            0x400d0020
#define APP_IROM_LEN        0xc000
#define APP_IRAM_TAIL_LEN   0x1000
#define MMU_PAGE_SIZE       0x10000u

#define GREEN(text)  "\033[0;32m" text "\033[0m"
#define YELLOW(text) "\033[0;33m" text "\033[0m"

static const char * const part_names[] = {
  "bootloader", "partition-table", "app", "program-1", "program-2", "manifest", NULL,
};

static const char * const vm_strings[] = {
  "FSSIM:PRINT:" GREEN ("I (%t) vm: Flash Studio virtual demo VM " PACKAGE_VERSION),
  "FSSIM:PRINT:" YELLOW ("W (%t) vm: this firmware is for Flash Studio's virtual board: a real ESP32 cannot run it"),
  "FSSIM:NOPROGRAM:" YELLOW ("W (%t) vm: no program in bytecode slot 0 yet: upload one"),
  "FSSIM:REPEAT:1000:" GREEN ("I (%t) vm: waiting for a program (%u)"),
  NULL,
};

static const char * const program_1[] = {
  "FSSIM:PRINT:" GREEN ("I (%t) hello: Hello from the demo program, version 1"),
  "FSSIM:REPEAT:1000:" GREEN ("I (%t) hello: version 1 counts %u"),
  NULL,
};

static const char * const program_2[] = {
  "FSSIM:PRINT:" GREEN ("I (%t) hello: Hi again: this is the demo program, version 2"),
  "FSSIM:PRINT:" YELLOW ("W (%t) hello: version 2 counts twice as fast"),
  "FSSIM:REPEAT:500:" GREEN ("I (%t) hello: version 2 counts %u"),
  NULL,
};

/* What stands for code: a note to whoever looks into the image */
static GBytes *
filler (gsize len)
{
  static const char note[] = "Not Xtensa code: for Flash Studio's virtual board only. ";
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = note[i % (sizeof note - 1)];
  return g_bytes_new_take (data, len);
}

static void
append_strings (GByteArray         *data,
                const char * const *strings)
{
  for (guint i = 0; strings[i] != NULL; i++)
    g_byte_array_append (data, (const guint8 *) strings[i], strlen (strings[i]) + 1);
}

static void
pad_to (GByteArray *data,
        gsize       len)
{
  gsize old_len = data->len;

  g_byte_array_set_size (data, MAX (len, old_len));
  memset (data->data + old_len, 0, data->len - old_len);
}

static void
add_segment (GPtrArray *segments,
             guint32    load_addr,
             GBytes    *data)
{
  g_ptr_array_add (segments, fs_image_segment_new (load_addr, data));
}

static void
init_desc (FsAppDesc  *desc,
           const char *project)
{
  memset (desc, 0, sizeof *desc);
  g_strlcpy (desc->project_name, project, sizeof desc->project_name);
  g_strlcpy (desc->version, PACKAGE_VERSION, sizeof desc->version);
  g_strlcpy (desc->idf_version, DEMO_IDF_VERSION, sizeof desc->idf_version);
  g_strlcpy (desc->date, DEMO_DATE, sizeof desc->date);
  g_strlcpy (desc->time, DEMO_TIME, sizeof desc->time);
}

static GBytes *
build_image (guint32     entry,
             GPtrArray  *segments,
             GError    **error)
{
  FsImageBuildOptions options = {
    .chip = FS_CHIP_ESP32,
    .entry = entry,
    .flash_mode = FS_FLASH_MODE_DIO,
    .flash_size_code = DEMO_FLASH_SIZE_8MB,
    .flash_freq_code = 0,      /* 40 MHz */
    .max_rev_full = DEMO_MAX_REV_FULL,
    .append_digest = TRUE,
  };

  return fs_image_build (&options, segments, error);
}

/* The virtual board reads a bootloader's version and date from a
 * description at the start of its first segment */
static GBytes *
build_bootloader (GError **error)
{
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
  g_autoptr(GByteArray) dram = g_byte_array_new ();
  g_autoptr(GBytes) desc_bytes = NULL;
  g_autoptr(GBytes) loader = filler (BOOTLOADER_LOADER_LEN);
  g_autoptr(GBytes) iram = filler (BOOTLOADER_IRAM_LEN);
  FsAppDesc desc;

  init_desc (&desc, "bootloader");
  desc_bytes = fs_app_desc_to_bytes (&desc);
  g_byte_array_append (dram, g_bytes_get_data (desc_bytes, NULL), g_bytes_get_size (desc_bytes));
  pad_to (dram, BOOTLOADER_DRAM_LEN);
  add_segment (segments, BOOTLOADER_DRAM, g_byte_array_free_to_bytes (g_steal_pointer (&dram)));
  add_segment (segments, BOOTLOADER_LOADER, loader);
  add_segment (segments, BOOTLOADER_IRAM, iram);
  return build_image (BOOTLOADER_ENTRY, segments, error);
}

static GBytes *
build_partition_table (GError **error)
{
  g_autoptr(FsLayout) layout = fs_layout_new_builtin (FS_SIM_DEMO_LAYOUT, error);
  g_autoptr(FsPartitionTable) table = NULL;

  if (layout == NULL)
    return NULL;
  table = fs_layout_to_partition_table (layout);
  return fs_partition_table_to_binary (table, TRUE, error);
}

/* The description, then the strings, in the segment mapped first; the
 * description's ELF SHA-256 is that of the strings, as good as any */
static GBytes *
app_rodata (void)
{
  g_autoptr(GByteArray) text = g_byte_array_new ();
  g_autoptr(GByteArray) rodata = g_byte_array_new ();
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GBytes) desc_bytes = NULL;
  gsize sha_len = FS_IMAGE_DIGEST_SIZE;
  FsAppDesc desc;

  append_strings (text, vm_strings);
  init_desc (&desc, FS_SIM_DEMO_PROJECT);
  g_checksum_update (checksum, text->data, text->len);
  g_checksum_get_digest (checksum, desc.elf_sha256, &sha_len);
  desc_bytes = fs_app_desc_to_bytes (&desc);
  g_byte_array_append (rodata, g_bytes_get_data (desc_bytes, NULL), g_bytes_get_size (desc_bytes));
  g_byte_array_append (rodata, text->data, text->len);
  pad_to (rodata, (rodata->len + 3) / 4 * 4);
  return g_byte_array_free_to_bytes (g_steal_pointer (&rodata));
}

static GBytes *
build_app (GError **error)
{
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
  g_autoptr(GBytes) drom = app_rodata ();
  gsize before_irom = FS_IMAGE_HEADER_SIZE + 4 * FS_IMAGE_SEGMENT_HEADER + g_bytes_get_size (drom) + APP_DRAM_LEN;
  gsize irom_offset = MMU_PAGE_SIZE + APP_IROM % MMU_PAGE_SIZE;
  gsize iram_len = irom_offset - before_irom;
  g_autoptr(GBytes) dram = filler (APP_DRAM_LEN);
  g_autoptr(GBytes) iram = filler (iram_len);
  g_autoptr(GBytes) irom = filler (APP_IROM_LEN);
  g_autoptr(GBytes) iram_tail = filler (APP_IRAM_TAIL_LEN);

  /* The strings are short: the RAM segments fill the first page */
  g_return_val_if_fail (before_irom < irom_offset, NULL);

  add_segment (segments, APP_DROM, drom);
  add_segment (segments, APP_DRAM, dram);
  add_segment (segments, APP_IRAM, iram);
  add_segment (segments, APP_IROM, irom);
  add_segment (segments, APP_IRAM + iram_len, iram_tail);
  return build_image (APP_ENTRY, segments, error);
}

static GBytes *
build_program (const char * const *strings)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();

  append_strings (data, strings);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static GBytes *
build_program_1 (GError **error)
{
  return build_program (program_1);
}

static GBytes *
build_program_2 (GError **error)
{
  return build_program (program_2);
}

static void
add_part (JsonBuilder *builder,
          const char  *name,
          guint32      offset)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, fs_sim_demo_get_file_name (name));
  json_builder_set_member_name (builder, "offset");
  json_builder_add_int_value (builder, offset);
  json_builder_end_object (builder);
}

static void
add_build (JsonBuilder *builder,
           FsLayout    *layout)
{
  const FsLayoutRegion *vm0 = fs_layout_find_slot (layout, FS_REGION_KIND_VM, 0);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "chipFamily");
  json_builder_add_string_value (builder, fs_chip_lookup (FS_CHIP_ESP32)->name);
  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  add_part (builder, "bootloader", fs_chip_lookup (FS_CHIP_ESP32)->bootloader_offset);
  add_part (builder, "partition-table", FS_PARTITION_TABLE_OFFSET);
  add_part (builder, "app", vm0->offset);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* ESP Web Tools' manifest.json for the bootloader, the table and the app */
static GBytes *
build_manifest (GError **error)
{
  g_autoptr(FsLayout) layout = fs_layout_new_builtin (FS_SIM_DEMO_LAYOUT, error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  if (layout == NULL)
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, DEMO_MANIFEST_NAME);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "builds");
  json_builder_begin_array (builder);
  add_build (builder, layout);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_bytes_new_take (g_strconcat (text, "\n", NULL), strlen (text) + 1);
}

typedef struct {
  const char *file_name;
  GBytes   *(*build) (GError **error);
} Part;

/* In the order of part_names */
static const Part parts[] = {
  { "bootloader.bin", build_bootloader },
  { "partition-table.bin", build_partition_table },
  { FS_SIM_DEMO_PROJECT ".bin", build_app },
  { "demo-program-1.bin", build_program_1 },
  { "demo-program-2.bin", build_program_2 },
  { "manifest.json", build_manifest },
};

G_STATIC_ASSERT (G_N_ELEMENTS (part_names) == G_N_ELEMENTS (parts) + 1);

static const Part *
find_part (const char *name)
{
  for (guint i = 0; part_names[i] != NULL; i++)
    if (g_strcmp0 (part_names[i], name) == 0)
      return &parts[i];
  return NULL;
}

const char * const *
fs_sim_demo_get_part_names (void)
{
  return part_names;
}

const char *
fs_sim_demo_get_file_name (const char *name)
{
  const Part *part = find_part (name);

  return part != NULL ? part->file_name : NULL;
}

GBytes *
fs_sim_demo_build_part (const char  *name,
                        GError     **error)
{
  const Part *part = find_part (name);

  g_return_val_if_fail (part != NULL, NULL);
  return part->build (error);
}
