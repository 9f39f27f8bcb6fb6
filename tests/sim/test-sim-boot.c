/* test-sim-boot.c: what the virtual board prints when it boots its flash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "fs-error.h"
#include "fs-flash.h"
#include "fs-image.h"
#include "fs-layout.h"
#include "fs-otadata.h"
#include "fs-partition-table.h"
#include "fs-sim-boot.h"
#include "fs-test-util.h"

#define MiB (1024u * 1024u)
#define FLASH_SIZE (8 * MiB)
#define BOOTLOADER_OFFSET 0x1000
#define OTADATA_OFFSET 0xD000
#define VM0_OFFSET 0x10000
#define VM1_OFFSET 0x110000
#define BYTECODE0_OFFSET 0x210000
#define BYTECODE1_OFFSET 0x290000

typedef struct {
  guint8   flash_size_code;     /* header nibble: 3 = 8 MiB */
  guint16  min_rev_full;
  gboolean with_app_desc;
  gboolean append_digest;
} ImageSpec;

static const ImageSpec bootloader_spec = { 3, 0, TRUE, FALSE };
static const ImageSpec app_spec = { 3, 0, TRUE, TRUE };

static void
chip_init (FsSimChipConfig *chip)
{
  memset (chip, 0, sizeof (*chip));
  chip->revision_major = 3;
  chip->revision_minor = 0;
  chip->xtal_mhz = 40;
}

static guint8 *
erased_flash (void)
{
  guint8 *flash = g_malloc (FLASH_SIZE);

  memset (flash, 0xFF, FLASH_SIZE);
  return flash;
}

static void
put_bytes (guint8  *flash,
           guint32  offset,
           GBytes  *bytes)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpuint (offset + len, <=, FLASH_SIZE);
  memcpy (flash + offset, data, len);
}

static GBytes *
build_image (const ImageSpec *spec,
             guint32          entry,
             GPtrArray       *segments)
{
  g_autoptr(GError) error = NULL;
  FsImageBuildOptions options = {
    .chip = FS_CHIP_ESP32,
    .entry = entry,
    .flash_mode = FS_FLASH_MODE_DIO,
    .flash_size_code = spec->flash_size_code,
    .flash_freq_code = 0,
    .min_rev_full = spec->min_rev_full,
    .max_rev_full = 399,
    .append_digest = spec->append_digest,
  };
  GBytes *image = fs_image_build (&options, segments, &error);

  g_assert_no_error (error);
  return image;
}

static void
add_segment (GPtrArray *segments,
             guint32    load_addr,
             GBytes    *data)
{
  g_ptr_array_add (segments, fs_image_segment_new (load_addr, data));
}

/* Zero-padded to a multiple of 4, as the bootloader wants segments */
static GBytes *
padded (GByteArray *array)
{
  static const guint8 zeros[4] = { 0 };

  g_byte_array_append (array, zeros, (4 - array->len % 4) % 4);
  return g_byte_array_free_to_bytes (array);
}

static GBytes *
make_bootloader (const ImageSpec *spec)
{
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) code = g_bytes_new_take (g_malloc0 (64), 64);

  if (spec->with_app_desc)
    {
      FsAppDesc desc = { 0 };

      g_strlcpy (desc.idf_version, "v5.1.4-sim", sizeof (desc.idf_version));
      g_strlcpy (desc.date, "Jan  2 2024", sizeof (desc.date));
      g_strlcpy (desc.time, "03:04:05", sizeof (desc.time));
      first = fs_app_desc_to_bytes (&desc);
    }
  else
    {
      first = g_bytes_new_take (g_malloc0 (16), 16);
    }
  add_segment (segments, 0x3FFF0030, first);
  add_segment (segments, 0x40078000, code);
  return build_image (spec, 0x40080640, segments);
}

/* An app whose first segment (DROM) holds its description, then @strings
 * (each with its NUL), and whose second is a DRAM segment */
static GBytes *
make_app (const ImageSpec    *spec,
          const char         *project,
          const char         *version,
          const char * const *strings)
{
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_image_segment_free);
  g_autoptr(GByteArray) drom = g_byte_array_new ();
  g_autoptr(GBytes) drom_bytes = NULL;
  g_autoptr(GBytes) desc_bytes = NULL;
  g_autoptr(GBytes) dram = g_bytes_new_take (g_malloc0 (32), 32);
  FsAppDesc desc = { 0 };

  g_strlcpy (desc.project_name, project, sizeof (desc.project_name));
  g_strlcpy (desc.version, version, sizeof (desc.version));
  g_strlcpy (desc.idf_version, "v5.1.4", sizeof (desc.idf_version));
  g_strlcpy (desc.date, "Mar  1 2024", sizeof (desc.date));
  g_strlcpy (desc.time, "10:20:30", sizeof (desc.time));
  for (guint i = 0; i < sizeof (desc.elf_sha256); i++)
    desc.elf_sha256[i] = 0xA0 + i;

  desc_bytes = fs_app_desc_to_bytes (&desc);
  g_byte_array_append (drom, g_bytes_get_data (desc_bytes, NULL), g_bytes_get_size (desc_bytes));
  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    g_byte_array_append (drom, (const guint8 *) strings[i], strlen (strings[i]) + 1);
  if (spec->with_app_desc)
    drom_bytes = padded (g_steal_pointer (&drom));
  else
    drom_bytes = g_bytes_new_take (g_malloc0 (32), 32);

  add_segment (segments, 0x3F400020, drom_bytes);
  add_segment (segments, 0x3FFB0000, dram);
  return build_image (spec, 0x400D1234, segments);
}

