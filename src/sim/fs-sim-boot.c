/* fs-sim-boot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

#include "fs-chip.h"
#include "fs-image.h"
#include "fs-otadata.h"
#include "fs-partition-table.h"
#include "fs-sim-boot.h"

/* The lines below are what the ESP32 ROM (rev 1, "ets Jun 8 2016") and
 * ESP-IDF's bootloader and start-up code print, word for word. They are not
 * translated: a real board prints them in English, and people paste them
 * into search engines. */

#define ROM_BANNER               "ets Jun  8 2016 00:22:57"
#define ROM_FLASH_BOOT           "boot:0x13 (SPI_FAST_FLASH_BOOT)"
#define ROM_DOWNLOAD_BOOT        "boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))"
/* The ROM retries the header read this many times before its watchdog
 * resets the chip, and then does it again, forever */
#define ROM_HEADER_RETRIES       8

#define DEFAULT_IDF_VERSION      "v5.1.4"
#define DEFAULT_COMPILE_TIME     "Jun  4 2024 11:53:41"
#define BOOTLOADER_START_MS      29
#define MS_PER_LINE              4
/* How fast the bootloader reads and checks a segment, for the timestamps */
#define SEGMENT_BYTES_PER_MS     2800

/* ESP-IDF's limits and the ESP32's memory map (soc.h) */
#define MAX_PARTITION_SIZE       0x1000000u
#define MAX_OTA_SLOTS            16
#define FACTORY_INDEX            (-1)
#define INVALID_INDEX            (-99)
#define OTA_SUBTYPE_MASK         0x0F
#define MMU_PAGE_SIZE            0x10000u
#define SOC_DROM_LOW             0x3F400000u
#define SOC_DROM_HIGH            0x3F800000u
#define SOC_IROM_LOW             0x400D0000u
#define SOC_IROM_HIGH            0x40400000u
#define SOC_LOADABLE_LOW         0x10000000u
#define CHIP_REV_MAX_DEFAULT     399        /* CONFIG_ESP_REV_MAX_FULL of the ESP32 */
#define ELF_SHA256_PRINTED       9          /* CONFIG_APP_RETRIEVE_LEN_ELF_SHA */
/* Zerynth's bytecode slots, and how much of one the virtual VM reads */
#define BYTECODE_SUBTYPE         0x40
#define BYTECODE_MAX_READ        (64 * 1024)

typedef struct {
  const guint8          *flash;
  gsize                  flash_size;
  const FsSimChipConfig *chip;
  GString               *log;
  guint                  ms;
  /* What the bootloader's header says the flash is */
  guint64                chip_size;
  /* ESP-IDF's bootloader_state_t */
  FsPartitionTable      *table;
  const FsPartition     *factory;
  const FsPartition     *test;
  const FsPartition     *ota_info;
  const FsPartition     *ota[MAX_OTA_SLOTS];
  guint                  app_count;
  gboolean               ota_initial_contents;
} Boot;

static void rom_line (Boot *b, const char *format, ...) G_GNUC_PRINTF (2, 3);
static void idf_line (Boot *b, char level, const char *tag, const char *format, ...) G_GNUC_PRINTF (4, 5);

#define LOGI(b, tag, ...) idf_line ((b), 'I', (tag), __VA_ARGS__)
#define LOGW(b, tag, ...) idf_line ((b), 'W', (tag), __VA_ARGS__)
#define LOGE(b, tag, ...) idf_line ((b), 'E', (tag), __VA_ARGS__)

static void
rom_line (Boot       *b,
          const char *format,
          ...)
{
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (b->log, format, args);
  va_end (args);
  g_string_append (b->log, "\r\n");
}

static void
idf_line (Boot       *b,
          char        level,
          const char *tag,
          const char *format,
          ...)
{
  va_list args;

  g_string_append_printf (b->log, "%c (%u) %s: ", level, b->ms, tag);
  va_start (args, format);
  g_string_append_vprintf (b->log, format, args);
  va_end (args);
  g_string_append (b->log, "\r\n");
  b->ms += MS_PER_LINE;
}

static guint32
read_u32_le (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

/* @len bytes of flash at @offset, or NULL when the flash is smaller */
static GBytes *
flash_bytes (Boot    *b,
             guint64  offset,
             guint64  len)
{
  if (offset > b->flash_size || len > b->flash_size - offset)
    return NULL;
  return g_bytes_new_static (b->flash + offset, len);
}

/* From @offset to the end of the flash, at most @max_len bytes: an image
 * may run past its partition, and the bootloader reads it all the same */
static GBytes *
flash_bytes_from (Boot    *b,
                  guint64  offset,
                  guint64  max_len)
{
  if (offset >= b->flash_size)
    return NULL;
  return flash_bytes (b, offset, MIN (max_len, b->flash_size - offset));
}

static const char *
reset_reason_name (FsSimResetReason reason)
{
  switch (reason)
    {
    case FS_SIM_RESET_POWERON:
      return "POWERON_RESET";
    case FS_SIM_RESET_SW:
      return "SW_CPU_RESET";
    case FS_SIM_RESET_RTCWDT_RTC:
      return "RTCWDT_RTC_RESET";
    }
  return "NO_MEAN";
}

static void
rom_banner (GString          *log,
            FsSimResetReason  reason,
            const char       *boot_mode)
{
  g_string_append_printf (log, ROM_BANNER "\r\n\r\nrst:0x%x (%s),%s\r\n",
                          (guint) reason, reset_reason_name (reason), boot_mode);
}

/* The ROM's names of the SPI read modes */
static const char *
rom_flash_mode_name (FsFlashMode mode)
{
  static const char *names[] = { "QIO", "QOUT", "DIO", "DOUT", "FAST_RD", "SLOW_RD" };

  if ((guint) mode < G_N_ELEMENTS (names))
    return names[mode];
  return "SLOW_RD";
}

static guint
rom_clock_div (guint freq_mhz)
{
  switch (freq_mhz)
    {
    case 80:
      return 1;
    case 26:
      return 3;
    case 20:
      return 4;
    default:
      return 2;
    }
}

static void
rom_fatal (Boot *b)
{
  /* The line number of the ROM's assertion, trailing blank included */
  rom_line (b, "ets_main.c 371 ");
}

/* The first-stage bootloader in ROM: loads the second stage into RAM */
static FsImage *
rom_boot (Boot             *b,
          FsSimResetReason  reason)
{
  guint32 offset = fs_chip_lookup (FS_CHIP_ESP32)->bootloader_offset;
  guint8 header[4] = { 0xFF, 0xFF, 0xFF, 0xFF };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FsImage) image = NULL;
  GPtrArray *segments;

  rom_banner (b->log, reason, ROM_FLASH_BOOT);

  /* Through the flash encryption block a plaintext bootloader reads as
   * noise; the virtual board has no keys, so its flash is plaintext */
  if (b->chip->flash_encryption)
    {
      rom_line (b, "flash read err, %x", offset);
      rom_fatal (b);
      return NULL;
    }

  if (offset < b->flash_size)
    memcpy (header, b->flash + offset, MIN (sizeof (header), b->flash_size - offset));
  if (header[0] != FS_IMAGE_MAGIC)
    {
      for (guint i = 0; i < ROM_HEADER_RETRIES; i++)
        rom_line (b, "invalid header: 0x%08x", read_u32_le (header));
      return NULL;
    }

  bytes = flash_bytes_from (b, offset, G_MAXUINT64);
  image = fs_image_new_from_bytes (bytes, NULL);
  if (image == NULL)
    {
      rom_line (b, "flash read err, %x", offset);
      rom_fatal (b);
      return NULL;
    }

  rom_line (b, "configsip: 0, SPIWP:0xee");
  rom_line (b, "clk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00");
  rom_line (b, "mode:%s, clock div:%u",
            rom_flash_mode_name (fs_image_get_flash_mode (image)),
            rom_clock_div (fs_image_get_flash_freq_mhz (image)));
  segments = fs_image_get_segments (image);
  for (guint i = 0; i < segments->len; i++)
    {
      FsImageSegment *segment = g_ptr_array_index (segments, i);

      rom_line (b, "load:0x%08x,len:%u", segment->load_addr, (guint) g_bytes_get_size (segment->data));
    }
  if (!fs_image_get_checksum_valid (image))
    {
      rom_line (b, "csum err:0x%02x!=0x%02x",
                fs_image_get_checksum_computed (image), fs_image_get_checksum_stored (image));
      rom_fatal (b);
      return NULL;
    }
  rom_line (b, "entry 0x%08x", fs_image_get_entry (image));
  return g_steal_pointer (&image);
}

/* The ROM's watchdog resets the chip, and the same flash fails the same
 * way: once more shows the loop a real board prints forever */
static void
rom_boot_again (Boot *b)
{
  FsImage *image = rom_boot (b, FS_SIM_RESET_RTCWDT_RTC);

  g_clear_object (&image);
}