static void
put_partition_table (guint8           *flash,
                     FsPartitionTable *table)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) binary = fs_partition_table_to_binary (table, TRUE, &error);

  g_assert_no_error (error);
  put_bytes (flash, FS_PARTITION_TABLE_OFFSET, binary);
}

static void
put_layout_table (guint8 *flash)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", &error);
  g_autoptr(FsPartitionTable) table = NULL;

  g_assert_no_error (error);
  table = fs_layout_to_partition_table (layout);
  put_partition_table (flash, table);
}

static void
put_otadata_slot (guint8 *flash,
                  guint   slot)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsOtadata) otadata = fs_otadata_new ();
  g_autoptr(GBytes) bytes = NULL;

  fs_otadata_select_slot (otadata, slot, 2, &error);
  g_assert_no_error (error);
  bytes = fs_otadata_to_bytes (otadata);
  put_bytes (flash, OTADATA_OFFSET, bytes);
}

/* The shipped layout with a bootloader and an app in both VM slots */
static guint8 *
valid_flash (void)
{
  guint8 *flash = erased_flash ();
  g_autoptr(GBytes) bootloader = make_bootloader (&bootloader_spec);
  g_autoptr(GBytes) vm0 = make_app (&app_spec, "vm-zero", "1.2.3", NULL);
  g_autoptr(GBytes) vm1 = make_app (&app_spec, "vm-one", "2.0.0", NULL);

  put_bytes (flash, BOOTLOADER_OFFSET, bootloader);
  put_layout_table (flash);
  put_bytes (flash, VM0_OFFSET, vm0);
  put_bytes (flash, VM1_OFFSET, vm1);
  return flash;
}

static FsSimBoot *
boot_flash (const guint8 *flash)
{
  FsSimChipConfig chip;
  FsSimBoot *boot;

  chip_init (&chip);
  boot = fs_sim_boot_run (flash, FLASH_SIZE, &chip, FS_SIM_RESET_POWERON);
  g_assert_nonnull (boot);
  g_assert_nonnull (boot->log);
  g_assert_nonnull (boot->app->lines);
  return boot;
}

static void
assert_log_has (FsSimBoot  *boot,
                const char *line)
{
  if (strstr (boot->log, line) == NULL)
    g_error ("the boot log lacks “%s”:\n%s", line, boot->log);
}

static void
assert_log_lacks (FsSimBoot  *boot,
                  const char *text)
{
  if (strstr (boot->log, text) != NULL)
    g_error ("the boot log has “%s”:\n%s", text, boot->log);
}

/* Every line, the last one too, ends "\r\n" */
static void
assert_crlf_lines (const char *log)
{
  g_assert_true (g_str_has_suffix (log, "\r\n"));
  for (const char *p = strchr (log, '\n'); p != NULL; p = strchr (p + 1, '\n'))
    g_assert_true (p > log && p[-1] == '\r');
}

static void
assert_not_running (FsSimBoot *boot)
{
  g_assert_false (boot->app_running);
  g_assert_cmpuint (boot->app->lines->len, ==, 0);
  g_assert_null (boot->app->repeat_line);
  assert_crlf_lines (boot->log);
}