static const char *
idf_flash_speed (FsImage *image)
{
  switch (fs_image_get_flash_freq_mhz (image))
    {
    case 80:
      return "80MHz";
    case 40:
      return "40MHz";
    case 26:
      return "26.7MHz";
    default:
      return "20MHz";
    }
}

static const char *
idf_flash_mode (FsImage *image)
{
  switch (fs_image_get_flash_mode (image))
    {
    case FS_FLASH_MODE_QIO:
      return "QIO";
    case FS_FLASH_MODE_QOUT:
      return "QOUT";
    case FS_FLASH_MODE_DIO:
      return "DIO";
    case FS_FLASH_MODE_DOUT:
      return "DOUT";
    }
  return "DIO";
}

/* The ESP32 bootloader names 1 to 16 MB and calls anything else 2MB */
static guint
idf_flash_size_mb (FsImage *image)
{
  guint64 size = fs_image_get_flash_size (image);

  if (size == 0 || size > 16 * 1024 * 1024)
    return 2;
  return size / (1024 * 1024);
}

static void
bootloader_banner (Boot    *b,
                   FsImage *bootloader)
{
  const FsAppDesc *desc = fs_image_get_app_desc (bootloader);

  if (desc != NULL && desc->idf_version[0] != '\0')
    LOGI (b, "boot", "ESP-IDF %s 2nd stage bootloader", desc->idf_version);
  else
    LOGI (b, "boot", "ESP-IDF %s 2nd stage bootloader", DEFAULT_IDF_VERSION);
  if (desc != NULL && desc->date[0] != '\0')
    LOGI (b, "boot", "compile time %s %s", desc->date, desc->time);
  else
    LOGI (b, "boot", "compile time %s", DEFAULT_COMPILE_TIME);
  LOGI (b, "boot", "Multicore bootloader");
  LOGI (b, "boot", "chip revision: v%u.%u", b->chip->revision_major, b->chip->revision_minor);
  LOGI (b, "boot.esp32", "SPI Speed      : %s", idf_flash_speed (bootloader));
  LOGI (b, "boot.esp32", "SPI Mode       : %s", idf_flash_mode (bootloader));
  LOGI (b, "boot.esp32", "SPI Flash Size : %uMB", idf_flash_size_mb (bootloader));
  LOGI (b, "boot", "Enabling RNG early entropy source...");
}

/* esp_partition_table_verify() judges the table by its entries' magic
 * numbers before anything else; the entries themselves are read by
 * fs_partition_table_new_from_binary(). */
static gboolean
verify_entry_magics (Boot         *b,
                     const guint8 *data,
                     gboolean     *has_md5)
{
  *has_md5 = FALSE;
  for (guint i = 0; i < FS_PARTITION_TABLE_MAX_LEN / FS_PARTITION_ENTRY_SIZE; i++)
    {
      const guint8 *entry = data + i * FS_PARTITION_ENTRY_SIZE;
      guint magic = entry[0] | (entry[1] << 8);

      if (magic == FS_PARTITION_MAGIC)
        continue;
      if (magic == FS_PARTITION_MD5_MAGIC)
        {
          if (*has_md5)
            {
              LOGE (b, "flash_parts", "Only one MD5 checksum is allowed");
              return FALSE;
            }
          *has_md5 = TRUE;
          continue;
        }
      /* The end marker is an erased entry, type and subtype included */
      if (magic == 0xFFFF && entry[2] == 0xFF && entry[3] == 0xFF)
        return TRUE;
      LOGE (b, "flash_parts", "partition %u invalid magic number 0x%x", i, magic);
      return FALSE;
    }
  LOGE (b, "flash_parts", "partition table has no terminating entry, not valid");
  return FALSE;
}

static gboolean
verify_partition_table (Boot *b)
{
  g_autoptr(GBytes) bytes = flash_bytes (b, FS_PARTITION_TABLE_OFFSET, FS_PARTITION_TABLE_MAX_LEN);
  g_autoptr(GError) error = NULL;
  gboolean has_md5 = FALSE;

  if (bytes == NULL)
    {
      LOGE (b, "boot", "bootloader_mmap(0x%x, 0x%x) failed",
            FS_PARTITION_TABLE_OFFSET, FS_PARTITION_TABLE_MAX_LEN);
      return FALSE;
    }
  if (!verify_entry_magics (b, g_bytes_get_data (bytes, NULL), &has_md5))
    goto failed;

  b->table = fs_partition_table_new_from_binary (bytes, &error);
  if (b->table == NULL)
    {
      if (has_md5)
        LOGE (b, "flash_parts", "Incorrect MD5 checksum");
      else
        LOGE (b, "flash_parts", "%s", error->message);
      goto failed;
    }

  for (guint i = 0; i < fs_partition_table_get_n_partitions (b->table); i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (b->table, i);

      if (partition->offset > b->chip_size ||
          (guint64) partition->offset + partition->size > b->chip_size)
        {
          LOGE (b, "flash_parts", "partition %u invalid - offset 0x%x size 0x%x exceeds flash chip size 0x%x",
                i, partition->offset, partition->size, (guint) b->chip_size);
          goto failed;
        }
    }
  return TRUE;

failed:
  LOGE (b, "boot", "Failed to verify partition table");
  return FALSE;
}

/* Records the partition in the bootloader's state, as its listing does,
 * and returns the usage the listing names */
static const char *
note_partition (Boot              *b,
                const FsPartition *partition)
{
  if (partition->type == FS_PARTITION_TYPE_APP)
    {
      if (partition->subtype == FS_PARTITION_SUBTYPE_FACTORY)
        {
          b->factory = partition;
          return "factory app";
        }
      if (partition->subtype == FS_PARTITION_SUBTYPE_TEST)
        {
          b->test = partition;
          return "test app";
        }
      if ((partition->subtype & ~OTA_SUBTYPE_MASK) == FS_PARTITION_SUBTYPE_OTA_0)
        {
          b->ota[partition->subtype & OTA_SUBTYPE_MASK] = partition;
          b->app_count++;
          return "OTA app";
        }
      return "Unknown app";
    }
  if (partition->type == FS_PARTITION_TYPE_DATA)
    {
      switch (partition->subtype)
        {
        case FS_PARTITION_SUBTYPE_OTA:
          b->ota_info = partition;
          return "OTA data";
        case FS_PARTITION_SUBTYPE_PHY:
          return "RF data";
        case FS_PARTITION_SUBTYPE_NVS:
          return "WiFi data";
        case FS_PARTITION_SUBTYPE_NVS_KEYS:
          return "NVS keys";
        case FS_PARTITION_SUBTYPE_EFUSE:
          return "efuse";
        default:
          return "Unknown data";
        }
    }
  return "unknown";
}

static gboolean
load_partition_table (Boot *b)
{
  if (!verify_partition_table (b))
    return FALSE;

  LOGI (b, "boot", "Partition Table:");
  LOGI (b, "boot", "## Label            Usage          Type ST Offset   Length");
  for (guint i = 0; i < fs_partition_table_get_n_partitions (b->table); i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (b->table, i);
      const char *usage = note_partition (b, partition);

      LOGI (b, "boot", "%2u %-16s %-16s %02x %02x %08x %08x",
            i, partition->label, usage, partition->type, partition->subtype,
            partition->offset, partition->size);
    }
  LOGI (b, "boot", "End of partition table");
  return TRUE;
}

/* bootloader_common_ota_select_invalid(): not the same as "not valid",
 * an entry with a wrong CRC is neither */
static gboolean
otadata_entry_is_invalid (const FsOtadataEntry *entry)
{
  return entry->seq == G_MAXUINT32 ||
         entry->state == FS_OTA_STATE_INVALID ||
         entry->state == FS_OTA_STATE_ABORTED;
}

static gboolean
otadata_entry_is_initial (const FsOtadataEntry *entry)
{
  return entry->seq == G_MAXUINT32 || entry->crc != fs_otadata_crc (entry->seq);
}

/* bootloader_utility_get_selected_boot_partition() */
static gint
select_boot_index (Boot *b)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FsOtadata) otadata = NULL;
  const FsOtadataEntry *entry0, *entry1;
  gint slot;

  if (b->ota_info == NULL || b->ota_info->offset == 0)
    return FACTORY_INDEX;
  if (b->ota_info->size < FS_OTADATA_SIZE)
    {
      LOGE (b, "boot", "ota_info partition size %u is too small (minimum %u bytes)",
            b->ota_info->size, FS_OTADATA_SIZE);
      return INVALID_INDEX;
    }
  bytes = flash_bytes (b, b->ota_info->offset, FS_OTADATA_SIZE);
  if (bytes == NULL)
    {
      LOGE (b, "boot", "bootloader_mmap(0x%x, 0x%x) failed", b->ota_info->offset, b->ota_info->size);
      return INVALID_INDEX;
    }
  otadata = fs_otadata_new_from_bytes (bytes, NULL);
  entry0 = fs_otadata_get_entry (otadata, 0);
  entry1 = fs_otadata_get_entry (otadata, 1);

  if ((otadata_entry_is_invalid (entry0) && otadata_entry_is_invalid (entry1)) || b->app_count == 0)
    {
      if (b->factory != NULL)
        {
          LOGI (b, "boot", "Defaulting to factory image");
          return FACTORY_INDEX;
        }
      LOGI (b, "boot", "No factory image, trying OTA 0");
      b->ota_initial_contents = otadata_entry_is_initial (entry0) && otadata_entry_is_initial (entry1);
      return 0;
    }

  slot = fs_otadata_get_boot_slot (otadata, b->app_count);
  if (slot >= 0)
    return slot;
  if (b->factory != NULL)
    LOGE (b, "boot", "ota data partition invalid, falling back to factory");
  else
    LOGE (b, "boot", "ota data partition invalid and no factory, will try all partitions");
  return FACTORY_INDEX;
}