static void
test_boot_ota0 (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autoptr(FsSimBoot) boot = boot_flash (flash);
  g_autofree char *log = g_strdup (boot->log);
  const char *last_line;
  guint last_ms = 0;

  g_assert_true (boot->app_running);
  g_assert_cmpstr (boot->partition, ==, "vm0");
  g_assert_cmpuint (boot->app_offset, ==, VM0_OFFSET);
  g_assert_cmpint (boot->ota_slot, ==, 0);
  g_assert_cmpuint (boot->app->lines->len, ==, 0);
  g_assert_null (boot->app->repeat_line);
  assert_crlf_lines (boot->log);

  /* The ROM */
  g_assert_true (g_str_has_prefix (boot->log,
                                   "ets Jun  8 2016 00:22:57\r\n"
                                   "\r\n"
                                   "rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n"
                                   "configsip: 0, SPIWP:0xee\r\n"
                                   "clk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00\r\n"
                                   "mode:DIO, clock div:2\r\n"
                                   "load:0x3fff0030,len:256\r\n"
                                   "load:0x40078000,len:64\r\n"
                                   "entry 0x40080640\r\n"
                                   "I (29) boot: ESP-IDF v5.1.4-sim 2nd stage bootloader\r\n"));
  /* The bootloader */
  assert_log_has (boot, ") boot: compile time Jan  2 2024 03:04:05\r\n");
  assert_log_has (boot, ") boot: chip revision: v3.0\r\n");
  assert_log_has (boot, ") boot.esp32: SPI Speed      : 40MHz\r\n");
  assert_log_has (boot, ") boot.esp32: SPI Mode       : DIO\r\n");
  assert_log_has (boot, ") boot.esp32: SPI Flash Size : 8MB\r\n");
  assert_log_has (boot, ") boot: Partition Table:\r\n");
  assert_log_has (boot, ") boot: ## Label            Usage          Type ST Offset   Length\r\n");
  assert_log_has (boot, ") boot:  0 nvs              WiFi data        01 02 00009000 00004000\r\n");
  assert_log_has (boot, ") boot:  1 otadata          OTA data         01 00 0000d000 00002000\r\n");
  assert_log_has (boot, ") boot:  2 phy_init         RF data          01 01 0000f000 00001000\r\n");
  assert_log_has (boot, ") boot:  3 vm0              OTA app          00 10 00010000 00100000\r\n");
  assert_log_has (boot, ") boot:  4 vm1              OTA app          00 11 00110000 00100000\r\n");
  assert_log_has (boot, ") boot:  5 bytecode0        Unknown data     01 40 00210000 00080000\r\n");
  assert_log_has (boot, ") boot: End of partition table\r\n");
  /* Erased otadata and no factory app */
  assert_log_has (boot, ") boot: No factory image, trying OTA 0\r\n");
  /* Header 0x18 + segment header 8: the data at 0x20; 256 + 8 bytes */
  assert_log_has (boot, ") esp_image: segment 0: paddr=00010020 vaddr=3f400020 size=00100h (   256) map\r\n");
  assert_log_has (boot, ") esp_image: segment 1: paddr=00010128 vaddr=3ffb0000 size=00020h (    32) load\r\n");
  assert_log_has (boot, ") boot: Loaded app from partition at offset 0x10000\r\n");
  assert_log_has (boot, ") boot: Set actual ota_seq=1 in otadata[0]\r\n");
  /* The app */
  assert_log_has (boot, ") app_init: Project name:     vm-zero\r\n");
  assert_log_has (boot, ") app_init: App version:      1.2.3\r\n");
  assert_log_has (boot, ") app_init: Compile time:     Mar  1 2024 10:20:30\r\n");
  assert_log_has (boot, ") app_init: ELF file SHA256:  a0a1a2a3a...\r\n");
  assert_log_has (boot, ") app_init: ESP-IDF:          v5.1.4\r\n");
  assert_log_has (boot, ") efuse_init: Chip rev:         v3.0\r\n");
  assert_log_has (boot, ") spi_flash: flash io: dio\r\n");
  assert_log_has (boot, ") main_task: Started on CPU0\r\n");
  g_assert_true (g_str_has_suffix (boot->log, ") main_task: Calling app_main()\r\n"));
  assert_log_lacks (boot, "E (");
  assert_log_lacks (boot, "W (");
  /* The app's clock goes on from the log's last line */
  last_line = strrchr (g_strchomp (log), '\n');
  g_assert_cmpint (sscanf (last_line + 1, "I (%u) main_task:", &last_ms), ==, 1);
  g_assert_cmpuint (boot->app_start_ms, >, last_ms);
  g_assert_cmpstr (boot->elf_sha256, ==, "a0a1a2a3a");
  /* The layout's first bytecode slot, erased: no program */
  g_assert_cmpstr (boot->program_partition, ==, "bytecode0");
}

static void
test_boot_otadata_slot1 (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autoptr(FsSimBoot) boot = NULL;

  put_otadata_slot (flash, 1);
  boot = boot_flash (flash);

  g_assert_true (boot->app_running);
  g_assert_cmpstr (boot->partition, ==, "vm1");
  g_assert_cmpuint (boot->app_offset, ==, VM1_OFFSET);
  g_assert_cmpint (boot->ota_slot, ==, 1);
  assert_log_has (boot, ") boot: Loaded app from partition at offset 0x110000\r\n");
  assert_log_has (boot, ") app_init: Project name:     vm-one\r\n");
  assert_log_has (boot, ") app_init: App version:      2.0.0\r\n");
  assert_log_lacks (boot, "trying OTA 0");
  assert_log_lacks (boot, "Set actual ota_seq");
  assert_log_lacks (boot, "paddr=00010020");
}

static void
test_boot_factory (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autoptr(FsPartitionTable) table = fs_partition_table_new ();
  g_autoptr(FsSimBoot) boot = NULL;
  FsPartition nvs = { "nvs", FS_PARTITION_TYPE_DATA, FS_PARTITION_SUBTYPE_NVS, 0x9000, 0x6000, 0 };
  FsPartition factory = { "factory", FS_PARTITION_TYPE_APP, FS_PARTITION_SUBTYPE_FACTORY, VM0_OFFSET, 0x100000, 0 };

  fs_partition_table_add (table, &nvs);
  fs_partition_table_add (table, &factory);
  put_partition_table (flash, table);
  boot = boot_flash (flash);

  g_assert_true (boot->app_running);
  g_assert_cmpstr (boot->partition, ==, "factory");
  g_assert_cmpint (boot->ota_slot, ==, -1);
  assert_log_has (boot, ") boot:  1 factory          factory app      00 00 00010000 00100000\r\n");
  assert_log_has (boot, ") boot: Loaded app from partition at offset 0x10000\r\n");
}

static void
test_erased_flash (void)
{
  g_autofree guint8 *flash = erased_flash ();
  g_autoptr(FsSimBoot) boot = boot_flash (flash);

  assert_not_running (boot);
  g_assert_null (boot->partition);
  g_assert_cmpint (boot->ota_slot, ==, -1);
  g_assert_true (g_str_has_prefix (boot->log,
                                   "ets Jun  8 2016 00:22:57\r\n"
                                   "\r\n"
                                   "rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n"
                                   "invalid header: 0xffffffff\r\n"
                                   "invalid header: 0xffffffff\r\n"));
  /* Then the watchdog resets it, and again */
  assert_log_has (boot, "\r\nrst:0x10 (RTCWDT_RTC_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\ninvalid header: 0xffffffff\r\n");
  g_assert_true (g_str_has_suffix (boot->log, "invalid header: 0xffffffff\r\n"));
  g_assert_cmpuint (fs_test_count_text (boot->log, "invalid header: 0xffffffff\r\n"), >=, 3);
  assert_log_lacks (boot, "2nd stage");
}

static void
test_bootloader_garbage (void)
{
  g_autofree guint8 *flash = erased_flash ();
  g_autoptr(FsSimBoot) boot = NULL;
  /* Xtensa code where the header belongs: the first word, little-endian */
  static const guint8 code[] = { 0x36, 0x41, 0x00, 0x81 };

  memcpy (flash + BOOTLOADER_OFFSET, code, sizeof (code));
  boot = boot_flash (flash);

  assert_not_running (boot);
  assert_log_has (boot, "\r\ninvalid header: 0x81004136\r\n");
}

static void
test_bootloader_checksum (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autoptr(GBytes) bootloader = make_bootloader (&bootloader_spec);
  g_autoptr(FsSimBoot) boot = NULL;
  gsize checksum_offset = g_bytes_get_size (bootloader) - 1;
  g_autofree char *line = NULL;

  /* The stored checksum, one off */
  g_assert_cmpuint (flash[BOOTLOADER_OFFSET + checksum_offset], ==,
                    ((const guint8 *) g_bytes_get_data (bootloader, NULL))[checksum_offset]);
  line = g_strdup_printf ("\r\ncsum err:0x%02x!=0x%02x\r\nets_main.c 371 \r\n",
                          flash[BOOTLOADER_OFFSET + checksum_offset],
                          (guint8) (flash[BOOTLOADER_OFFSET + checksum_offset] ^ 0x01));
  flash[BOOTLOADER_OFFSET + checksum_offset] ^= 0x01;
  boot = boot_flash (flash);

  assert_not_running (boot);
  assert_log_has (boot, "load:0x40078000,len:64\r\n");
  assert_log_has (boot, line);
  assert_log_lacks (boot, "entry 0x");
  g_assert_cmpuint (fs_test_count_text (boot->log, "ets_main.c 371"), ==, 2);
}

static void
test_flash_encryption (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autoptr(FsSimBoot) boot = NULL;
  FsSimChipConfig chip;

  chip_init (&chip);
  chip.flash_encryption = TRUE;
  boot = fs_sim_boot_run (flash, FLASH_SIZE, &chip, FS_SIM_RESET_SW);

  assert_not_running (boot);
  g_assert_true (g_str_has_prefix (boot->log,
                                   "ets Jun  8 2016 00:22:57\r\n"
                                   "\r\n"
                                   "rst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n"
                                   "flash read err, 1000\r\n"
                                   "ets_main.c 371 \r\n"));
}

/* The app in vm0 with one data byte changed: checksum and digest both fail,
 * the checksum first */
static void
test_app_checksum_fallback (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autoptr(FsSimBoot) boot = NULL;
  g_autoptr(GBytes) vm0 = make_app (&app_spec, "vm-zero", "1.2.3", NULL);
  g_autoptr(FsImage) image = fs_image_new_from_bytes (vm0, NULL);
  g_autofree char *line = NULL;
  /* A byte of the DRAM segment, which starts at 0x128 */
  const guint32 offset = VM0_OFFSET + 0x128;

  g_assert_nonnull (image);
  line = g_strdup_printf (") esp_image: Checksum failed. Calculated 0x%x read 0x%x\r\n",
                          fs_image_get_checksum_stored (image) ^ 0x5A,
                          fs_image_get_checksum_stored (image));
  flash[offset] ^= 0x5A;
  boot = boot_flash (flash);

  assert_log_has (boot, line);
  assert_log_has (boot, ") boot: OTA app partition slot 0 is not bootable\r\n");
  assert_log_lacks (boot, "Image hash failed");
  /* It goes on to the next slot */
  assert_log_has (boot, ") boot: Loaded app from partition at offset 0x110000\r\n");
  g_assert_true (boot->app_running);
  g_assert_cmpstr (boot->partition, ==, "vm1");
  g_assert_cmpint (boot->ota_slot, ==, 1);

  /* With both slots broken, nothing boots */
  flash[VM1_OFFSET + 0x128] ^= 0x5A;
  g_clear_pointer (&boot, fs_sim_boot_free);
  boot = boot_flash (flash);
  assert_not_running (boot);
  g_assert_null (boot->partition);
  g_assert_cmpint (boot->ota_slot, ==, -1);
  assert_log_has (boot, ") boot: OTA app partition slot 1 is not bootable\r\n");
  g_assert_true (g_str_has_suffix (boot->log, ") boot: No bootable app partitions in the partition table\r\n"));
}

static void
test_app_digest (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autoptr(GBytes) vm0 = make_app (&app_spec, "vm-zero", "1.2.3", NULL);
  g_autoptr(FsSimBoot) boot = NULL;

  /* The last byte of the appended SHA-256 */
  flash[VM0_OFFSET + g_bytes_get_size (vm0) - 1] ^= 0x01;
  put_otadata_slot (flash, 0);
  boot = boot_flash (flash);

  assert_log_has (boot, ") esp_image: Image hash failed - image is corrupt\r\n");
  assert_log_has (boot, ") boot: OTA app partition slot 0 is not bootable\r\n");
  assert_log_lacks (boot, "Checksum failed");
  g_assert_cmpstr (boot->partition, ==, "vm1");
}