static const FsPartition *
index_to_partition (Boot *b,
                    gint  index)
{
  if (index == FACTORY_INDEX)
    return b->factory;
  if (index >= 0 && index < MAX_OTA_SLOTS && (guint) index < b->app_count)
    return b->ota[index];
  return NULL;
}

static void
log_invalid_app_partition (Boot *b,
                           gint  index)
{
  if (index == FACTORY_INDEX)
    LOGE (b, "boot", "Factory app partition is not bootable");
  else
    LOGE (b, "boot", "OTA app partition slot %d is not bootable", index);
}

static gboolean
check_chip_validity (Boot    *b,
                     FsImage *image)
{
  guint revision = b->chip->revision_major * 100 + b->chip->revision_minor;
  guint min_rev = fs_image_get_min_rev_full (image);
  guint max_rev = fs_image_get_max_rev_full (image);

  if (fs_image_get_chip_id (image) != FS_CHIP_ESP32)
    {
      LOGE (b, "boot_comm", "mismatch chip ID, expected %d, found %u",
            FS_CHIP_ESP32, fs_image_get_chip_id (image));
      return FALSE;
    }
  if (revision < min_rev)
    {
      LOGE (b, "boot_comm", "Image requires chip rev >= v%u.%u, but chip is v%u.%u",
            min_rev / 100, min_rev % 100, b->chip->revision_major, b->chip->revision_minor);
      return FALSE;
    }
  /* 0 and 0xFFFF mean "no maximum" */
  if (max_rev != 0 && max_rev != 0xFFFF && revision > max_rev)
    {
      LOGE (b, "boot_comm", "Image requires chip rev <= v%u.%u, but chip is v%u.%u",
            max_rev / 100, max_rev % 100, b->chip->revision_major, b->chip->revision_minor);
      return FALSE;
    }
  return TRUE;
}

static gboolean
should_map (guint32 load_addr)
{
  return (load_addr >= SOC_IROM_LOW && load_addr < SOC_IROM_HIGH) ||
         (load_addr >= SOC_DROM_LOW && load_addr < SOC_DROM_HIGH);
}

static gboolean
process_segments (Boot              *b,
                  const FsPartition *partition,
                  FsImage           *image)
{
  GPtrArray *segments = fs_image_get_segments (image);

  for (guint i = 0; i < segments->len; i++)
    {
      FsImageSegment *segment = g_ptr_array_index (segments, i);
      guint32 len = g_bytes_get_size (segment->data);
      guint32 paddr = partition->offset + segment->file_offset;
      gboolean map = should_map (segment->load_addr);
      gboolean load = !map && segment->load_addr >= SOC_LOADABLE_LOW;

      if (len % 4 != 0)
        {
          LOGE (b, "esp_image", "invalid segment length 0x%x", len);
          return FALSE;
        }
      /* The cache maps 64 KiB pages: the data must sit in flash where its
       * address sits in the page */
      if (map && paddr % MMU_PAGE_SIZE != segment->load_addr % MMU_PAGE_SIZE)
        {
          LOGE (b, "esp_image", "Segment %u load address 0x%08x, doesn't match data 0x%08x",
                i, segment->load_addr, paddr);
          return FALSE;
        }
      LOGI (b, "esp_image", "segment %u: paddr=%08x vaddr=%08x size=%05xh (%6u) %s",
            i, paddr, segment->load_addr, len, len, load ? "load" : map ? "map" : "");
      b->ms += len / SEGMENT_BYTES_PER_MS;
    }
  return TRUE;
}