static void
test_no_app (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autoptr(FsSimBoot) boot = NULL;

  memset (flash + VM0_OFFSET, 0xFF, 0x1000);
  memset (flash + VM1_OFFSET, 0xFF, 0x1000);
  boot = boot_flash (flash);

  assert_not_running (boot);
  assert_log_has (boot, ") esp_image: image at 0x10000 has invalid magic byte (nothing flashed here?)\r\n"
                        "E (");
  assert_log_has (boot, ") esp_image: image at 0x110000 has invalid magic byte (nothing flashed here?)\r\n");
  assert_log_has (boot, ") boot: OTA app partition slot 0 is not bootable\r\n");
  assert_log_has (boot, ") boot: OTA app partition slot 1 is not bootable\r\n");
  g_assert_true (g_str_has_suffix (boot->log, ") boot: No bootable app partitions in the partition table\r\n"));
}

static void
test_app_chip_revision (void)
{
  g_autofree guint8 *flash = valid_flash ();
  ImageSpec spec = app_spec;
  g_autoptr(GBytes) vm0 = NULL;
  g_autoptr(FsSimBoot) boot = NULL;

  spec.min_rev_full = 301;
  vm0 = make_app (&spec, "vm-zero", "1.2.3", NULL);
  put_bytes (flash, VM0_OFFSET, vm0);
  boot = boot_flash (flash);

  assert_log_has (boot, ") boot_comm: Image requires chip rev >= v3.1, but chip is v3.0\r\n");
  assert_log_has (boot, ") boot: OTA app partition slot 0 is not bootable\r\n");
  g_assert_cmpstr (boot->partition, ==, "vm1");
}

static void
test_app_flash_size (void)
{
  g_autofree guint8 *flash = valid_flash ();
  ImageSpec spec = app_spec;
  g_autoptr(GBytes) vm0 = NULL;
  g_autoptr(FsSimBoot) boot = NULL;

  /* 16 MiB in the app's header, on an 8 MiB flash */
  spec.flash_size_code = 4;
  vm0 = make_app (&spec, "vm-zero", "1.2.3", (const char *[]) { "FSSIM:PRINT:never", NULL });
  put_bytes (flash, VM0_OFFSET, vm0);
  boot = boot_flash (flash);

  assert_not_running (boot);
  g_assert_cmpstr (boot->partition, ==, "vm0");
  g_assert_true (g_str_has_suffix (boot->log,
                                   ") spi_flash: Detected size(8192k) smaller than the size in the binary image header(16384k). Probe failed.\r\n"));

  /* 4 MiB in the header: a warning, and it runs */
  spec.flash_size_code = 2;
  g_clear_pointer (&vm0, g_bytes_unref);
  g_clear_pointer (&boot, fs_sim_boot_free);
  vm0 = make_app (&spec, "vm-zero", "1.2.3", NULL);
  put_bytes (flash, VM0_OFFSET, vm0);
  boot = boot_flash (flash);
  g_assert_true (boot->app_running);
  assert_log_has (boot, "W (");
  assert_log_has (boot, ") spi_flash: Detected size(8192k) larger than the size in the binary image header(4096k). Using the size in the binary image header.\r\n");
}

static void
test_partition_table_magic (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autoptr(FsSimBoot) boot = NULL;

  /* Entry 2 (phy_init) starts with 0x1234 instead of AA 50 */
  flash[FS_PARTITION_TABLE_OFFSET + 2 * FS_PARTITION_ENTRY_SIZE] = 0x34;
  flash[FS_PARTITION_TABLE_OFFSET + 2 * FS_PARTITION_ENTRY_SIZE + 1] = 0x12;
  boot = boot_flash (flash);

  assert_not_running (boot);
  assert_log_has (boot, ") flash_parts: partition 2 invalid magic number 0x1234\r\n");
  assert_log_has (boot, ") boot: Failed to verify partition table\r\n");
  g_assert_true (g_str_has_suffix (boot->log, ") boot: load partition table error!\r\n"));
  assert_log_lacks (boot, "Partition Table:");
}

static void
test_partition_table_erased (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autoptr(FsSimBoot) boot = NULL;

  memset (flash + FS_PARTITION_TABLE_OFFSET, 0xFF, FS_PARTITION_TABLE_SIZE);
  boot = boot_flash (flash);

  /* An erased table is a valid, empty one */
  assert_not_running (boot);
  assert_log_has (boot, ") boot: ## Label            Usage          Type ST Offset   Length\r\n"
                        "I (");
  assert_log_has (boot, ") boot: End of partition table\r\n");
  g_assert_true (g_str_has_suffix (boot->log, ") boot: No bootable app partitions in the partition table\r\n"));
}

static void
test_partition_table_md5 (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autoptr(FsSimBoot) boot = NULL;

  /* A letter of nvs's label: 12 bytes into entry 0 */
  flash[FS_PARTITION_TABLE_OFFSET + 12] = 'N';
  boot = boot_flash (flash);

  assert_not_running (boot);
  assert_log_has (boot, ") flash_parts: Incorrect MD5 checksum\r\n");
  assert_log_has (boot, ") boot: Failed to verify partition table\r\n");
  g_assert_true (g_str_has_suffix (boot->log, ") boot: load partition table error!\r\n"));
}

static void
test_partition_beyond_flash (void)
{
  g_autofree guint8 *flash = valid_flash ();
  ImageSpec spec = bootloader_spec;
  g_autoptr(GBytes) bootloader = NULL;
  g_autoptr(FsSimBoot) boot = NULL;

  /* A bootloader built for 4 MiB: storage (entry 7, 0x310000 + 0x80000)
   * still fits, storage2 (entry 8) does not */
  spec.flash_size_code = 2;
  bootloader = make_bootloader (&spec);
  put_bytes (flash, BOOTLOADER_OFFSET, bootloader);
  boot = boot_flash (flash);

  assert_not_running (boot);
  assert_log_has (boot, ") boot.esp32: SPI Flash Size : 4MB\r\n");
  assert_log_has (boot, ") flash_parts: partition 8 invalid - offset 0x400000 size 0x400000 exceeds flash chip size 0x400000\r\n");
  assert_log_has (boot, ") boot: Failed to verify partition table\r\n");
}

static void
test_bootloader_without_description (void)
{
  g_autofree guint8 *flash = valid_flash ();
  ImageSpec spec = bootloader_spec;
  g_autoptr(GBytes) bootloader = NULL;
  g_autoptr(FsSimBoot) boot = NULL;

  spec.with_app_desc = FALSE;
  bootloader = make_bootloader (&spec);
  put_bytes (flash, BOOTLOADER_OFFSET, bootloader);
  boot = boot_flash (flash);

  g_assert_true (boot->app_running);
  assert_log_has (boot, "load:0x3fff0030,len:16\r\n");
  assert_log_has (boot, "I (29) boot: ESP-IDF v");
  assert_log_has (boot, " 2nd stage bootloader\r\n");
}

static void
test_fssim_strings (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autofree char *long_line = g_strnfill (300, 'x');
  g_autofree char *long_string = g_strconcat ("FSSIM:PRINT:", long_line, NULL);
  const char *strings[] = {
    "FSSIM:PRINT:hello, world",
    "FSSIM:REPEAT:abc:ignored",          /* not a number */
    "FSSIM:BOGUS:ignored",
    "garbage FSSIM:PRINT:embedded",      /* found where it starts */
    "FSSIM:REPEAT:500:tick %u",
    "FSSIM:REPEAT:100:not the first",    /* only the first counts */
    "FSSIM:PRINT:tab\there",
    long_string,
    "FSSIM:PRINT:\033[0;32mgreen\033[0m",  /* colours stay */
    "FSSIM:BAUD:fast",                   /* not a number */
    "FSSIM:BAUD:2000000",
    NULL,
  };
  g_autoptr(GBytes) vm0 = make_app (&app_spec, "vm-zero", "1.2.3", strings);
  g_autoptr(FsSimBoot) boot = NULL;
  g_autofree char *capped = g_strnfill (256, 'x');

  put_bytes (flash, VM0_OFFSET, vm0);
  boot = boot_flash (flash);

  g_assert_true (boot->app_running);
  g_assert_cmpuint (boot->app->lines->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (boot->app->lines, 0), ==, "hello, world");
  g_assert_cmpstr (g_ptr_array_index (boot->app->lines, 1), ==, "embedded");
  g_assert_cmpstr (g_ptr_array_index (boot->app->lines, 2), ==, "tab?here");
  g_assert_cmpstr (g_ptr_array_index (boot->app->lines, 3), ==, capped);
  g_assert_cmpstr (g_ptr_array_index (boot->app->lines, 4), ==, "\033[0;32mgreen\033[0m");
  g_assert_cmpuint (boot->app->baud, ==, 2000000);
  g_assert_cmpstr (boot->app->repeat_line, ==, "tick %u");
  g_assert_cmpuint (boot->app->repeat_ms, ==, 500);
  /* The app's own lines are not part of the start-up log */
  assert_log_lacks (boot, "hello, world");
}

static void
test_fssim_many_lines (void)
{
  g_autofree guint8 *flash = valid_flash ();
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) vm0 = NULL;
  g_autoptr(FsSimBoot) boot = NULL;

  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (strings, g_strdup_printf ("FSSIM:PRINT:%u", i));
  g_ptr_array_add (strings, NULL);
  vm0 = make_app (&app_spec, "vm-zero", "1.2.3", (const char * const *) strings->pdata);
  put_bytes (flash, VM0_OFFSET, vm0);
  boot = boot_flash (flash);

  g_assert_true (boot->app_running);
  g_assert_cmpuint (boot->app->lines->len, ==, 64);
  g_assert_cmpstr (g_ptr_array_index (boot->app->lines, 63), ==, "63");
}