/* bootloader_load_image(): the checks of esp_image_format.c, in its order */
static FsImage *
load_image (Boot              *b,
            const FsPartition *partition)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(FsImage) image = NULL;
  const guint8 *data;

  if (partition->size > MAX_PARTITION_SIZE)
    {
      LOGE (b, "esp_image", "partition size 0x%x invalid, larger than 16MB", partition->size);
      return NULL;
    }
  bytes = flash_bytes_from (b, partition->offset, MAX_PARTITION_SIZE);
  data = bytes != NULL ? g_bytes_get_data (bytes, NULL) : NULL;
  if (data == NULL || data[0] != FS_IMAGE_MAGIC)
    {
      LOGE (b, "esp_image", "image at 0x%x has invalid magic byte (nothing flashed here?)", partition->offset);
      return NULL;
    }
  image = fs_image_new_from_bytes (bytes, NULL);
  if (image == NULL)
    {
      /* The header's second byte is the segment count; anything else the
       * parser refuses runs past the end of the flash */
      if (g_bytes_get_size (bytes) > 1 && data[1] > FS_IMAGE_MAX_SEGMENTS)
        LOGE (b, "esp_image", "image at 0x%x segment count %u exceeds max %u",
              partition->offset, data[1], (guint) FS_IMAGE_MAX_SEGMENTS);
      else
        LOGE (b, "esp_image", "bootloader_flash_read failed at 0x%08x", (guint) b->flash_size);
      return NULL;
    }
  if (!check_chip_validity (b, image))
    return NULL;
  if (!process_segments (b, partition, image))
    return NULL;
  if (!fs_image_get_checksum_valid (image))
    {
      LOGE (b, "esp_image", "Checksum failed. Calculated 0x%x read 0x%x",
            fs_image_get_checksum_computed (image), fs_image_get_checksum_stored (image));
      return NULL;
    }
  if (fs_image_get_size (image) > partition->size)
    {
      LOGE (b, "esp_image", "Image length %u doesn't fit in partition length %u",
            (guint) fs_image_get_size (image), partition->size);
      return NULL;
    }
  if (fs_image_get_has_digest (image) && !fs_image_get_digest_valid (image))
    {
      LOGE (b, "esp_image", "Image hash failed - image is corrupt");
      return NULL;
    }
  LOGI (b, "boot", "Loaded app from partition at offset 0x%x", partition->offset);
  return g_steal_pointer (&image);
}

static FsImage *
try_load_index (Boot               *b,
                gint                index,
                const FsPartition **booted)
{
  const FsPartition *partition = index_to_partition (b, index);
  FsImage *image;

  if (partition == NULL || partition->size == 0)
    return NULL;
  image = load_image (b, partition);
  if (image == NULL)
    {
      log_invalid_app_partition (b, index);
      return NULL;
    }
  /* The first boot of a table without factory app writes otadata so that
   * it says what booted; the virtual board leaves the flash as it is */
  if (index != FACTORY_INDEX && b->ota_initial_contents)
    LOGI (b, "boot", "Set actual ota_seq=%d in otadata[0]", index + 1);
  *booted = partition;
  return image;
}

/* bootloader_utility_load_boot_image(): the selected slot, then down to
 * the factory app, then up through the other OTA slots, then the test app */
static FsImage *
load_boot_image (Boot               *b,
                 gint                start_index,
                 const FsPartition **booted,
                 gint               *booted_index)
{
  FsImage *image;

  for (gint index = start_index; index >= FACTORY_INDEX; index--)
    if ((image = try_load_index (b, index, booted)) != NULL)
      {
        *booted_index = index;
        return image;
      }
  for (gint index = start_index + 1; index < (gint) b->app_count; index++)
    if ((image = try_load_index (b, index, booted)) != NULL)
      {
        *booted_index = index;
        return image;
      }
  if (b->test != NULL && b->test->size != 0 && (image = load_image (b, b->test)) != NULL)
    {
      LOGW (b, "boot", "Falling back to test app as only bootable partition");
      *booted = b->test;
      *booted_index = FACTORY_INDEX;
      return image;
    }
  LOGE (b, "boot", "No bootable app partitions in the partition table");
  return NULL;
}

static const char *
flash_io_name (FsFlashMode mode)
{
  switch (mode)
    {
    case FS_FLASH_MODE_QIO:
      return "qio";
    case FS_FLASH_MODE_QOUT:
      return "qout";
    case FS_FLASH_MODE_DIO:
      return "dio";
    case FS_FLASH_MODE_DOUT:
      return "dout";
    }
  return "dio";
}