static void
test_fssim_invalid_utf8 (void)
{
  g_autofree guint8 *flash = valid_flash ();
  const char *strings[] = { "FSSIM:PRINT:caf\xC3", "FSSIM:REPEAT:0:\xFF", NULL };
  g_autoptr(GBytes) vm0 = make_app (&app_spec, "vm-zero", "1.2.3", strings);
  g_autoptr(FsSimBoot) boot = NULL;

  put_bytes (flash, VM0_OFFSET, vm0);
  boot = boot_flash (flash);

  g_assert_cmpuint (boot->app->lines->len, ==, 1);
  g_assert_true (g_utf8_validate (g_ptr_array_index (boot->app->lines, 0), -1, NULL));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (boot->app->lines, 0), "caf"));
  g_assert_nonnull (boot->app->repeat_line);
  g_assert_true (g_utf8_validate (boot->app->repeat_line, -1, NULL));
  g_assert_cmpuint (boot->app->repeat_ms, ==, 0);
}

/* NUL-terminated, one after the other, as a program for the bytecode slot */
static void
put_strings (guint8             *flash,
             guint32             offset,
             const char * const *strings)
{
  for (guint i = 0; strings[i] != NULL; i++)
    {
      gsize len = strlen (strings[i]) + 1;

      memcpy (flash + offset, strings[i], len);
      offset += len;
    }
}

static const char * const vm_strings[] = {
  "FSSIM:PRINT:vm starts", "FSSIM:NOPROGRAM:no program yet", "FSSIM:REPEAT:1000:vm idle", NULL,
};

/* The shipped layout with a VM in both slots and a program in each
 * bytecode slot */
static guint8 *
vm_flash (void)
{
  guint8 *flash = valid_flash ();
  g_autoptr(GBytes) vm = make_app (&app_spec, "vm", "1.0.0", vm_strings);

  put_bytes (flash, VM0_OFFSET, vm);
  put_bytes (flash, VM1_OFFSET, vm);
  put_strings (flash, BYTECODE0_OFFSET, (const char *[]) { "FSSIM:PRINT:program zero", "FSSIM:REPEAT:250:zero %u", NULL });
  put_strings (flash, BYTECODE1_OFFSET, (const char *[]) { "FSSIM:PRINT:program one", NULL });
  return flash;
}

static void
assert_lines (FsSimBoot          *boot,
              const char * const *lines)
{
  g_assert_true (boot->app_running);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_cmpuint (i, <, boot->app->lines->len);
      g_assert_cmpstr (g_ptr_array_index (boot->app->lines, i), ==, lines[i]);
    }
  g_assert_cmpuint (boot->app->lines->len, ==, g_strv_length ((char **) lines));
}

static void
test_program_slot0 (void)
{
  g_autofree guint8 *flash = vm_flash ();
  g_autoptr(FsSimBoot) boot = boot_flash (flash);

  g_assert_cmpstr (boot->program_partition, ==, "bytecode0");
  assert_lines (boot, (const char *[]) { "vm starts", "program zero", NULL });
  g_assert_cmpstr (boot->app->repeat_line, ==, "zero %u");
  g_assert_cmpuint (boot->app->repeat_ms, ==, 250);
}

static void
test_program_after_ota_switch (void)
{
  g_autofree guint8 *flash = vm_flash ();
  g_autoptr(FsSimBoot) boot = NULL;

  put_otadata_slot (flash, 1);
  boot = boot_flash (flash);

  g_assert_cmpint (boot->ota_slot, ==, 1);
  g_assert_cmpstr (boot->program_partition, ==, "bytecode1");
  assert_lines (boot, (const char *[]) { "vm starts", "program one", NULL });
  /* Program one repeats nothing: the VM's line stays */
  g_assert_cmpstr (boot->app->repeat_line, ==, "vm idle");
}

static void
test_no_program (void)
{
  g_autofree guint8 *flash = vm_flash ();
  g_autoptr(FsSimBoot) boot = NULL;

  memset (flash + BYTECODE0_OFFSET, 0xFF, FS_FLASH_SECTOR_SIZE);
  boot = boot_flash (flash);

  assert_lines (boot, (const char *[]) { "vm starts", "no program yet", NULL });
  g_assert_cmpstr (boot->app->repeat_line, ==, "vm idle");
}

/* An upload erases the sectors it writes: a shorter program over a longer
 * one leaves the longer one's tail in the next sector, after erased bytes */
static void
test_program_erased_tail (void)
{
  g_autofree guint8 *flash = vm_flash ();
  g_autofree char *padding = g_strnfill (FS_FLASH_SECTOR_SIZE + 100, 'x');
  g_autoptr(FsSimBoot) boot = NULL;

  put_strings (flash, BYTECODE0_OFFSET, (const char *[]) { "FSSIM:PRINT:old", padding, "FSSIM:PRINT:old tail", NULL });
  memset (flash + BYTECODE0_OFFSET, 0xFF, FS_FLASH_SECTOR_SIZE);
  put_strings (flash, BYTECODE0_OFFSET, (const char *[]) { "FSSIM:PRINT:new", NULL });
  boot = boot_flash (flash);

  assert_lines (boot, (const char *[]) { "vm starts", "new", NULL });
  g_assert_cmpstr (boot->app->repeat_line, ==, "vm idle");
}

static void
test_program_read_bound (void)
{
  g_autofree guint8 *flash = vm_flash ();
  g_autoptr(FsSimBoot) boot = NULL;

  /* Not erased anywhere: read up to 64 KiB, not the whole 512 KiB */
  memset (flash + BYTECODE0_OFFSET, 'x', 0x80000);
  put_strings (flash, BYTECODE0_OFFSET, (const char *[]) { "FSSIM:PRINT:near", NULL });
  put_strings (flash, BYTECODE0_OFFSET + 0x10000, (const char *[]) { "FSSIM:PRINT:too far", NULL });
  boot = boot_flash (flash);

  assert_lines (boot, (const char *[]) { "vm starts", "near", NULL });
}