/* The first ELF_SHA256_PRINTED hex digits, as ESP-IDF keeps them */
static char *
elf_sha256_text (const FsAppDesc *desc)
{
  static const guint8 none[FS_IMAGE_DIGEST_SIZE] = { 0 };
  const guint8 *sha = desc != NULL ? desc->elf_sha256 : none;
  g_autofree char *hex = g_malloc (2 * FS_IMAGE_DIGEST_SIZE + 1);

  for (guint i = 0; i < FS_IMAGE_DIGEST_SIZE; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", sha[i]);
  return g_strndup (hex, ELF_SHA256_PRINTED);
}

static void
log_app_description (Boot            *b,
                     const FsAppDesc *desc)
{
  g_autofree char *sha = elf_sha256_text (desc);

  LOGI (b, "app_init", "Application information:");
  LOGI (b, "app_init", "Project name:     %s", desc->project_name);
  LOGI (b, "app_init", "App version:      %s", desc->version);
  LOGI (b, "app_init", "Compile time:     %s %s", desc->date, desc->time);
  LOGI (b, "app_init", "ELF file SHA256:  %s...", sha);
  LOGI (b, "app_init", "ESP-IDF:          %s", desc->idf_version);
}

/* What ESP-IDF's start-up code prints before app_main(); FALSE when it
 * stops, as it does on a flash smaller than the image header says */
static gboolean
start_app (Boot    *b,
           FsImage *image)
{
  const FsAppDesc *desc = fs_image_get_app_desc (image);
  guint min_rev = fs_image_get_min_rev_full (image);
  guint max_rev = fs_image_get_max_rev_full (image);
  guint64 header_size = fs_image_get_flash_size (image);

  if (max_rev == 0 || max_rev == 0xFFFF)
    max_rev = CHIP_REV_MAX_DEFAULT;

  LOGI (b, "boot", "Disabling RNG early entropy source...");
  LOGI (b, "cpu_start", "Multicore app");
  LOGI (b, "cpu_start", "Pro cpu start user code");
  LOGI (b, "cpu_start", "cpu freq: 160000000 Hz");
  if (desc != NULL)
    log_app_description (b, desc);
  LOGI (b, "efuse_init", "Min chip rev:     v%u.%u", min_rev / 100, min_rev % 100);
  LOGI (b, "efuse_init", "Max chip rev:     v%u.%u ", max_rev / 100, max_rev % 100);
  LOGI (b, "efuse_init", "Chip rev:         v%u.%u", b->chip->revision_major, b->chip->revision_minor);
  LOGI (b, "heap_init", "Initializing. RAM available for dynamic allocation:");
  LOGI (b, "heap_init", "At 3FFAE6E0 len 00001920 (6 KiB): DRAM");
  LOGI (b, "heap_init", "At 3FFB2B10 len 0002D4F0 (181 KiB): DRAM");
  LOGI (b, "heap_init", "At 3FFE0440 len 00003AE0 (14 KiB): D/IRAM");
  LOGI (b, "heap_init", "At 3FFE4350 len 0001BCB0 (111 KiB): D/IRAM");
  LOGI (b, "heap_init", "At 4008C5D4 len 00013A2C (78 KiB): IRAM");
  LOGI (b, "spi_flash", "detected chip: generic");
  LOGI (b, "spi_flash", "flash io: %s", flash_io_name (fs_image_get_flash_mode (image)));
  if (header_size > b->flash_size)
    {
      LOGE (b, "spi_flash", "Detected size(%uk) smaller than the size in the binary image header(%uk). Probe failed.",
            (guint) (b->flash_size / 1024), (guint) (header_size / 1024));
      return FALSE;
    }
  if (header_size != 0 && header_size < b->flash_size)
    LOGW (b, "spi_flash", "Detected size(%uk) larger than the size in the binary image header(%uk). Using the size in the binary image header.",
          (guint) (b->flash_size / 1024), (guint) (header_size / 1024));
  LOGI (b, "main_task", "Started on CPU0");
  LOGI (b, "main_task", "Calling app_main()");
  return TRUE;
}

/* The app's segments declare what it prints */
static void
collect_app (FsSimApp *app,
             FsImage  *image)
{
  GPtrArray *segments = fs_image_get_segments (image);

  for (guint i = 0; i < segments->len; i++)
    {
      FsImageSegment *segment = g_ptr_array_index (segments, i);
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (segment->data, &len);

      fs_sim_app_collect (app, data, len);
    }
}

/* The bytecode slot of the FOTA slot booted: a factory app runs the first */
static const FsPartition *
find_program_slot (Boot *b,
                   gint  booted_index)
{
  guint wanted = booted_index == FACTORY_INDEX ? 0 : booted_index;
  guint seen = 0;

  for (guint i = 0; i < fs_partition_table_get_n_partitions (b->table); i++)
    {
      const FsPartition *partition = fs_partition_table_get_partition (b->table, i);

      if (partition->type == FS_PARTITION_TYPE_DATA && partition->subtype == BYTECODE_SUBTYPE &&
          seen++ == wanted)
        return partition;
    }
  return NULL;
}

/* A program ends where the slot was left erased: an upload erases the
 * sectors it writes, so an older, longer program leaves nothing behind */
static void
run_program (Boot      *b,
             FsSimBoot *boot,
             gint       booted_index)
{
  const FsPartition *slot = find_program_slot (b, booted_index);
  g_autoptr(FsSimApp) program = fs_sim_app_new ();
  g_autoptr(GBytes) bytes = NULL;

  if (slot != NULL)
    {
      gsize len = 0;
      const guint8 *data;
      const guint8 *erased;

      boot->program_partition = g_strdup (slot->label);
      bytes = flash_bytes_from (b, slot->offset, MIN (slot->size, BYTECODE_MAX_READ));
      data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;
      erased = data != NULL ? memchr (data, 0xFF, len) : NULL;
      if (erased != NULL)
        len = erased - data;
      fs_sim_app_collect (program, data, len);
    }
  fs_sim_app_add_program (boot->app, program);
}

static FsSimBoot *
fs_sim_boot_new (void)
{
  FsSimBoot *boot = g_new0 (FsSimBoot, 1);

  boot->ota_slot = -1;
  boot->app = fs_sim_app_new ();
  return boot;
}

/* The second-stage bootloader and the app's start: FALSE when it stops */
static gboolean
run_bootloader (Boot      *b,
                FsImage   *bootloader,
                FsSimBoot *boot)
{
  g_autoptr(FsImage) app = NULL;
  const FsPartition *partition = NULL;
  gint index, booted_index = FACTORY_INDEX;

  b->ms = BOOTLOADER_START_MS;
  b->chip_size = fs_image_get_flash_size (bootloader);
  if (b->chip_size == 0)
    b->chip_size = b->flash_size;

  bootloader_banner (b, bootloader);
  if (!load_partition_table (b))
    {
      LOGE (b, "boot", "load partition table error!");
      return FALSE;
    }
  index = select_boot_index (b);
  if (index == INVALID_INDEX)
    return FALSE;
  app = load_boot_image (b, index, &partition, &booted_index);
  if (app == NULL)
    return FALSE;

  boot->partition = g_strdup (partition->label);
  boot->app_offset = partition->offset;
  boot->ota_slot = booted_index;
  if (!start_app (b, app))
    return FALSE;
  boot->app_start_ms = b->ms;
  boot->elf_sha256 = elf_sha256_text (fs_image_get_app_desc (app));
  collect_app (boot->app, app);
  run_program (b, boot, booted_index);
  return TRUE;
}

FsSimBoot *
fs_sim_boot_run (const guint8          *flash,
                 gsize                  flash_size,
                 const FsSimChipConfig *chip,
                 FsSimResetReason       reason)
{
  g_autoptr(FsSimBoot) boot = NULL;
  g_autoptr(FsImage) bootloader = NULL;
  Boot b = { 0 };

  g_return_val_if_fail (flash != NULL || flash_size == 0, NULL);
  g_return_val_if_fail (chip != NULL, NULL);

  boot = fs_sim_boot_new ();
  b.flash = flash;
  b.flash_size = flash_size;
  b.chip = chip;
  b.log = g_string_new (NULL);

  bootloader = rom_boot (&b, reason);
  if (bootloader != NULL)
    boot->app_running = run_bootloader (&b, bootloader, boot);
  else
    rom_boot_again (&b);

  g_clear_object (&b.table);
  boot->log = g_string_free (b.log, FALSE);
  return g_steal_pointer (&boot);
}

void
fs_sim_boot_free (FsSimBoot *boot)
{
  if (boot == NULL)
    return;
  g_free (boot->log);
  g_free (boot->partition);
  g_free (boot->program_partition);
  fs_sim_app_free (boot->app);
  g_free (boot->elf_sha256);
  g_free (boot);
}

char *
fs_sim_boot_download_banner (FsSimResetReason reason)
{
  GString *log = g_string_new (NULL);

  rom_banner (log, reason, ROM_DOWNLOAD_BOOT);
  g_string_append (log, "waiting for download\r\n");
  return g_string_free (log, FALSE);
}