static void
test_program_factory_app (void)
{
  g_autofree guint8 *flash = vm_flash ();
  g_autoptr(FsPartitionTable) table = fs_partition_table_new ();
  g_autoptr(FsSimBoot) boot = NULL;
  const FsPartition partitions[] = {
    { "nvs", FS_PARTITION_TYPE_DATA, FS_PARTITION_SUBTYPE_NVS, 0x9000, 0x6000, 0 },
    { "factory", FS_PARTITION_TYPE_APP, FS_PARTITION_SUBTYPE_FACTORY, VM0_OFFSET, 0x100000, 0 },
    { "code_b", FS_PARTITION_TYPE_DATA, 0x40, BYTECODE1_OFFSET, 0x80000, 0 },
    { "code_a", FS_PARTITION_TYPE_DATA, 0x40, BYTECODE0_OFFSET, 0x80000, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (partitions); i++)
    fs_partition_table_add (table, &partitions[i]);
  put_partition_table (flash, table);
  boot = boot_flash (flash);

  /* The first in the table, wherever it is */
  g_assert_cmpstr (boot->partition, ==, "factory");
  g_assert_cmpstr (boot->program_partition, ==, "code_b");
  assert_lines (boot, (const char *[]) { "vm starts", "program one", NULL });
}

static void
test_download_banner (void)
{
  g_autofree char *banner = fs_sim_boot_download_banner (FS_SIM_RESET_POWERON);
  g_autofree char *after_reset = fs_sim_boot_download_banner (FS_SIM_RESET_RTCWDT_RTC);

  g_assert_cmpstr (banner, ==,
                   "ets Jun  8 2016 00:22:57\r\n"
                   "\r\n"
                   "rst:0x1 (POWERON_RESET),boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))\r\n"
                   "waiting for download\r\n");
  g_assert_cmpstr (after_reset, ==,
                   "ets Jun  8 2016 00:22:57\r\n"
                   "\r\n"
                   "rst:0x10 (RTCWDT_RTC_RESET),boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))\r\n"
                   "waiting for download\r\n");
}

static void
test_tiny_flash (void)
{
  FsSimChipConfig chip;
  static const guint8 flash[] = { 0xE9 };
  g_autoptr(FsSimBoot) boot = NULL;
  g_autoptr(FsSimBoot) empty = NULL;

  chip_init (&chip);
  boot = fs_sim_boot_run (flash, sizeof (flash), &chip, FS_SIM_RESET_POWERON);
  assert_not_running (boot);
  assert_log_has (boot, "invalid header: 0xffffffff\r\n");

  empty = fs_sim_boot_run (NULL, 0, &chip, FS_SIM_RESET_POWERON);
  assert_not_running (empty);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-boot/ota0", test_boot_ota0);
  g_test_add_func ("/sim-boot/otadata-slot1", test_boot_otadata_slot1);
  g_test_add_func ("/sim-boot/factory", test_boot_factory);
  g_test_add_func ("/sim-boot/erased-flash", test_erased_flash);
  g_test_add_func ("/sim-boot/bootloader-garbage", test_bootloader_garbage);
  g_test_add_func ("/sim-boot/bootloader-checksum", test_bootloader_checksum);
  g_test_add_func ("/sim-boot/bootloader-without-description", test_bootloader_without_description);
  g_test_add_func ("/sim-boot/flash-encryption", test_flash_encryption);
  g_test_add_func ("/sim-boot/app-checksum-fallback", test_app_checksum_fallback);
  g_test_add_func ("/sim-boot/app-digest", test_app_digest);
  g_test_add_func ("/sim-boot/no-app", test_no_app);
  g_test_add_func ("/sim-boot/app-chip-revision", test_app_chip_revision);
  g_test_add_func ("/sim-boot/app-flash-size", test_app_flash_size);
  g_test_add_func ("/sim-boot/partition-table-magic", test_partition_table_magic);
  g_test_add_func ("/sim-boot/partition-table-erased", test_partition_table_erased);
  g_test_add_func ("/sim-boot/partition-table-md5", test_partition_table_md5);
  g_test_add_func ("/sim-boot/partition-beyond-flash", test_partition_beyond_flash);
  g_test_add_func ("/sim-boot/fssim-strings", test_fssim_strings);
  g_test_add_func ("/sim-boot/fssim-many-lines", test_fssim_many_lines);
  g_test_add_func ("/sim-boot/fssim-invalid-utf8", test_fssim_invalid_utf8);
  g_test_add_func ("/sim-boot/program-slot0", test_program_slot0);
  g_test_add_func ("/sim-boot/program-after-ota-switch", test_program_after_ota_switch);
  g_test_add_func ("/sim-boot/no-program", test_no_program);
  g_test_add_func ("/sim-boot/program-erased-tail", test_program_erased_tail);
  g_test_add_func ("/sim-boot/program-read-bound", test_program_read_bound);
  g_test_add_func ("/sim-boot/program-factory-app", test_program_factory_app);
  g_test_add_func ("/sim-boot/download-banner", test_download_banner);
  g_test_add_func ("/sim-boot/tiny-flash", test_tiny_flash);

  return g_test_run ();
}
